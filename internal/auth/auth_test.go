package auth_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/apierror"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/internal/testenv"
)

func status(err error) int {
	var e *apierror.Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

func TestSessionCarriesTheMetadataAndIsCached(t *testing.T) {
	ct := testenv.Start(t)
	clk := testenv.NewClock(time.Now())
	a := ct.Authenticator(t, func(c *auth.Config) { c.Now = clk.Now; c.SessionCacheTTL = 10 * time.Second })
	ctx := context.Background()
	planned := commercetools.Money{CurrencyCode: "EUR", CentAmount: 700, FractionDigits: 2}
	checkout := ct.NewCheckout(t, 1000, "c-1", commercetools.SessionMetadata{
		AllowedPaymentMethods: []string{"card"}, ProcessorURL: "https://processor.example.com", PaymentInterface: "psp",
		CheckoutTransactionItemID: "cti-1", MerchantReturnURL: "https://shop.example.com/r", FutureOrderNumber: "ord-9",
		GiftCardPlannedAmount: &planned, CorrelationID: "corr-from-checkout",
	})

	s, err := a.Session(ctx, checkout.SessionID)
	require.NoError(t, err)
	assert.Equal(t, &auth.Session{ID: checkout.SessionID, CartID: checkout.Cart.ID, AllowedPaymentMethods: []string{"card"},
		ProcessorURL: "https://processor.example.com", PaymentInterface: "psp", MerchantReturnURL: "https://shop.example.com/r",
		FutureOrderNumber: "ord-9", CheckoutTransactionItemID: "cti-1", GiftCardPlannedAmount: &planned, CorrelationID: "corr-from-checkout"}, s)

	calls := ct.Requests("GET /" + testenv.ProjectKey + "/sessions/")
	_, err = a.Session(ctx, checkout.SessionID)
	require.NoError(t, err)
	assert.Equal(t, calls, ct.Requests("GET /"+testenv.ProjectKey+"/sessions/"), "served from the cache")

	ct.ExpireSession(t, checkout.SessionID)
	clk.Advance(11 * time.Second)
	_, err = a.Session(ctx, checkout.SessionID)
	assert.Equal(t, http.StatusUnauthorized, status(err), "asked again after the cache time: expired")
}

func TestIntrospectionIsCachedUntilExpiryOrAMinute(t *testing.T) {
	ct := testenv.Start(t)
	clk := testenv.NewClock(time.Now())
	a := ct.Authenticator(t, func(c *auth.Config) { c.Now = clk.Now })
	ctx := context.Background()
	token := ct.Token(t, "manage_checkout_payment_intents:"+testenv.ProjectKey+" customer_id:cust-7 view_payments:other", 3600)

	c, err := a.Client(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, []string{"manage_checkout_payment_intents"}, c.Scopes, "only this project's scopes")
	assert.Equal(t, "cust-7", c.CustomerID)
	assert.True(t, c.HasAnyScope("manage_project", "manage_checkout_payment_intents"))
	assert.False(t, c.HasAnyScope("view_payments"))

	_, err = a.Client(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, 1, ct.Requests("POST /oauth/introspect"), "cached")
	clk.Advance(61 * time.Second)
	_, err = a.Client(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, 2, ct.Requests("POST /oauth/introspect"), "a minute at most")

	fresh := testenv.NewClock(time.Now())
	a = ct.Authenticator(t, func(c *auth.Config) { c.Now = fresh.Now })
	clk = fresh
	short := ct.Token(t, "manage_project:"+testenv.ProjectKey, 5)
	_, err = a.Client(ctx, short)
	require.NoError(t, err)
	clk.Advance(6 * time.Second)
	_, err = a.Client(ctx, short)
	assert.Equal(t, http.StatusUnauthorized, status(err), "never cached past the token's expiry")
}

// Tokens naming unknown kids trigger at most one JWKS fetch per pause, however many come.
func TestUnknownKidsDoNotHammerTheJWKS(t *testing.T) {
	ct := testenv.Start(t)
	clk := testenv.NewClock(time.Now())
	a := ct.Authenticator(t, func(c *auth.Config) { c.Now = clk.Now; c.JWKSRefreshInterval = 10 * time.Second })
	ctx := context.Background()
	good := ct.MintJWT(t, nil)
	_, err := a.Merchant(ctx, good)
	require.NoError(t, err)
	require.Equal(t, 1, ct.Requests("GET /.well-known/jwks.json"))

	clk.Advance(11 * time.Second) // past the pause after the first fetch
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			token := withKid(fmt.Sprintf("made-up-%d", i), ct.URL)
			_, err := a.Merchant(ctx, token)
			assert.Equal(t, http.StatusUnauthorized, status(err))
		})
	}
	wg.Wait()
	assert.Equal(t, 2, ct.Requests("GET /.well-known/jwks.json"), "one refresh for twenty unknown kids")

	m, err := a.Merchant(ctx, good)
	require.NoError(t, err, "known keys keep working")
	assert.Equal(t, "local-merchant", m.Subject)
}

func TestConfigurationIsChecked(t *testing.T) {
	_, err := auth.New(auth.Config{ProjectKey: "p"})
	assert.Error(t, err)
}

// withKid is an RS256-looking token naming kid, with a signature that cannot verify.
func withKid(kid, issuer string) string {
	enc := func(v any) string {
		data, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(data)
	}
	return enc(map[string]any{"alg": "RS256", "typ": "JWT", "kid": kid}) + "." +
		enc(map[string]any{"iss": issuer, "exp": time.Now().Add(time.Hour).Unix()}) + ".c2lnbmF0dXJl"
}
