package commercetools

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// GetTypeByKey reads a custom type by key. An absent type is a 404 Error.
func (c *Client) GetTypeByKey(ctx context.Context, key string) (*Type, error) {
	if key == "" {
		return nil, errRequired("type key")
	}
	var t Type
	if err := c.do(ctx, call{method: http.MethodGet, url: c.apiURL("types", "key="+url.PathEscape(key)), retry: true, refreshOn: apiRefreshOn}, &t); err != nil {
		return nil, fmt.Errorf("get type %s: %w", key, err)
	}
	return &t, nil
}

// CreateType creates a custom type.
func (c *Client) CreateType(ctx context.Context, draft TypeDraft) (*Type, error) {
	var t Type
	if err := c.do(ctx, call{method: http.MethodPost, url: c.apiURL("types"), body: draft, refreshOn: apiRefreshOn}, &t); err != nil {
		return nil, fmt.Errorf("create type %s: %w", draft.Key, err)
	}
	return &t, nil
}

// UpdateType applies actions to a custom type at the given version.
func (c *Client) UpdateType(ctx context.Context, key string, version int64, actions ...UpdateAction) (*Type, error) {
	var t Type
	err := c.do(ctx, call{method: http.MethodPost, url: c.apiURL("types", "key="+url.PathEscape(key)),
		body: map[string]any{"version": version, "actions": actions}, refreshOn: apiRefreshOn}, &t)
	if err != nil {
		return nil, fmt.Errorf("update type %s: %w", key, err)
	}
	return &t, nil
}

// AddFieldDefinitions adds to a custom type the definitions it lacks, by name, and returns
// the type as stored. Existing fields are left as they are.
func (c *Client) AddFieldDefinitions(ctx context.Context, t *Type, defs []FieldDefinition) (*Type, error) {
	have := make(map[string]bool, len(t.FieldDefinitions))
	for _, d := range t.FieldDefinitions {
		have[d.Name] = true
	}
	var actions []UpdateAction
	for _, d := range defs {
		if !have[d.Name] {
			actions = append(actions, UpdateAction{"action": "addFieldDefinition", "fieldDefinition": d})
		}
	}
	if len(actions) == 0 {
		return t, nil
	}
	return c.UpdateType(ctx, t.Key, t.Version, actions...)
}

// DeleteType deletes a custom type at the given version.
func (c *Client) DeleteType(ctx context.Context, key string, version int64) error {
	err := c.do(ctx, call{method: http.MethodDelete, url: c.apiURL("types", "key="+url.PathEscape(key)),
		query: url.Values{"version": {fmt.Sprint(version)}}, refreshOn: apiRefreshOn}, nil)
	if err != nil {
		return fmt.Errorf("delete type %s: %w", key, err)
	}
	return nil
}
