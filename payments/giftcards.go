package payments

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/providers"
)

// GiftCardMethod is the payment method of gift-card payments.
const GiftCardMethod = "giftcard"

// GiftCardBalance is what a card holds and how much of it this cart can take.
type GiftCardBalance struct {
	Amount     commercetools.Money
	Applicable commercetools.Money
}

// giftCardRefused is the refusal of a card by the provider or for its currency.
func giftCardRefused(state, message string) *Error {
	return &Error{Kind: KindGiftCardRefused, Code: state, Message: message, GiftCardState: state}
}

// giftCardCart reads the session's cart with its payments, unless the authentication
// did. Whether a card can pay in the cart's currency is the provider's to say.
func (s *Service) giftCardCart(ctx context.Context, session *auth.Session) (*commercetools.Cart, Room, error) {
	if s.giftCards == nil {
		return nil, Room{}, invalidOperation("Gift cards are not enabled.")
	}
	cart, err := s.sessionCart(ctx, session)
	if err != nil {
		return nil, Room{}, err
	}
	return cart, CartRoom(cart, expandedPayments(cart)), nil
}

// sessionCart is the session's cart with its payments: the one the authentication read,
// or a fresh read when it kept none.
func (s *Service) sessionCart(ctx context.Context, session *auth.Session) (*commercetools.Cart, error) {
	if session.Cart != nil {
		return session.Cart, nil
	}
	cart, err := s.ct.GetCartWithPayments(ctx, session.CartID)
	if err != nil {
		return nil, storeError(err, session.CartID)
	}
	return cart, nil
}

// cardBalance asks the provider about a card for a cart; refusals become the client's
// gift-card error, and a card with nothing left is refused as ZeroBalance whatever the
// provider calls it.
func (s *Service) cardBalance(ctx context.Context, code string, cart *commercetools.Cart) (commercetools.Money, error) {
	m, err := s.giftCards.Provider.Balance(ctx, providers.BalanceRequest{Code: code, Currency: cart.Total().CurrencyCode, CartID: cart.ID})
	var refusal *providers.GiftCardRefusal
	switch {
	case errors.As(err, &refusal):
		return commercetools.Money{}, giftCardRefused(refusal.State, refusal.Message)
	case err != nil:
		return commercetools.Money{}, providerUnavailable(err)
	case m.CentAmount <= 0:
		return commercetools.Money{}, giftCardRefused(providers.GiftCardZeroBalance, "The gift card provided has no balance.")
	}
	return commercetools.Money{CurrencyCode: m.CurrencyCode, CentAmount: m.CentAmount}, nil
}

// GiftCardBalance tells what a card holds and what of it the session's cart can use: the
// lesser of the balance and the amount still open.
func (s *Service) GiftCardBalance(ctx context.Context, session *auth.Session, code string) (GiftCardBalance, error) {
	cart, room, err := s.giftCardCart(ctx, session)
	if err != nil {
		return GiftCardBalance{}, err
	}
	if room.Open.CentAmount == 0 && len(room.InFlight) == 0 {
		return GiftCardBalance{}, paidInFull(cart, room)
	}
	held, err := s.cardBalance(ctx, code, cart)
	if err != nil {
		return GiftCardBalance{}, err
	}
	applicable := room.Open
	applicable.CentAmount = min(held.CentAmount, room.Open.CentAmount)
	return GiftCardBalance{Amount: held, Applicable: applicable}, nil
}

// RedeemRequest spends part of a card on the session's cart.
type RedeemRequest struct {
	Code           string
	Amount         commercetools.Money
	IdempotencyKey string
}

// Redemption is the outcome of a redeem.
type Redemption struct {
	// Result is Success or Failure.
	Result       string
	PaymentID    string
	RedemptionID string
}

