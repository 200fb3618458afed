//go:build !js

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/config"
	"github.com/checkout-connect/go-connector/internal/localmode"
)

// seedLocal seeds the demo checkout through the commercetools client and prints where
// everything is to console.
func seedLocal(ctx context.Context, cfg config.Config, client *commercetools.Client, local *localmode.Emulator, console io.Writer, addr string) (*localmode.Checkouts, error) {
	processorURL := "http://" + loopbackAddr(addr)
	demo, err := localmode.Seed(ctx, client, processorURL, cfg.Mock.Currency)
	if err != nil {
		return nil, err
	}
	ct := cfg.Commercetools
	fmt.Fprintf(console, `
Local mode: the processor runs against an embedded commercetools emulator.
  processor     %s
  demo checkout %s/   (open it in a browser)
  session id    %s   (send as the x-session-id header)
  emulator      %s   (client id %q, secret %q, project %q)
  JWT for /operations/status:   curl -s -X POST %s/emulator/jwt
  OAuth token for /operations:  curl -s -u %s:%s -d grant_type=client_credentials %s/oauth/token

`, processorURL, processorURL, demo.SessionID, local.URL, ct.ClientID, ct.ClientSecret.Reveal(), ct.ProjectKey,
		local.URL, ct.ClientID, ct.ClientSecret.Reveal(), local.URL)
	return localmode.NewCheckouts(client, processorURL, cfg.Mock.Currency, demo), nil
}

// loopbackAddr turns a listen address on every interface (":8080", "[::]:8080") into one
// a browser on this machine can open.
func loopbackAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// hostedPages is a PSP that runs in the process and serves its own offsite pages: the mock.
type hostedPages interface {
	Pages() http.Handler
	SetPageURL(base string)
	SetWebhookURL(url string)
}

// serveHostedPages serves, in local mode, the mock PSP's hosted pages on a free loopback
// port, and points its webhooks at the processor. Other PSPs serve their own pages.
func serveHostedPages(psp any, processorURL string, log *slog.Logger) (stop func(), err error) {
	pages, ok := psp.(hostedPages)
	if !ok {
		return func() {}, nil
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("local mode: hosted pages: %w", err)
	}
	srv := &http.Server{Handler: pages.Pages(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(listener) }()
	base := "http://" + listener.Addr().String()
	pages.SetPageURL(base)
	pages.SetWebhookURL(processorURL + "/notifications")
	log.Info("local mode: mock PSP hosted pages", slog.String("url", base))
	return func() { _ = srv.Close() }, nil
}
