package commercetools

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// GetPayment reads a payment.
func (c *Client) GetPayment(ctx context.Context, id string) (*Payment, error) {
	if id == "" {
		return nil, errRequired("payment id")
	}
	var p Payment
	if err := c.do(ctx, call{method: http.MethodGet, url: c.apiURL("payments", url.PathEscape(id)), retry: true, refreshOn: apiRefreshOn}, &p); err != nil {
		return nil, fmt.Errorf("get payment %s: %w", id, err)
	}
	return &p, nil
}

// GetPaymentByKey reads a payment by its key.
func (c *Client) GetPaymentByKey(ctx context.Context, key string) (*Payment, error) {
	if key == "" {
		return nil, errRequired("payment key")
	}
	var p Payment
	if err := c.do(ctx, call{method: http.MethodGet, url: c.apiURL("payments", "key="+url.PathEscape(key)), retry: true, refreshOn: apiRefreshOn}, &p); err != nil {
		return nil, fmt.Errorf("get payment by key %s: %w", key, err)
	}
	return &p, nil
}

// QueryPayments returns the payments matching a where predicate.
func (c *Client) QueryPayments(ctx context.Context, where string) (*PagedResult[Payment], error) {
	var page PagedResult[Payment]
	err := c.do(ctx, call{method: http.MethodGet, url: c.apiURL("payments"), query: url.Values{"where": {where}}, retry: true, refreshOn: apiRefreshOn}, &page)
	if err != nil {
		return nil, fmt.Errorf("query payments: %w", err)
	}
	return &page, nil
}

// Query is a page of a query: a where predicate, a sort expression ("createdAt asc"),
// and the page's limit and offset; zero values are left to commercetools.
type Query struct {
	Where  string
	Sort   string
	Limit  int
	Offset int
	// Expand lists reference paths whose objects the results carry, such as
	// "paymentInfo.payments[*]".
	Expand []string
}

func (q Query) values() url.Values {
	v := url.Values{}
	if q.Where != "" {
		v.Set("where", q.Where)
	}
	if q.Sort != "" {
		v.Set("sort", q.Sort)
	}
	for _, path := range q.Expand {
		v.Add("expand", path)
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	if q.Offset > 0 {
		v.Set("offset", strconv.Itoa(q.Offset))
	}
	v.Set("withTotal", "false")
	return v
}

// QueryPaymentsPage returns one page of the payments matching q.
func (c *Client) QueryPaymentsPage(ctx context.Context, q Query) (*PagedResult[Payment], error) {
	var page PagedResult[Payment]
	err := c.do(ctx, call{method: http.MethodGet, url: c.apiURL("payments"), query: q.values(), retry: true, refreshOn: apiRefreshOn}, &page)
	if err != nil {
		return nil, fmt.Errorf("query payments: %w", err)
	}
	return &page, nil
}

// DeletePayment deletes a payment at the given version. A payment already gone counts
// as deleted.
func (c *Client) DeletePayment(ctx context.Context, id string, version int64) error {
	err := c.do(ctx, call{method: http.MethodDelete, url: c.apiURL("payments", url.PathEscape(id)),
		query: url.Values{"version": {strconv.FormatInt(version, 10)}}, refreshOn: apiRefreshOn}, nil)
	if err != nil && !IsNotFound(err) {
		return fmt.Errorf("delete payment %s: %w", id, err)
	}
	return nil
}

// CreatePayment creates a payment. With a key the call is idempotent: when the key is
// taken (a repeat, or a first attempt whose answer was lost) it returns the payment that
// holds it, and created is false. Without a key a failed call is not repeated.
func (c *Client) CreatePayment(ctx context.Context, draft PaymentDraft) (p *Payment, created bool, err error) {
	var out Payment
	err = c.do(ctx, call{method: http.MethodPost, url: c.apiURL("payments"), body: draft, retry: draft.Key != "", refreshOn: apiRefreshOn}, &out)
	if err == nil {
		return &out, true, nil
	}
	if draft.Key != "" && (IsDuplicateField(err) || isUnavailable(err)) {
		existing, getErr := c.GetPaymentByKey(ctx, draft.Key)
		if getErr == nil {
			return existing, false, nil
		}
		if !IsNotFound(getErr) {
			return nil, false, fmt.Errorf("create payment: %w (then %w)", err, getErr)
		}
	}
	return nil, false, fmt.Errorf("create payment: %w", err)
}

// UpdatePaymentActions applies actions to a payment at the given version, once. Most
// callers want UpdatePayment, which works out the actions and survives conflicts.
func (c *Client) UpdatePaymentActions(ctx context.Context, id string, version int64, actions []UpdateAction) (*Payment, error) {
	var p Payment
	err := c.do(ctx, call{method: http.MethodPost, url: c.apiURL("payments", url.PathEscape(id)),
		body: map[string]any{"version": version, "actions": actions}, refreshOn: apiRefreshOn}, &p)
	if err != nil {
		return nil, fmt.Errorf("update payment %s: %w", id, err)
	}
	return &p, nil
}

func isUnavailable(err error) bool { return errors.Is(err, ErrUnavailable) }
