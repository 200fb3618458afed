// Package mockpsp is a payment service provider that runs in the process, with the test
// semantics of commercetools' payment connector template: the enabler decides card
// outcomes from test card numbers and sends them as paymentOutcome; invoice, purchase
// order and the custom test method are approved; recurring payments are approved under
// 10000 minor units.
//
// Unlike the template's mock it keeps the state a real PSP keeps: it refuses to capture
// more than was authorized, to refund more than was captured, and to cancel twice; it
// answers a repeated idempotency key with its first answer, and tells by Lookup what it
// answered to a key.
//
// Its memory is bounded: beyond MemorySize authorizations and answers the oldest are
// forgotten.
//
// Method data it reads: "paymentOutcome" (Authorized or Rejected, the test enabler's
// choice for cards) and "poNumber" (required for purchase orders).
package mockpsp

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/checkout-connect/go-connector/providers"
	"github.com/checkout-connect/go-connector/providers/internal/memo"
)

// Name is the payment interface the mock's payments carry in commercetools.
const Name = "mock"

// RecurringLimit is the amount from which recurring payments are declined.
const RecurringLimit = 10000

// PSP is the mock provider. It is safe for concurrent use.
type PSP struct {
	mu          sync.Mutex
	payments    *memo.Map[string, *authorization]
	answers     *memo.Map[string, providers.Result]
	webhooks    webhooks
	offsite     *memo.Map[string, *offsite]
	pageURL     string
	unavailable bool
}

type authorization struct {
	amount    providers.Money
	reference string // the commercetools payment id it was asked for
	captured  int64
	refunded  int64
	cancelled bool
}

var (
	_ providers.PSP             = (*PSP)(nil)
	_ providers.Looker          = (*PSP)(nil)
	_ providers.Checker         = (*PSP)(nil)
	_ providers.ComponentLister = (*PSP)(nil)
	_ providers.WebhookVerifier = (*PSP)(nil)
	_ providers.ReturnVerifier  = (*PSP)(nil)
)

// MemorySize bounds each of the mock's memories (authorizations, answers by idempotency
// key).
const MemorySize = 100_000

// Method data keys the mock reads.
const (
	DataPaymentOutcome = "paymentOutcome"
	DataPONumber       = "poNumber"
)

// Open returns a mock provider. Its webhooks are signed with MOCK_WEBHOOK_SECRET
// (DefaultWebhookSecret when unset); MOCK_WEBHOOK_SECRET_PREVIOUS, when set, is accepted
// too, for a rotation.
func Open(getenv func(string) string) (*PSP, error) {
	m := New()
	current, previous := getenv("MOCK_WEBHOOK_SECRET"), getenv("MOCK_WEBHOOK_SECRET_PREVIOUS")
	if current == "" {
		current = DefaultWebhookSecret
	}
	m.SetWebhookSecrets(current, previous)
	return m, nil
}

// New returns a mock provider with no payments.
func New() *PSP {
	return &PSP{payments: memo.New[string, *authorization](MemorySize), answers: memo.New[string, providers.Result](MemorySize),
		webhooks: webhooks{secrets: []string{DefaultWebhookSecret}, now: time.Now}, offsite: memo.New[string, *offsite](MemorySize)}
}

// SetAvailable makes the mock reachable or not, to try what the processor does when its
// PSP is down: calls fail with providers.ErrUnavailable and moves no money.
func (m *PSP) SetAvailable(available bool) {
	m.mu.Lock()
	m.unavailable = !available
	m.mu.Unlock()
}

// once answers a repeated idempotency key with its first answer.
func (m *PSP) once(key string, do func() providers.Result) (providers.Result, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.unavailable {
		return providers.Result{}, fmt.Errorf("mock PSP: %w", providers.ErrUnavailable)
	}
	if r, ok := m.answers.Get(key); ok {
		return r, nil
	}
	r := do()
	if key != "" {
		m.answers.Put(strings.Clone(key), r)
	}
	return r, nil
}

func rejected(code, message string) providers.Result {
	return providers.Result{Outcome: providers.Rejected, PSPReference: "mock-" + newID(), Code: code, Message: message}
}

func newID() string { return uuid.NewString() }

// Authorize approves by the rules of the package documentation.
func (m *PSP) Authorize(_ context.Context, req providers.AuthorizeRequest) (providers.Result, error) {
	return m.once(req.IdempotencyKey, func() providers.Result {
		r := m.authorize(req)
		if r.Outcome == providers.Received {
			return r // the hosted page publishes the outcome
		}
		kind := providers.EventAuthorized
		if r.Outcome == providers.Rejected {
			kind = providers.EventAuthorizationFailed
		}
		m.webhooks.publish(providers.Notification{Kind: kind, IdempotencyKey: req.IdempotencyKey, PSPReference: r.PSPReference,
			PaymentReference: r.PSPReference, MerchantReference: req.Reference, Amount: req.Amount})
		return r
	})
}

