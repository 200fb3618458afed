package handlers

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBadInputIsRefusedWithTheFieldPath(t *testing.T) {
	engine, _ := newTestEngine(t)
	oversized := `{"code":"` + strings.Repeat("x", testBodyLimit) + `"}`

	cases := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		header      map[string]string
		status      int
		code        string
		field       string
	}{
		// Malformed JSON.
		{name: "payments malformed json", method: "POST", path: "/payments", body: `{bad`, status: 400, code: "InvalidJsonInput"},
		{name: "redeem malformed json", method: "POST", path: "/redeem", body: `{"code":`, status: 400, code: "InvalidJsonInput"},
		{name: "payment intent malformed json", method: "POST", path: "/operations/payment-intents/p-1", body: `{"actions":[}`, status: 400, code: "InvalidJsonInput"},
		{name: "transactions trailing garbage", method: "POST", path: "/operations/transactions", body: `{} {}`, status: 400, code: "InvalidJsonInput"},
		// Empty or non-object bodies.
		{name: "payments empty body", method: "POST", path: "/payments", body: ``, status: 400, code: "InvalidJsonInput"},
		{name: "balance null body", method: "POST", path: "/balance", body: `null`, status: 400, code: "InvalidJsonInput"},
		{name: "redeem array body", method: "POST", path: "/redeem", body: `[]`, status: 400, code: "InvalidJsonInput"},
		{name: "notification unsigned", method: "POST", path: "/notifications", contentType: "application/json", body: ``, status: 401, code: "InvalidSignature"},
		// Wrong content type.
		{name: "payments text/plain", method: "POST", path: "/payments", contentType: "text/plain", body: `{"paymentMethod":{"type":"card"}}`, status: 400, code: "InvalidJsonInput"},
		{name: "balance form encoded", method: "POST", path: "/balance", contentType: "application/x-www-form-urlencoded", body: `code=Valid-100-EUR`, status: 400, code: "InvalidJsonInput"},
		{name: "transactions xml", method: "POST", path: "/operations/transactions", contentType: "application/xml", body: `<a/>`, status: 400, code: "InvalidJsonInput"},
		{name: "redeem no content type", method: "POST", path: "/redeem", contentType: "-", body: `{"code":"x"}`, status: 400, code: "InvalidJsonInput"},
		// Wrong types.
		{name: "payments method is a string", method: "POST", path: "/payments", body: `{"paymentMethod":"card"}`, status: 400, code: "InvalidField", field: "paymentMethod"},
		{name: "redeem cent amount as string", method: "POST", path: "/redeem", body: `{"code":"c","redeemAmount":{"centAmount":"12","currencyCode":"EUR"}}`, status: 400, code: "InvalidField", field: "redeemAmount.centAmount"},
		{name: "redeem decimal cent amount", method: "POST", path: "/redeem", body: `{"code":"c","redeemAmount":{"centAmount":12.5,"currencyCode":"EUR"}}`, status: 400, code: "InvalidField", field: "redeemAmount.centAmount"},
		{name: "redeem negative amount", method: "POST", path: "/redeem", body: `{"code":"c","redeemAmount":{"centAmount":-1,"currencyCode":"EUR"}}`, status: 400, code: "InvalidField", field: "redeemAmount.centAmount"},
		{name: "redeem lower-case currency", method: "POST", path: "/redeem", body: `{"code":"c","redeemAmount":{"centAmount":1,"currencyCode":"eur"}}`, status: 400, code: "InvalidField", field: "redeemAmount.currencyCode"},
		{name: "balance empty code", method: "POST", path: "/balance", body: `{"code":""}`, status: 400, code: "InvalidField", field: "code"},
		{name: "balance numeric code", method: "POST", path: "/balance", body: `{"code":123}`, status: 400, code: "InvalidField", field: "code"},
		{name: "capture decimal amount", method: "POST", path: "/operations/payment-intents/p-1", body: `{"actions":[{"action":"capturePayment","amount":{"centAmount":12.5,"currencyCode":"EUR"}}]}`, status: 400, code: "InvalidField", field: "actions[0].amount.centAmount"},
		{name: "transactions cart id not a uuid", method: "POST", path: "/operations/transactions", body: `{"cartId":"cart-1","checkoutTransactionItemId":"1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b","type":"Recurring"}`, status: 400, code: "InvalidField", field: "cartId"},
		{name: "payments bad idempotency key", method: "POST", path: "/payments", body: `{"paymentMethod":{"type":"card"}}`, header: map[string]string{"Idempotency-Key": "has spaces"}, status: 400, code: "InvalidField", field: "Idempotency-Key"},
		// Unknown enum values.
		{name: "payments unknown method type", method: "POST", path: "/payments", body: `{"paymentMethod":{"type":"bogus"}}`, status: 400, code: "InvalidField", field: "paymentMethod.type"},
		{name: "payments unknown outcome", method: "POST", path: "/payments", body: `{"paymentMethod":{"type":"card"},"paymentOutcome":"Maybe"}`, status: 400, code: "InvalidField", field: "paymentOutcome"},
		{name: "payment intent unknown action", method: "POST", path: "/operations/payment-intents/p-1", body: `{"actions":[{"action":"explode"}]}`, status: 400, code: "InvalidField", field: "actions[0].action"},
		{name: "transactions one-off type", method: "POST", path: "/operations/transactions", body: `{"cartId":"8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","checkoutTransactionItemId":"1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b","type":"OneOff"}`, status: 400, code: "InvalidField", field: "type"},
		// Missing required fields.
		{name: "payments empty object", method: "POST", path: "/payments", body: `{}`, status: 400, code: "RequiredField", field: "paymentMethod"},
		{name: "payments method without type", method: "POST", path: "/payments", body: `{"paymentMethod":{}}`, status: 400, code: "RequiredField", field: "paymentMethod.type"},
		{name: "balance without code", method: "POST", path: "/balance", body: `{}`, status: 400, code: "RequiredField", field: "code"},
		{name: "redeem without amount", method: "POST", path: "/redeem", body: `{"code":"c"}`, status: 400, code: "RequiredField", field: "redeemAmount"},
		{name: "redeem without currency", method: "POST", path: "/redeem", body: `{"code":"c","redeemAmount":{"centAmount":1}}`, status: 400, code: "RequiredField", field: "redeemAmount.currencyCode"},
		{name: "payment intent without actions", method: "POST", path: "/operations/payment-intents/p-1", body: `{}`, status: 400, code: "RequiredField", field: "actions"},
		{name: "payment intent empty actions", method: "POST", path: "/operations/payment-intents/p-1", body: `{"actions":[]}`, status: 400, code: "InvalidField", field: "actions"},
		{name: "payment intent two actions", method: "POST", path: "/operations/payment-intents/p-1", body: `{"actions":[{"action":"cancelPayment"},{"action":"cancelPayment"}]}`, status: 400, code: "InvalidField", field: "actions"},
		{name: "payment intent action without name", method: "POST", path: "/operations/payment-intents/p-1", body: `{"actions":[{"amount":{"centAmount":1,"currencyCode":"EUR"}}]}`, status: 400, code: "RequiredField", field: "actions[0].action"},
		{name: "capture without amount", method: "POST", path: "/operations/payment-intents/p-1", body: `{"actions":[{"action":"capturePayment"}]}`, status: 400, code: "RequiredField", field: "actions[0].amount"},
		{name: "refund without currency", method: "POST", path: "/operations/payment-intents/p-1", body: `{"actions":[{"action":"refundPayment","amount":{"centAmount":1}}]}`, status: 400, code: "RequiredField", field: "actions[0].amount.currencyCode"},
		{name: "transactions without type", method: "POST", path: "/operations/transactions", body: `{"cartId":"8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","checkoutTransactionItemId":"1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b"}`, status: 400, code: "RequiredField", field: "type"},
		{name: "return without payment reference", method: "GET", path: "/payments/return", contentType: "-", status: 400, code: "RequiredField", field: "paymentReference"},
		// Oversized bodies.
		{name: "balance oversized", method: "POST", path: "/balance", body: oversized, status: 413, code: "PayloadTooLarge"},
		{name: "redeem oversized", method: "POST", path: "/redeem", body: oversized, status: 413, code: "PayloadTooLarge"},
		{name: "notification oversized", method: "POST", path: "/notifications", body: oversized, status: 413, code: "PayloadTooLarge"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			req := httptest.NewRequest(tc.method, tc.path, body)
			switch tc.contentType {
			case "":
				req.Header.Set("Content-Type", "application/json")
			case "-":
			default:
				req.Header.Set("Content-Type", tc.contentType)
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			rec := serve(t, engine, req)

			assert.Equal(t, tc.status, rec.Code, "body: %s", rec.Body.String())
			got := decodeError(t, rec)
			assert.Equal(t, tc.status, got.StatusCode)
			assert.Equal(t, tc.code, got.Errors[0]["code"])
			if tc.field != "" {
				assert.Equal(t, tc.field, got.Errors[0]["field"])
			} else {
				assert.NotContains(t, got.Errors[0], "field")
			}
			assert.Equal(t, got.Errors[0]["message"], got.Message)
		})
	}
}

