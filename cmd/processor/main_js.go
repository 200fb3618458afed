//go:build js && wasm

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/checkout-connect/go-connector/internal/config"
	"github.com/checkout-connect/go-connector/internal/deploy"
	"github.com/checkout-connect/go-connector/internal/hook"
	"github.com/checkout-connect/go-connector/internal/jsbridge"
	"github.com/checkout-connect/go-connector/internal/metrics"
	"github.com/checkout-connect/go-connector/internal/wiring"
)

// The WebAssembly build runs under the Node.js launcher in processor/, the way
// commercetools Connect runs services. Its first argument names what to do: serve (the
// default), post-deploy or pre-undeploy. There is no local mode: the launcher owns the
// socket, and the environment names a commercetools project.
func main() {
	ctx := context.Background()
	command := "serve"
	if len(os.Args) > 1 {
		command = os.Args[1]
	}
	var err error
	switch command {
	case "serve":
		err = serveHost(ctx, os.Getenv, os.Stdout)
	case "post-deploy":
		err = hook.Run(ctx, os.Getenv, os.Stdout, deploy.PostDeploy)
	case "pre-undeploy":
		err = hook.Run(ctx, os.Getenv, os.Stdout, deploy.PreUndeploy)
	default:
		err = fmt.Errorf("unknown command %q: serve, post-deploy or pre-undeploy", command)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "processor:", err)
		os.Exit(1)
	}
}

// serveHost serves the launcher's requests until it calls shutdown.
func serveHost(ctx context.Context, getenv func(string) string, logs io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	if cfg.Local() {
		return errors.New("CTP_CLIENT_ID and CTP_CLIENT_SECRET are required: local mode needs the native processor (go run ./cmd/processor)")
	}
	log := newLogger(logs, cfg.LogLevel)
	meters := metrics.New()
	// Calls to commercetools go through the launcher in one call each way (jsbridge.Transport).
	client, err := wiring.Commercetools(cfg, log, meters.Transport(jsbridge.Transport{}))
	if err != nil {
		return err
	}
	psp, giftCards, err := wiring.Providers(cfg, getenv)
	if err != nil {
		return err
	}
	svc, err := newService(cfg, log, meters, client, psp, giftCards, nil)
	if err != nil {
		return err
	}
	stopReconciler := svc.startReconciler(ctx, cfg.ReconcileInterval)
	defer stopReconciler()
	log.Info("processor ready", slog.String("mode", "commercetools"), slog.String("runtime", "wasm"),
		slog.String("project_key", cfg.Commercetools.ProjectKey))
	if err := jsbridge.Serve(ctx, svc.handler, log); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}
