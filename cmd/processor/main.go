//go:build !js

// Command processor serves the commercetools Checkout payment and gift-card processor.
//
// Configuration comes from the environment (see the README). With no CTP_CLIENT_ID the
// processor runs in local mode against an embedded commercetools emulator.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/handlers"
	"github.com/checkout-connect/go-connector/internal/config"
	"github.com/checkout-connect/go-connector/internal/deploy"
	_ "github.com/checkout-connect/go-connector/internal/earlystack" // the stack start-up needs, before the libraries initialise
	"github.com/checkout-connect/go-connector/internal/localmode"
	"github.com/checkout-connect/go-connector/internal/memlimit"
	"github.com/checkout-connect/go-connector/internal/metrics"
	"github.com/checkout-connect/go-connector/internal/wiring"
)

// shutdownGrace is how long in-flight requests may finish after a stop signal.
const shutdownGrace = 15 * time.Second

func main() {
	// Starting allocates about 4 MB, nearly all of it garbage once the processor listens.
	// Collecting it then, once, rather than also midway through start-up, leaves fewer of
	// the binary's and the heap's pages resident (0.6 MB of the idle RSS); the collector
	// gets its setting (GOGC) back as soon as the processor listens.
	gcPercent := debug.SetGCPercent(-1)
	// In a container with a memory limit, the collector works harder as the processor nears
	// it (see package memlimit), unless GOMEMLIMIT says otherwise.
	memoryLimit := memlimit.Apply(os.Getenv, os.DirFS("/"))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := environment{Getenv: os.Getenv, Logs: os.Stdout, Console: os.Stderr, MemoryLimit: memoryLimit, Listening: func() {
		debug.SetGCPercent(gcPercent)
		// Start-up's garbage goes back to the system now rather than over the next
		// minutes: an idle replica holds what it uses. It runs before the server's
		// goroutine starts, so that the collection walks no stack but the main
		// goroutine's and the signal watcher's: walking the accept loop's frames through
		// net/http, net and the poller kept 0.4 MB more of the binary's function tables
		// resident, for a millisecond or two more before the first request is served.
		debug.FreeOSMemory()
	}}
	if err := run(ctx, env); err != nil {
		fmt.Fprintln(os.Stderr, "processor:", err)
		os.Exit(1)
	}
}

// environment is what the process gets from outside.
type environment struct {
	// Getenv reads configuration.
	Getenv func(string) string
	// Logs receives the JSON log lines.
	Logs io.Writer
	// Console receives the local-mode banner, which holds the demo session id and is
	// therefore kept out of the logs.
	Console io.Writer
	// Ready, when set, receives the listening address once requests are accepted.
	Ready func(addr string)
	// Listening, when set, runs once the listener is bound and start-up is done, before
	// the server's and the reconciler's goroutines start; connections wait in the
	// listener's queue meanwhile.
	Listening func()
	// MemoryLimit is the soft memory limit taken from the container's, 0 for none.
	MemoryLimit int64
}

// run serves until ctx is cancelled, then shuts down gracefully.
func run(ctx context.Context, env environment) error {
	cfg, err := config.Load(env.Getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	log := newLogger(env.Logs, cfg.LogLevel)

	listener, err := net.Listen("tcp", cfg.Addr())
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr(), err)
	}
	defer listener.Close()
	addr := listener.Addr().String()

	mode := "commercetools"
	var local *localmode.Emulator
	if cfg.Local() {
		mode = "local"
		if local, cfg, err = localmode.Start(cfg); err != nil {
			return err
		}
		defer func() {
			stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
			defer cancel()
			if err := local.Stop(stopCtx); err != nil {
				log.Error("local mode: stop", slog.Any("error", err))
			}
		}()
	}

	meters := metrics.New()
	client, err := wiring.Commercetools(cfg, log, meters.Transport(commercetools.NewTransport()))
	if err != nil {
		return err
	}
	var demo handlers.Demo // local mode only: an interface holding a nil pointer would not be nil
	if local != nil {
		if err := deploy.PostDeploy(ctx, client, cfg.PurchaseOrderTypeKey, log); err != nil {
			return err
		}
		if demo, err = seedLocal(ctx, cfg, client, local, env.Console, addr); err != nil {
			return err
		}
		log.Info("local mode: commercetools emulator running", slog.String("emulator_url", local.URL))
	}
	psp, giftCards, err := wiring.Providers(cfg, env.Getenv)
	if err != nil {
		return err
	}
	if local != nil {
		processorURL := "http://" + loopbackAddr(addr)
		if cfg.ProcessorURL == "" {
			cfg.ProcessorURL = processorURL
		}
		if cfg.MerchantReturnURL == "" {
			cfg.MerchantReturnURL = processorURL + "/" // the demo checkout page
		}
		stopPages, err := serveHostedPages(psp.Provider, processorURL, log)
		if err != nil {
			return err
		}
		defer stopPages()
	}
	svc, err := newService(cfg, log, meters, client, psp, giftCards, demo)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           svc.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      config.WriteTimeout,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	log.Info("processor listening", slog.String("addr", addr), slog.String("mode", mode),
		slog.String("project_key", cfg.Commercetools.ProjectKey), slog.Int64("soft_memory_limit_bytes", env.MemoryLimit))
	if env.Ready != nil {
		env.Ready(addr)
	}

	if env.Listening != nil {
		env.Listening()
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(listener) }()
	stopReconciler := svc.startReconciler(ctx, cfg.ReconcileInterval)
	defer stopReconciler()

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", slog.Duration("grace", shutdownGrace))
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-serveErr; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}
