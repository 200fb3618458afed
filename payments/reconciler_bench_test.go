package payments

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"
)

// settledSignal is a log handler that reports the payment id of every transaction the
// reconciler settles.
type settledSignal struct {
	attrs []slog.Attr
	ids   chan<- string
}

func (h settledSignal) Enabled(context.Context, slog.Level) bool { return true }

func (h settledSignal) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "reconcile: transaction settled" {
		return nil
	}
	for _, a := range h.attrs {
		if a.Key == "payment_id" {
			h.ids <- a.Value.String()
		}
	}
	return nil
}

func (h settledSignal) WithAttrs(attrs []slog.Attr) slog.Handler {
	return settledSignal{attrs: append(slices.Clone(h.attrs), attrs...), ids: h.ids}
}

func (h settledSignal) WithGroup(string) slog.Handler { return h }

// BenchmarkReconcilerTimeToTerminal measures how long an outcome left unknown (the PSP
// approved, its answer was lost, no webhook comes) stays open: from the shopper's answer
// to the transaction's final state, with the reconciler running in the processor. It
// runs with RECONCILE_AFTER=200ms and RECONCILE_INTERVAL=50ms; the figures scale with
// them (time to terminal ≤ RECONCILE_AFTER + RECONCILE_INTERVAL + one pass).
func BenchmarkReconcilerTimeToTerminal(b *testing.B) {
	const after, interval = 200 * time.Millisecond, 50 * time.Millisecond
	ids := make(chan string, 100000)
	e := newEngineWith(b, engineOptions{log: slog.New(settledSignal{ids: ids}), tweak: func(c *Config) {
		c.Now, c.ReconcileAfter, c.Budget = time.Now, after, 300*time.Millisecond
	}})
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go e.RunReconciler(ctx, interval)

	answered := map[string]time.Time{}
	b.ResetTimer()
	for range b.N {
		session := e.session(b, 1000)
		e.psp.LoseAnswers(1)
		_, err := e.CreatePayment(context.Background(), session, card())
		if kindOf(err) != KindOutcomePending {
			b.Fatalf("want an outcome pending, got %v", err)
		}
		answered[err.(*Error).Extra["paymentReference"].(string)] = time.Now()
	}
	var waits []time.Duration
	deadline := time.After(time.Minute)
	for len(waits) < b.N {
		select {
		case id := <-ids:
			if at, ok := answered[id]; ok {
				waits = append(waits, time.Since(at))
				delete(answered, id)
			}
		case <-deadline:
			b.Fatalf("%d of %d outcomes still open after a minute", b.N-len(waits), b.N)
		}
	}
	b.StopTimer()
	slices.Sort(waits)
	b.ReportMetric(float64(waits[len(waits)/2].Milliseconds()), "p50-ms-to-terminal")
	b.ReportMetric(float64(waits[len(waits)*99/100].Milliseconds()), "p99-ms-to-terminal")
	if e.psp.MaxPerKey("Authorize") != 1 {
		b.Fatalf("an authorization was sent twice")
	}
}
