package handlers

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/generated"
	"github.com/checkout-connect/go-connector/internal/apierror"
	"github.com/checkout-connect/go-connector/payments"
	"github.com/checkout-connect/go-connector/providers"
)

// GetConfig answers the enabler's configuration.
func (s *Server) GetConfig(ctx context.Context, _ generated.GetConfigRequestObject) (generated.GetConfigResponseObject, error) {
	sess, err := session(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.payments.Config(ctx, sess)
	if err != nil {
		return nil, err
	}
	out := generated.GetConfig200JSONResponse{ClientKey: optional(c.ClientKey), Environment: optional(c.Environment)}
	out.StoredPaymentMethodsConfig.IsEnabled = c.StoredPaymentMethodsActive
	return out, nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// GetPaymentComponents lists what the enabler can render.
func (s *Server) GetPaymentComponents(context.Context, generated.GetPaymentComponentsRequestObject) (generated.GetPaymentComponentsResponseObject, error) {
	c := s.payments.Components()
	out := generated.GetPaymentComponents200JSONResponse{
		Dropins: []generated.Dropin{}, Components: []generated.PaymentComponent{}, Express: []generated.ExpressMethod{},
	}
	for _, d := range c.Dropins {
		out.Dropins = append(out.Dropins, generated.Dropin{Type: generated.DropinType(d)})
	}
	for _, comp := range c.Components {
		pc := generated.PaymentComponent{Type: comp.Type}
		if len(comp.Subtypes) > 0 {
			pc.Subtypes = &comp.Subtypes
		}
		out.Components = append(out.Components, pc)
	}
	for _, e := range c.Express {
		out.Express = append(out.Express, generated.ExpressMethod{Type: e})
	}
	return out, nil
}

// build is what the binary says of how it was built.
var build = func() (b struct{ goVersion, revision string }) {
	b.goVersion, b.revision = runtime.Version(), "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				b.revision = s.Value
			}
		}
	}
	return b
}()

// GetStatus runs the deep status checks: 200 while any check is UP, 503 when none is.
func (s *Server) GetStatus(ctx context.Context, _ generated.GetStatusRequestObject) (generated.GetStatusResponseObject, error) {
	checks := s.payments.Checks(ctx, s.status.Timeout)
	body := generated.StatusResponse{
		Timestamp: time.Now().UTC(), Version: s.status.Version, Checks: make([]generated.StatusCheck, 0, len(checks)),
		Metadata: &map[string]any{"name": "checkout-connector", "description": "Payment and gift-card processor for commercetools Checkout",
			"version": s.status.Version, "goVersion": build.goVersion, "revision": build.revision,
			"psp": s.payments.ProviderNames().PSP, "giftCardProvider": s.payments.ProviderNames().GiftCards},
	}
	up := 0
	for _, c := range checks {
		check := generated.StatusCheck{Name: c.Name, Status: generated.StatusCheckStatusDOWN, Message: optional(c.Message)}
		if c.Up {
			check.Status = generated.StatusCheckStatusUP
			up++
		}
		if c.Details != nil {
			details := c.Details
			check.Details = &details
		}
		body.Checks = append(body.Checks, check)
	}
	switch up {
	case len(checks):
		body.Status = generated.StatusResponseStatusOK
	case 0:
		body.Status = generated.StatusResponseStatusUnavailable
		var unavailable generated.GetStatus503JSONResponse
		if err := unavailable.FromStatusResponse(body); err != nil {
			return nil, err
		}
		return unavailable, nil
	default:
		body.Status = generated.StatusResponseStatusPartiallyAvailable
	}
	return generated.GetStatus200JSONResponse(body), nil
}

// ModifyPaymentIntent captures, refunds, cancels or reverses a payment.
func (s *Server) ModifyPaymentIntent(ctx context.Context, req generated.ModifyPaymentIntentRequestObject) (generated.ModifyPaymentIntentResponseObject, error) {
	action := req.Body.Actions[0]
	kind, err := action.Discriminator()
	if err != nil {
		return nil, apierror.RequiredField("actions[0].action")
	}
	op := payments.Operation{Kind: kind}
	switch kind {
	case payments.Capture:
		a, err := action.AsCapturePaymentAction()
		if err != nil {
			return nil, err
		}
		op.Amount, op.MerchantReference = ctMoney(a.Amount), deref(a.MerchantReference)
	case payments.Refund:
		a, err := action.AsRefundPaymentAction()
		if err != nil {
			return nil, err
		}
		op.Amount, op.MerchantReference = ctMoney(a.Amount), deref(a.MerchantReference)
	case payments.Cancel:
		a, err := action.AsCancelPaymentAction()
		if err != nil {
			return nil, err
		}
		op.MerchantReference = deref(a.MerchantReference)
	case payments.Reverse:
		a, err := action.AsReversePaymentAction()
		if err != nil {
			return nil, err
		}
		op.MerchantReference = deref(a.MerchantReference)
	}
	result, err := s.payments.Modify(ctx, req.Id, op)
	if err != nil {
		return nil, err
	}
	out := generated.ModifyPaymentIntent200JSONResponse{Outcome: generated.PaymentIntentResponseOutcome(result.Outcome)}
	out.PspReference = optional(result.PSPReference)
	return out, nil
}

func ctMoney(m generated.Money) *commercetools.Money {
	return &commercetools.Money{CentAmount: m.CentAmount, CurrencyCode: m.CurrencyCode}
}

// CreateTransaction makes a server-to-server payment with a stored payment method.
func (s *Server) CreateTransaction(ctx context.Context, req generated.CreateTransactionRequestObject) (generated.CreateTransactionResponseObject, error) {
	b := req.Body
	tr := payments.TransactionRequest{
		CartID: b.CartId.String(), CheckoutTransactionItemID: b.CheckoutTransactionItemId.String(),
		IdempotencyKey: deref(b.IdempotencyKey),
	}
	if b.PaymentMethodId != nil {
		tr.PaymentMethodID = b.PaymentMethodId.String()
	}
	if b.Amount != nil {
		tr.Amount = ctMoney(*b.Amount)
	}
	result, err := s.payments.CreateTransaction(ctx, tr)
	if err != nil {
		return nil, err
	}
	status := generated.TransactionStatus{Errors: []generated.TransactionError{}}
	switch result.Outcome {
	case providers.Approved:
		status.State = generated.TransactionStatusStateCompleted
	case providers.Rejected:
		status.State = generated.TransactionStatusStateFailed
		status.Errors = append(status.Errors, generated.TransactionError{Code: generated.TransactionErrorCodePaymentRejected,
			Message: fmt.Sprintf("Payment '%s' has been rejected.", result.PaymentID)})
	default:
		status.State = generated.TransactionStatusStatePending
	}
	return generated.CreateTransaction201JSONResponse{TransactionStatus: status, PaymentId: &result.PaymentID}, nil
}

// unavailableError is the client's error when commercetools cannot be reached.
func unavailableError(err error) *apierror.Error {
	return apierror.New(http.StatusServiceUnavailable, apierror.CodeServiceUnavailable,
		"commercetools cannot be reached; nothing was changed or the change will be picked up when the request is repeated.").WithCause(err)
}
