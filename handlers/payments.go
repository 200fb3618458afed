package handlers

import (
	"context"
	"time"

	"github.com/checkout-connect/go-connector/generated"
	"github.com/checkout-connect/go-connector/internal/apierror"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/payments"
)

// session returns the request's authenticated session; the authentication stage put it
// there for every session-guarded operation.
func session(ctx context.Context) (*auth.Session, error) {
	s := auth.SessionFrom(ctx)
	if s == nil {
		return nil, apierror.Unauthorized(apierror.CodeInvalidToken, msgSessionNotActive)
	}
	return s, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// CreatePayment pays the session's cart.
func (s *Server) CreatePayment(ctx context.Context, req generated.CreatePaymentRequestObject) (generated.CreatePaymentResponseObject, error) {
	sess, err := session(ctx)
	if err != nil {
		return nil, err
	}
	m := req.Body.PaymentMethod
	done, err := s.payments.CreatePayment(ctx, sess, payments.PaymentRequest{
		Type: string(m.Type), Data: methodData(req.Body),
		StoredPaymentMethodID: deref(m.StoredPaymentMethodId), StorePaymentMethod: deref(m.StorePaymentMethod),
		IdempotencyKey: deref(req.Params.IdempotencyKey),
	})
	if err != nil {
		return nil, err
	}
	out := generated.CreatePayment200JSONResponse{PaymentReference: done.PaymentID}
	if done.RedirectURL != "" {
		out.Action = &generated.PaymentAction{Type: generated.PaymentActionTypeRedirect, Url: done.RedirectURL}
	}
	return out, nil
}

// dataPaymentOutcome is the method data key of the test enabler's paymentOutcome, which
// mock providers read.
const dataPaymentOutcome = "paymentOutcome"

// methodData collects the request's method-specific fields for the provider: the
// purchase-order fields and the test enabler's outcome.
func methodData(body *generated.CreatePaymentJSONRequestBody) map[string]string {
	data := map[string]string{}
	put := func(key, value string) {
		if value != "" {
			data[key] = value
		}
	}
	put(payments.DataPONumber, deref(body.PaymentMethod.PoNumber))
	put(payments.DataInvoiceMemo, deref(body.PaymentMethod.InvoiceMemo))
	put(dataPaymentOutcome, string(deref(body.PaymentOutcome)))
	return data
}

// GetStoredPaymentMethods lists the cart customer's stored payment methods.
func (s *Server) GetStoredPaymentMethods(ctx context.Context, _ generated.GetStoredPaymentMethodsRequestObject) (generated.GetStoredPaymentMethodsResponseObject, error) {
	sess, err := session(ctx)
	if err != nil {
		return nil, err
	}
	found, err := s.payments.StoredPaymentMethods(ctx, sess)
	if err != nil {
		return nil, err
	}
	out := generated.GetStoredPaymentMethods200JSONResponse{StoredPaymentMethods: make([]generated.StoredPaymentMethod, 0, len(found))}
	for _, pm := range found {
		created, _ := time.Parse(time.RFC3339Nano, pm.CreatedAt)
		m := generated.StoredPaymentMethod{Id: pm.ID, Type: pm.Type, IsDefault: pm.IsDefault, CreatedAt: created}
		m.DisplayOptions.Brand.Key = pm.Display.Brand
		m.DisplayOptions.EndDigits = pm.Display.EndDigits
		if pm.Display.ExpiryMonth > 0 {
			m.DisplayOptions.ExpiryMonth, m.DisplayOptions.ExpiryYear = &pm.Display.ExpiryMonth, &pm.Display.ExpiryYear
		}
		out.StoredPaymentMethods = append(out.StoredPaymentMethods, m)
	}
	return out, nil
}

// DeleteStoredPaymentMethod deletes one of the cart customer's stored payment methods.
func (s *Server) DeleteStoredPaymentMethod(ctx context.Context, req generated.DeleteStoredPaymentMethodRequestObject) (generated.DeleteStoredPaymentMethodResponseObject, error) {
	sess, err := session(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.payments.DeleteStoredPaymentMethod(ctx, sess, req.Id); err != nil {
		return nil, err
	}
	return generated.DeleteStoredPaymentMethod200Response{}, nil
}
