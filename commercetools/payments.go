package commercetools

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// GetPayment reads a payment.
func (c *Client) GetPayment(ctx context.Context, id string) (*Payment, error) {
	if id == "" {
		return nil, errRequired("payment id")
	}
	var p Payment
	if err := c.do(ctx, call{method: http.MethodGet, url: c.apiURL("payments", url.PathEscape(id)), retry: true, refreshOn: apiRefreshOn}, &p); err != nil {
		return nil, fmt.Errorf("get payment %s: %w", id, err)
	}
	return &p, nil
}

// GetPaymentByKey reads a payment by its key.
func (c *Client) GetPaymentByKey(ctx context.Context, key string) (*Payment, error) {
	if key == "" {
		return nil, errRequired("payment key")
	}
	var p Payment
	if err := c.do(ctx, call{method: http.MethodGet, url: c.apiURL("payments", "key="+url.PathEscape(key)), retry: true, refreshOn: apiRefreshOn}, &p); err != nil {
		return nil, fmt.Errorf("get payment by key %s: %w", key, err)
	}
	return &p, nil
}

// QueryPayments returns the payments matching a where predicate.
func (c *Client) QueryPayments(ctx context.Context, where string) (*PagedResult[Payment], error) {
	var page PagedResult[Payment]
	err := c.do(ctx, call{method: http.MethodGet, url: c.apiURL("payments"), query: url.Values{"where": {where}}, retry: true, refreshOn: apiRefreshOn}, &page)
	if err != nil {
		return nil, fmt.Errorf("query payments: %w", err)
	}
	return &page, nil
}

// CreatePayment creates a payment. With a key the call is idempotent: when the key is
// taken (a repeat, or a first attempt whose answer was lost) it returns the payment that
// holds it, and created is false. Without a key a failed call is not repeated.
func (c *Client) CreatePayment(ctx context.Context, draft PaymentDraft) (p *Payment, created bool, err error) {
	var out Payment
	err = c.do(ctx, call{method: http.MethodPost, url: c.apiURL("payments"), body: draft, retry: draft.Key != "", refreshOn: apiRefreshOn}, &out)
	if err == nil {
		return &out, true, nil
	}
	if draft.Key != "" && (IsDuplicateField(err) || isUnavailable(err)) {
		existing, getErr := c.GetPaymentByKey(ctx, draft.Key)
		if getErr == nil {
			return existing, false, nil
		}
		if !IsNotFound(getErr) {
			return nil, false, fmt.Errorf("create payment: %w (then %w)", err, getErr)
		}
	}
	return nil, false, fmt.Errorf("create payment: %w", err)
}

// UpdatePaymentActions applies actions to a payment at the given version, once. Most
// callers want UpdatePayment, which works out the actions and survives conflicts.
func (c *Client) UpdatePaymentActions(ctx context.Context, id string, version int64, actions []UpdateAction) (*Payment, error) {
	var p Payment
	err := c.do(ctx, call{method: http.MethodPost, url: c.apiURL("payments", url.PathEscape(id)),
		body: map[string]any{"version": version, "actions": actions}, refreshOn: apiRefreshOn}, &p)
	if err != nil {
		return nil, fmt.Errorf("update payment %s: %w", id, err)
	}
	return &p, nil
}

func isUnavailable(err error) bool { return errors.Is(err, ErrUnavailable) }
