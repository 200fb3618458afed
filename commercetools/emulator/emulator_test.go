package emulator_test

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools/emulator"
	"github.com/checkout-connect/go-connector/internal/ctcontract"
)

// api talks to an emulator over HTTP with raw requests; answers to commercetools
// endpoints are checked against the official API description.
type api struct {
	t     *testing.T
	base  string
	http  *http.Client
	token string
}

func newAPI(t *testing.T) *api {
	t.Helper()
	emu, err := emulator.New(emulator.Options{ProjectKey: "p"})
	require.NoError(t, err)
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(srv.Close)
	a := &api{t: t, base: srv.URL, http: &http.Client{Transport: ctcontract.NewTransport(t)}}
	status, body := a.form("/oauth/token", url.Values{"grant_type": {"client_credentials"}}, "local", "local")
	require.Equal(t, 200, status, "%s", body)
	a.token = body["access_token"].(string)
	return a
}

func (a *api) do(method, path string, body any) (int, map[string]any) {
	a.t.Helper()
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		require.NoError(a.t, err)
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.base+path, r)
	require.NoError(a.t, err)
	req.Header.Set("Content-Type", "application/json")
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	return a.send(req)
}

func (a *api) form(path string, values url.Values, user, pass string) (int, map[string]any) {
	a.t.Helper()
	req, err := http.NewRequest(http.MethodPost, a.base+path, strings.NewReader(values.Encode()))
	require.NoError(a.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	return a.send(req)
}

func (a *api) send(req *http.Request) (int, map[string]any) {
	a.t.Helper()
	resp, err := a.http.Do(req)
	require.NoError(a.t, err)
	defer resp.Body.Close()
	var out map[string]any
	data, err := io.ReadAll(resp.Body)
	require.NoError(a.t, err)
	if len(data) > 0 {
		require.NoError(a.t, json.Unmarshal(data, &out), "%s", data)
	}
	return resp.StatusCode, out
}

func firstCode(body map[string]any) string {
	errs, _ := body["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	return errs[0].(map[string]any)["code"].(string)
}

func money(cents int) map[string]any {
	return map[string]any{"currencyCode": "EUR", "centAmount": cents}
}

func TestVersionsAreCheckedOnEveryUpdate(t *testing.T) {
	a := newAPI(t)
	status, p := a.do("POST", "/p/payments", map[string]any{"amountPlanned": money(100)})
	require.Equal(t, 201, status)
	id := p["id"].(string)

	status, body := a.do("POST", "/p/payments/"+id, map[string]any{"version": 7, "actions": []any{}})
	assert.Equal(t, 409, status, "a stale version is refused even with nothing to do")
	assert.Equal(t, "ConcurrentModification", firstCode(body))
	assert.EqualValues(t, 1, body["errors"].([]any)[0].(map[string]any)["currentVersion"])

	status, body = a.do("POST", "/p/payments/"+id, map[string]any{"version": 1, "actions": []any{
		map[string]any{"action": "setInterfaceId", "interfaceId": "psp-1"}}})
	require.Equal(t, 200, status, "%v", body)
	assert.EqualValues(t, 2, body["version"])

	status, body = a.do("POST", "/p/payments/"+id, map[string]any{"version": 2, "actions": []any{
		map[string]any{"action": "setInterfaceId", "interfaceId": "psp-1"}}})
	require.Equal(t, 200, status)
	assert.EqualValues(t, 2, body["version"], "a change that changes nothing keeps the version")
}

func TestTransactionStatesMoveForwardOnly(t *testing.T) {
	a := newAPI(t)
	_, p := a.do("POST", "/p/payments", map[string]any{"amountPlanned": money(100), "transactions": []any{
		map[string]any{"type": "Authorization", "amount": money(100), "state": "Success"}}})
	tx := p["transactions"].([]any)[0].(map[string]any)["id"].(string)
	status, body := a.do("POST", "/p/payments/"+p["id"].(string), map[string]any{"version": 1, "actions": []any{
		map[string]any{"action": "changeTransactionState", "transactionId": tx, "state": "Pending"}}})
	assert.Equal(t, 400, status)
	assert.Equal(t, "InvalidOperation", firstCode(body))

	status, _ = a.do("POST", "/p/payments/"+p["id"].(string), map[string]any{"version": 1, "actions": []any{
		map[string]any{"action": "addTransaction", "transaction": map[string]any{"type": "Charge", "amount": money(100)}},
		map[string]any{"action": "explode"}}})
	assert.Equal(t, 400, status, "an unknown action fails the whole update")
	_, again := a.do("GET", "/p/payments/"+p["id"].(string), nil)
	assert.Len(t, again["transactions"], 1, "nothing of a failed update is kept")
}

func TestPaymentKeysAreUnique(t *testing.T) {
	a := newAPI(t)
	status, _ := a.do("POST", "/p/payments", map[string]any{"key": "k-1", "amountPlanned": money(1)})
	require.Equal(t, 201, status)
	status, body := a.do("POST", "/p/payments", map[string]any{"key": "k-1", "amountPlanned": money(1)})
	assert.Equal(t, 400, status)
	assert.Equal(t, "DuplicateField", firstCode(body))
	status, body = a.do("GET", "/p/payments/key=k-1", nil)
	assert.Equal(t, 200, status)
	assert.Equal(t, "k-1", body["key"])
}

func TestQueriesPageAndFilter(t *testing.T) {
	a := newAPI(t)
	for i, iface := range []string{"a", "b", "a", "c"} {
		status, _ := a.do("POST", "/p/payments", map[string]any{"amountPlanned": money(10 * (i + 1)), "interfaceId": iface})
		require.Equal(t, 201, status)
	}
	cases := map[string]int{
		`interfaceId = "a"`: 2,
		`interfaceId="a" and amountPlanned(centAmount > 10)`:       1,
		`interfaceId in ("b", "c")`:                                2,
		`not(interfaceId = "a")`:                                   2,
		`interfaceId = "a" or interfaceId = "c"`:                   3,
		`key is not defined`:                                       4,
		`amountPlanned(centAmount >= 20 and currencyCode = "EUR")`: 3,
	}
	for where, want := range cases {
		status, body := a.do("GET", "/p/payments?where="+url.QueryEscape(where), nil)
		require.Equal(t, 200, status, where)
		assert.EqualValues(t, want, body["total"], where)
	}
	status, body := a.do("GET", "/p/payments?limit=1&offset=1", nil)
	require.Equal(t, 200, status)
	assert.EqualValues(t, 1, body["count"])
	assert.EqualValues(t, 4, body["total"])
	status, body = a.do("GET", "/p/payments?where="+url.QueryEscape(`interfaceId = `), nil)
	assert.Equal(t, 400, status)
	assert.Equal(t, "InvalidInput", firstCode(body))
}

func TestCartsTotalsAndTaxes(t *testing.T) {
	a := newAPI(t)
	status, c := a.do("POST", "/p/carts", map[string]any{"currency": "EUR", "taxMode": "External", "customLineItems": []any{
		map[string]any{"name": map[string]any{"en": "A"}, "money": money(1000), "slug": "a", "quantity": 2,
			"externalTaxRate": map[string]any{"name": "vat", "amount": 0.19, "country": "DE"}}},
		"lineItems": []any{map[string]any{"sku": "SKU-1", "quantity": 1, "externalPrice": money(500),
			"externalTaxRate": map[string]any{"name": "vat", "amount": 0.19, "country": "DE"}}}})
	require.Equal(t, 201, status, "%v", c)
	assert.EqualValues(t, 2500, c["totalPrice"].(map[string]any)["centAmount"])
	taxed := c["taxedPrice"].(map[string]any)
	assert.EqualValues(t, 2500, taxed["totalNet"].(map[string]any)["centAmount"])
	assert.EqualValues(t, 2975, taxed["totalGross"].(map[string]any)["centAmount"])

	status, body := a.do("POST", "/p/carts/"+c["id"].(string), map[string]any{"version": 1, "actions": []any{
		map[string]any{"action": "addPayment", "payment": map[string]any{"typeId": "payment", "id": "nope"}}}})
	assert.Equal(t, 400, status)
	assert.Equal(t, "ReferencedResourceNotFound", firstCode(body))
}

func TestAuthorization(t *testing.T) {
	a := newAPI(t)
	status, body := a.form("/oauth/token", url.Values{"grant_type": {"client_credentials"}}, "local", "wrong")
	assert.Equal(t, 401, status)
	assert.Equal(t, "invalid_client", body["error"])
	status, body = a.form("/oauth/token", url.Values{"grant_type": {"client_credentials"}, "scope": {"manage_project:other"}}, "local", "local")
	assert.Equal(t, 400, status)
	assert.Equal(t, "invalid_scope", body["error"])

	status, narrow := a.form("/oauth/token", url.Values{"grant_type": {"client_credentials"}, "scope": {"view_payments:p"}}, "local", "local")
	require.Equal(t, 200, status)
	a.token = narrow["access_token"].(string)
	status, _ = a.do("GET", "/p/payments", nil)
	assert.Equal(t, 200, status, "view_payments reads payments")
	status, body = a.do("POST", "/p/payments", map[string]any{"amountPlanned": money(1)})
	assert.Equal(t, 403, status, "but does not write them")
	assert.Equal(t, "insufficient_scope", firstCode(body))
	status, _ = a.do("GET", "/p/carts", nil)
	assert.Equal(t, 403, status)

	a.token = "forged"
	status, body = a.do("GET", "/p/payments", nil)
	assert.Equal(t, 401, status)
	assert.Equal(t, "invalid_token", firstCode(body))

	status, minted := a.do("POST", "/emulator/tokens", map[string]any{"scope": "manage_project:other-project", "expiresIn": 60})
	require.Equal(t, 200, status)
	status, info := a.form("/oauth/introspect", url.Values{"token": {minted["access_token"].(string)}}, "local", "local")
	require.Equal(t, 200, status)
	assert.Equal(t, true, info["active"])
	assert.Equal(t, "manage_project:other-project", info["scope"])
}

func TestDoubledLeadingSlashIsAccepted(t *testing.T) {
	a := newAPI(t)
	status, _ := a.do("POST", "//p/carts", map[string]any{"currency": "EUR"})
	assert.Equal(t, 201, status)
}

func TestMintedJWTVerifiesWithThePublishedKey(t *testing.T) {
	a := newAPI(t)
	status, body := a.do("POST", "/emulator/jwt", map[string]any{"claims": map[string]any{"sub": "merchant-7"}})
	require.Equal(t, 200, status)
	token := body["token"].(string)
	_, jwks := a.do("GET", "/.well-known/jwks.json", nil)
	key := jwks["keys"].([]any)[0].(map[string]any)

	parts := strings.Split(token, ".")
	require.Len(t, parts, 3)
	n, err := base64.RawURLEncoding.DecodeString(key["n"].(string))
	require.NoError(t, err)
	e, err := base64.RawURLEncoding.DecodeString(key["e"].(string))
	require.NoError(t, err)
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	require.NoError(t, err)
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	require.NoError(t, rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig))

	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var claims map[string]any
	require.NoError(t, json.Unmarshal(payload, &claims))
	assert.Equal(t, a.base, claims["iss"])
	assert.Equal(t, "p", claims[a.base+"/claims/project_key"])
	assert.Equal(t, "merchant-7", claims["sub"])
	var header map[string]any
	h, _ := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, json.Unmarshal(h, &header))
	assert.Equal(t, "RS256", header["alg"])
	assert.Equal(t, key["kid"], header["kid"])
}

