// Package stripe is a PSP adapter for Stripe, through PaymentIntents with manual capture.
//
// Settings: STRIPE_SECRET_KEY (required), STRIPE_WEBHOOK_SECRET (required; a previous one,
// STRIPE_WEBHOOK_SECRET_PREVIOUS, is accepted during a rotation), STRIPE_API_BASE (tests).
// The enabler's Stripe payment method id travels as method data "paymentMethodId". Every
// call carries the executor's idempotency key, stable across retries, and the
// PaymentIntent keeps it in its metadata, so the reconciler finds an authorization by it.
package stripe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v85"

	"github.com/checkout-connect/go-connector/providers"
)

// Name is the payment interface of Stripe's payments in commercetools.
const Name = "stripe"

// DataPaymentMethodID is the method data key of the Stripe payment method id.
const DataPaymentMethodID = "paymentMethodId"

// Metadata keys the adapter sets on Stripe objects.
const (
	metaKey      = "ct_idempotency_key"
	metaPayment  = "ct_payment_id"
	metaCaptured = "ct_capture_key"
)

// PSP is the Stripe adapter. It calls Stripe's API through stripe-go's backend, not its
// Client: the Client holds a service for every Stripe resource, and the adapter's binary
// would carry all of them.
type PSP struct {
	backend        stripego.Backend
	key            string
	webhookSecrets []string
}

var (
	_ providers.PSP             = (*PSP)(nil)
	_ providers.Looker          = (*PSP)(nil)
	_ providers.Checker         = (*PSP)(nil)
	_ providers.ComponentLister = (*PSP)(nil)
	_ providers.WebhookVerifier = (*PSP)(nil)
)

// Open returns the adapter configured from getenv, checking its settings.
func Open(getenv func(string) string) (*PSP, error) {
	key, secret := getenv("STRIPE_SECRET_KEY"), getenv("STRIPE_WEBHOOK_SECRET")
	var problems []error
	if !strings.HasPrefix(key, "sk_") {
		problems = append(problems, errors.New("STRIPE_SECRET_KEY must be a secret key (sk_...)"))
	}
	if secret == "" {
		problems = append(problems, errors.New("STRIPE_WEBHOOK_SECRET is required: webhooks are refused without it"))
	}
	if err := errors.Join(problems...); err != nil {
		return nil, err
	}
	p := &PSP{webhookSecrets: []string{secret}}
	if previous := getenv("STRIPE_WEBHOOK_SECRET_PREVIOUS"); previous != "" {
		p.webhookSecrets = append(p.webhookSecrets, previous)
	}
	config := &stripego.BackendConfig{
		HTTPClient:        &http.Client{Timeout: 30 * time.Second},
		MaxNetworkRetries: stripego.Int64(0), // the executor retries, with the same idempotency key
	}
	if base := strings.TrimSuffix(getenv("STRIPE_API_BASE"), "/"); base != "" {
		config.URL = stripego.String(base)
	}
	p.backend, p.key = stripego.GetBackendWithConfig(stripego.APIBackend, config), key
	return p, nil
}

// intentPath is the path of an action on the PaymentIntent id.
func intentPath(id, action string) string {
	return stripego.FormatURLPath("/v1/payment_intents/%s/%s", id, action)
}

// unavailable wraps a failure that says nothing about the outcome.
func unavailable(err error) error {
	var se *stripego.Error
	if errors.As(err, &se) && se.HTTPStatusCode >= 400 && se.HTTPStatusCode < 500 && se.HTTPStatusCode != http.StatusTooManyRequests {
		return nil // an answer: the request was refused
	}
	return fmt.Errorf("stripe: %w: %w", providers.ErrUnavailable, err)
}

// refused is the result of a request Stripe answered with a 4xx: nothing moved.
func refused(err error) providers.Result {
	var se *stripego.Error
	errors.As(err, &se)
	r := providers.Result{Outcome: providers.Rejected, Code: "StripeError", Message: "Stripe refused the request."}
	if se != nil {
		r.Code, r.Message = string(se.Code), se.Msg
		if se.Code == "" {
			r.Code = string(se.Type)
		}
	}
	return r
}

