package payments

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/apierror"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/providers"
)

// PaymentRequest is the shopper's payment of the session's cart.
type PaymentRequest struct {
	// Type is the payment method type (card, invoice, purchaseorder, customtestmethod).
	Type        string
	PONumber    string
	InvoiceMemo string
	// StoredPaymentMethodID pays with a stored payment method of the cart's customer.
	StoredPaymentMethodID string
	// StorePaymentMethod stores the method for later, with the shopper's consent.
	StorePaymentMethod bool
	// ClientOutcome is the test enabler's paymentOutcome, for the mock PSP.
	ClientOutcome string
	// IdempotencyKey, when set, makes a repeat return the first payment.
	IdempotencyKey string
}

// validate refuses, before anything is written, what cannot be paid.
func (s *Service) validate(session *auth.Session, req PaymentRequest) error {
	if len(session.AllowedPaymentMethods) > 0 && !slices.Contains(session.AllowedPaymentMethods, req.Type) {
		return apierror.InvalidField("paymentMethod.type", req.Type, session.AllowedPaymentMethods)
	}
	if req.Type == "purchaseorder" && strings.TrimSpace(req.PONumber) == "" {
		return apierror.RequiredField("paymentMethod.poNumber")
	}
	if req.StoredPaymentMethodID != "" || req.StorePaymentMethod {
		if !s.cfg.StoredPaymentMethods.Enabled {
			return apierror.InvalidOperation("Stored payment methods are not enabled.")
		}
		if req.StoredPaymentMethodID != "" && req.StorePaymentMethod {
			return apierror.InvalidOperation("A stored payment method cannot be stored again: send storedPaymentMethodId or storePaymentMethod, not both.")
		}
	}
	return nil
}

// CreatePayment pays the session's cart: it records a payment for the amount still open
// on the cart (never an amount from the client) with an Initial authorization, attaches
// it to the cart, asks the PSP to authorize, and settles the authorization. It returns the
// payment's id, also when the PSP declined. With warm caches it makes four commercetools
// calls: read the cart with its payments, create the payment, attach it, settle it.
func (s *Service) CreatePayment(ctx context.Context, session *auth.Session, req PaymentRequest) (string, error) {
	if err := s.validate(session, req); err != nil {
		return "", err
	}
	cart, err := s.ct.GetCartWithPayments(ctx, session.CartID)
	if err != nil {
		return "", notFoundIfMissing(err, session.CartID)
	}
	if cart.CartState != "Active" {
		return "", apierror.InvalidOperation(fmt.Sprintf("The cart is %s and cannot be paid.", cart.CartState))
	}
	key := paymentKey(cart.ID, req.IdempotencyKey)
	if existing := paymentWithKey(cart, key); existing != nil {
		return s.resume(ctx, existing, req, nil)
	}
	balance := commercetools.Balance(cart, expandedPayments(cart))
	if balance.PaidInFull() {
		return "", paidInFull(cart, balance)
	}
	var stored *commercetools.PaymentMethod
	if req.StoredPaymentMethodID != "" || req.StorePaymentMethod {
		if cart.CustomerID == "" {
			return "", apierror.RequiredField("customerId")
		}
		if req.StoredPaymentMethodID != "" {
			if stored, err = s.customerPaymentMethod(ctx, cart.CustomerID, req.StoredPaymentMethodID); err != nil {
				return "", err
			}
		}
	}

	draft := s.paymentDraft(session, cart, key, balance.Open, req)
	payment, _, err := s.ct.CreatePayment(ctx, draft)
	if err != nil {
		return "", err
	}
	if _, err := s.ct.AddPayment(ctx, cart, payment.ID); err != nil {
		return "", err
	}
	return s.resume(ctx, payment, req, stored)
}

// paymentDraft is the write-ahead record of a payment: the amount, who pays and how, and
// an Initial authorization whose interaction id is the PSP's idempotency key.
func (s *Service) paymentDraft(session *auth.Session, cart *commercetools.Cart, key string, amount commercetools.Money, req PaymentRequest) commercetools.PaymentDraft {
	iface := session.PaymentInterface
	if iface == "" {
		iface = s.cfg.PaymentInterface
	}
	draft := commercetools.PaymentDraft{
		Key: key, CheckoutTransactionItemID: session.CheckoutTransactionItemID,
		AmountPlanned:     amount,
		PaymentMethodInfo: &commercetools.PaymentMethodInfo{PaymentInterface: iface, Method: req.Type},
		Transactions: []commercetools.TransactionDraft{{
			Type: commercetools.TransactionAuthorization, Amount: amount,
			InteractionID: authorizationKey(key), State: commercetools.StateInitial,
		}},
	}
	setPayer(&draft, cart)
	if req.Type == "purchaseorder" {
		draft.Custom = &commercetools.CustomFieldsDraft{
			Type:   commercetools.ResourceIdentifier{TypeID: "type", Key: s.cfg.PurchaseOrderTypeKey},
			Fields: map[string]any{FieldPONumber: strings.TrimSpace(req.PONumber), FieldInvoiceMemo: strings.TrimSpace(req.InvoiceMemo)},
		}
	}
	return draft
}

