package payments

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/providers"
)

// NotificationReport counts what one webhook delivery did to commercetools.
type NotificationReport struct {
	// Recorded counts the events that moved a transaction on or added one.
	Recorded int
	// Unchanged counts the events commercetools already showed (duplicates, replays, or
	// the answer the processor recorded itself).
	Unchanged int
	// Ignored counts the events no retry could help: unknown kinds, payments this
	// processor never made, and late events that would revert a final state.
	Ignored int
}

// ErrNoWebhooks answers a webhook for a PSP that sends none.
var ErrNoWebhooks = &Error{Kind: KindNotFound, Code: CodeResourceNotFound, Message: "The payment provider sends no webhooks."}

// eventTransactions maps event kinds to the transaction and state they stand for.
var eventTransactions = map[providers.EventKind][2]string{
	providers.EventAuthorized:          {commercetools.TransactionAuthorization, commercetools.StateSuccess},
	providers.EventAuthorizationFailed: {commercetools.TransactionAuthorization, commercetools.StateFailure},
	providers.EventCaptured:            {commercetools.TransactionCharge, commercetools.StateSuccess},
	providers.EventCaptureFailed:       {commercetools.TransactionCharge, commercetools.StateFailure},
	providers.EventRefunded:            {commercetools.TransactionRefund, commercetools.StateSuccess},
	providers.EventRefundFailed:        {commercetools.TransactionRefund, commercetools.StateFailure},
	providers.EventCancelled:           {commercetools.TransactionCancelAuthorization, commercetools.StateSuccess},
	providers.EventChargeback:          {commercetools.TransactionChargeback, commercetools.StateSuccess},
}

// HandleNotification checks a webhook delivery's signature over the body exactly as
// received and records its events on commercetools before answering, so an event is
// never acknowledged and then lost. Each event moves its transaction forward (found by
// the request's idempotency key or the provider's references), adds the transaction when
// the provider moved money commercetools does not show, and never reverts a final state.
// A bad signature is KindUnauthorized, with nothing recorded; a commercetools failure is
// KindUnavailable, so the provider delivers again; whatever a retry cannot help is
// counted as ignored.
func (s *Service) HandleNotification(ctx context.Context, header http.Header, body []byte) (NotificationReport, error) {
	var report NotificationReport
	verifier, ok := s.psp.Provider.(providers.WebhookVerifier)
	if !ok {
		return report, ErrNoWebhooks
	}
	events, err := verifier.VerifyWebhook(ctx, header, body)
	switch {
	case errors.Is(err, providers.ErrBadSignature):
		return report, &Error{Kind: KindUnauthorized, Code: CodeInvalidSignature, Message: "The webhook's signature is not valid.", Cause: err}
	case err != nil:
		s.log.WarnContext(ctx, "webhook: signed but unreadable; acknowledged", slog.Any("error", err))
		report.Ignored++
		return report, nil
	}
	for _, ev := range events {
		outcome, err := s.applyEvent(ctx, ev)
		if err != nil {
			return report, storeError(fmt.Errorf("webhook event %s: %w", ev.EventID, err), "")
		}
		switch outcome {
		case eventRecorded:
			report.Recorded++
		case eventUnchanged:
			report.Unchanged++
		default:
			report.Ignored++
		}
	}
	return report, nil
}

type eventOutcome int

const (
	eventIgnored eventOutcome = iota
	eventRecorded
	eventUnchanged
)

