package payments

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/apierror"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/providers"
)

// GiftCardMethod is the payment method of gift-card payments.
const GiftCardMethod = "giftcard"

// GiftCards configures gift cards as a payment method.
type GiftCards struct {
	// PaymentInterface is recorded on gift-card payments whose session names none.
	PaymentInterface string
	// Currency is the one currency of the deployment's gift cards.
	Currency string
	// Name names the provider in the deep status.
	Name string
}

// GiftCardBalance is what a card holds and how much of it this cart can take.
type GiftCardBalance struct {
	Amount     commercetools.Money
	Applicable commercetools.Money
}

// giftCardRefused is the error of a refused card: the common shape plus the template's
// status object; NotFound is a 404.
func giftCardRefused(state, message string) *apierror.Error {
	status := http.StatusBadRequest
	if state == providers.GiftCardNotFound {
		status = http.StatusNotFound
	}
	e := apierror.New(status, state, message)
	e.GiftCardState = state
	return e
}

// giftCardCart reads the session's cart with its payments and checks that gift cards can
// pay it: same currency as the cards, something left to pay.
func (s *Service) giftCardCart(ctx context.Context, session *auth.Session) (*commercetools.Cart, commercetools.CartBalance, error) {
	if s.giftCards == nil {
		return nil, commercetools.CartBalance{}, apierror.InvalidOperation("Gift cards are not enabled.")
	}
	cart, err := s.ct.GetCartWithPayments(ctx, session.CartID)
	if err != nil {
		return nil, commercetools.CartBalance{}, notFoundIfMissing(err, session.CartID)
	}
	balance := commercetools.Balance(cart, expandedPayments(cart))
	if balance.Total.CurrencyCode != s.cfg.GiftCards.Currency {
		return nil, balance, giftCardRefused(providers.GiftCardCurrencyNotMatch, "cart and gift card currency do not match")
	}
	if balance.PaidInFull() {
		return nil, balance, paidInFull(cart, balance)
	}
	return cart, balance, nil
}

// cardBalance asks the provider about a card for a cart in currency; refusals become the
// client's gift-card error.
func (s *Service) cardBalance(ctx context.Context, code, currency string) (commercetools.Money, error) {
	m, err := s.giftCards.Balance(ctx, code, currency)
	var refusal *providers.GiftCardRefusal
	switch {
	case errors.As(err, &refusal):
		return commercetools.Money{}, giftCardRefused(refusal.State, refusal.Message)
	case err != nil:
		return commercetools.Money{}, pspUnavailable(err)
	}
	return commercetools.Money{CurrencyCode: m.CurrencyCode, CentAmount: m.CentAmount}, nil
}

