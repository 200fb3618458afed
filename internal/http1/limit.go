package http1

import (
	"net/http"
	"time"
)

// LimitOf is the time within which rt ends every round trip, the answer's body included,
// when it says so with a RoundTripLimit method (a Transport with a Timeout, or a wrapper
// that asks the transport it wraps); zero otherwise.
func LimitOf(rt http.RoundTripper) time.Duration {
	if l, ok := rt.(interface{ RoundTripLimit() time.Duration }); ok {
		return l.RoundTripLimit()
	}
	return 0
}
