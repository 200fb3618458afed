package providers

import (
	"context"
	"net/http"
)

// Looker is a provider that can tell what became of a request it was sent, by the
// request's idempotency key. The reconciler settles transactions whose outcome was never
// recorded with it.
type Looker interface {
	// Lookup returns the answer the provider gave to the request with the key. found is
	// false only when the provider is sure it never received the key; an error means the
	// lookup itself failed and tells nothing.
	Lookup(ctx context.Context, idempotencyKey string) (r Result, found bool, err error)
}

// Checker is a provider that can report whether it is reachable, for the deep status.
type Checker interface {
	// Check returns a short description of the provider's state, or why it is down, with
	// details for operators.
	Check(ctx context.Context) (Health, error)
}

// Health is a provider's answer to a status check.
type Health struct {
	Message string
	Details map[string]any
}

// ComponentLister is a PSP whose enabler renders payment components.
type ComponentLister interface {
	Components() Components
}

// Component is a payment component the enabler can render.
type Component struct {
	Type     string
	Subtypes []string
}

// Components are what a PSP's enabler offers.
type Components struct {
	Dropins    []string
	Components []Component
	Express    []string
}

// Notification is one event of a provider's webhook: the outcome of a request the
// processor sent, named by the request's idempotency key or the provider's reference.
type Notification struct {
	IdempotencyKey string
	PSPReference   string
	Result         Result
}

// WebhookVerifier is a provider that sends signed webhooks. VerifyWebhook checks the
// signature of a request's body and headers and returns the events it carries.
type WebhookVerifier interface {
	VerifyWebhook(ctx context.Context, header http.Header, body []byte) ([]Notification, error)
}

// Redirect is where a shopper is sent to complete a payment offsite.
type Redirect struct {
	URL string
}

// Redirector is a PSP that completes some payments on its own pages. A Received
// authorization whose result names a redirect sends the shopper there; the return and the
// webhook settle it.
type Redirector interface {
	RedirectFor(ctx context.Context, r Result) (Redirect, bool)
}