// RedeemGiftCard pays part of the session's cart with a gift card. The processor's own
// checks come first and refuse with nothing written: gift cards allowed by the session,
// an amount that is positive, in the cart's currency and no more than the cart's room.
// Then, through the same executor as every payment, a payment with an Initial charge is
// recorded and claimed on the cart, the provider redeems with the charge's interaction id
// as idempotency key, and the charge is settled. A card the provider refuses (expired,
// unknown, empty, too little left, another currency) is a payment outcome, as in the
// template: the charge fails, holds nothing, and the answer is Failure.
func (s *Service) RedeemGiftCard(ctx context.Context, session *auth.Session, req RedeemRequest) (Redemption, error) {
	if allowed := session.AllowedPaymentMethods; len(allowed) > 0 && !slices.Contains(allowed, GiftCardMethod) {
		return Redemption{}, invalidField("paymentMethod.type", GiftCardMethod, allowed)
	}
	cart, _, err := s.giftCardCart(ctx, session)
	if err != nil {
		return Redemption{}, err
	}
	currency := cart.Total().CurrencyCode
	if req.Amount.CurrencyCode != currency {
		return Redemption{}, invalidField("redeemAmount.currencyCode", req.Amount.CurrencyCode, []string{currency})
	}
	if req.Amount.CentAmount <= 0 {
		return Redemption{}, invalidField("redeemAmount.centAmount", req.Amount.CentAmount, "> 0")
	}
	done, err := s.start(ctx, cart.ID, cart, attempt{
		key:  newAttemptKey("gc", cart.ID, req.IdempotencyKey, fingerprint(req.Code, strconv.FormatInt(req.Amount.CentAmount, 10), currency)),
		what: "A payment of this cart", txType: commercetools.TransactionCharge, role: "charge",
		amount: func(cart *commercetools.Cart, room Room) (commercetools.Money, error) {
			if room.Open.CentAmount == 0 && len(room.InFlight) == 0 {
				return commercetools.Money{}, paidInFull(cart, room)
			}
			if req.Amount.CentAmount > room.Open.CentAmount {
				return commercetools.Money{}, invalidField("redeemAmount.centAmount", req.Amount.CentAmount,
					fmt.Sprintf("<= %d (open on the cart)", room.Open.CentAmount))
			}
			amount := room.Open
			amount.CentAmount = req.Amount.CentAmount
			return amount, nil
		},
		draft: func(cart *commercetools.Cart, _ commercetools.Money) commercetools.PaymentDraft {
			d := commercetools.PaymentDraft{CheckoutTransactionItemID: session.CheckoutTransactionItemID,
				PaymentMethodInfo: &commercetools.PaymentMethodInfo{PaymentInterface: s.giftCards.Interface, Method: GiftCardMethod}}
			setPayer(&d, cart)
			return d
		},
		move: func(ctx context.Context, _ *commercetools.Payment, tx *commercetools.Transaction) (providers.Result, error) {
			return s.giftCards.Provider.Redeem(ctx, providers.RedeemRequest{IdempotencyKey: tx.InteractionID, Code: req.Code,
				Amount: money(tx.Amount), CartID: cart.ID})
		},
	})
	if err != nil {
		return Redemption{}, err
	}
	r := Redemption{Result: "Initial", PaymentID: done.payment.ID}
	switch done.tx.State {
	case commercetools.StateSuccess:
		r.Result, r.RedemptionID = "Success", done.tx.InterfaceID
	case commercetools.StateFailure:
		r.Result = "Failure"
	}
	return r, nil
}

// decideGiftCard plans an operation on a gift-card payment: redemptions are captured when
// made, so a capture is refused; refunds, cancellations and reversals give back what was
// redeemed and not given back yet.
func decideGiftCard(p *commercetools.Payment, op Operation) ([]plan, error) {
	remaining := GiftCardRoom(p)
	amount := paymentMoney(p)
	nothing := invalidOperation("There is no successful payment transaction to reverse.")
	switch op.Kind {
	case Capture:
		return nil, invalidOperation("Gift card redemptions are captured when they are redeemed.")
	case Refund:
		if err := checkAmount(p, op); err != nil {
			return nil, err
		}
		if op.Amount.CentAmount > remaining {
			return nil, invalidOperation(fmt.Sprintf("The refund of %s exceeds the %s redeemed and not given back.",
				describeMoney(*op.Amount), describeMoney(amount(remaining))))
		}
		return []plan{{commercetools.TransactionRefund, amount(op.Amount.CentAmount), "refund"}}, nil
	case Cancel:
		if remaining <= 0 {
			return nil, nothing
		}
		return []plan{{commercetools.TransactionCancelAuthorization, amount(remaining), "cancel"}}, nil
	case Reverse:
		if remaining <= 0 {
			return nil, nothing
		}
		return []plan{{commercetools.TransactionRefund, amount(remaining), "refund"}}, nil
	}
	return nil, invalidField("action", op.Kind, []string{Capture, Refund, Cancel, Reverse})
}

// rollback gives back a gift-card payment's transaction at the provider.
func (s *Service) rollback(ctx context.Context, p *commercetools.Payment, tx *commercetools.Transaction) (providers.Result, error) {
	return s.giftCards.Provider.Rollback(ctx, providers.RollbackRequest{IdempotencyKey: tx.InteractionID, RedemptionID: p.InterfaceID, Amount: money(tx.Amount)})
}
