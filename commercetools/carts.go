package commercetools

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
)

var apiRefreshOn = []int{http.StatusUnauthorized}

// GetCart reads a cart.
func (c *Client) GetCart(ctx context.Context, id string) (*Cart, error) {
	if id == "" {
		return nil, errRequired("cart id")
	}
	var cart Cart
	if err := c.do(ctx, call{method: http.MethodGet, url: c.apiURL("carts", url.PathEscape(id)), retry: true, refreshOn: apiRefreshOn}, &cart); err != nil {
		return nil, fmt.Errorf("get cart %s: %w", id, err)
	}
	return &cart, nil
}

// expandPayments is the query that expands a cart's payments.
var expandPayments = url.Values{"expand": {"paymentInfo.payments[*]"}}.Encode()

// GetCartWithPayments reads a cart with its payments expanded, so that its balance needs
// no further call.
func (c *Client) GetCartWithPayments(ctx context.Context, id string) (*Cart, error) {
	if id == "" {
		return nil, errRequired("cart id")
	}
	var cart Cart
	err := c.do(ctx, call{method: http.MethodGet, url: c.apiURL("carts", url.PathEscape(id)) + "?" + expandPayments,
		retry: true, refreshOn: apiRefreshOn}, &cart)
	if err != nil {
		return nil, fmt.Errorf("get cart %s: %w", id, err)
	}
	return &cart, nil
}

// CreateCart creates a cart (local demos and tests; Checkout carts come from the shop).
func (c *Client) CreateCart(ctx context.Context, draft CartDraft) (*Cart, error) {
	var cart Cart
	if err := c.do(ctx, call{method: http.MethodPost, url: c.apiURL("carts"), body: draft, refreshOn: apiRefreshOn}, &cart); err != nil {
		return nil, fmt.Errorf("create cart: %w", err)
	}
	return &cart, nil
}

// QueryCarts returns the carts matching a where predicate.
func (c *Client) QueryCarts(ctx context.Context, where string) (*PagedResult[Cart], error) {
	var page PagedResult[Cart]
	err := c.do(ctx, call{method: http.MethodGet, url: c.apiURL("carts"), query: url.Values{"where": {where}}, retry: true, refreshOn: apiRefreshOn}, &page)
	if err != nil {
		return nil, fmt.Errorf("query carts: %w", err)
	}
	return &page, nil
}

// QueryCartsPage returns one page of the carts matching q.
func (c *Client) QueryCartsPage(ctx context.Context, q Query) (*PagedResult[Cart], error) {
	var page PagedResult[Cart]
	err := c.do(ctx, call{method: http.MethodGet, url: c.apiURL("carts"), query: q.values(), retry: true, refreshOn: apiRefreshOn}, &page)
	if err != nil {
		return nil, fmt.Errorf("query carts: %w", err)
	}
	return &page, nil
}

// UpdateCart applies actions to a cart at the given version.
func (c *Client) UpdateCart(ctx context.Context, id string, version int64, actions ...UpdateAction) (*Cart, error) {
	var cart Cart
	err := c.do(ctx, call{method: http.MethodPost, url: c.apiURL("carts", url.PathEscape(id)),
		body: map[string]any{"version": version, "actions": actions}, refreshOn: apiRefreshOn}, &cart)
	if err != nil {
		return nil, fmt.Errorf("update cart %s: %w", id, err)
	}
	return &cart, nil
}

// AddPayment attaches a payment to a cart, once. It re-reads the cart after a version
// conflict or a failure that may have hidden a success, and stops when the payment is
// attached, so repeating it never attaches twice.
func (c *Client) AddPayment(ctx context.Context, cart *Cart, paymentID string) (*Cart, error) {
	action := UpdateAction{"action": "addPayment", "payment": Reference{TypeID: "payment", ID: paymentID}}
	current := cart
	var lastErr error
	for attempt := 0; attempt <= c.cfg.Retries; attempt++ {
		if slices.Contains(current.PaymentIDs(), paymentID) {
			return current, nil
		}
		updated, err := c.UpdateCart(ctx, current.ID, current.Version, action)
		if err == nil {
			return updated, nil
		}
		if !IsConcurrentModification(err) && !isUnavailable(err) {
			return nil, err
		}
		lastErr = err
		if attempt > 0 {
			if err := sleep(ctx, c.backoff(attempt-1)); err != nil {
				return nil, fmt.Errorf("add payment to cart %s: %w", cart.ID, err)
			}
		}
		if current, err = c.GetCart(ctx, cart.ID); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("add payment to cart %s: %w", cart.ID, lastErr)
}

// DeleteCart deletes a cart at the given version.
func (c *Client) DeleteCart(ctx context.Context, id string, version int64) error {
	err := c.do(ctx, call{method: http.MethodDelete, url: c.apiURL("carts", url.PathEscape(id)),
		query: url.Values{"version": {fmt.Sprint(version)}}, refreshOn: apiRefreshOn}, nil)
	if err != nil {
		return fmt.Errorf("delete cart %s: %w", id, err)
	}
	return nil
}
