package config

import (
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func TestDefaultsAreTheTemplates(t *testing.T) {
	c, err := Load(env(nil))
	require.NoError(t, err)

	assert.True(t, c.Local(), "no client id means local mode")
	assert.Equal(t, 8080, c.Port)
	assert.Equal(t, "payment-integration", c.Commercetools.ProjectKey)
	assert.Equal(t, "https://auth.europe-west1.gcp.commercetools.com", c.Commercetools.AuthURL)
	assert.Equal(t, "https://api.europe-west1.gcp.commercetools.com", c.Commercetools.APIURL)
	assert.Equal(t, "https://session.europe-west1.gcp.commercetools.com", c.Commercetools.SessionURL)
	assert.Equal(t, "https://checkout.europe-west1.gcp.commercetools.com", c.Commercetools.CheckoutURL)
	assert.Equal(t, "https://mc-api.europe-west1.gcp.commercetools.com/.well-known/jwks.json", c.Commercetools.JWKSURL)
	assert.Equal(t, "https://mc-api.europe-west1.gcp.commercetools.com", c.Commercetools.JWTIssuer)
	assert.Equal(t, 5*time.Second, c.HealthCheckTimeout)
	assert.Equal(t, slog.LevelInfo, c.LogLevel)
	assert.Equal(t, int64(65536), c.MaxRequestBodyBytes)
	assert.Equal(t, "EUR", c.Mock.Currency)
	assert.False(t, c.StoredPaymentMethods.Enabled)
	assert.Equal(t, "psp-template", c.StoredPaymentMethods.PaymentInterface)
	assert.Equal(t, "payment-launchpad-purchase-order", c.PurchaseOrderTypeKey)
	assert.Equal(t, ":8080", c.Addr())
	assert.Equal(t, "mock", c.PSP)
	assert.Equal(t, "mock", c.GiftCardProvider)
	assert.Equal(t, 20*time.Second, c.RequestBudget)
	assert.Less(t, c.RequestBudget, WriteTimeout, "every answer is written before the server gives up on it")
	assert.Equal(t, 2*time.Minute, c.ReconcileAfter)
	assert.Equal(t, time.Minute, c.ReconcileInterval)
}

func TestValuesAreRead(t *testing.T) {
	c, err := Load(env(map[string]string{
		"HOST":                           "127.0.0.1",
		"PORT":                           "9090",
		"CTP_PROJECT_KEY":                "my-shop",
		"CTP_CLIENT_ID":                  "id",
		"CTP_CLIENT_SECRET":              "s3cret",
		"CTP_SESSION_URL":                "https://session.example.com//",
		"CTP_API_URL":                    " https://api.example.com/ ",
		"HEALTH_CHECK_TIMEOUT":           "250",
		"LOGGER_LEVEL":                   "trace",
		"STORED_PAYMENT_METHODS_ENABLED": "true",
		"MOCK_CONNECTOR_CURRENCY":        "USD",
		"MERCHANT_RETURN_URL":            "https://shop.example.com/return/",
		"REQUEST_BUDGET":                 "15s",
		"RECONCILE_AFTER":                "90000",
		"RECONCILE_INTERVAL":             "0",
		"GIFT_CARD_PROVIDER":             "none",
	}))
	require.NoError(t, err)
	assert.Equal(t, 15*time.Second, c.RequestBudget)
	assert.Equal(t, 90*time.Second, c.ReconcileAfter, "plain numbers are milliseconds")
	assert.Equal(t, time.Duration(0), c.ReconcileInterval, "0 turns the reconciler off")
	assert.Equal(t, "mock", c.PSP)
	assert.Equal(t, "none", c.GiftCardProvider)

	assert.False(t, c.Local())
	assert.Equal(t, "127.0.0.1:9090", c.Addr())
	assert.Equal(t, "my-shop", c.Commercetools.ProjectKey)
	assert.Equal(t, "s3cret", c.Commercetools.ClientSecret.Reveal())
	assert.Equal(t, "https://session.example.com", c.Commercetools.SessionURL, "trailing slashes dropped")
	assert.Equal(t, "https://api.example.com", c.Commercetools.APIURL)
	assert.Equal(t, 250*time.Millisecond, c.HealthCheckTimeout)
	assert.Equal(t, slog.LevelDebug, c.LogLevel)
	assert.True(t, c.StoredPaymentMethods.Enabled)
	assert.Equal(t, "USD", c.Mock.Currency)
	assert.Equal(t, "https://shop.example.com/return/", c.MerchantReturnURL, "a return URL is kept as given")
}

func TestEveryProblemIsReportedAtOnce(t *testing.T) {
	_, err := Load(env(map[string]string{
		"PORT":                           "http",
		"CTP_PROJECT_KEY":                "My Shop",
		"CTP_CLIENT_ID":                  "id",
		"CTP_AUTH_URL":                   "auth.example.com",
		"HEALTH_CHECK_TIMEOUT":           "-1",
		"LOGGER_LEVEL":                   "loud",
		"MAX_REQUEST_BODY_BYTES":         "10",
		"STORED_PAYMENT_METHODS_ENABLED": "yes please",
		"MOCK_CONNECTOR_CURRENCY":        "euro",
		"MERCHANT_RETURN_URL":            "ftp://x",
		"REQUEST_BUDGET":                 "2m",
		"RECONCILE_AFTER":                "soon",
	}))
	require.Error(t, err)
	for _, name := range []string{"REQUEST_BUDGET", "RECONCILE_AFTER", "PORT", "CTP_PROJECT_KEY", "CTP_CLIENT_SECRET", "CTP_AUTH_URL", "HEALTH_CHECK_TIMEOUT",
		"LOGGER_LEVEL", "MAX_REQUEST_BODY_BYTES", "STORED_PAYMENT_METHODS_ENABLED", "MOCK_CONNECTOR_CURRENCY", "MERCHANT_RETURN_URL"} {
		assert.Contains(t, err.Error(), name)
	}
}

func TestSecretWithoutClientIDIsRefused(t *testing.T) {
	_, err := Load(env(map[string]string{"CTP_CLIENT_SECRET": "s"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "CTP_CLIENT_ID")
}

func TestSecretsStayHidden(t *testing.T) {
	s := Secret("s3cret")
	assert.Equal(t, "REDACTED", s.String())
	assert.Equal(t, "REDACTED", fmt.Sprintf("%v", s))
	assert.Equal(t, "REDACTED", s.LogValue().String())

	c, err := Load(env(map[string]string{"CTP_CLIENT_ID": "id", "CTP_CLIENT_SECRET": "s3cret"}))
	require.NoError(t, err)
	assert.NotContains(t, fmt.Sprintf("%+v", c), "s3cret")
}
