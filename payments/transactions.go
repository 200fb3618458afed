package payments

import (
	"context"
	"fmt"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/apierror"
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

// CreateTransaction pays a cart with its customer's stored payment method, with no
// shopper present. Checks come first; then the payment is recorded, attached, authorized
// and settled as in CreatePayment.
func (s *Service) CreateTransaction(ctx context.Context, req TransactionRequest) (TransactionResult, error) {
	if !s.cfg.StoredPaymentMethods.Enabled {
		return TransactionResult{}, apierror.InvalidOperation("The stored-payment-methods feature is disabled and thus cannot request a transaction using stored-payment-methods")
	}
	if req.PaymentMethodID == "" {
		return TransactionResult{}, apierror.RequiredField("paymentMethodId")
	}
	cart, err := s.ct.GetCartWithPayments(ctx, req.CartID)
	if err != nil {
		return TransactionResult{}, notFoundIfMissing(err, req.CartID)
	}
	if cart.CustomerID == "" {
		return TransactionResult{}, apierror.RequiredField("customerId")
	}
	key := paymentKey(cart.ID, req.IdempotencyKey)
	if existing := paymentWithKey(cart, key); existing != nil {
		return s.resumeTransaction(ctx, existing, nil)
	}
	balance := commercetools.Balance(cart, expandedPayments(cart))
	if balance.PaidInFull() {
		return TransactionResult{}, paidInFull(cart, balance)
	}
	amount := balance.Open
	if a := req.Amount; a != nil {
		if a.CurrencyCode != amount.CurrencyCode {
			return TransactionResult{}, apierror.InvalidField("amount.currencyCode", a.CurrencyCode, []string{amount.CurrencyCode})
		}
		if a.CentAmount <= 0 || a.CentAmount > amount.CentAmount {
			return TransactionResult{}, apierror.InvalidField("amount.centAmount", a.CentAmount, fmt.Sprintf("1 to %d", amount.CentAmount))
		}
		amount.CentAmount = a.CentAmount
	}
	pm, err := s.customerPaymentMethod(ctx, cart.CustomerID, req.PaymentMethodID)
	if err != nil {
		return TransactionResult{}, err
	}
	draft := commercetools.PaymentDraft{
		Key: key, CheckoutTransactionItemID: req.CheckoutTransactionItemID, AmountPlanned: amount,
		Customer: &commercetools.ResourceIdentifier{TypeID: "customer", ID: cart.CustomerID},
		PaymentMethodInfo: &commercetools.PaymentMethodInfo{PaymentInterface: s.cfg.PaymentInterface, Method: pm.Method,
			Token: &commercetools.Token{Value: pm.Token.Value}},
		Transactions: []commercetools.TransactionDraft{{Type: commercetools.TransactionAuthorization, Amount: amount,
			InteractionID: authorizationKey(key), State: commercetools.StateInitial}},
	}
	payment, _, err := s.ct.CreatePayment(ctx, draft)
	if err != nil {
		return TransactionResult{}, err
	}
	if _, err := s.ct.AddPayment(ctx, cart, payment.ID); err != nil {
		return TransactionResult{}, err
	}
	return s.resumeTransaction(ctx, payment, pm)
}

// resumeTransaction authorizes a recorded recurring payment, unless it is settled.
func (s *Service) resumeTransaction(ctx context.Context, payment *commercetools.Payment, pm *commercetools.PaymentMethod) (TransactionResult, error) {
	authKey := authorizationKey(payment.Key)
	tx := findTransaction(payment, commercetools.TransactionAuthorization, authKey)
	if tx == nil {
		return TransactionResult{}, fmt.Errorf("payment %s has no authorization %s", payment.ID, authKey)
	}
	if settled(tx) {
		return TransactionResult{PaymentID: payment.ID, Outcome: outcomeOf(tx.State)}, nil
	}
	token := ""
	if pm != nil {
		token = pm.Token.Value
	} else if payment.PaymentMethodInfo.Token != nil {
		token = payment.PaymentMethodInfo.Token.Value
	}
	result, err := s.psp.Authorize(ctx, providers.AuthorizeRequest{
		IdempotencyKey: authKey, Reference: payment.ID, Amount: money(tx.Amount), Recurring: true,
		Method: providers.PaymentMethod{Type: payment.PaymentMethodInfo.Method, StoredToken: token},
	})
	if err != nil {
		return TransactionResult{}, pspUnavailable(err)
	}
	if _, err := s.settle(ctx, payment, commercetools.TransactionAuthorization, authKey, result); err != nil {
		return TransactionResult{}, err
	}
	return TransactionResult{PaymentID: payment.ID, Outcome: result.Outcome}, nil
}
