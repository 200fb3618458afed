package commercetools

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// GetOrder reads an order.
func (c *Client) GetOrder(ctx context.Context, id string) (*Order, error) {
	if id == "" {
		return nil, errRequired("order id")
	}
	var o Order
	if err := c.do(ctx, call{method: http.MethodGet, url: c.apiURL("orders", url.PathEscape(id)), retry: true, refreshOn: apiRefreshOn}, &o); err != nil {
		return nil, fmt.Errorf("get order %s: %w", id, err)
	}
	return &o, nil
}

// QueryOrders returns the orders matching a where predicate.
func (c *Client) QueryOrders(ctx context.Context, where string) (*PagedResult[Order], error) {
	var page PagedResult[Order]
	err := c.do(ctx, call{method: http.MethodGet, url: c.apiURL("orders"), query: url.Values{"where": {where}}, retry: true, refreshOn: apiRefreshOn}, &page)
	if err != nil {
		return nil, fmt.Errorf("query orders: %w", err)
	}
	return &page, nil
}

// OrderOfCart returns the order made from a cart, or nil when the cart is not ordered yet.
func (c *Client) OrderOfCart(ctx context.Context, cartID string) (*Order, error) {
	page, err := c.QueryOrders(ctx, Within("cart", Eq("id", cartID)))
	if err != nil {
		return nil, err
	}
	if len(page.Results) == 0 {
		return nil, nil
	}
	return &page.Results[0], nil
}

// CreateOrderFromCart orders a cart (local demos and tests; Checkout orders carts itself).
func (c *Client) CreateOrderFromCart(ctx context.Context, draft OrderFromCartDraft) (*Order, error) {
	var o Order
	if err := c.do(ctx, call{method: http.MethodPost, url: c.apiURL("orders"), body: draft, refreshOn: apiRefreshOn}, &o); err != nil {
		return nil, fmt.Errorf("create order: %w", err)
	}
	return &o, nil
}
