package handlers_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/commercetools/emulator"
	"github.com/checkout-connect/go-connector/handlers"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/payments"
	"github.com/checkout-connect/go-connector/providers/mockpsp"
	"github.com/checkout-connect/go-connector/providers/registry"
)

// exampleEngine is the processor's engine over an emulator on loopback, for the examples.
func exampleEngine() http.Handler {
	emu, err := emulator.New(emulator.Options{ProjectKey: "example"})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(emu.Handler())
	log := slog.New(slog.DiscardHandler)
	ct, err := commercetools.New(commercetools.Config{ProjectKey: "example", ClientID: emu.ClientID(), ClientSecret: emu.ClientSecret(),
		AuthURL: srv.URL, APIURL: srv.URL, SessionURL: srv.URL, Logger: log})
	if err != nil {
		panic(err)
	}
	authn, err := auth.New(auth.Config{ProjectKey: "example", Commercetools: ct, JWKSURL: srv.URL + "/.well-known/jwks.json", JWTIssuer: srv.URL})
	if err != nil {
		panic(err)
	}
	flows, err := payments.New(ct, registry.PSP{Provider: mockpsp.New(), Interface: mockpsp.Name}, nil, payments.Config{PurchaseOrderTypeKey: "po"}, log)
	if err != nil {
		panic(err)
	}
	engine, err := handlers.New(handlers.Options{Logger: log, MaxRequestBodyBytes: 1 << 16, Authenticator: authn, Payments: flows})
	if err != nil {
		panic(err)
	}
	return engine
}
