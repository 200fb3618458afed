//go:build !js

package commercetools

import (
	"net/http"
	"os"
	"time"

	"github.com/checkout-connect/go-connector/internal/http1"
)

// NewTransport returns the transport the client uses unless told otherwise: the lean
// HTTP/1.1 transport of internal/http1, with the settings of NewNetTransport (64 idle
// connections per host, kept 90 s; answers never compressed; HTTP/1.1 over TLS too).
// It makes each round trip on the caller's goroutine, where net/http hands it between
// three: against the emulator (go run ./cmd/loadtest, paired runs), the processor on it
// spent 0.84 of the CPU per payment it spent on net/http's.
//
// Where the environment names a proxy (HTTPS_PROXY, HTTP_PROXY, in either case),
// NewTransport returns NewNetTransport's, which goes through it and honours NO_PROXY.
//
// Each round trip ends within DefaultTimeout, on a connection deadline, so the client
// sets no context deadline of its own on its calls.
func NewTransport() http.RoundTripper { return newTransport(DefaultTimeout) }

// newTransport is NewTransport's transport, bounding each round trip by timeout.
func newTransport(timeout time.Duration) http.RoundTripper {
	if proxied(os.Getenv) {
		return NewNetTransport()
	}
	return &http1.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 90 * time.Second, Timeout: timeout}
}

// proxied reports whether the environment names an HTTP proxy.
func proxied(getenv func(string) string) bool {
	for _, name := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"} {
		if getenv(name) != "" {
			return true
		}
	}
	return false
}
