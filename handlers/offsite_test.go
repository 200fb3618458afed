package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/testenv"
)

const (
	processorURL = "http://processor.test"
	shopReturn   = "https://shop.example/checkout/return"
)

// offsiteStack is a stack whose mock PSP serves hosted pages at a test URL.
func offsiteStack(t *testing.T) *stack {
	t.Helper()
	s := newTestStack(t)
	s.psp.SetPageURL("http://psp.test")
	return s
}

// offsiteCheckout is a cart of two items of cents each with a session naming the
// processor's and the shop's return URLs.
func offsiteCheckout(t *testing.T, s *stack, cents int64) testenv.Checkout {
	t.Helper()
	ctx := context.Background()
	cart, err := s.ct.Client.CreateCart(ctx, commercetools.CartDraft{Currency: "EUR", CustomLineItems: []commercetools.CustomLineItemDraft{
		{Name: map[string]string{"en": "Item"}, Slug: "item", Quantity: 2, Money: commercetools.Money{CurrencyCode: "EUR", CentAmount: cents}}}})
	require.NoError(t, err)
	session, err := s.ct.Client.CreateSession(ctx, commercetools.NewSessionDraft(cart.ID,
		commercetools.SessionMetadata{ProcessorURL: processorURL, MerchantReturnURL: shopReturn}))
	require.NoError(t, err)
	return testenv.Checkout{Cart: cart, SessionID: session.ID}
}

// startOffsite pays offsite and returns the payment id and the hosted page's reference.
func startOffsite(t *testing.T, s *stack, checkout testenv.Checkout) (string, string) {
	t.Helper()
	rec := pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"offsite"}}`, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var body struct {
		PaymentReference string `json:"paymentReference"`
		Action           struct {
			Type string `json:"type"`
			URL  string `json:"url"`
		} `json:"action"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	require.Equal(t, "redirect", body.Action.Type)
	require.True(t, strings.HasPrefix(body.Action.URL, "http://psp.test/hosted/"), body.Action.URL)
	ref, err := url.PathUnescape(strings.TrimPrefix(body.Action.URL, "http://psp.test/hosted/"))
	require.NoError(t, err)
	return body.PaymentReference, ref
}

// returnRequest is the browser's request for the URL the hosted page sent it to.
func returnRequest(t *testing.T, back string) *http.Request {
	t.Helper()
	require.True(t, strings.HasPrefix(back, processorURL+"/payments/return?"), back)
	return httptest.NewRequest("GET", strings.TrimPrefix(back, processorURL), nil)
}

func TestOffsitePaymentRoundTrip(t *testing.T) {
	s := offsiteStack(t)
	checkout := offsiteCheckout(t, s, 2500)
	id, ref := startOffsite(t, s, checkout)
	assert.Equal(t, []string{"Authorization Pending 5000"}, transactions(t, s, id), "pending while the shopper is on the PSP's page")

	second := pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"invoice"}}`, "")
	assert.Equal(t, http.StatusConflict, second.Code, "a second tab cannot pay the cart meanwhile")

	// The hosted page, as the browser sees it.
	pages := httptest.NewServer(s.psp.Pages())
	defer pages.Close()
	resp, err := http.Get(pages.URL + "/hosted/" + url.PathEscape(ref))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, resp.Body.Close())
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noRedirect.PostForm(pages.URL+"/hosted/"+url.PathEscape(ref), url.Values{"decision": {"approve"}})
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)

	back := returnRequest(t, resp.Header.Get("Location"))
	back.URL.RawQuery += "&next=https%3A%2F%2Fevil.example" // no open redirect
	rec := serve(t, s.engine, back)
	require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	assert.Equal(t, shopReturn+"?outcome=approved&paymentReference="+id, rec.Header().Get("Location"))
	assert.Equal(t, []string{"Authorization Success 5000"}, transactions(t, s, id))

	rec = deliverEvents(t, s, s.psp.Outbox()...)
	assert.Equal(t, http.StatusOK, rec.Code, "the webhook after the return")
	assert.Equal(t, []string{"Authorization Success 5000"}, transactions(t, s, id), "one transaction")
	assert.Equal(t, 1, s.pspCalls.Count("Authorize"))
	checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)
}

func TestOffsiteDeclineAndTamperedReturn(t *testing.T) {
	s := offsiteStack(t)
	checkout := offsiteCheckout(t, s, 1000)
	id, ref := startOffsite(t, s, checkout)
	back, err := s.psp.Decide(ref, false)
	require.NoError(t, err)

	forged := returnRequest(t, strings.Replace(back, "result=rejected", "result=approved", 1))
	rec := serve(t, s.engine, forged)
	assert.Equal(t, http.StatusBadRequest, rec.Code, "a return whose parameters were changed")
	assert.Equal(t, []string{"Authorization Pending 2000"}, transactions(t, s, id), "settles nothing")

	other := offsiteCheckout(t, s, 1000)
	wrongSession := returnRequest(t, strings.Replace(back, "ctsid="+url.QueryEscape(checkout.SessionID), "ctsid="+url.QueryEscape(other.SessionID), 1))
	assert.Equal(t, http.StatusNotFound, serve(t, s.engine, wrongSession).Code, "the payment is not the session's cart's")

	rec = serve(t, s.engine, returnRequest(t, back))
	require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	assert.Equal(t, shopReturn+"?outcome=rejected&paymentReference="+id, rec.Header().Get("Location"))
	assert.Equal(t, []string{"Authorization Failure 2000"}, transactions(t, s, id))
	assert.Equal(t, http.StatusOK, pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"invoice"}}`, "").Code, "the cart is free again")
}

