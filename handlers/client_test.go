package handlers

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/checkout-connect/go-connector/api"
	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/generated/client"
	"github.com/checkout-connect/go-connector/internal/testenv"
)

// The typed client generated from the contract talks to the real server over HTTP.
func TestTypedClientAgainstTheServer(t *testing.T) {
	stack := newTestStack(t)
	srv := httptest.NewServer(stack.engine)
	t.Cleanup(srv.Close)
	processor, err := client.NewClientWithResponses(srv.URL)
	require.NoError(t, err)
	ctx := context.Background()

	health, err := processor.GetHealthWithResponse(ctx)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, health.StatusCode())
	require.NotNil(t, health.JSON200)
	assert.Equal(t, client.HealthResponseStatusUP, health.JSON200.Status)

	spec, err := processor.GetOpenAPISpecWithResponse(ctx)
	require.NoError(t, err)
	assert.Equal(t, "application/yaml", spec.HTTPResponse.Header.Get("Content-Type"))
	assert.Equal(t, api.Spec, spec.Body, "the served contract is the embedded one, byte for byte")
	var doc map[string]any
	require.NoError(t, yaml.Unmarshal(spec.Body, &doc))
	assert.Equal(t, "3.0.3", doc["openapi"])

	noSession, err := processor.CreatePaymentWithResponse(ctx, &client.CreatePaymentParams{},
		client.CreatePaymentJSONRequestBody{PaymentMethod: client.PaymentMethod{Type: client.PaymentMethodTypeCard}})
	require.NoError(t, err)
	require.Equal(t, http.StatusUnauthorized, noSession.StatusCode())
	require.NotNil(t, noSession.JSON401)
	assert.Equal(t, "Session is not active", noSession.JSON401.Message)

	withSession := func(_ context.Context, req *http.Request) error {
		req.Header.Set("x-session-id", stack.ct.NewCheckout(t, 100, "", commercetools.SessionMetadata{}).SessionID)
		return nil
	}
	key := "submit-1"
	payment, err := processor.CreatePaymentWithResponse(ctx, &client.CreatePaymentParams{IdempotencyKey: &key},
		client.CreatePaymentJSONRequestBody{PaymentMethod: client.PaymentMethod{Type: client.PaymentMethodTypeCard}}, withSession)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, payment.StatusCode(), "%s", payment.Body)
	require.NotNil(t, payment.JSON200)
	assert.NotEmpty(t, payment.JSON200.PaymentReference)

	var action client.PaymentIntentAction
	require.NoError(t, action.FromCapturePaymentAction(client.CapturePaymentAction{
		Action: "capturePayment",
		Amount: client.Money{CentAmount: 1000, CurrencyCode: "EUR"},
	}))
	intent, err := processor.ModifyPaymentIntentWithResponse(ctx, "p-1",
		client.PaymentIntentRequest{Actions: []client.PaymentIntentAction{action}},
		func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+stack.ct.Token(t, "manage_checkout_payment_intents:"+testenv.ProjectKey, 600))
			return nil
		})
	require.NoError(t, err)
	require.Equal(t, http.StatusNotFound, intent.StatusCode(), "a valid capture of an unknown payment: %s", intent.Body)
	require.NotNil(t, intent.JSON404)
	assert.Equal(t, "ResourceNotFound", intent.JSON404.Errors[0].Code)

	raw, err := processor.ReceiveNotificationWithBody(ctx, "application/json", nil)
	require.NoError(t, err)
	body, _ := io.ReadAll(raw.Body)
	_ = raw.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, raw.StatusCode, "an unsigned webhook: %s", body)
}
