// Package localmode runs the processor without commercetools credentials: it starts the
// commercetools emulator on loopback, points the configuration at it over HTTP, and seeds
// a demo cart with an ACTIVE Checkout session. Everything after that takes the same code
// path as against real commercetools.
package localmode

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/commercetools/emulator"
	"github.com/checkout-connect/go-connector/internal/config"
)

// Emulator is a running commercetools emulator.
type Emulator struct {
	// URL is its base URL: auth, API and sessions.
	URL    string
	emu    *emulator.Emulator
	server *http.Server
	done   chan error
}

// Start serves a new emulator for cfg's project on a free loopback port and returns it with
// cfg pointed at it.
func Start(cfg config.Config) (*Emulator, config.Config, error) {
	emu, err := emulator.New(emulator.Options{ProjectKey: cfg.Commercetools.ProjectKey})
	if err != nil {
		return nil, cfg, err
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, cfg, fmt.Errorf("local mode: listen: %w", err)
	}
	e := &Emulator{
		URL:    "http://" + listener.Addr().String(),
		emu:    emu,
		server: &http.Server{Handler: emu.Handler(), ReadHeaderTimeout: 5 * time.Second},
		done:   make(chan error, 1),
	}
	go func() { e.done <- e.server.Serve(listener) }()

	ct := &cfg.Commercetools
	ct.ClientID = emu.ClientID()
	ct.ClientSecret = config.Secret(emu.ClientSecret())
	ct.AuthURL, ct.APIURL, ct.SessionURL, ct.CheckoutURL = e.URL, e.URL, e.URL, e.URL
	ct.JWKSURL = e.URL + "/.well-known/jwks.json"
	ct.JWTIssuer = e.URL
	return e, cfg, nil
}

// Stop shuts the emulator down.
func (e *Emulator) Stop(ctx context.Context) error {
	if err := e.server.Shutdown(ctx); err != nil {
		return fmt.Errorf("local mode: stop the emulator: %w", err)
	}
	if err := <-e.done; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("local mode: emulator: %w", err)
	}
	return nil
}

// Demo is the seeded demo checkout.
type Demo struct {
	CartID    string
	SessionID string
}

// DemoCustomerID is the customer of the demo cart, so stored payment methods can be tried.
const DemoCustomerID = "local-customer"

// Seed creates, through the commercetools client, a demo cart in currency with two items
// and an ACTIVE session for it whose metadata names the processor.
func Seed(ctx context.Context, client *commercetools.Client, processorURL, currency string) (Demo, error) {
	item := func(name, slug string, cents, qty int64) commercetools.CustomLineItemDraft {
		return commercetools.CustomLineItemDraft{Name: map[string]string{"en": name}, Slug: slug, Quantity: qty,
			Money: commercetools.Money{CurrencyCode: currency, CentAmount: cents}}
	}
	cart, err := client.CreateCart(ctx, commercetools.CartDraft{
		Currency: currency, CustomerID: DemoCustomerID, Country: "DE",
		CustomLineItems: []commercetools.CustomLineItemDraft{item("Trail running shoes", "trail-shoes", 8995, 1), item("Merino socks", "merino-socks", 1495, 2)},
	})
	if err != nil {
		return Demo{}, fmt.Errorf("local mode: seed the demo cart: %w", err)
	}
	session, err := client.CreateSession(ctx, commercetools.NewSessionDraft(cart.ID, commercetools.SessionMetadata{
		AllowedPaymentMethods: []string{"card", "invoice", "purchaseorder", "customtestmethod", "offsite", "giftcard"},
		ProcessorURL:          processorURL,
		PaymentInterface:      "mock",
	}))
	if err != nil {
		return Demo{}, fmt.Errorf("local mode: seed the demo session: %w", err)
	}
	return Demo{CartID: cart.ID, SessionID: session.ID}, nil
}