// authorize decides an authorization.
func (m *PSP) authorize(req providers.AuthorizeRequest) providers.Result {
	if req.Method.Type == OffsiteMethod && !req.Recurring {
		return m.authorizeOffsite(req)
	}
	switch {
	case req.Recurring && req.Amount.CentAmount >= RecurringLimit:
		return rejected("AmountTooHigh", fmt.Sprintf("recurring payments of %d or more are declined", RecurringLimit))
	case req.Method.Data[DataPaymentOutcome] == "Rejected":
		return rejected("Refused", "the test card was declined")
	case req.Method.Type == "purchaseorder" && req.Method.Data[DataPONumber] == "":
		return rejected("MissingPONumber", "a purchase order needs a PO number")
	}
	ref := "mock-" + uuid.NewString()
	m.payments.Put(ref, &authorization{amount: req.Amount.Clone(), reference: strings.Clone(req.Reference)})
	r := providers.Result{Outcome: providers.Approved, PSPReference: ref}
	if req.Method.Store {
		// The test card the template's mock shows for every stored method.
		r.Token = "mock-token-" + uuid.NewString()
		r.Display = providers.Display{Brand: "visa", EndDigits: "1111", ExpiryMonth: 3, ExpiryYear: 2030}
	}
	return r
}

// Capture takes part of an authorization, never more than remains.
func (m *PSP) Capture(_ context.Context, req providers.OperationRequest) (providers.Result, error) {
	return m.operate(req, providers.EventCaptured, providers.EventCaptureFailed, func(a *authorization) providers.Result {
		switch {
		case a.cancelled:
			return rejected("Cancelled", "the authorization is cancelled")
		case req.Amount.CurrencyCode != a.amount.CurrencyCode:
			return rejected("CurrencyMismatch", "the currency differs from the authorization's")
		case req.Amount.CentAmount <= 0 || a.captured+req.Amount.CentAmount > a.amount.CentAmount:
			return rejected("AmountExceeded", "the amount exceeds what remains authorized")
		}
		a.captured += req.Amount.CentAmount
		return providers.Result{Outcome: providers.Approved, PSPReference: "mock-capture-" + uuid.NewString()}
	})
}

// Refund returns part of what was captured, never more.
func (m *PSP) Refund(_ context.Context, req providers.OperationRequest) (providers.Result, error) {
	return m.operate(req, providers.EventRefunded, providers.EventRefundFailed, func(a *authorization) providers.Result {
		switch {
		case req.Amount.CurrencyCode != a.amount.CurrencyCode:
			return rejected("CurrencyMismatch", "the currency differs from the authorization's")
		case req.Amount.CentAmount <= 0 || a.refunded+req.Amount.CentAmount > a.captured:
			return rejected("AmountExceeded", "the amount exceeds what was captured and not refunded")
		}
		a.refunded += req.Amount.CentAmount
		return providers.Result{Outcome: providers.Approved, PSPReference: "mock-refund-" + uuid.NewString()}
	})
}

// Cancel releases what remains of an authorization, once; what was captured stays
// captured.
func (m *PSP) Cancel(_ context.Context, req providers.OperationRequest) (providers.Result, error) {
	return m.operate(req, providers.EventCancelled, providers.EventCancelled, func(a *authorization) providers.Result {
		switch {
		case a.cancelled:
			return rejected("Cancelled", "the authorization is already cancelled")
		case a.captured >= a.amount.CentAmount:
			return rejected("Captured", "the authorization is captured in full")
		}
		a.cancelled = true
		return providers.Result{Outcome: providers.Approved, PSPReference: "mock-cancel-" + uuid.NewString()}
	})
}

func (m *PSP) operate(req providers.OperationRequest, approved, failed providers.EventKind, do func(*authorization) providers.Result) (providers.Result, error) {
	return m.once(req.IdempotencyKey, func() providers.Result {
		a, ok := m.payments.Get(req.PSPReference)
		if !ok {
			return rejected("UnknownPayment", "no authorization with this reference")
		}
		r := do(a)
		kind := approved
		if r.Outcome == providers.Rejected {
			kind = failed
		}
		m.webhooks.publish(providers.Notification{Kind: kind, IdempotencyKey: req.IdempotencyKey, PSPReference: r.PSPReference,
			PaymentReference: req.PSPReference, MerchantReference: a.reference, Amount: req.Amount})
		return r
	})
}

// Lookup returns the answer given to an idempotency key.
func (m *PSP) Lookup(_ context.Context, key string) (providers.Result, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.unavailable {
		return providers.Result{}, false, fmt.Errorf("mock PSP: %w", providers.ErrUnavailable)
	}
	r, ok := m.answers.Get(key)
	return r, ok, nil
}

// Check succeeds unless the mock was made unavailable.
func (m *PSP) Check(context.Context) (providers.Health, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.unavailable {
		return providers.Health{}, fmt.Errorf("mock PSP: %w", providers.ErrUnavailable)
	}
	return providers.Health{Message: "Mock api is working", Details: map[string]any{"paymentMethods": "card, invoice, purchaseorder, customtestmethod"}}, nil
}

// Components are those of the template's mock enabler, and the hosted page.
func (m *PSP) Components() providers.Components {
	return providers.Components{
		Components: []providers.Component{{Type: "card"}, {Type: "customtestmethod"}, {Type: "invoice"}, {Type: "purchaseorder"}, {Type: OffsiteMethod}},
		Express:    []string{"sample"},
	}
}
