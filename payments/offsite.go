package payments

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/providers"
)

// Return outcomes, as the merchant's return URL receives them.
const (
	ReturnApproved  = "approved"
	ReturnRejected  = "rejected"
	ReturnPending   = "pending"
	ReturnCancelled = "cancelled"
)

// ReturnResult is where a shopper coming back from an offsite page goes, and why.
type ReturnResult struct {
	// Location is the merchant's return URL with paymentReference and outcome added.
	Location string
	Outcome  string
}

// HandleReturn settles an offsite payment the shopper comes back from. The PSP's
// parameters must verify; with a session the payment must belong to the session's cart.
// The authorization is settled through the same path as the PSP's webhook, so the two may
// arrive in either order and leave one transaction; when the cart changed while the
// shopper was away, the late authorization is cancelled. The shopper is sent to the
// session's merchantReturnUrl, else the configured one, never to a URL of the request.
func (s *Service) HandleReturn(ctx context.Context, session *auth.Session, paymentID string, query url.Values) (ReturnResult, error) {
	verifier, ok := s.psp.Provider.(providers.ReturnVerifier)
	if !ok {
		return ReturnResult{}, invalidOperation("The payment provider has no offsite payments.")
	}
	back := s.cfg.MerchantReturnURL
	if session != nil && session.MerchantReturnURL != "" {
		back = session.MerchantReturnURL
	}
	target, err := url.Parse(back)
	if back == "" || err != nil || !target.IsAbs() {
		return ReturnResult{}, invalidOperation("No merchant return URL is configured for this checkout.")
	}
	ev, err := verifier.VerifyReturn(ctx, paymentID, query)
	if err != nil {
		return ReturnResult{}, &Error{Kind: KindInvalid, Code: CodeInvalidField, Field: "signature", Cause: err,
			Message: "The payment provider's return parameters do not verify."}
	}
	if session != nil {
		cart, err := s.ct.GetCart(ctx, session.CartID)
		if err != nil {
			return ReturnResult{}, storeError(err, session.CartID)
		}
		if !slices.Contains(cart.PaymentIDs(), paymentID) {
			return ReturnResult{}, notFound(paymentID)
		}
	}
	if _, err := s.applyEvent(ctx, ev); err != nil {
		return ReturnResult{}, storeError(fmt.Errorf("return of payment %s: %w", paymentID, err), "")
	}
	p, err := s.ct.GetPayment(ctx, paymentID)
	if err != nil {
		return ReturnResult{}, storeError(err, paymentID)
	}
	outcome := ReturnPending
	if tx := firstOfType(p, commercetools.TransactionAuthorization); tx != nil {
		switch tx.State {
		case commercetools.StateSuccess:
			outcome = ReturnApproved
		case commercetools.StateFailure:
			outcome = ReturnRejected
		}
	}
	if l := LedgerOf(p); l.Cancelling > 0 || l.Refunding > 0 {
		outcome = ReturnCancelled
	}
	q := target.Query()
	q.Set("paymentReference", paymentID)
	q.Set("outcome", outcome)
	target.RawQuery = q.Encode()
	return ReturnResult{Location: target.String(), Outcome: outcome}, nil
}

// lateAuthorization reverses an authorization that succeeded after its cart changed: the
// cart holds more than it costs once the authorization counts (another payment paid it
// meanwhile, or its total fell). What is authorized is cancelled, what was captured
// already is refunded, through the executor like any operation, once whoever notices
// first.
func (s *Service) lateAuthorization(ctx context.Context, p *commercetools.Payment) error {
	q := cartHolding(p.ID)
	q.Expand = []string{"paymentInfo.payments[*]"}
	carts, err := s.ct.QueryCartsPage(ctx, q)
	if err != nil || len(carts.Results) == 0 {
		return err
	}
	cart := &carts.Results[0]
	room := CartRoom(cart, expandedPayments(cart))
	if room.Reserved <= room.Total.CentAmount {
		return nil
	}
	s.log.WarnContext(ctx, "an authorization succeeded after its cart changed; reversing it",
		slog.String("payment_id", p.ID), slog.Int64("reserved", room.Reserved), slog.Int64("total", room.Total.CentAmount))
	_, err = s.Modify(ctx, p.ID, Operation{Kind: Reverse, MerchantReference: "cart-changed"})
	var e *Error
	if errors.As(err, &e) && e.Kind == KindInvalid {
		return nil // nothing left to cancel: someone did already
	}
	return err
}

// cartHolding asks for the cart that lists the payment paymentID, if any.
func cartHolding(paymentID string) commercetools.Query {
	return commercetools.Query{
		Where: commercetools.Within("paymentInfo", commercetools.Within("payments", commercetools.Eq("id", paymentID))), Limit: 1}
}