// GiftCardBalance tells what a card holds and what of it the session's cart can use: the
// lesser of the balance and the amount still open.
func (s *Service) GiftCardBalance(ctx context.Context, session *auth.Session, code string) (GiftCardBalance, error) {
	_, balance, err := s.giftCardCart(ctx, session)
	if err != nil {
		return GiftCardBalance{}, err
	}
	held, err := s.cardBalance(ctx, code, balance.Total.CurrencyCode)
	if err != nil {
		return GiftCardBalance{}, err
	}
	applicable := balance.Open
	applicable.CentAmount = min(held.CentAmount, balance.Open.CentAmount)
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

// RedeemGiftCard pays part of the session's cart with a gift card. The amount must be
// positive, in the cart's currency, and no more than the cart's open amount and the card's
// balance; refused cards and amounts write nothing. Then, as for other payments: a payment
// with an Initial Charge is recorded and attached, the provider redeems with an
// idempotency key derived from it, and the charge is settled. A declined redemption is a
// failed charge, which does not count as paid.
func (s *Service) RedeemGiftCard(ctx context.Context, session *auth.Session, req RedeemRequest) (Redemption, error) {
	cart, balance, err := s.giftCardCart(ctx, session)
	if err != nil {
		return Redemption{}, err
	}
	key := paymentKey(cart.ID, req.IdempotencyKey)
	if existing := paymentWithKey(cart, key); existing != nil {
		return s.redeem(ctx, existing, req.Code)
	}
	switch {
	case req.Amount.CurrencyCode != balance.Open.CurrencyCode:
		return Redemption{}, apierror.InvalidField("redeemAmount.currencyCode", req.Amount.CurrencyCode, []string{balance.Open.CurrencyCode})
	case req.Amount.CentAmount <= 0:
		return Redemption{}, apierror.InvalidField("redeemAmount.centAmount", req.Amount.CentAmount, "> 0")
	case req.Amount.CentAmount > balance.Open.CentAmount:
		return Redemption{}, apierror.InvalidField("redeemAmount.centAmount", req.Amount.CentAmount, fmt.Sprintf("<= %d (open on the cart)", balance.Open.CentAmount))
	}
	held, err := s.cardBalance(ctx, req.Code, balance.Total.CurrencyCode)
	if err != nil {
		return Redemption{}, err
	}
	if req.Amount.CentAmount > held.CentAmount {
		return Redemption{}, apierror.InvalidField("redeemAmount.centAmount", req.Amount.CentAmount, fmt.Sprintf("<= %d (the card's balance)", held.CentAmount))
	}

	amount := balance.Open
	amount.CentAmount = req.Amount.CentAmount
	iface := session.PaymentInterface
	if iface == "" {
		iface = s.cfg.GiftCards.PaymentInterface
	}
	draft := commercetools.PaymentDraft{
		Key: key, CheckoutTransactionItemID: session.CheckoutTransactionItemID, AmountPlanned: amount,
		PaymentMethodInfo: &commercetools.PaymentMethodInfo{PaymentInterface: iface, Method: GiftCardMethod},
		Transactions: []commercetools.TransactionDraft{{Type: commercetools.TransactionCharge, Amount: amount,
			InteractionID: chargeKey(key), State: commercetools.StateInitial}},
	}
	setPayer(&draft, cart)
	payment, _, err := s.ct.CreatePayment(ctx, draft)
	if err != nil {
		return Redemption{}, err
	}
	if _, err := s.ct.AddPayment(ctx, cart, payment.ID); err != nil {
		return Redemption{}, err
	}
	return s.redeem(ctx, payment, req.Code)
}

// chargeKey is the interaction id of a gift-card payment's charge and the provider's
// idempotency key for the redemption.
func chargeKey(paymentKey string) string { return paymentKey + "-charge" }

// redeem takes a recorded gift-card payment from its charge on.
func (s *Service) redeem(ctx context.Context, payment *commercetools.Payment, code string) (Redemption, error) {
	key := chargeKey(payment.Key)
	tx := findTransaction(payment, commercetools.TransactionCharge, key)
	if tx == nil {
		return Redemption{}, fmt.Errorf("payment %s has no charge %s", payment.ID, key)
	}
	if settled(tx) {
		return redemptionOf(payment, tx), nil
	}
	result, err := s.giftCards.Redeem(ctx, providers.RedeemRequest{IdempotencyKey: key, Code: code, Amount: money(tx.Amount)})
	if err != nil {
		return Redemption{}, pspUnavailable(err)
	}
	done, err := s.settle(ctx, payment, commercetools.TransactionCharge, key, result)
	if err != nil {
		return Redemption{}, err
	}
	return redemptionOf(done, findTransaction(done, commercetools.TransactionCharge, key)), nil
}

func redemptionOf(p *commercetools.Payment, tx *commercetools.Transaction) Redemption {
	r := Redemption{Result: "Initial", PaymentID: p.ID}
	switch tx.State {
	case commercetools.StateSuccess:
		r.Result, r.RedemptionID = "Success", tx.InterfaceID
	case commercetools.StateFailure:
		r.Result = "Failure"
	}
	return r
}

// decideGiftCard plans an operation on a gift-card payment: redemptions are captured when
// made, so a capture is refused; refunds, cancellations and reversals give back what was
// redeemed and not given back yet.
func decideGiftCard(p *commercetools.Payment, op Operation) (plan, error) {
	var charged, givenBack int64
	for _, tx := range p.Transactions {
		switch {
		case tx.Type == commercetools.TransactionCharge && tx.State == commercetools.StateSuccess:
			charged += tx.Amount.CentAmount
		case (tx.Type == commercetools.TransactionRefund || tx.Type == commercetools.TransactionCancelAuthorization) && tx.State != commercetools.StateFailure:
			givenBack += tx.Amount.CentAmount
		}
	}
	remaining := charged - givenBack
	currency := p.AmountPlanned.CurrencyCode
	amount := func(cents int64) commercetools.Money {
		return commercetools.Money{CurrencyCode: currency, CentAmount: cents, FractionDigits: p.AmountPlanned.FractionDigits}
	}
	nothing := apierror.InvalidOperation("There is no successful payment transaction to reverse.")
	switch op.Kind {
	case Capture:
		return plan{}, apierror.InvalidOperation("Gift card redemptions are captured when they are redeemed.")
	case Refund:
		if op.Amount == nil {
			return plan{}, apierror.RequiredField("amount")
		}
		if op.Amount.CurrencyCode != currency {
			return plan{}, apierror.InvalidField("amount.currencyCode", op.Amount.CurrencyCode, []string{currency})
		}
		if op.Amount.CentAmount <= 0 || op.Amount.CentAmount > remaining {
			return plan{}, apierror.InvalidOperation(fmt.Sprintf("The refund of %s exceeds the %s redeemed and not given back.",
				describeMoney(*op.Amount), describeMoney(amount(remaining))))
		}
		return plan{commercetools.TransactionRefund, amount(op.Amount.CentAmount)}, nil
	case Cancel:
		if remaining <= 0 {
			return plan{}, nothing
		}
		return plan{commercetools.TransactionCancelAuthorization, amount(remaining)}, nil
	case Reverse:
		if remaining <= 0 {
			return plan{}, nothing
		}
		return plan{commercetools.TransactionRefund, amount(remaining)}, nil
	}
	return plan{}, apierror.InvalidField("action", op.Kind, []string{Capture, Refund, Cancel, Reverse})
}

// rollback gives back a gift-card payment's transaction at the provider.
func (s *Service) rollback(ctx context.Context, p *commercetools.Payment, tx *commercetools.Transaction, key string) (providers.Result, error) {
	return s.giftCards.Rollback(ctx, providers.RollbackRequest{IdempotencyKey: key, RedemptionID: p.InterfaceID, Amount: money(tx.Amount)})
}

// checkGiftCards is the gift-card provider's line of the deep status.
func (s *Service) checkGiftCards(ctx context.Context) Check {
	c := Check{Name: s.cfg.GiftCards.Name}
	msg, err := s.giftCards.Check(ctx)
	if err != nil {
		c.Message = "Not able to communicate with giftcard service provider API"
		return c
	}
	c.Up, c.Message = true, msg
	return c
}
