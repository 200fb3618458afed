package commercetools_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/correlation"
)

// addFaults installs fault injection rules in the emulator.
func addFaults(t *testing.T, s *setup, rules ...map[string]any) {
	t.Helper()
	body, err := json.Marshal(rules)
	require.NoError(t, err)
	resp, err := http.Post(s.server.URL+"/emulator/faults", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestSessions(t *testing.T) {
	s := newSetup(t)
	ctx := context.Background()
	cart := newCart(t, s.client, 1000, "")
	created, err := s.client.CreateSession(ctx, commercetools.NewSessionDraft(cart.ID, commercetools.SessionMetadata{
		AllowedPaymentMethods: []string{"card"}, PaymentInterface: "mock", MerchantReturnURL: "https://shop.example.com/return",
	}))
	require.NoError(t, err)

	got, err := s.client.GetSession(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, commercetools.SessionActive, got.State)
	assert.Equal(t, cart.ID, got.CartID())
	assert.Equal(t, []string{"card"}, got.Metadata.AllowedPaymentMethods)
	assert.Equal(t, "https://shop.example.com/return", got.Metadata.MerchantReturnURL)
	assert.Equal(t, 1, s.requests.count("GET", "/test-project/sessions/"+created.ID), "the session URL's trailing slash is dropped")

	s.clock.Advance(2 * time.Hour)
	expired, err := s.client.GetSession(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, "EXPIRED", expired.State)

	_, err = s.client.GetSession(ctx, "no-such-session")
	assert.True(t, commercetools.IsNotFound(err))
}

func TestIntrospectionAndScopes(t *testing.T) {
	s := newSetup(t)
	ctx := context.Background()

	narrow, err := http.PostForm(s.server.URL+"/oauth/token", nil)
	require.NoError(t, err)
	require.NoError(t, narrow.Body.Close())
	assert.Equal(t, http.StatusUnauthorized, narrow.StatusCode, "no client credentials")

	req, err := http.NewRequest(http.MethodPost, s.server.URL+"/oauth/token",
		bytes.NewBufferString("grant_type=client_credentials&scope=manage_checkout_payment_intents:test-project"))
	require.NoError(t, err)
	req.SetBasicAuth("local", "local")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var tok struct {
		AccessToken string `json:"access_token"`
		Scope       string `json:"scope"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, "manage_checkout_payment_intents:test-project", tok.Scope)

	info, err := s.client.Introspect(ctx, tok.AccessToken)
	require.NoError(t, err)
	assert.True(t, info.Active)
	assert.Equal(t, "manage_checkout_payment_intents:test-project", info.Scope)
	assert.Equal(t, "local", info.ClientID)
	assert.Greater(t, info.Exp, s.clock.Now().Unix())

	unknown, err := s.client.Introspect(ctx, "not-a-token")
	require.NoError(t, err)
	assert.False(t, unknown.Active)

	granted, err := s.client.GrantedScopes(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"manage_project:test-project"}, granted)
	assert.Empty(t, commercetools.MissingScopes("test-project", granted, []string{"manage_payments", "view_sessions"}))
	assert.Equal(t, []string{"view_sessions"},
		commercetools.MissingScopes("test-project", []string{"manage_payments:test-project", "view_sessions:other"}, []string{"manage_payments", "view_sessions"}))
}

func TestWrongCredentialsAreATypedError(t *testing.T) {
	s := newSetup(t, func(c *commercetools.Config) { c.ClientSecret = "wrong" })
	_, err := s.client.GetCart(context.Background(), "c-1")
	require.Error(t, err)
	assert.True(t, commercetools.HasCode(err, commercetools.CodeInvalidClient), "%v", err)
	assert.NotErrorIs(t, err, commercetools.ErrUnavailable)
}

func TestPaymentMethods(t *testing.T) {
	s := newSetup(t)
	ctx := context.Background()
	for _, customer := range []string{"cust-1", "cust-1", "cust-2"} {
		_, err := s.client.CreatePaymentMethod(ctx, commercetools.PaymentMethodDraft{
			Customer: &commercetools.ResourceIdentifier{TypeID: "customer", ID: customer}, Method: "card",
			PaymentInterface: "psp", Token: &commercetools.Token{Value: "tok-" + customer}, PaymentMethodStatus: "Active",
		})
		require.NoError(t, err)
	}
	mine, err := s.client.CustomerPaymentMethods(ctx, "cust-1", "psp", "")
	require.NoError(t, err)
	require.Len(t, mine, 2)
	otherInterface, err := s.client.CustomerPaymentMethods(ctx, "cust-1", "other-psp", "")
	require.NoError(t, err)
	assert.Empty(t, otherInterface)

	got, err := s.client.GetPaymentMethod(ctx, mine[0].ID)
	require.NoError(t, err)
	assert.Equal(t, "tok-cust-1", got.Token.Value)
	err = s.client.DeletePaymentMethod(ctx, got.ID, got.Version+1)
	assert.True(t, commercetools.IsConcurrentModification(err), "a stale version is refused")
	require.NoError(t, s.client.DeletePaymentMethod(ctx, got.ID, got.Version))
	_, err = s.client.GetPaymentMethod(ctx, got.ID)
	assert.True(t, commercetools.IsNotFound(err))
}

// Fifty writers add one transaction each to the same payment at once; every one lands
// exactly once despite the version conflicts.
func TestConcurrentPaymentUpdatesAllLandOnce(t *testing.T) {
	s := newSetup(t)
	ctx := context.Background()
	p, _, err := s.client.CreatePayment(ctx, commercetools.PaymentDraft{AmountPlanned: eur(50_000)})
	require.NoError(t, err)

	const writers = 50
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Go(func() {
			_, err := s.client.UpdatePayment(ctx, p.ID, commercetools.PaymentChange{Transaction: &commercetools.TransactionChange{
				Type: commercetools.TransactionCharge, Amount: eur(100), InteractionID: fmt.Sprintf("charge-%d", i), State: commercetools.StateSuccess}})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	final, err := s.client.GetPayment(ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, final.Transactions, writers)
	seen := map[string]bool{}
	for _, tx := range final.Transactions {
		assert.False(t, seen[tx.InteractionID], "duplicate %s", tx.InteractionID)
		seen[tx.InteractionID] = true
	}
	assert.Equal(t, int64(writers+1), final.Version)
}

// When the token expires, concurrent callers wait for one renewal.
func TestConcurrentCallersShareOneTokenRenewal(t *testing.T) {
	s := newSetup(t)
	ctx := context.Background()
	cart := newCart(t, s.client, 100, "")
	require.Equal(t, 1, s.requests.count("POST", "/oauth/token"))

	s.clock.Advance(48 * time.Hour)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			_, err := s.client.GetCart(ctx, cart.ID)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Equal(t, 2, s.requests.count("POST", "/oauth/token"), "one renewal for twenty callers")
}

// A token that commercetools no longer accepts is renewed once and the call repeated.
func TestRefusedTokenIsRenewedOnce(t *testing.T) {
	s := newSetup(t, func(c *commercetools.Config) {
		// The client believes tokens live much longer than the emulator grants.
		c.Now = func() time.Time { return time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC) }
	})
	ctx := context.Background()
	cart := newCart(t, s.client, 100, "")
	s.clock.Advance(72 * time.Hour)

	_, err := s.client.GetCart(ctx, cart.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, s.requests.count("POST", "/oauth/token"))
	assert.Equal(t, 2, s.requests.count("GET", "/test-project/carts/"+cart.ID), "refused once, then served")
}

// Renewing a refused token is not a retry: the call still gets all its retries for the
// 5xx answers that follow.
func TestTokenRenewalLeavesTheRetriesWhole(t *testing.T) {
	s := newSetup(t)
	ctx := context.Background()
	cart := newCart(t, s.client, 100, "")
	addFaults(t, s,
		map[string]any{"method": "GET", "path": "/carts/", "status": 401, "times": 1},
		map[string]any{"method": "GET", "path": "/carts/", "status": 503, "times": 3})

	got, err := s.client.GetCart(ctx, cart.ID)
	require.NoError(t, err)
	assert.Equal(t, cart.ID, got.ID)
	assert.Equal(t, 5, s.requests.count("GET", "/test-project/carts/"+cart.ID), "refused, three 5xx, then served")
	assert.Equal(t, 2, s.requests.count("POST", "/oauth/token"), "renewed once")
}

func TestCorrelationIDIsPropagated(t *testing.T) {
	s := newSetup(t)
	ctx := correlation.With(context.Background(), correlation.IDs{RequestID: "r-1", CorrelationID: "corr-42"})
	_, err := s.client.CreateCart(ctx, commercetools.CartDraft{Currency: "EUR"})
	require.NoError(t, err)
	reqs := s.requests.all()
	require.NotEmpty(t, reqs)
	for _, r := range reqs {
		assert.Equal(t, "corr-42", r.Header.Get("X-Correlation-ID"), "%s %s", r.Method, r.URL.Path)
	}
}

// Reads survive a burst of 5xx answers.
func TestReadsAreRetriedThroughA5xxBurst(t *testing.T) {
	s := newSetup(t)
	ctx := context.Background()
	cart := newCart(t, s.client, 100, "")
	addFaults(t, s, map[string]any{"method": "GET", "path": "/carts/", "status": 503, "times": 2})

	got, err := s.client.GetCart(ctx, cart.ID)
	require.NoError(t, err)
	assert.Equal(t, cart.ID, got.ID)
	assert.Equal(t, 3, s.requests.count("GET", "/test-project/carts/"+cart.ID))
}

func TestPersistentFailureIsUnavailable(t *testing.T) {
	s := newSetup(t)
	addFaults(t, s, map[string]any{"method": "GET", "path": "/payments/", "status": 502, "body": "<html>bad gateway</html>"})

	_, err := s.client.GetPayment(context.Background(), "p-1")
	require.Error(t, err)
	assert.ErrorIs(t, err, commercetools.ErrUnavailable)
	var ctErr *commercetools.Error
	require.ErrorAs(t, err, &ctErr)
	assert.Equal(t, http.StatusBadGateway, ctErr.StatusCode, "a non-JSON error body keeps its status")
	assert.Equal(t, 4, s.requests.count("GET", "/test-project/payments/p-1"), "the first try and three retries")
}

// Writes whose answer is lost to a 5xx are never made twice: creation by key finds the
// first payment, updates re-read before trying again, cart attachment checks the cart.
func TestLostAnswersNeverCauseDuplicateWrites(t *testing.T) {
	s := newSetup(t)
	ctx := context.Background()
	addFaults(t, s,
		map[string]any{"method": "POST", "path": "/payments", "status": 503, "times": 1, "afterWrite": true},
		map[string]any{"method": "POST", "path": "/payments/", "status": 503, "times": 1, "afterWrite": true},
		map[string]any{"method": "POST", "path": "/carts/", "status": 503, "times": 1, "afterWrite": true},
	)
	cart := newCart(t, s.client, 700, "")

	p, created, err := s.client.CreatePayment(ctx, commercetools.PaymentDraft{Key: "lost-answer", AmountPlanned: eur(700)})
	require.NoError(t, err)
	assert.False(t, created, "the first attempt created it; its answer was lost")
	page, err := s.client.QueryPayments(ctx, commercetools.Eq("key", "lost-answer"))
	require.NoError(t, err)
	assert.Len(t, page.Results, 1)

	updated, err := s.client.UpdatePayment(ctx, p.ID, commercetools.PaymentChange{Transaction: &commercetools.TransactionChange{
		Type: commercetools.TransactionAuthorization, Amount: eur(700), InteractionID: "auth-1", State: commercetools.StateSuccess}})
	require.NoError(t, err)
	assert.Len(t, updated.Transactions, 1)

	withPayment, err := s.client.AddPayment(ctx, cart, p.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{p.ID}, withPayment.PaymentIDs())

	assert.Equal(t, []int{1, 1, 1}, faultHits(t, s), "each fault fired once")
}

// A payment created without a key is not created again after a lost answer.
func TestCreationWithoutKeyIsNotRepeated(t *testing.T) {
	s := newSetup(t)
	addFaults(t, s, map[string]any{"method": "POST", "path": "/payments", "status": 503, "times": 1, "afterWrite": true})
	_, _, err := s.client.CreatePayment(context.Background(), commercetools.PaymentDraft{AmountPlanned: eur(5)})
	assert.ErrorIs(t, err, commercetools.ErrUnavailable)
	assert.Equal(t, 1, s.requests.count("POST", "/test-project/payments"))
}

// Forced version conflicts are absorbed: the update re-reads and lands once; slow answers
// within the time limit are simply waited for.
func TestForcedConflictsAndLatency(t *testing.T) {
	s := newSetup(t)
	ctx := context.Background()
	p, _, err := s.client.CreatePayment(ctx, commercetools.PaymentDraft{AmountPlanned: eur(100)})
	require.NoError(t, err)
	addFaults(t, s,
		map[string]any{"method": "POST", "path": "/payments/", "status": 409, "times": 3},
		map[string]any{"method": "GET", "path": "/payments/", "latencyMs": 20, "times": 1},
	)
	updated, err := s.client.UpdatePayment(ctx, p.ID, commercetools.PaymentChange{InterfaceID: "psp-9"})
	require.NoError(t, err)
	assert.Equal(t, "psp-9", updated.InterfaceID)
	assert.Equal(t, int64(2), updated.Version, "written once")
	assert.Equal(t, 4, s.requests.count("POST", "/test-project/payments/"+p.ID), "three refused, one landed")
}

// faultHits reads how often each fault rule fired.
func faultHits(t *testing.T, s *setup) []int {
	t.Helper()
	resp, err := http.Get(s.server.URL + "/emulator/faults")
	require.NoError(t, err)
	defer resp.Body.Close()
	var faults []struct {
		Hits int `json:"hits"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&faults))
	hits := make([]int, len(faults))
	for i, f := range faults {
		hits[i] = f.Hits
	}
	return hits
}

// Fault rules apply per route and at their rate: a rule for one route leaves others
// alone, a vanishing rate (1e-12) never fires, and latency delays without failing.
func TestFaultRulesPerRouteAndRate(t *testing.T) {
	s := newSetup(t)
	ctx := context.Background()
	cart := newCart(t, s.client, 100, "")
	addFaults(t, s,
		map[string]any{"method": "GET", "path": "/orders", "status": 503},
		map[string]any{"method": "GET", "path": "/carts/", "status": 503, "rate": 1e-12},
		map[string]any{"method": "GET", "path": "/carts/", "latencyMs": 5, "times": 2},
	)
	for range 20 {
		_, err := s.client.GetCart(ctx, cart.ID)
		require.NoError(t, err)
	}
	_, err := s.client.QueryOrders(ctx, "id is defined")
	assert.ErrorIs(t, err, commercetools.ErrUnavailable, "the orders route fails")
	assert.Equal(t, []int{4, 0, 2}, faultHits(t, s), "orders: first try and 3 retries; carts: never at 1e-12; latency twice")
}

// Answers are read into recycled buffers: what one call decoded, raw custom field values
// included, stays intact when later calls reuse the buffer.
func TestDecodedAnswersOutliveTheirBuffers(t *testing.T) {
	s := newSetup(t)
	ctx := context.Background()
	_, err := s.client.CreateType(ctx, commercetools.TypeDraft{Key: "notes", Name: map[string]string{"en": "Notes"}, ResourceTypeIDs: []string{"payment"},
		FieldDefinitions: []commercetools.FieldDefinition{{Type: commercetools.FieldType{Name: "String"}, Name: "note", Label: map[string]string{"en": "Note"}}}})
	require.NoError(t, err)
	create := func(key, note string) string {
		p, _, err := s.client.CreatePayment(ctx, commercetools.PaymentDraft{Key: key, AmountPlanned: eur(100),
			Custom: &commercetools.CustomFieldsDraft{Type: commercetools.ResourceIdentifier{TypeID: "type", Key: "notes"}, Fields: map[string]any{"note": note}}})
		require.NoError(t, err)
		return p.ID
	}
	first := create("first", "aaaaaaaaaaaaaaaa")
	second := create("second-payment", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")

	p1, err := s.client.GetPayment(ctx, first)
	require.NoError(t, err)
	for range 20 {
		_, err := s.client.GetPayment(ctx, second)
		require.NoError(t, err)
	}
	assert.Equal(t, "first", p1.Key)
	assert.JSONEq(t, `"aaaaaaaaaaaaaaaa"`, string(p1.Custom.Fields["note"]))
}
