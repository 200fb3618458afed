// Command floor is the load command's reference point: the least a processor written in
// Go on net/http can spend on a card payment. It serves POST /payments with nothing but
// the five commercetools calls the processor makes for one (the session, the cart with
// its payments, the payment's creation, the cart's addPayment, the settled
// authorization), through a net/http client with the processor's connection settings
// (HTTP/1.1, 64 idle connections, answers uncompressed; the trusted certificates of
// SSL_CERT_FILE over TLS), decoding each answer with go-json into the few fields it
// needs. No validation, authentication, logging, metrics, ledger checks or retries: it is
// not a processor, only the floor under one.
//
// The load command runs it with -runtime floor, with the environment it gives the
// processor (CTP_*, HOST, PORT); it prints the processor's "processor listening" line.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	json "github.com/goccy/go-json"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

func run() error {
	f := &floor{api: strings.TrimRight(os.Getenv("CTP_API_URL"), "/") + "/" + url.PathEscape(os.Getenv("CTP_PROJECT_KEY")),
		sessions: strings.TrimRight(os.Getenv("CTP_SESSION_URL"), "/") + "/" + url.PathEscape(os.Getenv("CTP_PROJECT_KEY")),
		transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 64, IdleConnTimeout: 90 * time.Second,
			Protocols: http1, DisableCompression: true}}
	if err := f.authorize(os.Getenv("CTP_AUTH_URL"), os.Getenv("CTP_CLIENT_ID"), os.Getenv("CTP_CLIENT_SECRET")); err != nil {
		return err
	}
	listener, err := net.Listen("tcp", net.JoinHostPort(os.Getenv("HOST"), os.Getenv("PORT")))
	if err != nil {
		return err
	}
	fmt.Printf("{\"msg\":\"processor listening\",\"addr\":%q}\n", listener.Addr().String())
	mux := http.NewServeMux()
	mux.HandleFunc("POST /payments", f.pay)
	return (&http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}).Serve(listener)
}

// started and payments make the payments' keys unique.
var (
	started  = time.Now().UnixNano()
	payments atomic.Int64
)

// http1 is the processor's protocol to commercetools, over TLS too.
var http1 = func() *http.Protocols {
	p := new(http.Protocols)
	p.SetHTTP1(true)
	return p
}()

// floor holds what every payment shares: where commercetools is, the token, the transport.
type floor struct {
	api, sessions string
	token         string
	transport     *http.Transport
}

// authorize gets the client-credentials token every call carries.
func (f *floor) authorize(authURL, id, secret string) error {
	req, err := http.NewRequest(http.MethodPost, strings.TrimRight(authURL, "/")+"/oauth/token",
		strings.NewReader("grant_type=client_credentials"))
	if err != nil {
		return err
	}
	req.SetBasicAuth(id, secret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var answer struct {
		AccessToken string `json:"access_token"`
	}
	if err := f.exchange(req, &answer); err != nil {
		return fmt.Errorf("token: %w", err)
	}
	f.token = answer.AccessToken
	return nil
}

// versioned is the part of a commercetools resource an update needs.
type versioned struct {
	ID      string `json:"id"`
	Version int64  `json:"version"`
}

// pay makes the processor's five calls for one card payment and answers its reference.
func (f *floor) pay(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	reference, err := f.payCart(r.Context(), r.Header.Get("x-session-id"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = fmt.Fprintf(w, `{"paymentReference":%q}`, reference)
}

func (f *floor) payCart(ctx context.Context, sessionID string) (string, error) {
	var session struct {
		ActiveCart struct {
			CartRef struct {
				ID string `json:"id"`
			} `json:"cartRef"`
		} `json:"activeCart"`
	}
	if err := f.call(ctx, http.MethodGet, f.sessions+"/sessions/"+url.PathEscape(sessionID), nil, &session); err != nil {
		return "", err
	}
	var cart struct {
		versioned
		TotalPrice struct {
			CurrencyCode string `json:"currencyCode"`
			CentAmount   int64  `json:"centAmount"`
		} `json:"totalPrice"`
	}
	cartURL := f.api + "/carts/" + url.PathEscape(session.ActiveCart.CartRef.ID)
	if err := f.call(ctx, http.MethodGet, cartURL+"?expand=paymentInfo.payments%5B%2A%5D", nil, &cart); err != nil {
		return "", err
	}
	key := fmt.Sprintf("floor_%d_%d", started, payments.Add(1))
	money := map[string]any{"currencyCode": cart.TotalPrice.CurrencyCode, "centAmount": cart.TotalPrice.CentAmount}
	var payment struct {
		versioned
		Transactions []versioned `json:"transactions"`
	}
	draft := map[string]any{"key": key, "amountPlanned": money,
		"paymentMethodInfo": map[string]string{"paymentInterface": "floor", "method": "card"},
		"transactions": []map[string]any{{"type": "Authorization", "amount": money, "interactionId": key, "state": "Initial",
			"timestamp": time.Now().UTC().Format(time.RFC3339Nano)}}}
	if err := f.call(ctx, http.MethodPost, f.api+"/payments", draft, &payment); err != nil {
		return "", err
	}
	if len(payment.Transactions) != 1 {
		return "", errors.New("the payment has no transaction")
	}
	attach := map[string]any{"version": cart.Version, "actions": []map[string]any{
		{"action": "addPayment", "payment": map[string]string{"typeId": "payment", "id": payment.ID}}}}
	if err := f.call(ctx, http.MethodPost, cartURL, attach, &cart); err != nil {
		return "", err
	}
	tx := payment.Transactions[0].ID
	settle := map[string]any{"version": payment.Version, "actions": []map[string]any{
		{"action": "setInterfaceId", "interfaceId": key},
		{"action": "changeTransactionState", "transactionId": tx, "state": "Success"},
		{"action": "setTransactionInterfaceId", "transactionId": tx, "interfaceId": key}}}
	if err := f.call(ctx, http.MethodPost, f.api+"/payments/"+url.PathEscape(payment.ID), settle, &payment); err != nil {
		return "", err
	}
	return payment.ID, nil
}

// call sends one commercetools request with the token and decodes its answer into out.
func (f *floor) call(ctx context.Context, method, target string, body, out any) error {
	var reader io.Reader
	if body != nil {
		encoded, err := json.Marshal(body)
		if err != nil {
			return err
		}
		reader = bytes.NewReader(encoded)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, reader)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+f.token)
	req.Header.Set("Content-Type", "application/json")
	return f.exchange(req, out)
}

// exchange sends req and decodes a 2xx answer into out.
func (f *floor) exchange(req *http.Request, out any) error {
	resp, err := f.transport.RoundTrip(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s", req.Method, req.URL.Path, resp.Status)
	}
	return json.Unmarshal(answer, out)
}
