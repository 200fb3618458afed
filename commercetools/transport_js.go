//go:build js

package commercetools

import "net/http"

// NewTransport returns the transport the client uses unless told otherwise. In the
// WebAssembly build that is net/http's, which calls the host's fetch (NewNetTransport).
func NewTransport() http.RoundTripper { return NewNetTransport() }