func TestSessionsNeedAnExistingCart(t *testing.T) {
	a := newAPI(t)
	status, body := a.do("POST", "/p/sessions", map[string]any{"cart": map[string]any{"cartRef": map[string]any{"id": "nope"}}})
	assert.Equal(t, 400, status)
	assert.Equal(t, "ReferencedResourceNotFound", firstCode(body))

	_, c := a.do("POST", "/p/carts", map[string]any{"currency": "EUR"})
	status, s := a.do("POST", "/p/sessions", map[string]any{"cart": map[string]any{"cartRef": map[string]any{"id": c["id"]}},
		"metadata": map[string]any{"paymentInterface": "mock"}})
	require.Equal(t, 201, status)
	assert.Equal(t, "ACTIVE", s["state"])
	status, s = a.do("POST", "/emulator/sessions/"+s["id"].(string)+"/expire", nil)
	require.Equal(t, 200, status)
	assert.Equal(t, "EXPIRED", s["state"])
}

func TestQueriesSortAndNestedLists(t *testing.T) {
	a := newAPI(t)
	for _, iface := range []string{"b", "c", "a"} {
		status, _ := a.do("POST", "/p/payments", map[string]any{"amountPlanned": money(10), "interfaceId": iface,
			"transactions": []map[string]any{{"type": "Authorization", "amount": money(10), "state": map[string]string{"a": "Initial", "b": "Success", "c": "Failure"}[iface]}}})
		require.Equal(t, 201, status)
	}
	status, body := a.do("GET", "/p/payments?sort="+url.QueryEscape("interfaceId desc"), nil)
	require.Equal(t, 200, status)
	var order []string
	for _, r := range body["results"].([]any) {
		order = append(order, r.(map[string]any)["interfaceId"].(string))
	}
	assert.Equal(t, []string{"c", "b", "a"}, order)
	status, body = a.do("GET", "/p/payments?where="+url.QueryEscape(`transactions(state in ("Initial", "Pending"))`), nil)
	require.Equal(t, 200, status)
	assert.EqualValues(t, 1, body["total"], "a list matches when any element does")
	status, _ = a.do("GET", "/p/payments?sort=bogus+sideways", nil)
	assert.Equal(t, 400, status)
}

