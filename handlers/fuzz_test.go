package handlers

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/checkout-connect/go-connector/providers/mockpsp"
)

// The fuzz targets send arbitrary bodies to the endpoints that read them and require an
// answer below 500 in the contract's error shape. The test command runs their seeds with
// every test and fuzzes each for a bounded time.

// bodyPaths are the JSON endpoints that read a body.
var bodyPaths = []string{"/payments", "/balance", "/redeem", "/operations/payment-intents/p-1", "/operations/transactions"}

func FuzzJSONEndpoints(f *testing.F) {
	for _, seed := range []string{
		`{"paymentMethod":{"type":"card"}}`, `{"code":"Valid-100-EUR"}`, `{"code":"x","redeemAmount":{"centAmount":1,"currencyCode":"EUR"}}`,
		`{"actions":[{"action":"capturePayment","amount":{"centAmount":1,"currencyCode":"EUR"}}]}`, `{"actions":[{}]}`,
		`{"cartId":"8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","paymentMethodId":"x","type":"Recurring"}`,
		`[`, `{"a":` + "\x00", `{"paymentMethod":{"type":"card","poNumber":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}`,
	} {
		for i := range bodyPaths {
			f.Add(uint8(i), seed)
		}
	}
	s := newTestStackWith(f, stackOptions{bodyLimit: 64 << 10})
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		path := bodyPaths[int(which)%len(bodyPaths)]
		rec := httptest.NewRecorder()
		s.engine.ServeHTTP(rec, jsonRequest("POST", path, body))
		if rec.Code >= 500 {
			t.Fatalf("POST %s %q answered %d: %s", path, body, rec.Code, rec.Body.String())
		}
		if !bytes.Contains(rec.Body.Bytes(), []byte(`"statusCode"`)) {
			t.Fatalf("POST %s %q answered %d without the error shape: %s", path, body, rec.Code, rec.Body.String())
		}
	})
}

func FuzzNotifications(f *testing.F) {
	f.Add([]byte(`{"events":[]}`), true)
	f.Add([]byte(`{"events":[{"id":"e","type":"authorized","pspReference":"mock-1","amount":{"centAmount":1,"currencyCode":"EUR"}}]}`), true)
	f.Add([]byte(`{"events":[{"id":"e","type":"captured","idempotencyKey":"pay_x_1_2_3_auth","merchantReference":"nope"}]}`), true)
	f.Add([]byte(`not json`), true)
	f.Add([]byte(`{"events":[{}]}`), false)
	s := newTestStackWith(f, stackOptions{bodyLimit: 64 << 10})
	f.Fuzz(func(t *testing.T, body []byte, signed bool) {
		req := httptest.NewRequest("POST", "/notifications", bytes.NewReader(body))
		if signed {
			req.Header.Set(mockpsp.SignatureHeader, mockpsp.Sign(mockpsp.DefaultWebhookSecret, time.Now(), body))
		}
		rec := httptest.NewRecorder()
		s.engine.ServeHTTP(rec, req)
		switch {
		case rec.Code >= 500:
			t.Fatalf("a delivery of %q answered %d: %s", body, rec.Code, rec.Body.String())
		case !signed && rec.Code != http.StatusUnauthorized:
			t.Fatalf("an unsigned delivery answered %d", rec.Code)
		}
	})
}
