package commercetools

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// GetPaymentMethod reads a stored payment method.
func (c *Client) GetPaymentMethod(ctx context.Context, id string) (*PaymentMethod, error) {
	if id == "" {
		return nil, errRequired("payment method id")
	}
	var pm PaymentMethod
	if err := c.do(ctx, call{method: http.MethodGet, url: c.apiURL("payment-methods", url.PathEscape(id)), retry: true, refreshOn: apiRefreshOn}, &pm); err != nil {
		return nil, fmt.Errorf("get payment method %s: %w", id, err)
	}
	return &pm, nil
}

// QueryPaymentMethods returns the payment methods matching a where predicate.
func (c *Client) QueryPaymentMethods(ctx context.Context, where string) (*PagedResult[PaymentMethod], error) {
	var page PagedResult[PaymentMethod]
	err := c.do(ctx, call{method: http.MethodGet, url: c.apiURL("payment-methods"), query: url.Values{"where": {where}}, retry: true, refreshOn: apiRefreshOn}, &page)
	if err != nil {
		return nil, fmt.Errorf("query payment methods: %w", err)
	}
	return &page, nil
}

// CustomerPaymentMethods lists a customer's payment methods for a payment interface (and
// interface account, when not empty).
func (c *Client) CustomerPaymentMethods(ctx context.Context, customerID, paymentInterface, interfaceAccount string) ([]PaymentMethod, error) {
	where := And(Within("customer", Eq("id", customerID)), Eq("paymentInterface", paymentInterface))
	if interfaceAccount != "" {
		where = And(where, Eq("interfaceAccount", interfaceAccount))
	}
	page, err := c.QueryPaymentMethods(ctx, where)
	if err != nil {
		return nil, err
	}
	return page.Results, nil
}

// CreatePaymentMethod stores a payment method.
func (c *Client) CreatePaymentMethod(ctx context.Context, draft PaymentMethodDraft) (*PaymentMethod, error) {
	var pm PaymentMethod
	if err := c.do(ctx, call{method: http.MethodPost, url: c.apiURL("payment-methods"), body: draft, refreshOn: apiRefreshOn}, &pm); err != nil {
		return nil, fmt.Errorf("create payment method: %w", err)
	}
	return &pm, nil
}

// DeletePaymentMethod deletes a payment method at the given version.
func (c *Client) DeletePaymentMethod(ctx context.Context, id string, version int64) error {
	err := c.do(ctx, call{method: http.MethodDelete, url: c.apiURL("payment-methods", url.PathEscape(id)),
		query: url.Values{"version": {fmt.Sprint(version)}}, refreshOn: apiRefreshOn}, nil)
	if err != nil {
		return fmt.Errorf("delete payment method %s: %w", id, err)
	}
	return nil
}
