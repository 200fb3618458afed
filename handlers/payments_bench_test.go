package handlers

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/testenv"
)

// BenchmarkPaymentRoundTrips measures the commercetools calls (ct-calls/op) of paying a
// cart (POST /payments) and of a capture, with the token and the session already verified,
// against the emulator over HTTP.
func BenchmarkPaymentRoundTrips(b *testing.B) {
	s := newTestStack(b)
	b.Run("POST /payments", func(b *testing.B) {
		sessions := make([]string, b.N)
		for i := range sessions {
			sessions[i] = s.ct.NewCheckout(b, 1000, "", commercetools.SessionMetadata{}).SessionID
			warm := httptest.NewRequest("GET", "/operations/config", nil)
			warm.Header.Set("x-session-id", sessions[i])
			s.engine.ServeHTTP(httptest.NewRecorder(), warm)
		}
		b.ResetTimer()
		before := s.ct.Requests("")
		for i := range b.N {
			req := jsonRequest("POST", "/payments", `{"paymentMethod":{"type":"card"}}`)
			req.Header.Set("x-session-id", sessions[i])
			rec := httptest.NewRecorder()
			s.engine.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
		}
		b.ReportMetric(float64(s.ct.Requests("")-before)/float64(b.N), "ct-calls/op")
	})
	b.Run("capture", func(b *testing.B) {
		checkout := s.ct.NewCheckout(b, int64(b.N)*10, "", commercetools.SessionMetadata{})
		req := jsonRequest("POST", "/payments", `{"paymentMethod":{"type":"card"}}`)
		req.Header.Set("x-session-id", checkout.SessionID)
		rec := httptest.NewRecorder()
		s.engine.ServeHTTP(rec, req)
		id := paymentReference(b, rec)
		token := "Bearer " + s.ct.Token(b, "manage_project:"+testenv.ProjectKey, 600)
		warm := jsonRequest("POST", "/operations/payment-intents/unknown", `{"actions":[{"action":"cancelPayment"}]}`)
		warm.Header.Set("Authorization", token)
		s.engine.ServeHTTP(httptest.NewRecorder(), warm)
		b.ResetTimer()
		before := s.ct.Requests("")
		for range b.N {
			req := jsonRequest("POST", "/operations/payment-intents/"+id, `{"actions":[{"action":"capturePayment","amount":{"centAmount":10,"currencyCode":"EUR"}}]}`)
			req.Header.Set("Authorization", token)
			rec := httptest.NewRecorder()
			s.engine.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
		}
		b.ReportMetric(float64(s.ct.Requests("")-before)/float64(b.N), "ct-calls/op")
	})
}
