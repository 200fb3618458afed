package payments

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/providers"
)

// PaymentRequest is the shopper's payment of the session's cart.
type PaymentRequest struct {
	// Type is the payment method type (card, invoice, purchaseorder, customtestmethod).
	Type string
	// Data is what the enabler sent for the method and the provider (a test outcome, a
	// purchase-order number, ...); the purchase-order fields are also recorded on the
	// payment.
	Data map[string]string
	// StoredPaymentMethodID pays with a stored payment method of the cart's customer.
	StoredPaymentMethodID string
	// StorePaymentMethod stores the method for later, with the shopper's consent.
	StorePaymentMethod bool
	// IdempotencyKey, when set, makes a repeat return the first payment.
	IdempotencyKey string
}

// Method data keys of purchase orders, recorded on the payment's custom fields.
const (
	DataPONumber    = "poNumber"
	DataInvoiceMemo = "invoiceMemo"
)

// PaymentOutcome is the answer to a payment: the payment and its authorization's state.
type PaymentOutcome struct {
	PaymentID string
	Outcome   providers.Outcome
	// RedirectURL, for an offsite payment, is the PSP's page the shopper must go to.
	RedirectURL string
}

// validate refuses, before anything is written, what cannot be paid.
func (s *Service) validate(session *auth.Session, req PaymentRequest) error {
	if len(session.AllowedPaymentMethods) > 0 && !slices.Contains(session.AllowedPaymentMethods, req.Type) {
		return invalidField("paymentMethod.type", req.Type, session.AllowedPaymentMethods)
	}
	if req.Type == "purchaseorder" && strings.TrimSpace(req.Data[DataPONumber]) == "" {
		return requiredField("paymentMethod.poNumber")
	}
	if req.StoredPaymentMethodID != "" || req.StorePaymentMethod {
		if !s.cfg.StoredPaymentMethods.Enabled {
			return invalidOperation("Stored payment methods are not enabled.")
		}
		if req.StoredPaymentMethodID != "" && req.StorePaymentMethod {
			return invalidOperation("A stored payment method cannot be stored again: send storedPaymentMethodId or storePaymentMethod, not both.")
		}
	}
	return nil
}

// print is the request's fingerprint: what it asks for, not who sends it.
func (req PaymentRequest) print() string {
	fields := []string{req.Type, req.StoredPaymentMethodID, strconv.FormatBool(req.StorePaymentMethod)}
	keys := make([]string, 0, len(req.Data))
	for k := range req.Data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fields = append(fields, k, req.Data[k])
	}
	return fingerprint(fields...)
}

