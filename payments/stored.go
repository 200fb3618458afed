package payments

import (
	"context"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/auth"
)

// StoredPaymentMethod is a payment method stored for the cart's customer, as the enabler
// sees it: the PSP token stays on the server.
type StoredPaymentMethod struct {
	ID        string
	Type      string
	IsDefault bool
	CreatedAt string
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

// storePaymentMethod records the PSP's token of an approved payment for its customer.
func (s *Service) storePaymentMethod(ctx context.Context, p *commercetools.Payment, method, token string) error {
	cfg := s.cfg.StoredPaymentMethods
	_, err := s.ct.CreatePaymentMethod(ctx, commercetools.PaymentMethodDraft{
		Customer: &commercetools.ResourceIdentifier{TypeID: "customer", ID: p.Customer.ID}, Method: method,
		PaymentInterface: cfg.PaymentInterface, InterfaceAccount: cfg.InterfaceAccount,
		Token: &commercetools.Token{Value: token}, PaymentMethodStatus: "Active",
	})
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
		out = append(out, StoredPaymentMethod{ID: pm.ID, Type: pm.Method, IsDefault: pm.Default, CreatedAt: pm.CreatedAt})
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
