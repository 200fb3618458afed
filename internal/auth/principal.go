// Package auth authenticates and authorizes callers the way commercetools Checkout does:
// a Checkout session (x-session-id) for the shopper's browser, a Merchant Center JWT for
// the Merchant Center, and an OAuth 2.0 access token, checked by introspection, for
// Checkout's server-to-server calls.
//
// It closes holes the reference SDK leaves open: only RS256 JWTs are accepted, OAuth
// scopes must name this project, introspection answers are cached by a hash of the token
// (never the token), and an unreachable dependency is a 503, not a 401.
package auth

import (
	"context"

	"github.com/checkout-connect/go-connector/commercetools"
)

// Session is a shopper's Checkout session, as the processor's flows need it.
type Session struct {
	// ID is the session id. It is a credential: never log it.
	ID                        string
	CartID                    string
	AllowedPaymentMethods     []string
	ProcessorURL              string
	PaymentInterface          string
	MerchantReturnURL         string
	FutureOrderNumber         string
	CheckoutTransactionItemID string
	GiftCardPlannedAmount     *commercetools.Money
	CorrelationID             string
	// Cart is the session's cart with its payments expanded, as read by FreshSession; nil
	// for sessions verified by Session.
	Cart *commercetools.Cart
}

// Merchant is a Merchant Center user authenticated by JWT.
type Merchant struct {
	// Subject is the JWT's sub.
	Subject string
}

// Client is a caller authenticated by an OAuth 2.0 access token (commercetools Checkout).
type Client struct {
	// ClientID is the API client the token was issued to.
	ClientID string
	// Scopes are the token's scopes for this project, without the project key
	// (manage_project, manage_checkout_payment_intents, ...).
	Scopes []string
	// CustomerID and AnonymousID come from customer_id:... and anonymous_id:... scopes.
	CustomerID  string
	AnonymousID string
}

// HasAnyScope reports whether the client holds at least one of the scopes.
func (c *Client) HasAnyScope(scopes ...string) bool {
	for _, want := range scopes {
		for _, have := range c.Scopes {
			if have == want {
				return true
			}
		}
	}
	return false
}

type sessionKey struct{}
type merchantKey struct{}
type clientKey struct{}

// WithSession returns ctx carrying an authenticated session.
func WithSession(ctx context.Context, s *Session) context.Context {
	return context.WithValue(ctx, sessionKey{}, s)
}

// SessionFrom returns the session that authenticated the request, or nil.
func SessionFrom(ctx context.Context) *Session {
	s, _ := ctx.Value(sessionKey{}).(*Session)
	return s
}

// WithMerchant returns ctx carrying an authenticated Merchant Center user.
func WithMerchant(ctx context.Context, m *Merchant) context.Context {
	return context.WithValue(ctx, merchantKey{}, m)
}

// MerchantFrom returns the Merchant Center user of the request, or nil.
func MerchantFrom(ctx context.Context) *Merchant {
	m, _ := ctx.Value(merchantKey{}).(*Merchant)
	return m
}

// WithClient returns ctx carrying an OAuth-authenticated client.
func WithClient(ctx context.Context, c *Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

// ClientFrom returns the OAuth client of the request, or nil.
func ClientFrom(ctx context.Context) *Client {
	c, _ := ctx.Value(clientKey{}).(*Client)
	return c
}
