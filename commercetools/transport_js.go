//go:build js

package commercetools

import (
	"net/http"
	"time"
)

// NewTransport returns the transport the client uses unless told otherwise. In the
// WebAssembly build that is net/http's, which calls the host's fetch (NewNetTransport).
func NewTransport() http.RoundTripper { return NewNetTransport() }

// newTransport is NewTransport's transport; the client bounds its calls with context
// deadlines.
func newTransport(time.Duration) http.RoundTripper { return NewNetTransport() }