// Without Content-Length the limit is enforced while the validator reads the body.
func TestOversizedChunkedBodyIsRefused(t *testing.T) {
	engine, _ := newTestEngine(t)
	payload := `{"code":"` + strings.Repeat("x", 2*testBodyLimit) + `"}`
	req := httptest.NewRequest("POST", "/balance", io.MultiReader(strings.NewReader(payload)))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	engine.ServeHTTP(rec, req)

	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	assert.Equal(t, "PayloadTooLarge", decodeError(t, rec).Errors[0]["code"])
}

func TestEveryProblemIsReportedAtOnce(t *testing.T) {
	engine, _ := newTestEngine(t)
	rec := serve(t, engine, jsonRequest("POST", "/operations/transactions",
		`{"cartId":"nope","type":"OneOff","amount":{"centAmount":1.5}}`))

	assert.Equal(t, http.StatusBadRequest, rec.Code)
	fields := map[string]string{}
	for _, e := range decodeError(t, rec).Errors {
		fields[e["field"].(string)] = e["code"].(string)
	}
	assert.Equal(t, map[string]string{
		"cartId":                    "InvalidField",
		"checkoutTransactionItemId": "RequiredField",
		"type":                      "InvalidField",
		"amount.centAmount":         "InvalidField",
		"amount.currencyCode":       "RequiredField",
	}, fields)
}

