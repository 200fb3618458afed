package localmode

import (
	"context"
	"sync"

	"github.com/checkout-connect/go-connector/commercetools"
)

// DemoCheckout is the demo's current checkout, for the demo page: its cart, session and
// the cart's payments.
type DemoCheckout struct {
	SessionID string
	CartID    string
	Total     commercetools.Money
	Payments  []commercetools.Payment
}

// Checkouts keeps the demo's current checkout and makes new ones. It is safe for
// concurrent use.
type Checkouts struct {
	client       *commercetools.Client
	processorURL string
	currency     string

	mu      sync.Mutex
	current Demo
}

// NewCheckouts starts from the seeded demo checkout.
func NewCheckouts(client *commercetools.Client, processorURL, currency string, seeded Demo) *Checkouts {
	return &Checkouts{client: client, processorURL: processorURL, currency: currency, current: seeded}
}

// Current reads the current checkout's cart and payments.
func (c *Checkouts) Current(ctx context.Context) (DemoCheckout, error) {
	c.mu.Lock()
	demo := c.current
	c.mu.Unlock()
	cart, err := c.client.GetCartWithPayments(ctx, demo.CartID)
	if err != nil {
		return DemoCheckout{}, err
	}
	out := DemoCheckout{SessionID: demo.SessionID, CartID: cart.ID, Total: cart.Total()}
	if cart.PaymentInfo != nil {
		for _, ref := range cart.PaymentInfo.Payments {
			if ref.Obj != nil {
				out.Payments = append(out.Payments, *ref.Obj)
			}
		}
	}
	return out, nil
}

// New seeds a new demo cart and session, which become the current checkout.
func (c *Checkouts) New(ctx context.Context) (DemoCheckout, error) {
	demo, err := Seed(ctx, c.client, c.processorURL, c.currency)
	if err != nil {
		return DemoCheckout{}, err
	}
	c.mu.Lock()
	c.current = demo
	c.mu.Unlock()
	return c.Current(ctx)
}
