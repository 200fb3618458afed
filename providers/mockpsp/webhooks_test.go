package mockpsp

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/providers"
)

func TestWebhooksAreSignedAndChecked(t *testing.T) {
	m := New()
	now := time.Now()
	m.SetClock(func() time.Time { return now })
	m.SetWebhookSecrets("new-secret", "old-secret")
	ctx := context.Background()
	auth, err := m.Authorize(ctx, providers.AuthorizeRequest{IdempotencyKey: "k-auth", Reference: "pay-1", Amount: eur(1000)})
	require.NoError(t, err)
	_, err = m.Capture(ctx, providers.OperationRequest{IdempotencyKey: "k-cap", PSPReference: auth.PSPReference, Amount: eur(400)})
	require.NoError(t, err)

	out := m.Outbox()
	require.Len(t, out, 2, "one event per money call")
	assert.Equal(t, providers.EventAuthorized, out[0].Kind)
	assert.Equal(t, "k-auth", out[0].IdempotencyKey)
	assert.Equal(t, "pay-1", out[0].MerchantReference)
	assert.Equal(t, providers.EventCaptured, out[1].Kind)
	assert.Equal(t, auth.PSPReference, out[1].PaymentReference)

	header, body := m.Webhook(out...)
	events, err := m.VerifyWebhook(ctx, header, body)
	require.NoError(t, err)
	assert.Equal(t, out, events, "what is sent is what is read")

	tampered := append([]byte(nil), body...)
	tampered[len(tampered)-3] ^= 1
	_, err = m.VerifyWebhook(ctx, header, tampered)
	assert.ErrorIs(t, err, providers.ErrBadSignature, "a byte changed")

	old := http.Header{SignatureHeader: {Sign("old-secret", now, body)}}
	_, err = m.VerifyWebhook(ctx, old, body)
	assert.NoError(t, err, "the previous secret is accepted during a rotation")
	wrong := http.Header{SignatureHeader: {Sign("guess", now, body)}}
	_, err = m.VerifyWebhook(ctx, wrong, body)
	assert.ErrorIs(t, err, providers.ErrBadSignature)

	stale := http.Header{SignatureHeader: {Sign("new-secret", now.Add(-Tolerance-time.Second), body)}}
	_, err = m.VerifyWebhook(ctx, stale, body)
	assert.ErrorIs(t, err, providers.ErrBadSignature, "a replay outside the tolerance")
	future := http.Header{SignatureHeader: {Sign("new-secret", now.Add(Tolerance+time.Second), body)}}
	_, err = m.VerifyWebhook(ctx, future, body)
	assert.ErrorIs(t, err, providers.ErrBadSignature)
	_, err = m.VerifyWebhook(ctx, http.Header{}, body)
	assert.ErrorIs(t, err, providers.ErrBadSignature, "no signature")
}
