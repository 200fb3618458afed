package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/config"
	"github.com/checkout-connect/go-connector/internal/localmode"
)

// startLocal starts the embedded commercetools emulator, seeds the demo checkout through
// the commercetools client, and prints where everything is to console.
func startLocal(ctx context.Context, cfg config.Config, log *slog.Logger, console io.Writer, addr string) (*localmode.Emulator, config.Config, error) {
	local, cfg, err := localmode.Start(cfg)
	if err != nil {
		return nil, cfg, err
	}
	ct := cfg.Commercetools
	client, err := commercetools.New(commercetools.Config{
		ProjectKey: ct.ProjectKey, ClientID: ct.ClientID, ClientSecret: ct.ClientSecret.Reveal(),
		AuthURL: ct.AuthURL, APIURL: ct.APIURL, SessionURL: ct.SessionURL, Logger: log,
	})
	if err != nil {
		return nil, cfg, err
	}
	processorURL := "http://" + loopbackAddr(addr)
	demo, err := localmode.Seed(ctx, client, processorURL, cfg.Mock.Currency)
	if err != nil {
		return nil, cfg, err
	}
	log.Info("local mode: commercetools emulator running", slog.String("emulator_url", local.URL), slog.String("cart_id", demo.CartID))
	fmt.Fprintf(console, `
Local mode: the processor runs against an embedded commercetools emulator.
  processor     %s
  session id    %s   (send as the x-session-id header)
  emulator      %s   (client id %q, secret %q, project %q)
  JWT for /operations/status:   curl -s -X POST %s/emulator/jwt
  OAuth token for /operations:  curl -s -u %s:%s -d grant_type=client_credentials %s/oauth/token

`, processorURL, demo.SessionID, local.URL, ct.ClientID, ct.ClientSecret.Reveal(), ct.ProjectKey,
		local.URL, ct.ClientID, ct.ClientSecret.Reveal(), local.URL)
	return local, cfg, nil
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
