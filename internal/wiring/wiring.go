// Package wiring builds, from the processor's configuration, what the processor and its
// commands share: the commercetools client and the payment flows over the configured
// providers.
package wiring

import (
	"log/slog"
	"net/http"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/config"
	"github.com/checkout-connect/go-connector/payments"
	"github.com/checkout-connect/go-connector/providers/registry"
)

// Commercetools returns the client of the configured project; transport, when set,
// carries its calls (the metrics' instrumented transport).
func Commercetools(cfg config.Config, log *slog.Logger, transport ...http.RoundTripper) (*commercetools.Client, error) {
	ct := cfg.Commercetools
	c := commercetools.Config{
		ProjectKey: ct.ProjectKey, ClientID: ct.ClientID, ClientSecret: ct.ClientSecret.Reveal(),
		AuthURL: ct.AuthURL, APIURL: ct.APIURL, SessionURL: ct.SessionURL, Logger: log,
	}
	if len(transport) > 0 {
		c.Transport = transport[0]
	}
	return commercetools.New(c)
}

// Providers opens the configured PSP and gift-card provider (PSP, GIFT_CARD_PROVIDER),
// each reading its own settings through getenv.
func Providers(cfg config.Config, getenv func(string) string) (registry.PSP, *registry.GiftCards, error) {
	psp, err := registry.OpenPSP(cfg.PSP, getenv)
	if err != nil {
		return registry.PSP{}, nil, err
	}
	giftCards, err := registry.OpenGiftCards(cfg.GiftCardProvider, getenv)
	if err != nil {
		return registry.PSP{}, nil, err
	}
	return psp, giftCards, nil
}

// Flows returns the payment flows over the configured providers.
func Flows(cfg config.Config, client *commercetools.Client, log *slog.Logger, getenv func(string) string) (*payments.Service, error) {
	psp, giftCards, err := Providers(cfg, getenv)
	if err != nil {
		return nil, err
	}
	return FlowsWith(cfg, client, psp, giftCards, log)
}

// FlowsWith returns the payment flows over the given providers; observer, when set, is
// told what the engine does (the metrics).
func FlowsWith(cfg config.Config, client *commercetools.Client, psp registry.PSP, giftCards *registry.GiftCards, log *slog.Logger, observer ...payments.Observer) (*payments.Service, error) {
	var obs payments.Observer
	if len(observer) > 0 {
		obs = observer[0]
	}
	return payments.New(client, psp, giftCards, payments.Config{
		Observer:  obs,
		ClientKey: cfg.Mock.ClientKey, Environment: cfg.Mock.Environment,
		StoredPaymentMethods: payments.StoredPaymentMethods(cfg.StoredPaymentMethods),
		PurchaseOrderTypeKey: cfg.PurchaseOrderTypeKey,
		Budget:               cfg.RequestBudget, ReconcileAfter: cfg.ReconcileAfter,
		ProcessorURL: cfg.ProcessorURL, MerchantReturnURL: cfg.MerchantReturnURL,
	}, log)
}
