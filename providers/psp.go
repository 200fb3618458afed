// Package providers declares what the processor needs from a payment service provider
// (PSP) and from a gift-card provider. Each adapter lives in a sub-package and is chosen
// by configuration through package registry; the money engine in package payments uses
// adapters only through these interfaces.
//
// The required interfaces (PSP, GiftCardProvider) hold only the calls that move money.
// Everything else is an optional capability the engine discovers by type assertion:
// Looker (find an operation by its idempotency key, for the reconciler), Checker (deep
// status), ComponentLister (what the enabler renders), WebhookVerifier (signed webhooks)
// and ReturnVerifier (shoppers coming back from offsite pages).
//
// The strings of a request share memory with the commercetools answer they were read
// from (the JSON decoder does not copy them), so one string kept holds the whole answer.
// An adapter that keeps a request's strings beyond the call, in a cache or a memory of
// its payments as the mocks do, keeps copies (strings.Clone).
package providers

import (
	"context"
	"errors"
	"strings"
)

// Money is an amount in a currency's minor units.
type Money struct {
	CentAmount   int64
	CurrencyCode string
}

// Clone returns m with its own copy of the currency code, to keep beyond a call.
func (m Money) Clone() Money {
	m.CurrencyCode = strings.Clone(m.CurrencyCode)
	return m
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
	// Display is what the shopper may be shown of the stored method, with Token.
	Display Display
	// Code and Message explain a rejection.
	Code, Message string
	// RedirectURL, with a Received outcome, is the provider's page the shopper completes
	// the payment on; the provider then sends the shopper to the request's ReturnURL.
	RedirectURL string
}

// Display is what a shopper is shown of a stored payment method: never enough to pay.
type Display struct {
	// Brand is the card brand's key (visa, mastercard, amex, maestro, ...).
	Brand string
	// EndDigits are the last digits of the card or account number.
	EndDigits string
	// ExpiryMonth (1 to 12) and ExpiryYear (four digits) are the card's expiry, when it
	// has one.
	ExpiryMonth, ExpiryYear int
}

// ErrUnavailable wraps failures to reach the provider: the outcome is unknown and the same
// request, with the same idempotency key, may be sent again.
var ErrUnavailable = errors.New("the payment provider is unavailable")

// PaymentMethod is how the shopper pays.
type PaymentMethod struct {
	// Type is card, invoice, purchaseorder, customtestmethod, ...
	Type string
	// Data holds what the enabler sent for this method and provider: a PSP token, a
	// purchase-order number, a test outcome. Each provider documents the keys it reads.
	Data map[string]string
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
	// ReturnURL is where an offsite page sends the shopper back.
	ReturnURL string
}

// OperationRequest asks to capture, refund or cancel (part of) an authorized payment.
type OperationRequest struct {
	IdempotencyKey string
	// PSPReference is the authorization's reference.
	PSPReference string
	// Amount is what to capture or refund; for a cancellation, what is released.
	Amount Money
}

// PSP is a payment service provider. Every call carries an idempotency key; repeating it
// must return the first answer and never move money twice.
type PSP interface {
	// Authorize reserves (or takes, for providers without separate capture) an amount.
	Authorize(ctx context.Context, req AuthorizeRequest) (Result, error)
	// Capture takes (part of) an authorized amount.
	Capture(ctx context.Context, req OperationRequest) (Result, error)
	// Cancel releases what remains of an authorization.
	Cancel(ctx context.Context, req OperationRequest) (Result, error)
	// Refund returns (part of) a captured amount.
	Refund(ctx context.Context, req OperationRequest) (Result, error)
}
