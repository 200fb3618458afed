package smoke

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/checkout-connect/go-connector/commercetools"
)

// Target is a running processor and the emulator it uses.
type Target struct {
	// Processor is the processor's base URL.
	Processor string
	// Emulator is the commercetools emulator's URL; Project its project key.
	Emulator, Project string
}

// Suite drives a running processor through its API the way Checkout, the enabler and a
// merchant's back office do, and checks commercetools afterwards: health, the contract,
// the API reference and the enabler's bundle, an unknown route, deep status with a
// Merchant Center JWT, the enabler's configuration, a card payment, its capture and refund
// with an OAuth token, a gift card's balance and redemption, refusals (no session,
// malformed JSON, too large a body) and the metrics of what it did. It returns the first
// step that failed.
func Suite(ctx context.Context, t Target) error {
	ct, err := commercetools.New(commercetools.Config{ProjectKey: t.Project, ClientID: ClientID, ClientSecret: ClientSecret,
		AuthURL: t.Emulator, APIURL: t.Emulator, SessionURL: t.Emulator})
	if err != nil {
		return err
	}
	s := &suite{t: t, ct: ct}
	for _, step := range []struct {
		name string
		run  func(context.Context) error
	}{
		{"health", s.health},
		{"contract", s.contract},
		{"reference and enabler", s.assets},
		{"unknown route", s.unknownRoute},
		{"status", s.status},
		{"enabler configuration", s.config},
		{"card payment, capture, refund", s.cardPayment},
		{"gift card balance and redemption", s.giftCard},
		{"refusals", s.refusals},
		{"metrics", s.metrics},
	} {
		stepCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := step.run(stepCtx)
		cancel()
		if err != nil {
			return fmt.Errorf("smoke step %q: %w", step.name, err)
		}
	}
	return nil
}

type suite struct {
	t  Target
	ct *commercetools.Client
}

// answer is one response of the processor.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(a.body, &m)
	return m
}

func (a answer) expect(status int) error {
	if a.status != status {
		return fmt.Errorf("status %d, want %d: %.300s", a.status, status, a.body)
	}
	return nil
}

// call sends a request to the processor; header holds name, value pairs.
func (s *suite) call(ctx context.Context, method, path, body string, header ...string) (answer, error) {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.t.Processor+path, r)
	if err != nil {
		return answer{}, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: b}, err
}

// want sends a request and returns its answer when it has the status.
func (s *suite) want(ctx context.Context, status int, method, path, body string, header ...string) (answer, error) {
	a, err := s.call(ctx, method, path, body, header...)
	if err != nil {
		return a, err
	}
	return a, a.expect(status)
}

// mint asks the emulator for a credential: a Merchant Center JWT or an access token.
func (s *suite) mint(ctx context.Context, path, body, field string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.t.Emulator+path, strings.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		return "", fmt.Errorf("emulator %s: %w", path, err)
	}
	v, _ := m[field].(string)
	if v == "" {
		return "", fmt.Errorf("emulator %s answered no %s", path, field)
	}
	return v, nil
}

// checkout creates a cart of amount EUR minor units and a Checkout session for it.
func (s *suite) checkout(ctx context.Context, amount int64) (cartID, sessionID string, err error) {
	cart, err := s.ct.CreateCart(ctx, commercetools.CartDraft{Currency: "EUR", CustomLineItems: []commercetools.CustomLineItemDraft{
		{Name: map[string]string{"en": "smoke"}, Slug: "smoke", Quantity: 1, Money: commercetools.Money{CurrencyCode: "EUR", CentAmount: amount}}}})
	if err != nil {
		return "", "", err
	}
	session, err := s.ct.CreateSession(ctx, commercetools.NewSessionDraft(cart.ID, commercetools.SessionMetadata{}))
	if err != nil {
		return "", "", err
	}
	return cart.ID, session.ID, nil
}

func (s *suite) health(ctx context.Context) error {
	a, err := s.want(ctx, http.StatusOK, http.MethodGet, "/health", "")
	if err != nil {
		return err
	}
	if a.json()["status"] != "UP" {
		return fmt.Errorf("body %s", a.body)
	}
	return nil
}

