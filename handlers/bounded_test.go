package handlers

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nestedBody is a payment body of about 60 KB whose poNumber nests objects 10 100 deep.
func nestedBody() string {
	const depth = 10100
	return `{"paymentMethod":{"type":"card","poNumber":` + strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth) + `}}`
}

func TestDeeplyNestedBodyIsRefusedCheaply(t *testing.T) {
	s := newTestStackWith(t, stackOptions{bodyLimit: 64 << 10})
	body := nestedBody()
	require.Greater(t, len(body), 59<<10)
	before := s.logs.Len()
	rec := serve(t, s.engine, jsonRequest("POST", "/payments", body))
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	e := decodeError(t, rec)
	assert.Equal(t, "InvalidJsonInput", e.Errors[0]["code"])
	assert.Contains(t, e.Errors[0]["detailedErrorMessage"], "nests deeper than 32 levels", "refused before it is decoded or validated")
	logged := s.logs.String()[before:]
	assert.Less(t, len(logged), 4<<10, "a bounded log line: %d bytes", len(logged))
	assert.NotContains(t, logged, `{"a":`, "no value of the body is logged")

	// The cost does not grow with the nesting: one pass over the bytes, no decoding.
	allocs := testing.AllocsPerRun(20, func() {
		s.engine.ServeHTTP(httptest.NewRecorder(), jsonRequest("POST", "/payments", body))
	})
	assert.Less(t, allocs, 1000.0, "allocations per refused request")
}

func TestWideInvalidBodyIsReportedInBrief(t *testing.T) {
	s := newTestStackWith(t, stackOptions{bodyLimit: 64 << 10})
	actions := strings.TrimSuffix(strings.Repeat(`{"action":"capturePayment","amount":{"centAmount":"x","currencyCode":"EUR"}},`, 600), ",")
	before := s.logs.Len()
	req := jsonRequest("POST", "/operations/payment-intents/p-1", `{"actions":[`+actions+`]}`)
	rec := serve(t, s.engine, req)
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.LessOrEqual(t, len(decodeError(t, rec).Errors), 20, "at most 20 problems are listed")
	assert.Less(t, s.logs.Len()-before, 4<<10)
}

// BenchmarkRefusedNestedBody prints what refusing a 60 KB body nested 10 100 deep costs,
// at debug level, and how much it logs.
func BenchmarkRefusedNestedBody(b *testing.B) {
	s := newTestStackWith(b, stackOptions{bodyLimit: 64 << 10})
	body := nestedBody()
	before := s.logs.Len()
	b.ResetTimer()
	for range b.N {
		rec := httptest.NewRecorder()
		s.engine.ServeHTTP(rec, jsonRequest("POST", "/payments", body))
		if rec.Code != http.StatusBadRequest {
			b.Fatalf("answered %d", rec.Code)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(s.logs.Len()-before)/float64(b.N), "log-bytes/op")
}
