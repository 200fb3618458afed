package providers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
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

// EventKind is what a webhook event says happened to money.
type EventKind string

// Event kinds. Each names a transaction type and the state it reached.
const (
	EventAuthorized          EventKind = "authorized"
	EventAuthorizationFailed EventKind = "authorization_failed"
	EventCaptured            EventKind = "captured"
	EventCaptureFailed       EventKind = "capture_failed"
	EventRefunded            EventKind = "refunded"
	EventRefundFailed        EventKind = "refund_failed"
	EventCancelled           EventKind = "cancelled"
	EventChargeback          EventKind = "chargeback"
)

// Notification is one event of a provider's webhook: what became of money the provider
// moved, named by the request's idempotency key when the provider echoes it, and by the
// provider's references.
type Notification struct {
	// EventID is the provider's id of the event; a replay carries the same id.
	EventID string
	Kind    EventKind
	// IdempotencyKey is the key of the request the event answers, when the provider knows
	// it (empty for money moved by other means, a chargeback say).
	IdempotencyKey string
	// PSPReference is the provider's reference of the operation.
	PSPReference string
	// PaymentReference is the provider's reference of the payment (its authorization) the
	// operation belongs to.
	PaymentReference string
	// MerchantReference is the commercetools payment id the processor sent with the
	// authorization, when the provider echoes it.
	MerchantReference string
	Amount            Money
}

// ErrBadSignature marks a webhook whose signature does not hold: wrong secret, tampered
// body, or a timestamp outside the tolerance. It is refused and nothing is recorded.
var ErrBadSignature = errors.New("the webhook's signature is not valid")

// WebhookVerifier is a provider that sends signed webhooks. VerifyWebhook checks the
// signature over the body's bytes exactly as received, then returns the events the body
// carries. A bad signature is an error wrapping ErrBadSignature; a body that is signed but
// cannot be read is another error.
type WebhookVerifier interface {
	VerifyWebhook(ctx context.Context, header http.Header, body []byte) ([]Notification, error)
}

// ReturnVerifier is a PSP whose offsite pages send the shopper back to the processor
// (GET /payments/return) with parameters it signs. VerifyReturn checks them for the
// payment paymentID and says what they tell, as an event; parameters that do not verify
// are an error wrapping ErrBadSignature.
type ReturnVerifier interface {
	VerifyReturn(ctx context.Context, paymentID string, query url.Values) (Notification, error)
}
