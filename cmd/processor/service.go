package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/handlers"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/internal/config"
	"github.com/checkout-connect/go-connector/internal/correlation"
	"github.com/checkout-connect/go-connector/internal/metrics"
	"github.com/checkout-connect/go-connector/internal/wiring"
	"github.com/checkout-connect/go-connector/payments"
	"github.com/checkout-connect/go-connector/providers/registry"
)

// version is the processor's version, reported by GET /operations/status.
const version = "0.1.0"

// service is the processor without its listener: the HTTP handler and the payment flows
// behind it. The native build serves it with net/http, the WebAssembly build through the
// Node.js launcher.
type service struct {
	handler http.Handler
	flows   *payments.Service
}

// newService assembles the authenticator, the payment flows and the handler over an open
// commercetools client and providers. demo is nil outside local mode.
func newService(cfg config.Config, log *slog.Logger, meters *metrics.Metrics, client *commercetools.Client,
	psp registry.PSP, giftCards *registry.GiftCards, demo handlers.Demo) (*service, error) {
	sessionTTL := cfg.SessionCacheTTL
	if sessionTTL == 0 {
		sessionTTL = -1 // configured off: ask the Session API every time
	}
	ct := cfg.Commercetools
	authn, err := auth.New(auth.Config{
		ProjectKey: ct.ProjectKey, Commercetools: client, JWKSURL: ct.JWKSURL, JWTIssuer: ct.JWTIssuer,
		SessionCacheTTL: sessionTTL,
	})
	if err != nil {
		return nil, err
	}
	flows, err := wiring.FlowsWith(cfg, client, psp, giftCards, log, meters)
	if err != nil {
		return nil, err
	}
	engine, err := handlers.New(handlers.Options{
		Logger: log, MaxRequestBodyBytes: cfg.MaxRequestBodyBytes, Authenticator: authn, Payments: flows,
		Status:        handlers.StatusOptions{Version: version, Timeout: cfg.HealthCheckTimeout},
		RequestBudget: cfg.RequestBudget, Demo: demo, Metrics: meters,
	})
	if err != nil {
		return nil, err
	}
	return &service{handler: engine, flows: flows}, nil
}

// newLogger writes JSON log lines at level and above to w, with the request's ids.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(correlation.NewLogHandler(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})))
}

// startReconciler runs the reconciler every interval (never when it is 0) until ctx ends
// or the returned stop is called.
func (s *service) startReconciler(ctx context.Context, every time.Duration) (stop func()) {
	ctx, stop = context.WithCancel(ctx)
	if every > 0 {
		go s.flows.RunReconciler(ctx, every)
	}
	return stop
}