func TestReturnAndWebhookRacingLeaveOneTransaction(t *testing.T) {
	s := offsiteStack(t)
	checkout := offsiteCheckout(t, s, 1500)
	id, ref := startOffsite(t, s, checkout)
	back, err := s.psp.Decide(ref, true)
	require.NoError(t, err)
	header, body := s.psp.Webhook(s.psp.Outbox()...)

	s.ct.Gate("GET /"+testenv.ProjectKey+"/payments", 2)
	answers := race(t, 2, []http.Handler{s.engine}, func(i int) *http.Request {
		if i == 0 {
			return returnRequest(t, back)
		}
		req := httptest.NewRequest("POST", "/notifications", strings.NewReader(string(body)))
		req.Header = header.Clone()
		return req
	})
	assert.Equal(t, http.StatusSeeOther, answers[0].rec.Code, answers[0].rec.Body.String())
	assert.Equal(t, http.StatusOK, answers[1].rec.Code, answers[1].rec.Body.String())
	assert.Equal(t, []string{"Authorization Success 3000"}, transactions(t, s, id))
	checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)
}

// The second tab changes the cart while the shopper is on the PSP's page: the late
// authorization would leave the cart paid beyond its total, so it is cancelled.
func TestLateAuthorizationAfterTheCartChangedIsCancelled(t *testing.T) {
	s := offsiteStack(t)
	checkout := offsiteCheckout(t, s, 2500)
	id, ref := startOffsite(t, s, checkout)

	ctx := context.Background()
	cart := getCart(t, s, checkout.Cart.ID)
	_, err := s.ct.Client.UpdateCart(ctx, cart.ID, cart.Version, commercetools.UpdateAction{
		"action": "changeCustomLineItemQuantity", "customLineItemId": cart.CustomLineItems[0].ID, "quantity": 1})
	require.NoError(t, err)
	assert.Equal(t, int64(2500), getCart(t, s, cart.ID).Total().CentAmount)

	back, err := s.psp.Decide(ref, true)
	require.NoError(t, err)
	queries, reads := s.ct.Requests("GET /"+testenv.ProjectKey+"/carts"), s.ct.Requests("GET /"+testenv.ProjectKey+"/carts/")
	rec := serve(t, s.engine, returnRequest(t, back))
	require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	assert.Equal(t, shopReturn+"?outcome=cancelled&paymentReference="+id, rec.Header().Get("Location"), "the answer says so")
	queries = s.ct.Requests("GET /"+testenv.ProjectKey+"/carts") - queries
	reads = s.ct.Requests("GET /"+testenv.ProjectKey+"/carts/") - reads
	assert.Equal(t, []int{1, 2}, []int{queries - reads, reads},
		"cart queries and reads: the late check asks for the cart holding the payment with its payments expanded, in one query")
	assert.Equal(t, []string{"Authorization Success 5000", "CancelAuthorization Success 5000"}, transactions(t, s, id))
	assert.Equal(t, 1, s.pspCalls.Count("Cancel"))

	rec = deliverEvents(t, s, s.psp.Outbox()...)
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Len(t, transactions(t, s, id), 2, "the webhooks after it change nothing")
	assert.Equal(t, 1, s.pspCalls.Count("Cancel"), "and cancel nothing twice")
	checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)
}
