package commercetools

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// sessionRefreshOn are the Session API statuses after which the token is renewed once.
var sessionRefreshOn = []int{http.StatusUnauthorized, http.StatusForbidden}

func (c *Client) sessionURL(segments ...string) string {
	u := c.sessions
	for _, s := range segments {
		u += "/" + url.PathEscape(s)
	}
	return u
}

// GetSession reads a Checkout session. An unknown session is a 404 Error.
func (c *Client) GetSession(ctx context.Context, id string) (*Session, error) {
	if id == "" {
		return nil, errRequired("session id")
	}
	var s Session
	cl := call{method: http.MethodGet, url: c.sessionURL(id), retry: true, refreshOn: sessionRefreshOn,
		describe: "GET " + c.sessions + "/{id}"}
	if err := c.do(ctx, cl, &s); err != nil {
		return nil, fmt.Errorf("get session: %w", err)
	}
	return &s, nil
}

// CreateSession opens a Checkout session for a cart (as a storefront's backend does).
func (c *Client) CreateSession(ctx context.Context, draft SessionDraft) (*Session, error) {
	var s Session
	if err := c.do(ctx, call{method: http.MethodPost, url: c.sessionURL(), body: draft, refreshOn: sessionRefreshOn}, &s); err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	return &s, nil
}
