package stripe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	stripego "github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/checkout-connect/go-connector/providers"
)

// Tolerance is how far a webhook's signature timestamp may be from now.
const Tolerance = 5 * time.Minute

// VerifyWebhook checks the Stripe-Signature header over the body's bytes against every
// accepted secret, within Tolerance, and maps the event to a notification.
func (p *PSP) VerifyWebhook(_ context.Context, header http.Header, body []byte) ([]providers.Notification, error) {
	var event stripego.Event
	var err error
	for _, secret := range p.webhookSecrets {
		event, err = webhook.ConstructEventWithOptions(body, header.Get("Stripe-Signature"), secret,
			webhook.ConstructEventOptions{Tolerance: Tolerance, IgnoreAPIVersionMismatch: true})
		if err == nil {
			break
		}
	}
	if err != nil {
		if errors.Is(err, webhook.ErrNotSigned) || errors.Is(err, webhook.ErrNoValidSignature) || errors.Is(err, webhook.ErrInvalidHeader) ||
			errors.Is(err, webhook.ErrTooOld) {
			return nil, fmt.Errorf("stripe webhook: %w: %w", providers.ErrBadSignature, err)
		}
		return nil, fmt.Errorf("stripe webhook: %w", err)
	}
	n, err := notification(event)
	if err != nil {
		return nil, err
	}
	return []providers.Notification{n}, nil
}

// notification maps the Stripe events the processor records; others carry their type as
// kind, which the engine acknowledges and ignores.
func notification(e stripego.Event) (providers.Notification, error) {
	n := providers.Notification{EventID: e.ID, Kind: providers.EventKind(e.Type)}
	if e.Data == nil {
		return n, nil
	}
	money := func(units int64, currency stripego.Currency) error {
		minor, err := fromStripe(units, string(currency))
		n.Amount = providers.Money{CentAmount: minor, CurrencyCode: upper(string(currency))}
		return err
	}
	switch e.Type {
	case "payment_intent.amount_capturable_updated", "payment_intent.payment_failed", "payment_intent.succeeded", "payment_intent.canceled":
		var pi stripego.PaymentIntent
		if err := json.Unmarshal(e.Data.Raw, &pi); err != nil {
			return n, fmt.Errorf("stripe webhook: payment intent: %w", err)
		}
		n.PSPReference, n.PaymentReference, n.MerchantReference = pi.ID, pi.ID, pi.Metadata[metaPayment]
		switch e.Type {
		case "payment_intent.amount_capturable_updated":
			n.Kind, n.IdempotencyKey = providers.EventAuthorized, pi.Metadata[metaKey]
			return n, money(pi.AmountCapturable, pi.Currency)
		case "payment_intent.payment_failed":
			n.Kind, n.IdempotencyKey = providers.EventAuthorizationFailed, pi.Metadata[metaKey]
			return n, money(pi.Amount, pi.Currency)
		case "payment_intent.succeeded":
			n.Kind, n.IdempotencyKey = providers.EventCaptured, pi.Metadata[metaCaptured]
			if pi.LatestCharge != nil && pi.LatestCharge.ID != "" {
				n.PSPReference = pi.LatestCharge.ID
			}
			return n, money(pi.AmountReceived, pi.Currency)
		default:
			n.Kind = providers.EventCancelled
			return n, money(pi.Amount-pi.AmountReceived, pi.Currency)
		}
	case "charge.refunded":
		var ch stripego.Charge
		if err := json.Unmarshal(e.Data.Raw, &ch); err != nil {
			return n, fmt.Errorf("stripe webhook: charge: %w", err)
		}
		n.Kind = providers.EventRefunded
		if ch.PaymentIntent != nil {
			n.PaymentReference = ch.PaymentIntent.ID
		}
		if ch.Refunds == nil || len(ch.Refunds.Data) == 0 {
			return n, money(ch.AmountRefunded, ch.Currency)
		}
		latest := ch.Refunds.Data[0]
		n.PSPReference, n.IdempotencyKey = latest.ID, latest.Metadata[metaKey]
		return n, money(latest.Amount, ch.Currency)
	case "charge.dispute.created":
		var d stripego.Dispute
		if err := json.Unmarshal(e.Data.Raw, &d); err != nil {
			return n, fmt.Errorf("stripe webhook: dispute: %w", err)
		}
		n.Kind, n.PSPReference = providers.EventChargeback, d.ID
		if d.PaymentIntent != nil {
			n.PaymentReference = d.PaymentIntent.ID
		}
		return n, money(d.Amount, d.Currency)
	}
	return n, nil
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
