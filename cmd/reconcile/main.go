// Command reconcile runs one pass of the reconciler against a commercetools project: every
// transaction left Initial or Pending for longer than RECONCILE_AFTER is looked up at its
// provider by its idempotency key and settled. It reads the processor's environment and
// may run while processors run, on any number of machines: commercetools versions decide.
//
// Providers whose state lives in the processor's memory (the mocks) cannot be looked up
// from another process; with them the reconciler runs inside the processor only
// (RECONCILE_INTERVAL), and this command refuses to run.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/checkout-connect/go-connector/internal/config"
	"github.com/checkout-connect/go-connector/internal/wiring"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "reconcile:", err)
		os.Exit(1)
	}
}

// run makes one pass and writes its report as JSON to out; logs go to logs.
func run(ctx context.Context, getenv func(string) string, out, logs io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	if cfg.Local() {
		return errors.New("CTP_CLIENT_ID and CTP_CLIENT_SECRET are required; in local mode the processor reconciles by itself")
	}
	psp, giftCards, err := wiring.Providers(cfg, getenv)
	if err != nil {
		return err
	}
	if psp.InProcess || (giftCards != nil && giftCards.InProcess) {
		return fmt.Errorf("PSP %q or GIFT_CARD_PROVIDER %q keeps its state in the processor's memory: the processor reconciles by itself (RECONCILE_INTERVAL)",
			cfg.PSP, cfg.GiftCardProvider)
	}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: cfg.LogLevel}))
	client, err := wiring.Commercetools(cfg, log)
	if err != nil {
		return err
	}
	flows, err := wiring.FlowsWith(cfg, client, psp, giftCards, log)
	if err != nil {
		return err
	}
	report, err := flows.Reconcile(ctx)
	if err != nil {
		return err
	}
	return json.NewEncoder(out).Encode(map[string]int{
		"examined": report.Examined, "settled": report.Settled, "failed": report.Failed, "left": report.Left, "pruned": report.Pruned,
	})
}
