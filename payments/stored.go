package payments

import (
	"context"
	"encoding/json"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/providers"
)

// StoredPaymentMethod is a payment method stored for the cart's customer, as the enabler
// sees it: the PSP token stays on the server.
type StoredPaymentMethod struct {
	ID        string
	Type      string
	IsDefault bool
	CreatedAt string
	// Display is what the shopper is shown of it; Brand is "unknown" when the PSP told
	// nothing.
	Display providers.Display
}

// The payments SDK's card-details type, which stored payment methods carry their display
// data in, and its fields.
const (
	CardDetailsTypeKey   = "commercetools-checkout-card-details"
	FieldCardBrand       = "brand"
	FieldCardLastFour    = "lastFour"
	FieldCardExpiryMonth = "expiryMonth"
	FieldCardExpiryYear  = "expiryYear"
)

// UnknownBrand is the brand of a stored method whose PSP gave none.
const UnknownBrand = "unknown"

// displayOf reads a stored method's display data from its card-details fields.
func displayOf(pm *commercetools.PaymentMethod) providers.Display {
	d := providers.Display{Brand: UnknownBrand}
	if pm.Custom == nil {
		return d
	}
	f := pm.Custom.Fields
	var brand string
	if json.Unmarshal(f[FieldCardBrand], &brand) == nil && brand != "" {
		d.Brand = brand
	}
	_ = json.Unmarshal(f[FieldCardLastFour], &d.EndDigits)
	_ = json.Unmarshal(f[FieldCardExpiryMonth], &d.ExpiryMonth)
	_ = json.Unmarshal(f[FieldCardExpiryYear], &d.ExpiryYear)
	return d
}

// customerPaymentMethod returns the customer's payment method id for the configured
// interface; another customer's, another interface's or an inactive one is not found.
func (s *Service) customerPaymentMethod(ctx context.Context, customerID, id string) (*commercetools.PaymentMethod, error) {
	pm, err := s.ct.GetPaymentMethod(ctx, id)
	if err != nil {
		return nil, storeError(err, id)
	}
	cfg := s.cfg.StoredPaymentMethods
	if pm.Customer == nil || pm.Customer.ID != customerID || pm.PaymentInterface != cfg.PaymentInterface ||
		(cfg.InterfaceAccount != "" && pm.InterfaceAccount != cfg.InterfaceAccount) || pm.PaymentMethodStatus != "Active" {
		return nil, notFound(id)
	}
	if pm.Token == nil || pm.Token.Value == "" {
		return nil, requiredField("token")
	}
	return pm, nil
}

// storePaymentMethod records the PSP's token of an approved payment for its customer,
// with what the shopper is to be shown of it in the card-details fields.
func (s *Service) storePaymentMethod(ctx context.Context, p *commercetools.Payment, method string, r providers.Result) error {
	cfg := s.cfg.StoredPaymentMethods
	draft := commercetools.PaymentMethodDraft{
		Customer: &commercetools.ResourceIdentifier{TypeID: "customer", ID: p.Customer.ID}, Method: method,
		PaymentInterface: cfg.PaymentInterface, InterfaceAccount: cfg.InterfaceAccount,
		Token: &commercetools.Token{Value: r.Token}, PaymentMethodStatus: "Active",
	}
	if d := r.Display; d != (providers.Display{}) {
		fields := map[string]any{FieldCardBrand: d.Brand, FieldCardLastFour: d.EndDigits}
		if d.ExpiryMonth > 0 {
			fields[FieldCardExpiryMonth], fields[FieldCardExpiryYear] = d.ExpiryMonth, d.ExpiryYear
		}
		draft.Custom = &commercetools.CustomFieldsDraft{Type: commercetools.ResourceIdentifier{TypeID: "type", Key: CardDetailsTypeKey}, Fields: fields}
	}
	_, err := s.ct.CreatePaymentMethod(ctx, draft)
	return err
}

// cartCustomer returns the customer of the session's cart, which stored payment methods
// need.
func (s *Service) cartCustomer(ctx context.Context, session *auth.Session) (string, error) {
	cart, err := s.ct.GetCart(ctx, session.CartID)
	if err != nil {
		return "", storeError(err, session.CartID)
	}
	if cart.CustomerID == "" {
		return "", requiredField("customerId")
	}
	return cart.CustomerID, nil
}

// StoredPaymentMethods lists the payment methods stored for the customer of the session's
// cart; none when the feature is off.
func (s *Service) StoredPaymentMethods(ctx context.Context, session *auth.Session) ([]StoredPaymentMethod, error) {
	if !s.cfg.StoredPaymentMethods.Enabled {
		return []StoredPaymentMethod{}, nil
	}
	customer, err := s.cartCustomer(ctx, session)
	if err != nil {
		return nil, err
	}
	cfg := s.cfg.StoredPaymentMethods
	found, err := s.ct.CustomerPaymentMethods(ctx, customer, cfg.PaymentInterface, cfg.InterfaceAccount)
	if err != nil {
		return nil, err
	}
	out := make([]StoredPaymentMethod, 0, len(found))
	for _, pm := range found {
		if pm.PaymentMethodStatus != "Active" {
			continue
		}
		out = append(out, StoredPaymentMethod{ID: pm.ID, Type: pm.Method, IsDefault: pm.Default, CreatedAt: pm.CreatedAt, Display: displayOf(&pm)})
	}
	return out, nil
}

// DeleteStoredPaymentMethod deletes a payment method of the customer of the session's
// cart. Another customer's method is not found.
func (s *Service) DeleteStoredPaymentMethod(ctx context.Context, session *auth.Session, id string) error {
	if !s.cfg.StoredPaymentMethods.Enabled {
		return notFound(id)
	}
	customer, err := s.cartCustomer(ctx, session)
	if err != nil {
		return err
	}
	pm, err := s.ct.GetPaymentMethod(ctx, id)
	if err != nil {
		return storeError(err, id)
	}
	if pm.Customer == nil || pm.Customer.ID != customer || pm.PaymentInterface != s.cfg.StoredPaymentMethods.PaymentInterface {
		return notFound(id)
	}
	return storeError(s.ct.DeletePaymentMethod(ctx, id, pm.Version), id)
}
