package mockpsp

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/checkout-connect/go-connector/providers"
)

// The mock's webhooks. Every money call the mock answers publishes an event to its outbox;
// Webhook signs events the way the mock's webhooks are signed, and VerifyWebhook checks
// them. The signature header is
//
//	Mock-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">
//
// keyed with the webhook secret; a header may carry several v1 values. A timestamp more
// than Tolerance away from the mock's clock is refused, so a captured delivery cannot be
// replayed later.

// SignatureHeader is the header the mock signs its webhooks in.
const SignatureHeader = "Mock-Signature"

// Tolerance is how far a webhook's timestamp may be from now.
const Tolerance = 5 * time.Minute

// DefaultWebhookSecret signs the mock's webhooks when MOCK_WEBHOOK_SECRET is unset.
const DefaultWebhookSecret = "mock-webhook-secret"

// outboxSize bounds the outbox.
const outboxSize = 10_000

// webhooks is the mock's webhook state; the PSP's lock guards it.
type webhooks struct {
	secrets []string // the current secret first
	now     func() time.Time
	outbox  []providers.Notification
	target  string // where deliverLatest posts; empty: nowhere
}

// SetWebhookURL makes the hosted page deliver its events to url (the processor's
// /notifications); empty turns deliveries off.
func (m *PSP) SetWebhookURL(url string) {
	m.mu.Lock()
	m.webhooks.target = url
	m.mu.Unlock()
}

// deliverLatest posts the newest event to the webhook URL in the background, retrying a
// few times while the processor answers 5xx or cannot be reached, as a PSP does.
func (m *PSP) deliverLatest() {
	m.mu.Lock()
	target, out := m.webhooks.target, m.webhooks.outbox
	m.mu.Unlock()
	if target == "" || len(out) == 0 {
		return
	}
	event := out[len(out)-1]
	go func() {
		for attempt := range 5 {
			header, body := m.Webhook(event)
			req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
			if err != nil {
				return
			}
			req.Header = header
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				_ = resp.Body.Close()
				if resp.StatusCode < 500 {
					return
				}
			}
			time.Sleep(time.Duration(attempt+1) * time.Second)
		}
	}()
}

func (w *webhooks) publish(n providers.Notification) {
	n.EventID = "evt-" + uuid.NewString()
	// Kept in the outbox: its own copies, not the engine's (see package providers).
	n.IdempotencyKey, n.MerchantReference = strings.Clone(n.IdempotencyKey), strings.Clone(n.MerchantReference)
	n.PaymentReference = strings.Clone(n.PaymentReference) // the PSPReference is the mock's own
	n.Amount = n.Amount.Clone()
	if len(w.outbox) == outboxSize {
		w.outbox = w.outbox[1:]
	}
	w.outbox = append(w.outbox, n)
}

// SetWebhookSecrets sets the secret webhooks are signed with, and a previous one still
// accepted (empty for none).
func (m *PSP) SetWebhookSecrets(current, previous string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.webhooks.secrets = []string{current}
	if previous != "" {
		m.webhooks.secrets = append(m.webhooks.secrets, previous)
	}
}

// SetClock sets the clock webhooks are signed and checked with.
func (m *PSP) SetClock(now func() time.Time) {
	m.mu.Lock()
	m.webhooks.now = now
	m.mu.Unlock()
}

// Outbox returns the events published so far, oldest first.
func (m *PSP) Outbox() []providers.Notification {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]providers.Notification(nil), m.webhooks.outbox...)
}

// wireEvent is an event as the mock's webhook body carries it.
type wireEvent struct {
	ID                string `json:"id"`
	Type              string `json:"type"`
	IdempotencyKey    string `json:"idempotencyKey,omitempty"`
	PSPReference      string `json:"pspReference,omitempty"`
	PaymentReference  string `json:"paymentReference,omitempty"`
	MerchantReference string `json:"merchantReference,omitempty"`
	Amount            struct {
		CentAmount   int64  `json:"centAmount"`
		CurrencyCode string `json:"currencyCode"`
	} `json:"amount"`
}

// Webhook returns a delivery of events signed with the current secret at the mock's
// clock: the headers and the body to POST to the processor's /notifications.
func (m *PSP) Webhook(events ...providers.Notification) (http.Header, []byte) {
	m.mu.Lock()
	secret, now := m.webhooks.secrets[0], m.webhooks.now()
	m.mu.Unlock()
	wire := make([]wireEvent, 0, len(events))
	for _, e := range events {
		w := wireEvent{ID: e.EventID, Type: string(e.Kind), IdempotencyKey: e.IdempotencyKey, PSPReference: e.PSPReference,
			PaymentReference: e.PaymentReference, MerchantReference: e.MerchantReference}
		w.Amount.CentAmount, w.Amount.CurrencyCode = e.Amount.CentAmount, e.Amount.CurrencyCode
		wire = append(wire, w)
	}
	body, _ := json.Marshal(map[string]any{"events": wire})
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(SignatureHeader, Sign(secret, now, body))
	return h, body
}

// Sign is the signature header of body at time at with secret.
func Sign(secret string, at time.Time, body []byte) string {
	t := strconv.FormatInt(at.Unix(), 10)
	return "t=" + t + ",v1=" + mac(secret, t, body)
}

func mac(secret, t string, body []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(t))
	h.Write([]byte("."))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// VerifyWebhook checks a delivery's signature over the body as received, against every
// accepted secret, and returns its events.
func (m *PSP) VerifyWebhook(_ context.Context, header http.Header, body []byte) ([]providers.Notification, error) {
	m.mu.Lock()
	secrets, now := append([]string(nil), m.webhooks.secrets...), m.webhooks.now()
	m.mu.Unlock()
	t, sigs, err := parseSignature(header.Get(SignatureHeader))
	if err != nil {
		return nil, err
	}
	unix, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("mock webhook: timestamp %q: %w", t, providers.ErrBadSignature)
	}
	if d := now.Sub(time.Unix(unix, 0)); d > Tolerance || d < -Tolerance {
		return nil, fmt.Errorf("mock webhook: signed %s away from now: %w", d.Round(time.Second), providers.ErrBadSignature)
	}
	valid := false
	for _, secret := range secrets {
		want := []byte(mac(secret, t, body))
		for _, sig := range sigs {
			valid = valid || hmac.Equal(want, []byte(sig))
		}
	}
	if !valid {
		return nil, fmt.Errorf("mock webhook: %w", providers.ErrBadSignature)
	}
	var wire struct {
		Events []wireEvent `json:"events"`
	}
	if err := json.Unmarshal(body, &wire); err != nil {
		return nil, fmt.Errorf("mock webhook: the body is not the mock's: %w", err)
	}
	out := make([]providers.Notification, 0, len(wire.Events))
	for _, w := range wire.Events {
		out = append(out, providers.Notification{EventID: w.ID, Kind: providers.EventKind(w.Type), IdempotencyKey: w.IdempotencyKey,
			PSPReference: w.PSPReference, PaymentReference: w.PaymentReference, MerchantReference: w.MerchantReference,
			Amount: providers.Money{CentAmount: w.Amount.CentAmount, CurrencyCode: w.Amount.CurrencyCode}})
	}
	return out, nil
}

// parseSignature reads "t=...,v1=...[,v1=...]".
func parseSignature(header string) (t string, sigs []string, err error) {
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			t = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	if t == "" || len(sigs) == 0 {
		return "", nil, fmt.Errorf("mock webhook: no %s header with t= and v1=: %w", SignatureHeader, providers.ErrBadSignature)
	}
	return t, sigs, nil
}
