// Package hook runs a deployment hook with the processor's configuration.
package hook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/config"
	"github.com/checkout-connect/go-connector/internal/wiring"
)

// Func is a deployment hook.
type Func func(ctx context.Context, ct *commercetools.Client, typeKey string, log *slog.Logger) error

// Run loads the configuration through getenv, which must name a commercetools project
// (hooks have no local mode), and runs f against it, logging JSON to logs.
func Run(ctx context.Context, getenv func(string) string, logs io.Writer, f Func) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	if cfg.Local() {
		return errors.New("CTP_CLIENT_ID and CTP_CLIENT_SECRET are required")
	}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: cfg.LogLevel}))
	client, err := wiring.Commercetools(cfg, log)
	if err != nil {
		return err
	}
	return f(ctx, client, cfg.PurchaseOrderTypeKey, log)
}
