// Package providers declares what the processor needs from a payment service provider
// (PSP) and from a gift-card provider. Each adapter lives in a sub-package; the flows in
// package payments and giftcards use them only through these interfaces.
package providers

import (
	"context"
	"errors"
)

// Money is an amount in a currency's minor units.
type Money struct {
	CentAmount   int64
	CurrencyCode string
}

// Outcome is a provider's answer to a request that moves money.
type Outcome string

// Outcomes, as commercetools Checkout names them.
const (
	// Approved: the money moved (or is reserved, for an authorization).
	Approved Outcome = "approved"
	// Rejected: nothing moved; the provider said no.
	Rejected Outcome = "rejected"
	// Received: the provider took the request and will answer later (by webhook).
	Received Outcome = "received"
)

// Result is a provider's answer.
type Result struct {
	Outcome Outcome
	// PSPReference is the provider's reference of the operation (for an authorization,
	// of the payment).
	PSPReference string
	// Token is the stored payment method's token, when one was stored.
	Token string
	// Code and Message explain a rejection.
	Code, Message string
}

// ErrUnavailable wraps failures to reach the provider: the outcome is unknown and the same
// request, with the same idempotency key, may be sent again.
var ErrUnavailable = errors.New("the payment provider is unavailable")

// PaymentMethod is how the shopper pays.
type PaymentMethod struct {
	// Type is card, invoice, purchaseorder, customtestmethod, ...
	Type        string
	PONumber    string
	InvoiceMemo string
	// StoredToken is the token of a stored payment method to pay with.
	StoredToken string
	// Store asks the provider to keep the method for later payments.
	Store bool
}

// AuthorizeRequest asks for an authorization of Amount.
type AuthorizeRequest struct {
	// IdempotencyKey makes a repeat return the first answer instead of moving money again.
	IdempotencyKey string
	// Reference is the commercetools payment id.
	Reference string
	Amount    Money
	Method    PaymentMethod
	// Recurring marks a server-to-server payment with no shopper present.
	Recurring bool
	// ClientOutcome is the outcome a test enabler asks a mock provider for ("Authorized",
	// "Rejected"); real providers ignore it.
	ClientOutcome string
}

// OperationRequest asks to capture, refund or cancel (part of) an authorized payment.
type OperationRequest struct {
	IdempotencyKey string
	// PSPReference is the authorization's reference.
	PSPReference string
	// Amount is what to capture or refund; ignored by cancellations.
	Amount Money
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

// PSP is a payment service provider. Every call that moves money carries an idempotency
// key; repeating it must not move money twice.
type PSP interface {
	// Authorize reserves (or takes, for providers without separate capture) an amount.
	Authorize(ctx context.Context, req AuthorizeRequest) (Result, error)
	// Capture takes (part of) an authorized amount.
	Capture(ctx context.Context, req OperationRequest) (Result, error)
	// Cancel releases an authorization that is not captured.
	Cancel(ctx context.Context, req OperationRequest) (Result, error)
	// Refund returns (part of) a captured amount.
	Refund(ctx context.Context, req OperationRequest) (Result, error)
	// Check reports whether the provider can be reached, with a short description.
	Check(ctx context.Context) (string, error)
	// Components lists what the enabler can render for this provider.
	Components() Components
}