func TestBadBodiesAreAnsweredInCommercetoolsWords(t *testing.T) {
	a := newAPI(t)
	a.http.Transport.(*ctcontract.Transport).AnswersOnly = true // the requests are wrong on purpose
	status, body := a.do("POST", "/p/payments", map[string]any{"amountPlanned": map[string]any{"centAmount": 20.5, "currencyCode": "EUR"}})
	assert.Equal(t, 400, status)
	assert.Equal(t, "InvalidJsonInput", firstCode(body))
	detail := body["errors"].([]any)[0].(map[string]any)["detailedErrorMessage"].(string)
	assert.Equal(t, "amountPlanned.centAmount: JSON integer expected, got number 20.5.", detail)
	assert.NotContains(t, detail, "Go", "no Go types in the answer")
	assert.NotContains(t, detail, "struct")

	status, body = a.do("DELETE", "/p/payments/nope?version=1", nil)
	assert.Equal(t, 404, status)
	assert.Equal(t, "ResourceNotFound", firstCode(body))
}

func TestBadUpdateActionsAreAnsweredInCommercetoolsWords(t *testing.T) {
	a := newAPI(t)
	a.http.Transport.(*ctcontract.Transport).AnswersOnly = true // the request is wrong on purpose
	status, body := a.do("POST", "/p/payments", map[string]any{"amountPlanned": money(10)})
	require.Equal(t, 201, status)
	id := body["id"].(string)
	status, body = a.do("POST", "/p/payments/"+id, map[string]any{"version": 1, "actions": []map[string]any{
		{"action": "addTransaction", "transaction": map[string]any{"type": "Charge", "amount": map[string]any{"centAmount": "ten", "currencyCode": "EUR"}}}}})
	assert.Equal(t, 400, status)
	message := body["message"].(string)
	assert.Contains(t, message, "transaction.amount.centAmount: JSON integer expected, got string.")
	assert.NotContains(t, message, "Go struct")
}

