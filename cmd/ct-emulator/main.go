// Command ct-emulator serves the in-memory commercetools emulator on its own, for
// developing and testing against it from other processes:
//
//	go run ./cmd/ct-emulator -addr 127.0.0.1:9090 [-tls-cert emulator.pem] [-gzip]
//
// With -tls-cert it serves HTTPS (HTTP/2 offered, as commercetools does) with a
// self-signed certificate made at start for the listening address, and writes the
// certificate to that file for its clients to trust (SSL_CERT_FILE for Go,
// NODE_EXTRA_CA_CERTS for Node.js). With -gzip it compresses the answers to requests that
// accept gzip, as commercetools does.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/checkout-connect/go-connector/commercetools/emulator"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "ct-emulator:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("ct-emulator", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:9090", "listen address")
	projectKey := flags.String("project-key", "local-project", "project key served")
	clientID := flags.String("client-id", "local", "API client id accepted")
	clientSecret := flags.String("client-secret", "local", "API client secret accepted")
	certFile := flags.String("tls-cert", "", "serve HTTPS with a self-signed certificate, written to this file")
	compress := flags.Bool("gzip", false, "gzip the answers to requests that accept it, as commercetools does")
	if err := flags.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	emu, err := emulator.New(emulator.Options{ProjectKey: *projectKey, ClientID: *clientID, ClientSecret: *clientSecret, Gzip: *compress})
	if err != nil {
		return err
	}
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: emu.Handler(), ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	scheme := "http"
	if *certFile != "" {
		config, certPEM, err := selfSigned(listener.Addr().(*net.TCPAddr).IP)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*certFile, certPEM, 0o644); err != nil {
			return err
		}
		srv.TLSConfig = config
		listener = tls.NewListener(listener, config)
		scheme = "https"
	}
	log.Info("commercetools emulator listening", slog.String("url", scheme+"://"+listener.Addr().String()),
		slog.String("project_key", *projectKey), slog.String("client_id", *clientID))
	if err := srv.Serve(listener); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