// resume takes a recorded payment from its authorization on: an authorization already
// settled is answered as it is; otherwise the PSP is asked (again, with the same
// idempotency key) and the answer recorded.
func (s *Service) resume(ctx context.Context, payment *commercetools.Payment, req PaymentRequest, stored *commercetools.PaymentMethod) (string, error) {
	authKey := authorizationKey(payment.Key)
	tx := findTransaction(payment, commercetools.TransactionAuthorization, authKey)
	if tx == nil {
		return "", fmt.Errorf("payment %s has no authorization %s", payment.ID, authKey)
	}
	if settled(tx) {
		return payment.ID, nil
	}
	method := providers.PaymentMethod{Type: req.Type, PONumber: req.PONumber, InvoiceMemo: req.InvoiceMemo, Store: req.StorePaymentMethod}
	if stored != nil && stored.Token != nil {
		method.StoredToken = stored.Token.Value
	}
	result, err := s.psp.Authorize(ctx, providers.AuthorizeRequest{
		IdempotencyKey: authKey, Reference: payment.ID, Amount: money(tx.Amount), Method: method, ClientOutcome: req.ClientOutcome,
	})
	if err != nil {
		return "", pspUnavailable(err)
	}
	done, err := s.settle(ctx, payment, commercetools.TransactionAuthorization, authKey, result)
	if err != nil {
		return "", err
	}
	if result.Outcome == providers.Approved && result.Token != "" && done.Customer != nil {
		if err := s.storePaymentMethod(ctx, done, req.Type, result.Token); err != nil {
			// The payment stands; only the convenience of paying faster next time is lost.
			s.log.WarnContext(ctx, "could not store the payment method", slog.String("payment_id", done.ID), slog.Any("error", err))
		}
	}
	return done.ID, nil
}

// paymentWithKey returns the cart's payment with the key, if the cart holds it expanded.
func paymentWithKey(cart *commercetools.Cart, key string) *commercetools.Payment {
	for _, p := range expandedPayments(cart) {
		if p.Key == key {
			return &p
		}
	}
	return nil
}

// expandedPayments lists the payments a cart read with its payments holds.
func expandedPayments(cart *commercetools.Cart) []commercetools.Payment {
	if cart.PaymentInfo == nil {
		return nil
	}
	out := make([]commercetools.Payment, 0, len(cart.PaymentInfo.Payments))
	for _, ref := range cart.PaymentInfo.Payments {
		if ref.Obj != nil {
			out = append(out, *ref.Obj)
		}
	}
	return out
}

// findTransaction returns the payment's transaction of the type and interaction id.
func findTransaction(p *commercetools.Payment, txType, interactionID string) *commercetools.Transaction {
	for i := range p.Transactions {
		if tx := &p.Transactions[i]; tx.Type == txType && tx.InteractionID == interactionID {
			return tx
		}
	}
	return nil
}

// setPayer names the cart's customer, or else its anonymous shopper, on the draft.
func setPayer(draft *commercetools.PaymentDraft, cart *commercetools.Cart) {
	if cart.CustomerID != "" {
		draft.Customer = &commercetools.ResourceIdentifier{TypeID: "customer", ID: cart.CustomerID}
	} else if cart.AnonymousID != "" {
		draft.AnonymousID = cart.AnonymousID
	}
}

// settle records a provider's answer on the transaction of txType and interaction id key,
// and its reference as the payment's interface id when the payment has none.
func (s *Service) settle(ctx context.Context, p *commercetools.Payment, txType, key string, r providers.Result) (*commercetools.Payment, error) {
	done, err := s.ct.UpdatePaymentFrom(ctx, p, commercetools.PaymentChange{
		InterfaceID: r.PSPReference,
		Transaction: &commercetools.TransactionChange{Type: txType, InteractionID: key,
			InterfaceID: r.PSPReference, State: transactionState(r.Outcome)},
		StatusInterfaceCode: r.Code, StatusInterfaceText: r.Message,
	})
	if err != nil {
		return nil, err
	}
	s.logSettled(ctx, p.ID, txType, r)
	return done, nil
}

// logSettled writes one line per settled transaction, for operators following payments.
func (s *Service) logSettled(ctx context.Context, paymentID, txType string, r providers.Result) {
	s.log.InfoContext(ctx, "transaction settled", slog.String("payment_id", paymentID), slog.String("type", txType),
		slog.String("outcome", string(r.Outcome)), slog.String("psp_reference", r.PSPReference), slog.String("code", r.Code))
}