// answer turns a Stripe call's error into the adapter's: a refusal is a Rejected result,
// anything else an error that leaves the outcome open.
func answer(err error) (providers.Result, error) {
	if u := unavailable(err); u != nil {
		return providers.Result{}, u
	}
	return refused(err), nil
}

// intentResult maps a PaymentIntent's status to an outcome.
func intentResult(pi *stripego.PaymentIntent) providers.Result {
	r := providers.Result{PSPReference: pi.ID}
	switch pi.Status {
	case stripego.PaymentIntentStatusRequiresCapture, stripego.PaymentIntentStatusSucceeded:
		r.Outcome = providers.Approved
	case stripego.PaymentIntentStatusRequiresAction:
		r.Outcome = providers.Received
		if pi.NextAction != nil && pi.NextAction.RedirectToURL != nil {
			r.RedirectURL = pi.NextAction.RedirectToURL.URL
		}
	case stripego.PaymentIntentStatusProcessing:
		r.Outcome = providers.Received
	default: // requires_payment_method (declined), canceled, requires_confirmation
		r.Outcome, r.Code = providers.Rejected, string(pi.Status)
		if pi.LastPaymentError != nil {
			r.Code, r.Message = string(pi.LastPaymentError.Code), pi.LastPaymentError.Msg
		}
	}
	return r
}

// Authorize creates and confirms a PaymentIntent with manual capture.
func (p *PSP) Authorize(ctx context.Context, req providers.AuthorizeRequest) (providers.Result, error) {
	params := &stripego.PaymentIntentCreateParams{
		Amount:        stripego.Int64(toStripe(req.Amount.CentAmount, req.Amount.CurrencyCode)),
		Currency:      stripego.String(strings.ToLower(req.Amount.CurrencyCode)),
		CaptureMethod: stripego.String(string(stripego.PaymentIntentCaptureMethodManual)),
		Confirm:       stripego.Bool(true),
		PaymentMethod: stripego.String(req.Method.Data[DataPaymentMethodID]),
	}
	if req.Method.StoredToken != "" {
		params.PaymentMethod = stripego.String(req.Method.StoredToken)
	}
	if req.Recurring {
		params.OffSession = stripego.Bool(true)
	} else if req.ReturnURL != "" {
		params.ReturnURL = stripego.String(req.ReturnURL)
	}
	params.AddMetadata(metaKey, req.IdempotencyKey)
	params.AddMetadata(metaPayment, req.Reference)
	params.SetIdempotencyKey(req.IdempotencyKey)
	params.Context = ctx
	pi := &stripego.PaymentIntent{}
	if err := p.backend.Call(http.MethodPost, "/v1/payment_intents", p.key, params, pi); err != nil {
		return answer(err)
	}
	return intentResult(pi), nil
}

// Capture captures (part of) the PaymentIntent.
func (p *PSP) Capture(ctx context.Context, req providers.OperationRequest) (providers.Result, error) {
	params := &stripego.PaymentIntentCaptureParams{AmountToCapture: stripego.Int64(toStripe(req.Amount.CentAmount, req.Amount.CurrencyCode))}
	params.AddMetadata(metaCaptured, req.IdempotencyKey)
	params.SetIdempotencyKey(req.IdempotencyKey)
	params.Context = ctx
	pi := &stripego.PaymentIntent{}
	if err := p.backend.Call(http.MethodPost, intentPath(req.PSPReference, "capture"), p.key, params, pi); err != nil {
		return answer(err)
	}
	r := intentResult(pi)
	if pi.LatestCharge != nil && pi.LatestCharge.ID != "" {
		r.PSPReference = pi.LatestCharge.ID
	}
	return r, nil
}

