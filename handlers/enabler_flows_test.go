package handlers

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
)

// The returning shopper's path through the template's enabler: the stored-card component
// asks whether stored methods are on, lists them, renders each from displayOptions.brand.key
// and displayOptions.endDigits in mount(), then pays with the one picked.
func TestReturningShopperPaysWithAStoredCardAsTheEnablerDoes(t *testing.T) {
	s := newTestStack(t)
	first := s.ct.NewCheckout(t, 1000, "cust-r", commercetools.SessionMetadata{})
	paymentReference(t, pay(t, s, first.SessionID, `{"paymentMethod":{"type":"card","storePaymentMethod":true},"paymentOutcome":"Authorized"}`, ""))

	next := s.ct.NewCheckout(t, 2500, "cust-r", commercetools.SessionMetadata{})
	get := func(path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("x-session-id", next.SessionID)
		return serve(t, s.engine, req)
	}
	var config struct {
		StoredPaymentMethodsConfig struct {
			IsEnabled bool `json:"isEnabled"`
		} `json:"storedPaymentMethodsConfig"`
	}
	require.NoError(t, json.Unmarshal(get("/operations/config").Body.Bytes(), &config))
	require.True(t, config.StoredPaymentMethodsConfig.IsEnabled)

	rec := get("/stored-payment-methods")
	require.Equal(t, http.StatusOK, rec.Code)
	var list struct {
		StoredPaymentMethods []struct {
			ID             string `json:"id"`
			Type           string `json:"type"`
			DisplayOptions *struct {
				Brand *struct {
					Key string `json:"key"`
				} `json:"brand"`
				EndDigits   *string `json:"endDigits"`
				ExpiryMonth int     `json:"expiryMonth"`
				ExpiryYear  int     `json:"expiryYear"`
			} `json:"displayOptions"`
		} `json:"storedPaymentMethods"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &list))
	require.Len(t, list.StoredPaymentMethods, 1)
	m := list.StoredPaymentMethods[0]
	require.NotNil(t, m.DisplayOptions, "mount() reads displayOptions")
	require.NotNil(t, m.DisplayOptions.Brand, "mount() reads displayOptions.brand.key")
	assert.Equal(t, "visa", m.DisplayOptions.Brand.Key)
	require.NotNil(t, m.DisplayOptions.EndDigits)
	assert.Equal(t, "1111", *m.DisplayOptions.EndDigits)
	assert.Equal(t, 3, m.DisplayOptions.ExpiryMonth)
	assert.Equal(t, 2030, m.DisplayOptions.ExpiryYear)

	paid := paymentReference(t, pay(t, s, next.SessionID, `{"paymentMethod":{"type":"card","storedPaymentMethodId":"`+m.ID+`"},"paymentOutcome":"Authorized"}`, ""))
	assert.Equal(t, []string{"Authorization Success 2500"}, transactions(t, s, paid))

	// A method stored by someone else, without display data, still renders.
	storedMethod(t, s, "cust-r", "mock-spm")
	require.NoError(t, json.Unmarshal(get("/stored-payment-methods").Body.Bytes(), &list))
	require.Len(t, list.StoredPaymentMethods, 2)
	for _, m := range list.StoredPaymentMethods {
		require.NotNil(t, m.DisplayOptions)
		require.NotNil(t, m.DisplayOptions.Brand)
		assert.NotEmpty(t, m.DisplayOptions.Brand.Key)
		assert.NotNil(t, m.DisplayOptions.EndDigits)
	}
}
