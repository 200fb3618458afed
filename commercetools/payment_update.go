package commercetools

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"reflect"
	"time"
)

// PaymentChange is what a flow wants a payment to show. UpdatePayment compares it with the
// payment as stored and sends only the actions still missing, so applying the same change
// twice, or after a conflict, writes nothing new.
type PaymentChange struct {
	// InterfaceID is the PSP's reference of the payment; set only when the payment has none.
	InterfaceID string
	// Method is the payment method (card, invoice, ...); set only when unset.
	Method string
	// StatusInterfaceCode and StatusInterfaceText are the PSP's status; set when different.
	StatusInterfaceCode string
	StatusInterfaceText string
	// Transaction is a transaction the payment must hold, in a state at least as far along.
	Transaction *TransactionChange
	// CustomType sets the payment's custom type when it has another one or none.
	CustomType *CustomFieldsDraft
	// CustomFields are field values to hold; each differing one is set.
	CustomFields map[string]any
}

// TransactionChange names a transaction and the state it must reach. It matches an
// existing transaction by ID when given, else by type and interaction id; with no match it
// is added.
type TransactionChange struct {
	ID            string
	Type          string
	Amount        Money
	InteractionID string
	InterfaceID   string
	State         string
}

// allowedTransitions are the transaction state changes commercetools permits and the
// processor makes: forward only.
var allowedTransitions = map[string][]string{
	StateInitial: {StatePending, StateSuccess, StateFailure},
	StatePending: {StateSuccess, StateFailure},
}

