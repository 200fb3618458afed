package registry

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/providers"
)

func env(vars map[string]string) Getenv { return func(k string) string { return vars[k] } }

func TestOpenPSP(t *testing.T) {
	psp, err := OpenPSP("", env(nil))
	require.NoError(t, err)
	assert.Equal(t, "mock", psp.Interface)
	assert.True(t, psp.InProcess)
	_, isLooker := psp.Provider.(providers.Looker)
	assert.True(t, isLooker, "the mock offers lookups to the reconciler")

	_, err = OpenPSP("stripe-ish", env(nil))
	assert.EqualError(t, err, `PSP "stripe-ish" is not known; known: mock, stripe`)
}

func TestOpenGiftCards(t *testing.T) {
	cards, err := OpenGiftCards("mock", env(map[string]string{"MOCK_CONNECTOR_CURRENCY": "USD"}))
	require.NoError(t, err)
	assert.Equal(t, "mock-giftcard-provider", cards.Interface)

	none, err := OpenGiftCards(Disabled, env(nil))
	require.NoError(t, err)
	assert.Nil(t, none, "gift cards off")

	_, err = OpenGiftCards("mock", env(map[string]string{"MOCK_CONNECTOR_CURRENCY": "euro"}))
	assert.ErrorContains(t, err, "gift-card provider mock: MOCK_CONNECTOR_CURRENCY", "each factory checks its own settings")

	_, err = OpenGiftCards("paper", env(nil))
	assert.ErrorContains(t, err, `gift-card provider "paper" is not known`)
}