// Cancel cancels the PaymentIntent: what remains authorized is released.
func (p *PSP) Cancel(ctx context.Context, req providers.OperationRequest) (providers.Result, error) {
	params := &stripego.PaymentIntentCancelParams{}
	params.SetIdempotencyKey(req.IdempotencyKey)
	params.Context = ctx
	pi := &stripego.PaymentIntent{}
	if err := p.backend.Call(http.MethodPost, intentPath(req.PSPReference, "cancel"), p.key, params, pi); err != nil {
		return answer(err)
	}
	if pi.Status != stripego.PaymentIntentStatusCanceled {
		return providers.Result{Outcome: providers.Rejected, PSPReference: pi.ID, Code: string(pi.Status)}, nil
	}
	return providers.Result{Outcome: providers.Approved, PSPReference: pi.ID}, nil
}

// Refund refunds (part of) what was captured.
func (p *PSP) Refund(ctx context.Context, req providers.OperationRequest) (providers.Result, error) {
	params := &stripego.RefundCreateParams{PaymentIntent: stripego.String(req.PSPReference),
		Amount: stripego.Int64(toStripe(req.Amount.CentAmount, req.Amount.CurrencyCode))}
	params.AddMetadata(metaKey, req.IdempotencyKey)
	params.SetIdempotencyKey(req.IdempotencyKey)
	params.Context = ctx
	rf := &stripego.Refund{}
	if err := p.backend.Call(http.MethodPost, "/v1/refunds", p.key, params, rf); err != nil {
		return answer(err)
	}
	r := providers.Result{PSPReference: rf.ID}
	switch rf.Status {
	case stripego.RefundStatusSucceeded:
		r.Outcome = providers.Approved
	case stripego.RefundStatusPending, stripego.RefundStatusRequiresAction:
		r.Outcome = providers.Received
	default:
		r.Outcome, r.Code = providers.Rejected, string(rf.Status)
	}
	return r, nil
}

// Lookup finds an authorization by its idempotency key in the PaymentIntents' metadata.
// Captures, refunds and cancellations cannot be looked up by key: their lookups fail, so
// the reconciler leaves them to Stripe's webhooks and never fails them.
func (p *PSP) Lookup(ctx context.Context, key string) (providers.Result, bool, error) {
	if !strings.HasSuffix(key, "_auth") {
		return providers.Result{}, false, fmt.Errorf("stripe: %w: only authorizations are looked up by key", providers.ErrUnavailable)
	}
	// Stripe's search language; a key never holds a quote, and one removed cannot widen
	// the match because only an exact metadata value counts below. One page of the most
	// Stripe gives: a key belongs to one PaymentIntent.
	query := url.Values{"query": {fmt.Sprintf("metadata['%s']:'%s'", metaKey, strings.ReplaceAll(key, "'", ""))},
		"limit": {"100"}}
	found := &stripego.PaymentIntentSearchResult{}
	err := p.backend.CallRaw(http.MethodGet, "/v1/payment_intents/search", p.key, []byte(query.Encode()), &stripego.Params{Context: ctx}, found)
	if err != nil {
		return providers.Result{}, false, fmt.Errorf("stripe: %w: %w", providers.ErrUnavailable, err)
	}
	for _, pi := range found.Data {
		if pi.Metadata[metaKey] == key {
			return intentResult(pi), true, nil
		}
	}
	return providers.Result{}, false, nil
}

// Check reads the account's balance within ctx's deadline.
func (p *PSP) Check(ctx context.Context) (providers.Health, error) {
	params := &stripego.BalanceRetrieveParams{}
	params.Context = ctx
	if err := p.backend.Call(http.MethodGet, "/v1/balance", p.key, params, &stripego.Balance{}); err != nil {
		return providers.Health{}, fmt.Errorf("stripe: %w: %w", providers.ErrUnavailable, err)
	}
	return providers.Health{Message: "Stripe answers", Details: map[string]any{"api": "balance"}}, nil
}

// Components are what the enabler offers with Stripe: cards.
func (p *PSP) Components() providers.Components {
	return providers.Components{Components: []providers.Component{{Type: "card"}}}
}
