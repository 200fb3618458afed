package payments

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/checkout-connect/go-connector/commercetools"
)

// Kind classifies the errors of the flows; package handlers maps each kind to an HTTP
// status and the contract's error body.
type Kind int

// Error kinds.
const (
	// KindInvalid: the request cannot be carried out as asked (a field, the cart's state,
	// what the payment allows). Nothing was written.
	KindInvalid Kind = iota + 1
	// KindNotFound: a cart, payment or payment method is not there (or not the caller's).
	KindNotFound
	// KindInProgress: another attempt on the same cart or payment is still running.
	// Repeat after RetryAfter.
	KindInProgress
	// KindKeyReused: the idempotency key or merchant reference was used for another
	// request.
	KindKeyReused
	// KindOutcomePending: money may have moved but its outcome is not recorded yet.
	// Repeating the same request, or the reconciler, finishes it.
	KindOutcomePending
	// KindUnavailable: commercetools could not be reached or kept conflicting; no money
	// moved.
	KindUnavailable
	// KindProviderUnavailable: the provider could not be asked, before any money moved
	// (a balance lookup, say).
	KindProviderUnavailable
	// KindGiftCardRefused: the gift-card provider refused the card (GiftCardState says
	// why).
	KindGiftCardRefused
	// KindUnauthorized: a webhook whose signature does not hold.
	KindUnauthorized
)

// Error codes the flows answer with, besides commercetools' RequiredField, InvalidField,
// InvalidOperation and ResourceNotFound.
const (
	CodePaymentInProgress     = "PaymentInProgress"
	CodeIdempotencyKeyReused  = "IdempotencyKeyReused"
	CodePaymentOutcomePending = "PaymentOutcomePending"
	CodeServiceUnavailable    = "ServiceUnavailable"
	CodeProviderUnavailable   = "PaymentProviderUnavailable"
	CodeRequiredField         = "RequiredField"
	CodeInvalidField          = "InvalidField"
	CodeInvalidOperation      = "InvalidOperation"
	CodeResourceNotFound      = "ResourceNotFound"
	CodeInvalidSignature      = "InvalidSignature"
)

// Error is an outcome of a flow that its caller must see.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	// Field, Value and Allowed describe a RequiredField or InvalidField.
	Field   string
	Value   any
	Allowed any
	// Extra holds further fields for the client (paymentReference, cartAmount, ...).
	Extra map[string]any
	// RetryAfter tells when a repeat may succeed (KindInProgress, KindOutcomePending).
	RetryAfter time.Duration
	// ProviderFault marks a KindOutcomePending whose cause is the provider, not
	// commercetools.
	ProviderFault bool
	// GiftCardState is the gift-card template's state, for KindGiftCardRefused.
	GiftCardState string
	// Cause is for the logs only.
	Cause error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %s", e.Code, e.Message)
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Cause }

func invalidOperation(message string) *Error {
	return &Error{Kind: KindInvalid, Code: CodeInvalidOperation, Message: message}
}

func requiredField(field string) *Error {
	return &Error{Kind: KindInvalid, Code: CodeRequiredField, Field: field,
		Message: fmt.Sprintf("A value is required for field %s.", field)}
}

func invalidField(field string, value, allowed any) *Error {
	return &Error{Kind: KindInvalid, Code: CodeInvalidField, Field: field, Value: value, Allowed: allowed,
		Message: fmt.Sprintf("The value %v is not valid for field %s.", value, field)}
}

func notFound(id string) *Error {
	return &Error{Kind: KindNotFound, Code: CodeResourceNotFound,
		Message: fmt.Sprintf("The Resource with ID '%s' was not found.", id)}
}

func inProgress(what string, retryAfter time.Duration, paymentID string) *Error {
	e := &Error{Kind: KindInProgress, Code: CodePaymentInProgress, RetryAfter: retryAfter,
		Message: what + " is in progress; repeat the request after it has finished."}
	if paymentID != "" {
		e.Extra = map[string]any{"paymentReference": paymentID}
	}
	return e
}

func keyReused(what string) *Error {
	return &Error{Kind: KindKeyReused, Code: CodeIdempotencyKeyReused,
		Message: "The " + what + " was used before for a different request."}
}

// outcomePending is the answer when money may have moved but its outcome is not recorded:
// the provider did not answer, or its answer could not be written to commercetools.
func outcomePending(paymentID string, providerFault bool, retryAfter time.Duration, cause error) *Error {
	msg := "The payment's outcome is not recorded yet. Repeat the same request to learn it; it will not be charged twice."
	return &Error{Kind: KindOutcomePending, Code: CodePaymentOutcomePending, Message: msg, RetryAfter: retryAfter,
		ProviderFault: providerFault, Extra: map[string]any{"paymentReference": paymentID}, Cause: cause}
}

func providerUnavailable(cause error) *Error {
	return &Error{Kind: KindProviderUnavailable, Code: CodeProviderUnavailable, Cause: cause,
		Message: "The provider cannot be reached; nothing was charged. Try again later."}
}

// storeError turns a commercetools failure before any money moved into the flows' error:
// a missing resource is KindNotFound, an outage, a time-out or conflicts that never
// ended are KindUnavailable. Anything else stays unexpected.
func storeError(err error, id string) error {
	var e *Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &e):
		return err
	case commercetools.IsNotFound(err) && id != "":
		e := notFound(id)
		e.Cause = err
		return e
	case errors.Is(err, commercetools.ErrUnavailable), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, context.Canceled), errors.Is(err, errConflicts), commercetools.IsConcurrentModification(err):
		return &Error{Kind: KindUnavailable, Code: CodeServiceUnavailable, Cause: err, RetryAfter: time.Second,
			Message: "commercetools cannot be reached; nothing was charged. Try again."}
	}
	return err
}