func TestInvalidFieldNamesTheValueAndTheAllowedOnes(t *testing.T) {
	engine, _ := newTestEngine(t)
	rec := serve(t, engine, jsonRequest("POST", "/payments", `{"paymentMethod":{"type":"bogus"}}`))

	e := decodeError(t, rec).Errors[0]
	assert.Equal(t, "bogus", e["invalidValue"])
	assert.Equal(t, []any{"card", "customtestmethod", "invoice", "purchaseorder", "offsite"}, e["allowedValues"])
	assert.Equal(t, `The value "bogus" is not valid for field paymentMethod.type.`, e["message"])
}

func TestLongRejectedValuesAreNotEchoedWhole(t *testing.T) {
	engine, _ := newTestEngine(t)
	long := strings.Repeat("y", 1000)
	rec := serve(t, engine, jsonRequest("POST", "/payments", `{"paymentMethod":{"type":"`+long+`"}}`))

	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.NotContains(t, rec.Body.String(), long)
	assert.Less(t, rec.Body.Len(), 1000)
}

// Validation comes before authentication, as in the templates: a bad body is a 400 even
// without credentials, and a good body without credentials is a 401.
func TestValidationRunsBeforeCredentialChecks(t *testing.T) {
	engine, _ := newTestEngine(t)

	rec := serve(t, engine, jsonRequest("POST", "/payments", `{}`))
	assert.Equal(t, http.StatusBadRequest, rec.Code)

	rec = serve(t, engine, jsonRequest("POST", "/payments", `{"paymentMethod":{"type":"card"}}`))
	assert.Equal(t, http.StatusUnauthorized, rec.Code)
}

func TestNoBadInputAnswersAServerError(t *testing.T) {
	engine, _ := newTestEngine(t)
	bodies := []string{``, `{`, `}`, `null`, `true`, `0`, `"s"`, `[]`, `[{}]`, `{"a":}`, "\x00\xff", `{"paymentMethod":null}`,
		`{"paymentMethod":{"type":null}}`, `{"actions":null}`, `{"actions":[null]}`, `{"actions":[1]}`, `{"actions":[{"action":1}]}`,
		`{"redeemAmount":{"centAmount":1e400,"currencyCode":"EUR"},"code":"c"}`, `{"redeemAmount":{"centAmount":9223372036854775808,"currencyCode":"EUR"},"code":"c"}`}
	paths := []string{"/payments", "/balance", "/redeem", "/operations/payment-intents/p-1", "/operations/transactions", "/notifications"}
	for _, path := range paths {
		for _, body := range bodies {
			req := jsonRequest("POST", path, body)
			rec := httptest.NewRecorder()
			engine.ServeHTTP(rec, req)
			got := decodeError(t, rec)
			if rec.Code == http.StatusNotImplemented {
				// An operation not built yet, reached by a body it accepts.
				assert.Equal(t, "NotImplemented", got.Errors[0]["code"])
				continue
			}
			assert.Less(t, rec.Code, 500, "POST %s %q answered %d: %s", path, body, rec.Code, rec.Body.String())
			assert.False(t, bytes.Contains(rec.Body.Bytes(), []byte("goroutine")), "stack trace leaked")
		}
	}
}