// The emulator counts the requests commercetools would serve, refused ones included, and
// not its own endpoints.
func TestServedRequestsAreCounted(t *testing.T) {
	a := newAPI(t) // one token request
	served := func() float64 {
		status, body := a.do(http.MethodGet, "/emulator/requests", nil)
		require.Equal(t, http.StatusOK, status)
		return body["count"].(float64)
	}
	assert.Equal(t, 1.0, served())
	a.do(http.MethodPost, "/p/carts", map[string]any{"currency": "EUR"})
	a.do(http.MethodGet, "/p/carts/none", nil)
	a.do(http.MethodPost, "/emulator/jwt", nil)
	assert.Equal(t, 3.0, served())
}

// Queries expand references as reads do: a cart's payments come with the cart.
func TestQueriesExpandReferences(t *testing.T) {
	a := newAPI(t)
	status, payment := a.do(http.MethodPost, "/p/payments", map[string]any{"amountPlanned": money(700)})
	require.Equal(t, http.StatusCreated, status, "%v", payment)
	status, cart := a.do(http.MethodPost, "/p/carts", map[string]any{"currency": "EUR"})
	require.Equal(t, http.StatusCreated, status, "%v", cart)
	status, cart = a.do(http.MethodPost, "/p/carts/"+cart["id"].(string), map[string]any{"version": cart["version"],
		"actions": []any{map[string]any{"action": "addPayment", "payment": map[string]any{"typeId": "payment", "id": payment["id"]}}}})
	require.Equal(t, http.StatusOK, status, "%v", cart)

	where := url.QueryEscape(`paymentInfo(payments(id="` + payment["id"].(string) + `"))`)
	status, page := a.do(http.MethodGet, "/p/carts?where="+where+"&expand="+url.QueryEscape("paymentInfo.payments[*]"), nil)
	require.Equal(t, http.StatusOK, status, "%v", page)
	results := page["results"].([]any)
	require.Len(t, results, 1)
	refs := results[0].(map[string]any)["paymentInfo"].(map[string]any)["payments"].([]any)
	require.Len(t, refs, 1)
	obj, _ := refs[0].(map[string]any)["obj"].(map[string]any)
	require.NotNil(t, obj, "the payment is expanded")
	assert.Equal(t, payment["id"], obj["id"])

	_, page = a.do(http.MethodGet, "/p/carts?where="+where, nil)
	ref := page["results"].([]any)[0].(map[string]any)["paymentInfo"].(map[string]any)["payments"].([]any)[0].(map[string]any)
	assert.NotContains(t, ref, "obj", "and only when asked")
}