// CreatePayment pays what is open on the session's cart (never an amount from the
// client): a payment with an Initial authorization is recorded, claimed on the cart at
// the version whose room was checked, authorized by the PSP and settled. The session's
// cart, when the authentication read it with its payments, is the first read. With a
// fresh session it makes five commercetools calls: the session, the cart, create, attach,
// settle.
func (s *Service) CreatePayment(ctx context.Context, session *auth.Session, req PaymentRequest) (PaymentOutcome, error) {
	if err := s.validate(session, req); err != nil {
		return PaymentOutcome{}, err
	}
	cart, err := s.sessionCart(ctx, session)
	if err != nil {
		return PaymentOutcome{}, err
	}
	var stored *commercetools.PaymentMethod
	if req.StoredPaymentMethodID != "" || req.StorePaymentMethod {
		if cart.CustomerID == "" {
			return PaymentOutcome{}, requiredField("customerId")
		}
		if req.StoredPaymentMethodID != "" {
			var err error
			if stored, err = s.customerPaymentMethod(ctx, cart.CustomerID, req.StoredPaymentMethodID); err != nil {
				return PaymentOutcome{}, err
			}
		}
	}
	iface := session.PaymentInterface
	if iface == "" {
		iface = s.psp.Interface
	}
	done, err := s.start(ctx, cart.ID, cart, attempt{
		key:  newAttemptKey("pay", cart.ID, req.IdempotencyKey, req.print()),
		what: "A payment of this cart", txType: commercetools.TransactionAuthorization, role: "auth",
		amount: func(cart *commercetools.Cart, room Room) (commercetools.Money, error) {
			if room.Open.CentAmount == 0 {
				return commercetools.Money{}, paidInFull(cart, room)
			}
			return room.Open, nil
		},
		draft: func(cart *commercetools.Cart, _ commercetools.Money) commercetools.PaymentDraft {
			d := commercetools.PaymentDraft{CheckoutTransactionItemID: session.CheckoutTransactionItemID,
				PaymentMethodInfo: &commercetools.PaymentMethodInfo{PaymentInterface: iface, Method: req.Type}}
			setPayer(&d, cart)
			if req.Type == "purchaseorder" {
				d.Custom = &commercetools.CustomFieldsDraft{
					Type: commercetools.ResourceIdentifier{TypeID: "type", Key: s.cfg.PurchaseOrderTypeKey},
					Fields: map[string]any{FieldPONumber: strings.TrimSpace(req.Data[DataPONumber]),
						FieldInvoiceMemo: strings.TrimSpace(req.Data[DataInvoiceMemo])},
				}
			}
			return d
		},
		move: func(ctx context.Context, p *commercetools.Payment, tx *commercetools.Transaction) (providers.Result, error) {
			method := providers.PaymentMethod{Type: req.Type, Data: req.Data, Store: req.StorePaymentMethod}
			if stored != nil && stored.Token != nil {
				method.StoredToken = stored.Token.Value
			}
			return s.psp.Provider.Authorize(ctx, providers.AuthorizeRequest{
				IdempotencyKey: tx.InteractionID, Reference: p.ID, Amount: money(tx.Amount), Method: method,
				ReturnURL: s.returnURL(session, p.ID)})
		},
	})
	if err != nil {
		return PaymentOutcome{}, err
	}
	if r := done.result; r != nil && r.Outcome == providers.Approved && r.Token != "" && done.payment.Customer != nil {
		if err := s.storePaymentMethod(ctx, done.payment, req.Type, *r); err != nil {
			// The payment stands; only the convenience of paying faster next time is lost.
			s.log.WarnContext(ctx, "could not store the payment method", slog.String("payment_id", done.payment.ID), slog.Any("error", err))
		}
	}
	out := PaymentOutcome{PaymentID: done.payment.ID, Outcome: outcomeOf(done.tx.State)}
	if r := done.result; r != nil && r.Outcome == providers.Received {
		out.RedirectURL = r.RedirectURL
	}
	return out, nil
}

// returnURL is where an offsite page sends the shopper back: the processor's
// /payments/return, with the payment and the session (a redirect carries no headers).
func (s *Service) returnURL(session *auth.Session, paymentID string) string {
	base := strings.TrimSuffix(session.ProcessorURL, "/")
	if base == "" {
		base = strings.TrimSuffix(s.cfg.ProcessorURL, "/")
	}
	if base == "" {
		return ""
	}
	return base + "/payments/return?" + url.Values{"paymentReference": {paymentID}, "ctsid": {session.ID}}.Encode()
}

// paidInFull is the template's refusal of a payment for a cart with nothing left to pay.
func paidInFull(cart *commercetools.Cart, room Room) *Error {
	e := invalidOperation("The cart has already been paid in full")
	e.Extra = map[string]any{
		"resource": cart.ID, "paidAmount": room.Reserved,
		"cartAmount": map[string]any{"currencyCode": room.Total.CurrencyCode, "centAmount": room.Total.CentAmount, "fractionDigits": room.Total.FractionDigits},
	}
	return e
}

// setPayer names the cart's customer, or else its anonymous shopper, on the draft.
func setPayer(draft *commercetools.PaymentDraft, cart *commercetools.Cart) {
	if cart.CustomerID != "" {
		draft.Customer = &commercetools.ResourceIdentifier{TypeID: "customer", ID: cart.CustomerID}
	} else if cart.AnonymousID != "" {
		draft.AnonymousID = cart.AnonymousID
	}
}

func describeMoney(m commercetools.Money) string {
	return fmt.Sprintf("%d %s", m.CentAmount, m.CurrencyCode)
}
