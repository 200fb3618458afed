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
	s, err := a.verifySession(ctx, id, a.cfg.Commercetools.GetCart)
	if err != nil {
		return nil, err
	}
	if a.cfg.SessionCacheTTL > 0 {
		a.sessions.put(id, s, now.Add(a.cfg.SessionCacheTTL), now)
	}
	return s, nil
}

// FreshSession verifies a Checkout session id with the Session API whatever the cache
// holds, for operations that move money: a session that has just expired is refused at
// once. The session's cart is read with its payments expanded and handed to the flow, so
// the check costs the flow no extra read.
func (a *Authenticator) FreshSession(ctx context.Context, id string) (*Session, error) {
	var cart *commercetools.Cart
	s, err := a.verifySession(ctx, id, func(ctx context.Context, cartID string) (*commercetools.Cart, error) {
		var err error
		cart, err = a.cfg.Commercetools.GetCartWithPayments(ctx, cartID)
		return cart, err
	})
	if err != nil {
		return nil, err
	}
	fresh := *s
	fresh.Cart = cart
	return &fresh, nil
}

// verifySession asks the Session API about a session and reads its cart with getCart.
func (a *Authenticator) verifySession(ctx context.Context, id string, getCart func(context.Context, string) (*commercetools.Cart, error)) (*Session, error) {
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
	if _, err := getCart(ctx, raw.CartID()); err != nil {
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
	return s, nil
}