// applyEvent records one event. It reads the payment, decides against that version, and
// writes at it; a conflict reads again.
func (s *Service) applyEvent(ctx context.Context, ev providers.Notification) (eventOutcome, error) {
	target, known := eventTransactions[ev.Kind]
	log := s.log.With(slog.String("event_id", ev.EventID), slog.String("kind", string(ev.Kind)))
	if !known {
		log.InfoContext(ctx, "webhook: event of no concern; acknowledged")
		return eventIgnored, nil
	}
	txType, state := target[0], target[1]
	for round := 0; round < maxRounds; round++ {
		p, tx, err := s.eventTransaction(ctx, ev, txType)
		if err != nil {
			if isNotFound(err) {
				log.WarnContext(ctx, "webhook: no payment of this processor; acknowledged", slog.String("psp_reference", ev.PSPReference))
				return eventIgnored, nil
			}
			return eventIgnored, err
		}
		if tx != nil {
			switch {
			case tx.State == state:
				if txType == commercetools.TransactionAuthorization && state == commercetools.StateSuccess {
					// The other of webhook and return may have settled it and died before
					// looking at the cart: look again, it costs a read.
					if err := s.lateAuthorization(ctx, p); err != nil {
						return eventUnchanged, err
					}
				}
				return eventUnchanged, nil
			case !commercetools.TransitionAllowed(tx.State, state):
				log.WarnContext(ctx, "webhook: a late event would revert a final state; ignored",
					slog.String("payment_id", p.ID), slog.String("state", tx.State), slog.String("event_state", state))
				return eventIgnored, nil
			}
			if _, err := s.ct.UpdatePaymentFrom(ctx, p, commercetools.PaymentChange{
				InterfaceID: paymentReferenceOf(ev, txType),
				Transaction: &commercetools.TransactionChange{ID: tx.ID, InterfaceID: ev.PSPReference, State: state},
			}); err != nil {
				var transition *commercetools.ErrTransition
				if errors.As(err, &transition) {
					continue // another writer settled it meanwhile: look again
				}
				return eventIgnored, err
			}
			log.InfoContext(ctx, "webhook: transaction settled", slog.String("payment_id", p.ID), slog.String("type", txType), slog.String("state", state))
			if txType == commercetools.TransactionAuthorization && state == commercetools.StateSuccess {
				if err := s.lateAuthorization(ctx, p); err != nil {
					return eventRecorded, err
				}
			}
			return eventRecorded, nil
		}
		// Money the provider moved that the payment does not show: record it at the
		// version read, named by the provider's reference so a replay finds it.
		_, err = s.ct.UpdatePaymentActions(ctx, p.ID, p.Version, []commercetools.UpdateAction{{
			"action": "addTransaction", "transaction": commercetools.TransactionDraft{
				Type: txType, State: state, InteractionID: ev.PSPReference, InterfaceID: ev.PSPReference, Timestamp: s.stamp(),
				Amount: commercetools.Money{CurrencyCode: ev.Amount.CurrencyCode, CentAmount: ev.Amount.CentAmount},
			}}})
		switch {
		case err == nil:
			log.InfoContext(ctx, "webhook: recorded money the payment did not show", slog.String("payment_id", p.ID), slog.String("type", txType))
			return eventRecorded, nil
		case commercetools.IsConcurrentModification(err), errors.Is(err, commercetools.ErrUnavailable):
			continue
		default:
			return eventIgnored, err
		}
	}
	return eventIgnored, errConflicts
}

// paymentReferenceOf is the payment's interface id an event tells: the provider's
// reference of an authorization.
func paymentReferenceOf(ev providers.Notification, txType string) string {
	if txType == commercetools.TransactionAuthorization {
		return ev.PSPReference
	}
	return ""
}

// eventTransaction finds the payment an event is about and, when the payment shows it,
// the transaction of txType the event settles: by the request's idempotency key, by the
// provider's reference of the operation, or, on the payment found by the provider's
// reference of the payment or the merchant reference, an unsettled transaction of the
// type and amount whose answer never came. tx is nil when the payment does not show the
// operation.
func (s *Service) eventTransaction(ctx context.Context, ev providers.Notification, txType string) (*commercetools.Payment, *commercetools.Transaction, error) {
	for _, ref := range []string{ev.IdempotencyKey, ev.PSPReference} {
		if ref == "" {
			continue
		}
		p, tx, err := s.FindTransaction(ctx, ref)
		if err == nil && tx.Type == txType && (tx.InteractionID == ref || tx.InterfaceID == ref) {
			return p, tx, nil
		}
		if err != nil && !isNotFound(err) {
			return nil, nil, err
		}
	}
	p, err := s.eventPayment(ctx, ev)
	if err != nil {
		return nil, nil, err
	}
	// Decide on this read of the payment alone: the write that follows is made at its
	// version, so what it shows is what the decision saw.
	for i := range p.Transactions {
		tx := &p.Transactions[i]
		if tx.Type == txType && ((ev.IdempotencyKey != "" && tx.InteractionID == ev.IdempotencyKey) ||
			(ev.PSPReference != "" && (tx.InteractionID == ev.PSPReference || tx.InterfaceID == ev.PSPReference))) {
			return p, tx, nil
		}
	}
	for i := range p.Transactions {
		tx := &p.Transactions[i]
		if tx.Type == txType && unsettled(tx) && tx.InterfaceID == "" && tx.Amount.CentAmount == ev.Amount.CentAmount {
			return p, tx, nil
		}
	}
	return p, nil, nil
}

// eventPayment finds the payment an event belongs to by the provider's reference of the
// payment, else by the commercetools payment id the provider echoes.
func (s *Service) eventPayment(ctx context.Context, ev providers.Notification) (*commercetools.Payment, error) {
	if ev.PaymentReference != "" {
		p, _, err := s.FindTransaction(ctx, ev.PaymentReference)
		if err == nil || !isNotFound(err) {
			return p, err
		}
	}
	if ev.MerchantReference != "" {
		p, err := s.ct.GetPayment(ctx, ev.MerchantReference)
		if err == nil {
			return p, nil
		}
		return nil, storeError(err, ev.MerchantReference)
	}
	return nil, notFound(ev.PSPReference)
}

func isNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == KindNotFound
}