func (s *suite) contract(ctx context.Context) error {
	a, err := s.want(ctx, http.StatusOK, http.MethodGet, "/openapi.yaml", "")
	if err != nil {
		return err
	}
	if !strings.HasPrefix(string(a.body), "openapi: 3") {
		return fmt.Errorf("not the contract: %.80s", a.body)
	}
	return nil
}

func (s *suite) assets(ctx context.Context) error {
	for _, asset := range []struct{ path, contentType, holds string }{
		{"/docs", "text/html", "</html>"},
		{"/enabler/connector-enabler.js", "javascript", "export"},
	} {
		a, err := s.want(ctx, http.StatusOK, http.MethodGet, asset.path, "")
		if err != nil {
			return fmt.Errorf("%s: %w", asset.path, err)
		}
		if ct := a.header.Get("Content-Type"); !strings.Contains(ct, asset.contentType) {
			return fmt.Errorf("%s: Content-Type %q", asset.path, ct)
		}
		if !strings.Contains(string(a.body), asset.holds) {
			return fmt.Errorf("%s: %d bytes without %q", asset.path, len(a.body), asset.holds)
		}
	}
	return nil
}

func (s *suite) unknownRoute(ctx context.Context) error {
	a, err := s.want(ctx, http.StatusNotFound, http.MethodGet, "/no-such-route", "")
	if err != nil {
		return err
	}
	return errorShape(a, "ResourceNotFound")
}

