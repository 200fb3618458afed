package stripe

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/checkout-connect/go-connector/providers"
)

func testPSP(t *testing.T) *PSP {
	t.Helper()
	p, err := Open(func(k string) string {
		return map[string]string{"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_WEBHOOK_SECRET": "whsec_new", "STRIPE_WEBHOOK_SECRET_PREVIOUS": "whsec_old",
			"STRIPE_API_BASE": "http://127.0.0.1:1"}[k]
	})
	require.NoError(t, err)
	return p
}

// event is a webhook body as Stripe sends it, for an object of the event type.
func event(id, typ, object string) []byte {
	return []byte(fmt.Sprintf(`{"id":%q,"object":"event","api_version":"2026-03-25.dahlia","created":1764547200,"type":%q,"data":{"object":%s}}`, id, typ, object))
}

// signed signs body as Stripe does, with secret at time at.
func signed(body []byte, secret string, at time.Time) http.Header {
	p := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret, Timestamp: at})
	return http.Header{"Stripe-Signature": {p.Header}}
}

func TestStripeEventsMapToTransactions(t *testing.T) {
	p := testPSP(t)
	intent := `{"id":"pi_1","object":"payment_intent","amount":2000,"amount_capturable":2000,"amount_received":0,"currency":"eur","status":"requires_capture",
		"latest_charge":"ch_1","metadata":{"ct_idempotency_key":"pay_x_a_b_auth","ct_payment_id":"ct-pay-1","ct_capture_key":"op_x_c_d_charge"}}`
	captured := `{"id":"pi_1","object":"payment_intent","amount":2000,"amount_capturable":0,"amount_received":1500,"currency":"eur","status":"succeeded",
		"latest_charge":"ch_1","metadata":{"ct_idempotency_key":"pay_x_a_b_auth","ct_payment_id":"ct-pay-1","ct_capture_key":"op_x_c_d_charge"}}`
	refunded := `{"id":"ch_1","object":"charge","amount":1500,"amount_refunded":500,"currency":"eur","payment_intent":"pi_1",
		"refunds":{"object":"list","data":[{"id":"re_1","object":"refund","amount":500,"currency":"eur","status":"succeeded","metadata":{"ct_idempotency_key":"op_x_e_f_refund"}}]}}`
	dispute := `{"id":"dp_1","object":"dispute","amount":300000,"currency":"isk","payment_intent":"pi_2","status":"needs_response"}`
	cases := []struct {
		body []byte
		want providers.Notification
	}{
		{event("evt_1", "payment_intent.amount_capturable_updated", intent), providers.Notification{EventID: "evt_1", Kind: providers.EventAuthorized,
			IdempotencyKey: "pay_x_a_b_auth", PSPReference: "pi_1", PaymentReference: "pi_1", MerchantReference: "ct-pay-1", Amount: providers.Money{CentAmount: 2000, CurrencyCode: "EUR"}}},
		{event("evt_2", "payment_intent.succeeded", captured), providers.Notification{EventID: "evt_2", Kind: providers.EventCaptured,
			IdempotencyKey: "op_x_c_d_charge", PSPReference: "ch_1", PaymentReference: "pi_1", MerchantReference: "ct-pay-1", Amount: providers.Money{CentAmount: 1500, CurrencyCode: "EUR"}}},
		{event("evt_3", "charge.refunded", refunded), providers.Notification{EventID: "evt_3", Kind: providers.EventRefunded,
			IdempotencyKey: "op_x_e_f_refund", PSPReference: "re_1", PaymentReference: "pi_1", Amount: providers.Money{CentAmount: 500, CurrencyCode: "EUR"}}},
		{event("evt_4", "charge.dispute.created", dispute), providers.Notification{EventID: "evt_4", Kind: providers.EventChargeback,
			PSPReference: "dp_1", PaymentReference: "pi_2", Amount: providers.Money{CentAmount: 3000, CurrencyCode: "ISK"}}},
		{event("evt_5", "customer.created", `{"id":"cus_1","object":"customer"}`), providers.Notification{EventID: "evt_5", Kind: "customer.created"}},
	}
	for _, tc := range cases {
		got, err := p.VerifyWebhook(context.Background(), signed(tc.body, "whsec_new", time.Now()), tc.body)
		require.NoError(t, err)
		assert.Equal(t, []providers.Notification{tc.want}, got)
	}
}

func TestStripeSignaturesAreChecked(t *testing.T) {
	p := testPSP(t)
	body := event("evt_1", "payment_intent.canceled", `{"id":"pi_1","object":"payment_intent","amount":2000,"currency":"eur","status":"canceled"}`)
	_, err := p.VerifyWebhook(context.Background(), signed(body, "whsec_old", time.Now()), body)
	assert.NoError(t, err, "the previous secret during a rotation")

	tampered := append([]byte(nil), body...)
	tampered[len(tampered)-5] = '9'
	for name, h := range map[string]struct {
		header http.Header
		body   []byte
	}{
		"tampered body": {signed(body, "whsec_new", time.Now()), tampered},
		"wrong secret":  {signed(body, "whsec_guess", time.Now()), body},
		"stale":         {signed(body, "whsec_new", time.Now().Add(-6*time.Minute)), body},
		"unsigned":      {http.Header{}, body},
	} {
		_, err := p.VerifyWebhook(context.Background(), h.header, h.body)
		assert.ErrorIs(t, err, providers.ErrBadSignature, name)
	}
}

func TestStripeSettingsAreChecked(t *testing.T) {
	_, err := Open(func(string) string { return "" })
	assert.ErrorContains(t, err, "STRIPE_SECRET_KEY")
	assert.ErrorContains(t, err, "STRIPE_WEBHOOK_SECRET")
	_, err = Open(func(k string) string {
		return map[string]string{"STRIPE_SECRET_KEY": "pk_live_1", "STRIPE_WEBHOOK_SECRET": "w"}[k]
	})
	assert.ErrorContains(t, err, "secret key", "a publishable key is not a secret key")
}
