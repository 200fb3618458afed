// Package metrics holds the processor's Prometheus metrics: requests by operation,
// commercetools calls by resource, provider calls by outcome, the reconciler's runs and
// the money attempts in flight. GET /metrics exposes them in Prometheus' text format.
package metrics

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	"github.com/checkout-connect/go-connector/internal/http1"
)

// Metrics is one set of the processor's metrics, with its own registry.
type Metrics struct {
	registry      *prometheus.Registry
	requests      *prometheus.HistogramVec
	commercetools *prometheus.HistogramVec
	providerCalls *prometheus.CounterVec
	reconcileRuns prometheus.Counter
	reconciled    *prometheus.CounterVec
	inFlight      prometheus.Gauge
}

// New returns the processor's metrics. Text adds the Go runtime's and the process's, from
// the collectors client_golang registers at start (building a second pair cost as much
// again at every start).
func New() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "processor_request_duration_seconds",
			Help: "Time to answer a request, by contract operation and status.", Buckets: prometheus.DefBuckets}, []string{"operation", "status"}),
		commercetools: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "processor_commercetools_request_duration_seconds",
			Help: "Calls to commercetools, by method, resource and status class.", Buckets: prometheus.DefBuckets}, []string{"method", "resource", "status"}),
		providerCalls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "processor_provider_calls_total",
			Help: "Money calls to the PSP and the gift-card provider, by provider, transaction type and outcome."}, []string{"provider", "transaction", "outcome"}),
		reconcileRuns: prometheus.NewCounter(prometheus.CounterOpts{Name: "processor_reconciler_runs_total", Help: "Reconciler passes."}),
		reconciled: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "processor_reconciler_transactions_total",
			Help: "Transactions the reconciler examined, by result (settled, failed, left, pruned)."}, []string{"result"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "processor_money_attempts_in_flight",
			Help: "Money attempts this process has claimed and not yet settled."}),
	}
	m.registry.MustRegister(m.requests, m.commercetools, m.providerCalls, m.reconcileRuns, m.reconciled, m.inFlight)
	return m
}

// Request records an answered request.
func (m *Metrics) Request(operation string, status int, d time.Duration) {
	m.requests.WithLabelValues(operation, strconv.Itoa(status)).Observe(d.Seconds())
}

// ProviderCall records a provider's answer to a money call ("error" when it gave none).
func (m *Metrics) ProviderCall(provider, transaction, outcome string) {
	m.providerCalls.WithLabelValues(provider, transaction, outcome).Inc()
}

// Reconciled records a reconciler pass.
func (m *Metrics) Reconciled(settled, failed, left, pruned int) {
	m.reconcileRuns.Inc()
	for result, n := range map[string]int{"settled": settled, "failed": failed, "left": left, "pruned": pruned} {
		m.reconciled.WithLabelValues(result).Add(float64(n))
	}
}

// InFlight moves the gauge of attempts in flight by delta.
func (m *Metrics) InFlight(delta int) { m.inFlight.Add(float64(delta)) }

// Transport instruments the commercetools client's HTTP calls.
func (m *Metrics) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &measured{base: base, m: m}
}

// measured times each round trip of base.
type measured struct {
	base http.RoundTripper
	m    *Metrics
}

func (t *measured) RoundTrip(req *http.Request) (*http.Response, error) {
	started := time.Now()
	resp, err := t.base.RoundTrip(req)
	status := "error"
	if err == nil {
		status = statusClass(resp.StatusCode)
	}
	t.m.commercetools.WithLabelValues(req.Method, resource(req.URL.Path), status).Observe(time.Since(started).Seconds())
	return resp, err
}

// RoundTripLimit is base's, when it bounds its round trips: instrumenting a transport
// keeps its time limit in the client's view (see commercetools.Config.Timeout).
func (t *measured) RoundTripLimit() time.Duration { return http1.LimitOf(t.base) }

// resource names a commercetools path by its kind, never by ids: /oauth/token is "oauth",
// /{project}/payments/{id} is "payments".
func resource(path string) string {
	first, rest, _ := strings.Cut(strings.Trim(path, "/"), "/")
	if first == "oauth" {
		return "oauth"
	}
	if second, _, _ := strings.Cut(rest, "/"); second != "" {
		return second
	}
	return "other"
}

// statusClasses are the status labels of the classes 1xx to 5xx, made once.
var statusClasses = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}

// statusClass labels an HTTP status by its class: 201 is "2xx".
func statusClass(code int) string {
	if i := code/100 - 1; i >= 0 && i < len(statusClasses) {
		return statusClasses[i]
	}
	return strconv.Itoa(code/100) + "xx"
}

// Text renders every metric in Prometheus' text format.
func (m *Metrics) Text() ([]byte, error) {
	families, err := prometheus.Gatherers{prometheus.DefaultGatherer, m.registry}.Gather()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, f := range families {
		if err := enc.Encode(f); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}