// errorShape checks the commercetools error body and its first code.
func errorShape(a answer, code string) error {
	var body struct {
		Message    string `json:"message"`
		StatusCode int    `json:"statusCode"`
		Errors     []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(a.body, &body); err != nil {
		return fmt.Errorf("error body: %w: %.200s", err, a.body)
	}
	if body.Message == "" || body.StatusCode != a.status || len(body.Errors) == 0 || body.Errors[0].Code != code {
		return fmt.Errorf("error body %s, want code %s", a.body, code)
	}
	return nil
}

// revision is a git commit, as the build records it.
var revision = regexp.MustCompile(`^[0-9a-f]{40}$`)

func (s *suite) status(ctx context.Context) error {
	jwt, err := s.mint(ctx, "/emulator/jwt", "{}", "token")
	if err != nil {
		return err
	}
	a, err := s.want(ctx, http.StatusOK, http.MethodGet, "/operations/status", "", "Authorization", "Bearer "+jwt)
	if err != nil {
		return err
	}
	var body struct {
		Status string `json:"status"`
		Checks []struct {
			Name, Status string
		} `json:"checks"`
		Metadata struct {
			Revision string `json:"revision"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(a.body, &body); err != nil {
		return err
	}
	if body.Status != "OK" || len(body.Checks) < 2 {
		return fmt.Errorf("status %s", a.body)
	}
	for _, c := range body.Checks {
		if c.Status != "UP" {
			return fmt.Errorf("check %q is %s", c.Name, c.Status)
		}
	}
	if !revision.MatchString(body.Metadata.Revision) {
		return fmt.Errorf("metadata.revision %q is not a commit: build with the VCS revision (-buildvcs=true)", body.Metadata.Revision)
	}
	return nil
}

func (s *suite) config(ctx context.Context) error {
	_, session, err := s.checkout(ctx, 1000)
	if err != nil {
		return err
	}
	a, err := s.call(ctx, http.MethodGet, "/operations/config", "", "x-session-id", session)
	if err != nil {
		return err
	}
	return a.expect(http.StatusOK)
}

func (s *suite) cardPayment(ctx context.Context) error {
	cartID, session, err := s.checkout(ctx, 5000)
	if err != nil {
		return err
	}
	a, err := s.want(ctx, http.StatusOK, http.MethodPost, "/payments", `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`, "x-session-id", session)
	if err != nil {
		return err
	}
	ref, _ := a.json()["paymentReference"].(string)
	if ref == "" {
		return fmt.Errorf("no paymentReference: %s", a.body)
	}
	token, err := s.mint(ctx, "/emulator/tokens", fmt.Sprintf(`{"scope":"manage_project:%s","expiresIn":600}`, s.t.Project), "access_token")
	if err != nil {
		return err
	}
	for _, action := range []string{"capturePayment", "refundPayment"} {
		body := fmt.Sprintf(`{"actions":[{"action":%q,"amount":{"centAmount":5000,"currencyCode":"EUR"}}]}`, action)
		a, err := s.call(ctx, http.MethodPost, "/operations/payment-intents/"+ref, body, "Authorization", "Bearer "+token)
		if err != nil {
			return err
		}
		if err := a.expect(http.StatusOK); err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
		if out := a.json()["outcome"]; out != "approved" {
			return fmt.Errorf("%s: outcome %v", action, out)
		}
	}
	payment, err := s.ct.GetPayment(ctx, ref)
	if err != nil {
		return err
	}
	for _, tx := range []string{"Authorization", "Charge", "Refund"} {
		if !payment.HasTransaction(tx, "Success") {
			return fmt.Errorf("payment %s has no successful %s: %+v", ref, tx, payment.Transactions)
		}
	}
	cart, err := s.ct.GetCart(ctx, cartID)
	if err != nil {
		return err
	}
	if cart.PaymentInfo == nil || len(cart.PaymentInfo.Payments) != 1 || cart.PaymentInfo.Payments[0].ID != ref {
		return fmt.Errorf("cart %s does not hold payment %s", cartID, ref)
	}
	return nil
}

func (s *suite) giftCard(ctx context.Context) error {
	_, session, err := s.checkout(ctx, 5000)
	if err != nil {
		return err
	}
	if _, err := s.want(ctx, http.StatusOK, http.MethodPost, "/balance", `{"code":"Valid-3000-EUR"}`, "x-session-id", session); err != nil {
		return err
	}
	a, err := s.want(ctx, http.StatusOK, http.MethodPost, "/redeem", `{"code":"Valid-3000-EUR","redeemAmount":{"centAmount":3000,"currencyCode":"EUR"}}`, "x-session-id", session)
	if err != nil {
		return err
	}
	if a.json()["result"] != "Success" {
		return fmt.Errorf("redeem %s", a.body)
	}
	return nil
}

func (s *suite) refusals(ctx context.Context) error {
	a, err := s.call(ctx, http.MethodPost, "/payments", `{"paymentMethod":{"type":"card"}}`)
	if err != nil {
		return err
	}
	if err := a.expect(http.StatusUnauthorized); err != nil {
		return fmt.Errorf("no session: %w", err)
	}
	_, session, err := s.checkout(ctx, 1000)
	if err != nil {
		return err
	}
	a, err = s.call(ctx, http.MethodPost, "/payments", `{"paymentMethod":`, "x-session-id", session)
	if err != nil {
		return err
	}
	if err := a.expect(http.StatusBadRequest); err != nil {
		return fmt.Errorf("malformed JSON: %w", err)
	}
	if err := errorShape(a, "InvalidJsonInput"); err != nil {
		return fmt.Errorf("malformed JSON: %w", err)
	}
	big := `{"paymentMethod":{"type":"card","x":"` + strings.Repeat("a", 70<<10) + `"}}`
	a, err = s.call(ctx, http.MethodPost, "/payments", big, "x-session-id", session)
	if err != nil {
		return err
	}
	if err := a.expect(http.StatusRequestEntityTooLarge); err != nil {
		return fmt.Errorf("large body: %w", err)
	}
	return nil
}

func (s *suite) metrics(ctx context.Context) error {
	a, err := s.want(ctx, http.StatusOK, http.MethodGet, "/metrics", "")
	if err != nil {
		return err
	}
	for _, want := range []string{`processor_commercetools_request_duration_seconds_count{`, `processor_request_duration_seconds_count{`, `processor_provider_calls_total{`} {
		if !strings.Contains(string(a.body), want) {
			return fmt.Errorf("no %s in the metrics", want)
		}
	}
	return nil
}
