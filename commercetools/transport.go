package commercetools

import (
	"crypto/tls"
	"net/http"
	"time"

	"github.com/checkout-connect/go-connector/internal/http1"
)

// DefaultTimeout bounds each call when Config.Timeout is zero, and each round trip of
// NewTransport's transport.
const DefaultTimeout = 10 * time.Second

// boundedWithin reports whether transport ends each round trip within limit on its own
// (http1.LimitOf: internal/http1's with a Timeout, and the wrappers of internal/metrics
// and internal/ctcontract around it), so that the client's calls need no context
// deadline: a context and its timer, made and cancelled for each of a payment's five
// calls, cost about 3% of the processor's CPU under load (go run ./cmd/loadtest, paired
// runs).
func boundedWithin(transport http.RoundTripper, limit time.Duration) bool {
	l := http1.LimitOf(transport)
	return l > 0 && l <= limit
}

// NewNetTransport returns net/http's Transport as the client sets it up: Go's default one,
// keeping up to 64 idle connections per host instead of 2, so that a busy processor
// reuses its connections to commercetools rather than dialling one for most calls;
// asking for answers uncompressed, since commercetools gzips them for clients that ask
// and undoing that cost 16 µs and a 41 KB decompressor per answer, five a payment; and
// speaking HTTP/1.1 only, as commercetools' TypeScript SDK does: against the emulator
// over TLS (go run ./cmd/loadtest -tls), a processor whose client took up the HTTP/2
// that commercetools offers spent about a tenth more CPU per payment than one on
// kept-alive HTTP/1.1 connections, and made a tenth fewer payments a second.
//
// NewTransport returns it where the environment names a proxy, and in the WebAssembly
// build, whose net/http calls the host's fetch.
func NewNetTransport() *http.Transport {
	var t *http.Transport
	if base, ok := http.DefaultTransport.(*http.Transport); ok {
		t = base.Clone()
	} else { // replaced by instrumentation: start from Go's settings
		t = &http.Transport{Proxy: http.ProxyFromEnvironment, IdleConnTimeout: 90 * time.Second,
			TLSHandshakeTimeout: 10 * time.Second, ExpectContinueTimeout: time.Second}
	}
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	t.DisableCompression = true
	t.ForceAttemptHTTP2 = false
	t.Protocols = new(http.Protocols)
	t.Protocols.SetHTTP1(true)
	// A clone of the default transport offers h2 in its TLS handshakes; a server that
	// took it up would then get HTTP/1.1 on an HTTP/2 connection.
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{}
	}
	t.TLSClientConfig.NextProtos = []string{"http/1.1"}
	return t
}
