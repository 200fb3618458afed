package mockpsp

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/checkout-connect/go-connector/providers"
)

// The mock's offsite method (payment method type "offsite"): Authorize answers Received
// with a redirect to the mock's hosted page, where the shopper approves or declines. The
// page then sends the browser back to the processor's return URL with signed parameters
// and, independently, publishes the event (and delivers it, when a webhook URL is set).

// OffsiteMethod is the payment method type of the mock's hosted page.
const OffsiteMethod = "offsite"

// Return parameters the hosted page adds to the return URL.
const (
	ReturnPSPReference = "pspReference"
	ReturnResult       = "result"
	ReturnSignature    = "signature"
)

// Results the hosted page returns with.
const (
	ResultApproved = "approved"
	ResultRejected = "rejected"
)

// offsite is an authorization waiting for the shopper on the hosted page.
type offsite struct {
	key, paymentID, returnURL string
	amount                    providers.Money
	decided                   string
}

// SetPageURL sets where the hosted pages are served (the base of Pages' handler).
func (m *PSP) SetPageURL(base string) {
	m.mu.Lock()
	m.pageURL = strings.TrimSuffix(base, "/")
	m.mu.Unlock()
}

// authorizeOffsite records an authorization that the shopper completes on the hosted page.
// The PSP's lock is held.
func (m *PSP) authorizeOffsite(req providers.AuthorizeRequest) providers.Result {
	if m.pageURL == "" || req.ReturnURL == "" {
		return rejected("OffsiteUnavailable", "the hosted page needs a page URL and a return URL")
	}
	ref := "mock-" + newID()
	m.offsite.Put(ref, &offsite{key: strings.Clone(req.IdempotencyKey), paymentID: strings.Clone(req.Reference),
		returnURL: strings.Clone(req.ReturnURL), amount: req.Amount.Clone()})
	return providers.Result{Outcome: providers.Received, PSPReference: ref, RedirectURL: m.pageURL + "/hosted/" + url.PathEscape(ref)}
}

// Decide approves or declines a hosted-page authorization as the shopper would, and
// returns where the page sends the browser back. Deciding twice keeps the first decision.
func (m *PSP) Decide(ref string, approve bool) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.offsite.Get(ref)
	if !ok {
		return "", fmt.Errorf("mock PSP: no hosted payment %s", ref)
	}
	if o.decided == "" {
		o.decided = ResultRejected
		kind := providers.EventAuthorizationFailed
		r := providers.Result{Outcome: providers.Rejected, PSPReference: ref, Code: "Declined", Message: "the shopper declined on the hosted page"}
		if approve {
			o.decided, kind = ResultApproved, providers.EventAuthorized
			m.payments.Put(ref, &authorization{amount: o.amount, reference: o.paymentID})
			r = providers.Result{Outcome: providers.Approved, PSPReference: ref}
		}
		m.answers.Put(o.key, r)
		m.webhooks.publish(providers.Notification{Kind: kind, IdempotencyKey: o.key, PSPReference: ref, PaymentReference: ref,
			MerchantReference: o.paymentID, Amount: o.amount})
	}
	back, err := url.Parse(o.returnURL)
	if err != nil {
		return "", fmt.Errorf("mock PSP: return URL: %w", err)
	}
	q := back.Query()
	q.Set(ReturnPSPReference, ref)
	q.Set(ReturnResult, o.decided)
	q.Set(ReturnSignature, returnMAC(m.webhooks.secrets[0], o.paymentID, ref, o.decided))
	back.RawQuery = q.Encode()
	return back.String(), nil
}

func returnMAC(secret, paymentID, ref, result string) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(paymentID + "|" + ref + "|" + result))
	return hex.EncodeToString(h.Sum(nil))
}

// VerifyReturn checks the hosted page's parameters for payment paymentID.
func (m *PSP) VerifyReturn(_ context.Context, paymentID string, query url.Values) (providers.Notification, error) {
	ref, result, sig := query.Get(ReturnPSPReference), query.Get(ReturnResult), query.Get(ReturnSignature)
	m.mu.Lock()
	secrets := append([]string(nil), m.webhooks.secrets...)
	o, known := m.offsite.Get(ref)
	m.mu.Unlock()
	valid := false
	for _, secret := range secrets {
		valid = valid || hmac.Equal([]byte(returnMAC(secret, paymentID, ref, result)), []byte(sig))
	}
	if !valid || ref == "" || (result != ResultApproved && result != ResultRejected) {
		return providers.Notification{}, fmt.Errorf("mock PSP: return parameters: %w", providers.ErrBadSignature)
	}
	n := providers.Notification{EventID: "return-" + ref, Kind: providers.EventAuthorized, PSPReference: ref, PaymentReference: ref,
		MerchantReference: paymentID}
	if result == ResultRejected {
		n.Kind = providers.EventAuthorizationFailed
	}
	if known {
		n.IdempotencyKey, n.Amount = o.key, o.amount
	}
	return n, nil
}

var hostedPage = template.Must(template.New("hosted").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mock PSP: confirm the payment</title></head>
<body><h1>Mock PSP</h1><p>Pay {{.Amount}} {{.Currency}}?</p>
<form method="post"><button name="decision" value="approve" id="approve">Approve</button>
<button name="decision" value="decline" id="decline">Decline</button></form></body></html>`))

// Pages serves the hosted pages: GET /hosted/{ref} shows the payment, POST with
// decision=approve or decline decides it and redirects the browser back (303).
func (m *PSP) Pages() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hosted/{ref}", func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		o, ok := m.offsite.Get(r.PathValue("ref"))
		m.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = hostedPage.Execute(w, map[string]any{"Amount": o.amount.CentAmount, "Currency": o.amount.CurrencyCode})
	})
	mux.HandleFunc("POST /hosted/{ref}", func(w http.ResponseWriter, r *http.Request) {
		back, err := m.Decide(r.PathValue("ref"), r.FormValue("decision") == "approve")
		if err != nil {
			http.NotFound(w, r)
			return
		}
		m.deliverLatest()
		http.Redirect(w, r, back, http.StatusSeeOther)
	})
	return mux
}