// TransitionAllowed reports whether a transaction may move from one state to another.
func TransitionAllowed(from, to string) bool {
	for _, s := range allowedTransitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// ErrTransition is returned when a change asks for a state a transaction cannot reach
// from the state it is in (Success back to Pending, say).
type ErrTransition struct {
	TransactionID, From, To string
}

func (e *ErrTransition) Error() string {
	return fmt.Sprintf("commercetools: transaction %s cannot move from %s to %s", e.TransactionID, e.From, e.To)
}

// PaymentActions returns the update actions that bring p to show change, in the order
// commercetools applies them. No actions means p already shows it.
func PaymentActions(p *Payment, change PaymentChange, now time.Time) ([]UpdateAction, error) {
	var actions []UpdateAction
	if change.InterfaceID != "" && p.InterfaceID == "" {
		actions = append(actions, UpdateAction{"action": "setInterfaceId", "interfaceId": change.InterfaceID})
	}
	if change.Method != "" && p.PaymentMethodInfo.Method == "" {
		actions = append(actions, UpdateAction{"action": "setMethodInfoMethod", "method": change.Method})
	}
	if change.StatusInterfaceCode != "" && p.PaymentStatus.InterfaceCode != change.StatusInterfaceCode {
		actions = append(actions, UpdateAction{"action": "setStatusInterfaceCode", "interfaceCode": change.StatusInterfaceCode})
	}
	if change.StatusInterfaceText != "" && p.PaymentStatus.InterfaceText != change.StatusInterfaceText {
		actions = append(actions, UpdateAction{"action": "setStatusInterfaceText", "interfaceText": change.StatusInterfaceText})
	}
	if t := change.Transaction; t != nil {
		txActions, err := transactionActions(p, *t, now)
		if err != nil {
			return nil, err
		}
		actions = append(actions, txActions...)
	}
	actions = append(actions, customActions(p, change)...)
	return actions, nil
}

func transactionActions(p *Payment, t TransactionChange, now time.Time) ([]UpdateAction, error) {
	var match *Transaction
	for i := range p.Transactions {
		tx := &p.Transactions[i]
		if (t.ID != "" && tx.ID == t.ID) || (t.ID == "" && t.InteractionID != "" && tx.Type == t.Type && tx.InteractionID == t.InteractionID) {
			match = tx
			break
		}
	}
	if match == nil {
		draft := TransactionDraft{
			Timestamp:     now.UTC().Format(time.RFC3339Nano),
			Type:          t.Type,
			Amount:        Money{CurrencyCode: t.Amount.CurrencyCode, CentAmount: t.Amount.CentAmount},
			InteractionID: t.InteractionID,
			InterfaceID:   t.InterfaceID,
			State:         t.State,
		}
		return []UpdateAction{{"action": "addTransaction", "transaction": draft}}, nil
	}
	var actions []UpdateAction
	if t.State != "" && match.State != t.State {
		if !TransitionAllowed(match.State, t.State) {
			return nil, &ErrTransition{TransactionID: match.ID, From: match.State, To: t.State}
		}
		actions = append(actions, UpdateAction{"action": "changeTransactionState", "transactionId": match.ID, "state": t.State})
	}
	if t.InteractionID != "" && match.InteractionID == "" {
		actions = append(actions, UpdateAction{"action": "changeTransactionInteractionId", "transactionId": match.ID, "interactionId": t.InteractionID})
	}
	if t.InterfaceID != "" && match.InterfaceID == "" {
		actions = append(actions, UpdateAction{"action": "setTransactionInterfaceId", "transactionId": match.ID, "interfaceId": t.InterfaceID})
	}
	return actions, nil
}

func customActions(p *Payment, change PaymentChange) []UpdateAction {
	if change.CustomType != nil && (p.Custom == nil || !sameType(p.Custom.Type, change.CustomType.Type)) {
		fields := maps.Clone(change.CustomType.Fields)
		if fields == nil {
			fields = map[string]any{}
		}
		maps.Copy(fields, change.CustomFields)
		return []UpdateAction{{"action": "setCustomType", "type": change.CustomType.Type, "fields": fields}}
	}
	var actions []UpdateAction
	for _, name := range sortedKeys(change.CustomFields) {
		want := change.CustomFields[name]
		if p.Custom != nil && sameJSON(p.Custom.Fields[name], want) {
			continue
		}
		actions = append(actions, UpdateAction{"action": "setCustomField", "name": name, "value": want})
	}
	return actions
}

// sameType reports whether a stored type reference is the type a draft names. A draft by
// key cannot be compared with a stored reference by id, so it counts as the same type
// when the payment has one and the draft has no id: the type is set once, fields after.
func sameType(stored Reference, want ResourceIdentifier) bool {
	if want.ID != "" {
		return stored.ID == want.ID
	}
	return stored.ID != ""
}

// UpdatePayment brings payment id to show change. It reads the payment, sends only the
// missing actions at the version read, and on a version conflict or an answer lost to a
// failure reads again and retries with jittered backoff. It returns the payment as stored
// afterwards.
func (c *Client) UpdatePayment(ctx context.Context, id string, change PaymentChange) (*Payment, error) {
	return c.updatePayment(ctx, id, nil, change)
}

// UpdatePaymentFrom is UpdatePayment starting from a payment the caller just read or
// wrote, which saves the first read; a conflict falls back to reading.
func (c *Client) UpdatePaymentFrom(ctx context.Context, known *Payment, change PaymentChange) (*Payment, error) {
	return c.updatePayment(ctx, known.ID, known, change)
}

func (c *Client) updatePayment(ctx context.Context, id string, known *Payment, change PaymentChange) (*Payment, error) {
	var lastErr error
	for attempt := 0; attempt <= conflictRetries; attempt++ {
		p := known
		known = nil
		if p == nil {
			if attempt > 0 {
				if err := sleep(ctx, c.conflictBackoff(attempt-1)); err != nil {
					return nil, fmt.Errorf("update payment %s: %w (after %w)", id, err, lastErr)
				}
			}
			var err error
			if p, err = c.GetPayment(ctx, id); err != nil {
				return nil, err
			}
		}
		actions, err := PaymentActions(p, change, c.cfg.Now())
		if err != nil {
			return nil, fmt.Errorf("update payment %s: %w", id, err)
		}
		if len(actions) == 0 {
			return p, nil
		}
		updated, err := c.UpdatePaymentActions(ctx, id, p.Version, actions)
		if err == nil {
			return updated, nil
		}
		if !IsConcurrentModification(err) && !isUnavailable(err) {
			return nil, err
		}
		lastErr = err
		c.log.InfoContext(ctx, "payment update conflicted, retrying", slog.String("payment_id", id), slog.Int("attempt", attempt+1))
	}
	return nil, fmt.Errorf("update payment %s: gave up: %w", id, lastErr)
}

// conflictRetries bounds UpdatePayment's attempts. Many writers on one payment (a burst
// of webhooks, parallel captures) each need a turn, so it is generous.
const conflictRetries = 40

// conflictBackoff spreads retrying writers: exponential up to 64 base delays, jittered.
func (c *Client) conflictBackoff(attempt int) time.Duration {
	return c.backoff(min(attempt, 6))
}

func sameJSON(stored []byte, want any) bool {
	if stored == nil {
		return false
	}
	var have any
	if err := json.Unmarshal(stored, &have); err != nil {
		return false
	}
	wantJSON, err := jsonRoundTrip(want)
	if err != nil {
		return false
	}
	return reflect.DeepEqual(have, wantJSON)
}
