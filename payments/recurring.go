package payments

import (
	"context"
	"fmt"
	"strconv"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/providers"
)

// TransactionRequest is a server-to-server payment of a cart with a stored payment method
// (POST /operations/transactions).
type TransactionRequest struct {
	CartID                    string
	CheckoutTransactionItemID string
	PaymentMethodID           string
	// Amount, when set, pays part of the cart; otherwise all that is open.
	Amount         *commercetools.Money
	IdempotencyKey string
}

// TransactionResult is the answer to a server-to-server payment.
type TransactionResult struct {
	PaymentID string
	Outcome   providers.Outcome
}

func (req TransactionRequest) print() string {
	amount := ""
	if req.Amount != nil {
		amount = strconv.FormatInt(req.Amount.CentAmount, 10) + req.Amount.CurrencyCode
	}
	return fingerprint(req.PaymentMethodID, amount, req.CheckoutTransactionItemID)
}

// CreateTransaction pays a cart with its customer's stored payment method, with no
// shopper present, through the same executor as CreatePayment.
func (s *Service) CreateTransaction(ctx context.Context, req TransactionRequest) (TransactionResult, error) {
	if !s.cfg.StoredPaymentMethods.Enabled {
		return TransactionResult{}, invalidOperation("The stored-payment-methods feature is disabled and thus cannot request a transaction using stored-payment-methods")
	}
	if req.PaymentMethodID == "" {
		return TransactionResult{}, requiredField("paymentMethodId")
	}
	cart, err := s.ct.GetCartWithPayments(ctx, req.CartID)
	if err != nil {
		return TransactionResult{}, storeError(err, req.CartID)
	}
	if cart.CustomerID == "" {
		return TransactionResult{}, requiredField("customerId")
	}
	pm, err := s.customerPaymentMethod(ctx, cart.CustomerID, req.PaymentMethodID)
	if err != nil {
		return TransactionResult{}, err
	}
	done, err := s.start(ctx, cart.ID, cart, attempt{
		key:  newAttemptKey("rec", cart.ID, req.IdempotencyKey, req.print()),
		what: "A payment of this cart", txType: commercetools.TransactionAuthorization, role: "auth",
		amount: func(cart *commercetools.Cart, room Room) (commercetools.Money, error) {
			if room.Open.CentAmount == 0 {
				return commercetools.Money{}, paidInFull(cart, room)
			}
			amount := room.Open
			if a := req.Amount; a != nil {
				if a.CurrencyCode != amount.CurrencyCode {
					return commercetools.Money{}, invalidField("amount.currencyCode", a.CurrencyCode, []string{amount.CurrencyCode})
				}
				if a.CentAmount <= 0 || a.CentAmount > amount.CentAmount {
					return commercetools.Money{}, invalidField("amount.centAmount", a.CentAmount, fmt.Sprintf("1 to %d", amount.CentAmount))
				}
				amount.CentAmount = a.CentAmount
			}
			return amount, nil
		},
		draft: func(cart *commercetools.Cart, _ commercetools.Money) commercetools.PaymentDraft {
			return commercetools.PaymentDraft{CheckoutTransactionItemID: req.CheckoutTransactionItemID,
				Customer: &commercetools.ResourceIdentifier{TypeID: "customer", ID: cart.CustomerID},
				PaymentMethodInfo: &commercetools.PaymentMethodInfo{PaymentInterface: s.psp.Interface, Method: pm.Method,
					Token: &commercetools.Token{Value: pm.Token.Value}}}
		},
		move: func(ctx context.Context, p *commercetools.Payment, tx *commercetools.Transaction) (providers.Result, error) {
			return s.psp.Provider.Authorize(ctx, providers.AuthorizeRequest{
				IdempotencyKey: tx.InteractionID, Reference: p.ID, Amount: money(tx.Amount), Recurring: true,
				Method: providers.PaymentMethod{Type: pm.Method, StoredToken: pm.Token.Value}})
		},
	})
	if err != nil {
		return TransactionResult{}, err
	}
	return TransactionResult{PaymentID: done.payment.ID, Outcome: outcomeOf(done.tx.State)}, nil
}
