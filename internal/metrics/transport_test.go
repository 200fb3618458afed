package metrics

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/checkout-connect/go-connector/internal/http1"
)

// Instrumenting a transport keeps its time limit in view: the commercetools client leaves
// a bounded transport's calls without a context deadline of their own.
func TestTransportKeepsTheRoundTripLimit(t *testing.T) {
	m := New()
	type limiter interface{ RoundTripLimit() time.Duration }
	bounded, ok := m.Transport(&http1.Transport{Timeout: 7 * time.Second}).(limiter)
	assert.True(t, ok)
	assert.Equal(t, 7*time.Second, bounded.RoundTripLimit())
	unbounded, ok := m.Transport(http.DefaultTransport).(limiter)
	assert.True(t, ok)
	assert.Zero(t, unbounded.RoundTripLimit())
}
