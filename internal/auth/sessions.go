package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/checkout-connect/go-connector/commercetools"
)

// Session verifies a Checkout session id: the session must exist, be ACTIVE and hold a
// cart that exists. Verified sessions are remembered for SessionCacheTTL.
func (a *Authenticator) Session(ctx context.Context, id string) (*Session, error) {
	now := a.cfg.Now()
	if s, ok := a.sessions.get(id, now); ok {
		return s, nil
	}
	raw, err := a.cfg.Commercetools.GetSession(ctx, id)
	if err != nil {
		var ctErr *commercetools.Error
		if errors.As(err, &ctErr) && !errors.Is(err, commercetools.ErrUnavailable) &&
			(ctErr.StatusCode == http.StatusNotFound || ctErr.StatusCode == http.StatusBadRequest) {
			return nil, sessionNotActive(errors.New("the Session API does not know the session"))
		}
		return nil, unavailable("Checkout Session API", err)
	}
	if raw.State != commercetools.SessionActive {
		return nil, sessionNotActive(fmt.Errorf("the session is %s", raw.State))
	}
	if raw.CartID() == "" {
		return nil, sessionNotActive(errors.New("the session has no cart"))
	}
	if _, err := a.cfg.Commercetools.GetCart(ctx, raw.CartID()); err != nil {
		if commercetools.IsNotFound(err) {
			return nil, sessionNotActive(errors.New("the session's cart does not exist"))
		}
		return nil, unavailable("commercetools API", err)
	}
	m := raw.Metadata
	s := &Session{
		ID: id, CartID: raw.CartID(), AllowedPaymentMethods: m.AllowedPaymentMethods, ProcessorURL: m.ProcessorURL,
		PaymentInterface: m.PaymentInterface, MerchantReturnURL: m.MerchantReturnURL, FutureOrderNumber: m.FutureOrderNumber,
		CheckoutTransactionItemID: m.CheckoutTransactionItemID, GiftCardPlannedAmount: m.GiftCardPlannedAmount,
		CorrelationID: m.CorrelationID,
	}
	if a.cfg.SessionCacheTTL > 0 {
		a.sessions.put(id, s, now.Add(a.cfg.SessionCacheTTL), now)
	}
	return s, nil
}
