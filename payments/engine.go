package payments

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/correlation"
	"github.com/checkout-connect/go-connector/providers"
)

// The write-ahead executor. Two entry points share it: start records a new payment on a
// cart (pay, recurring, redeem), record adds transactions to an existing payment
// (capture, refund, cancel, reverse). Both end in execute, which asks the provider and
// settles, and both hand repeats of a request to resume.

// movement asks a provider to carry out a recorded transaction of payment p. Its
// idempotency key is the transaction's interaction id.
type movement func(ctx context.Context, p *commercetools.Payment, tx *commercetools.Transaction) (providers.Result, error)

// settledTx is a transaction of a payment with its final (or Pending) state.
type settledTx struct {
	payment *commercetools.Payment
	tx      *commercetools.Transaction
	// result is the provider's answer when it was asked by this request.
	result *providers.Result
}

// maxRounds bounds how often a flow starts over after losing a version race.
const maxRounds = 25

// attempt is a new payment a flow wants on a cart.
type attempt struct {
	key attemptKey
	// what names the attempt in messages ("A payment of this cart").
	what string
	// txType and role are the type of the payment's transaction and the role in its
	// interaction id.
	txType, role string
	// amount decides from the cart and its room what the payment is for, or refuses.
	amount func(cart *commercetools.Cart, room Room) (commercetools.Money, error)
	// draft returns the payment's draft for the amount, without key and transactions.
	draft func(cart *commercetools.Cart, amount commercetools.Money) commercetools.PaymentDraft
	move  movement
}

// start runs a new payment on the cart cartID, reading it unless cart (its payments
// expanded) is given. It returns the payment's transaction as settled, or as a repeat of
// the same request finds it.
func (s *Service) start(ctx context.Context, cartID string, cart *commercetools.Cart, a attempt) (settledTx, error) {
	for round := 0; round < maxRounds; round++ {
		if cart == nil {
			var err error
			if cart, err = s.ct.GetCartWithPayments(ctx, cartID); err != nil {
				return settledTx{}, storeError(err, cartID)
			}
		}
		if cart.CartState != "" && cart.CartState != "Active" {
			return settledTx{}, invalidOperation(fmt.Sprintf("The cart is %s and cannot be paid.", cart.CartState))
		}
		payments := expandedPayments(cart)
		if prev, tx, err := sameAttempt(payments, a.key, a.txType); err != nil {
			return settledTx{}, err
		} else if prev != nil {
			return s.resume(ctx, prev, tx, a.what, a.move)
		}
		room := CartRoom(cart, payments)
		amount, err := a.amount(cart, room)
		if err != nil {
			return s.refuse(room, payments, a, err)
		}
		draft := a.draft(cart, amount)
		draft.Key = a.key.String()
		draft.AmountPlanned = amount
		draft.Transactions = []commercetools.TransactionDraft{{
			Type: a.txType, State: commercetools.StateInitial, InteractionID: a.key.interaction(a.role),
			Amount:    commercetools.Money{CurrencyCode: amount.CurrencyCode, CentAmount: amount.CentAmount},
			Timestamp: s.stamp(),
		}}
		p, _, err := s.ct.CreatePayment(ctx, draft)
		if err != nil {
			return settledTx{}, storeError(err, "")
		}
		won, next, err := s.claim(ctx, cart, p.ID)
		if won {
			return s.execute(ctx, p, findTransaction(p, a.txType, a.key.interaction(a.role)), a.move)
		}
		if err != nil {
			// Whether the payment is attached is unknown: it stays as it is, moving no money,
			// for a repeat of the request or the reconciler.
			return settledTx{}, storeError(err, "")
		}
		s.discard(ctx, p)
		cart = next
		a.key = a.key.renewed()
	}
	return settledTx{}, storeError(fmt.Errorf("cart %s: %w", cartID, errConflicts), "")
}

// errConflicts ends a flow whose cart or payment kept changing under it.
var errConflicts = errors.New("commercetools: the resource kept changing")

// refuse answers a request the cart has no room for: 409 while other attempts are in
// flight (they may fail and free the cart), the same payment for a repeat of a request
// that was paid, else the flow's refusal.
func (s *Service) refuse(room Room, payments []commercetools.Payment, a attempt, refusal error) (settledTx, error) {
	var e *Error
	if !errors.As(refusal, &e) || e.Kind != KindInvalid || room.Open.CentAmount >= room.Total.CentAmount {
		return settledTx{}, refusal
	}
	if len(room.InFlight) > 0 {
		wait := time.Duration(0)
		for _, p := range room.InFlight {
			for i := range p.Transactions {
				if tx := &p.Transactions[i]; unsettled(tx) {
					wait = max(wait, s.retryAfter(tx))
				}
			}
		}
		return settledTx{}, inProgress(a.what, wait, room.InFlight[0].ID)
	}
	if !a.key.keyed() {
		for i := range payments {
			p := &payments[i]
			k, ok := parseKey(p.Key)
			if !ok || !k.sameRequest(a.key) || Reserved(p) == 0 {
				continue
			}
			if tx := findRole(p, a.txType, a.role); tx != nil && tx.State == commercetools.StateSuccess {
				return settledTx{payment: p, tx: tx}, nil
			}
		}
	}
	return settledTx{}, refusal
}

// sameAttempt finds, among a cart's payments, an earlier attempt of the same logical
// request: with a client key, any attempt under that key (a different request under it
// is refused); without one, an attempt of the same request still in flight.
func sameAttempt(payments []commercetools.Payment, key attemptKey, txType string) (*commercetools.Payment, *commercetools.Transaction, error) {
	for i := range payments {
		p := &payments[i]
		k, ok := parseKey(p.Key)
		if !ok || !k.sameScope(key) {
			continue
		}
		if key.keyed() && k.print != key.print {
			return nil, nil, keyReused("Idempotency-Key")
		}
		if k.print != key.print {
			continue
		}
		tx := firstOfType(p, txType)
		if tx == nil {
			continue
		}
		if key.keyed() || tx.State == commercetools.StateInitial {
			return p, tx, nil
		}
	}
	return nil, nil, nil
}

// claim attaches payment id to the cart at the version its room was checked against. A
// conflict, or a failure that may hide a success, is settled by reading the cart again:
// the claim is won if the payment is attached. next is the cart as read again.
func (s *Service) claim(ctx context.Context, cart *commercetools.Cart, id string) (won bool, next *commercetools.Cart, err error) {
	_, err = s.ct.UpdateCart(ctx, cart.ID, cart.Version,
		commercetools.UpdateAction{"action": "addPayment", "payment": commercetools.Reference{TypeID: "payment", ID: id}})
	if err == nil {
		return true, nil, nil
	}
	if !commercetools.IsConcurrentModification(err) && !errors.Is(err, commercetools.ErrUnavailable) {
		return false, nil, err
	}
	next, readErr := s.ct.GetCartWithPayments(ctx, cart.ID)
	if readErr != nil {
		return false, nil, fmt.Errorf("claim cart %s: %w (then %w)", cart.ID, err, readErr)
	}
	if slices.Contains(next.PaymentIDs(), id) {
		return true, next, nil
	}
	return false, next, nil
}

// discard deletes a payment that lost its claim: it was never attached and no provider
// saw it. When the delete fails the payment's transaction is failed instead; when that
// fails too the reconciler fails it (its provider never saw the key).
func (s *Service) discard(ctx context.Context, p *commercetools.Payment) {
	err := s.ct.DeletePayment(ctx, p.ID, p.Version)
	if err == nil {
		return
	}
	for i := range p.Transactions {
		tx := &p.Transactions[i]
		if tx.State != commercetools.StateInitial {
			continue
		}
		if _, ferr := s.ct.UpdatePaymentFrom(ctx, p, commercetools.PaymentChange{Transaction: &commercetools.TransactionChange{
			ID: tx.ID, State: commercetools.StateFailure}}); ferr != nil {
			s.log.WarnContext(ctx, "could not discard a payment that lost its claim; the reconciler will fail it",
				slog.String("payment_id", p.ID), slog.Any("error", errors.Join(err, ferr)))
		}
	}
}

// recording is a set of transactions a flow wants on an existing payment.
type recording struct {
	key  attemptKey
	what string
	// decide plans the transactions against the payment as read, or refuses.
	decide func(p *commercetools.Payment) ([]plan, error)
	move   movement
}

// plan is one transaction to record: its type, amount and role in the interaction id.
type plan struct {
	txType string
	amount commercetools.Money
	role   string
}

// record adds the planned transactions (Initial) to payment p at the version they were
// planned against, then executes them in order. A version conflict reads the payment
// again and plans again.
func (s *Service) record(ctx context.Context, p *commercetools.Payment, r recording) ([]settledTx, error) {
	for round := 0; round < maxRounds; round++ {
		if own, err := ownTransactions(p, r.key); err != nil {
			return nil, err
		} else if len(own) > 0 {
			mine := mustParse(own[0].InteractionID).nonce == r.key.nonce
			return s.executeAll(ctx, p, own, r, mine)
		}
		plans, err := r.decide(p)
		if err != nil {
			return nil, err
		}
		actions := make([]commercetools.UpdateAction, 0, len(plans))
		for _, pl := range plans {
			actions = append(actions, commercetools.UpdateAction{"action": "addTransaction", "transaction": commercetools.TransactionDraft{
				Type: pl.txType, State: commercetools.StateInitial, InteractionID: r.key.interaction(pl.role), Timestamp: s.stamp(),
				Amount: commercetools.Money{CurrencyCode: pl.amount.CurrencyCode, CentAmount: pl.amount.CentAmount},
			}})
		}
		updated, err := s.ct.UpdatePaymentActions(ctx, p.ID, p.Version, actions)
		if err == nil {
			p = updated
			continue // finds its own transactions and executes them
		}
		if !commercetools.IsConcurrentModification(err) && !errors.Is(err, commercetools.ErrUnavailable) {
			return nil, storeError(err, p.ID)
		}
		id := p.ID
		if p, err = s.ct.GetPayment(ctx, id); err != nil {
			return nil, storeError(err, id)
		}
	}
	return nil, storeError(fmt.Errorf("payment %s: %w", p.ID, errConflicts), "")
}

// executeAll executes transactions recorded together. mine tells that this request
// recorded them; otherwise they are a repeat's to resume.
func (s *Service) executeAll(ctx context.Context, p *commercetools.Payment, txs []*commercetools.Transaction, r recording, mine bool) ([]settledTx, error) {
	out := make([]settledTx, 0, len(txs))
	for _, tx := range txs {
		var (
			done settledTx
			err  error
		)
		if mine && tx.State == commercetools.StateInitial {
			done, err = s.execute(ctx, p, tx, r.move)
		} else {
			done, err = s.resume(ctx, p, tx, r.what, r.move)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, done)
		p = done.payment
	}
	return out, nil
}

// ownTransactions returns the payment's transactions recorded under the key's scope (all
// of the first request that recorded any), in the order they were recorded; a different
// request under the same client key is refused.
func ownTransactions(p *commercetools.Payment, key attemptKey) ([]*commercetools.Transaction, error) {
	var own []*commercetools.Transaction
	var nonce string
	for i := range p.Transactions {
		tx := &p.Transactions[i]
		k, ok := parseKey(tx.InteractionID)
		if !ok || !k.sameScope(key) || (!key.keyed() && k.nonce != key.nonce) {
			continue
		}
		if k.print != key.print {
			return nil, keyReused("merchantReference")
		}
		if nonce == "" {
			nonce = k.nonce
		}
		if k.nonce == nonce {
			own = append(own, tx)
		}
	}
	return own, nil
}

func mustParse(s string) attemptKey { k, _ := parseKey(s); return k }

// resume answers a repeat that found its attempt recorded: a settled (or Pending)
// transaction is the answer; an Initial one is in progress while the request that made
// it may still run, and is finished by the repeat once that request must have ended.
func (s *Service) resume(ctx context.Context, p *commercetools.Payment, tx *commercetools.Transaction, what string, move movement) (settledTx, error) {
	if tx.State != commercetools.StateInitial {
		return settledTx{payment: p, tx: tx}, nil
	}
	if wait := s.retryAfter(tx); s.age(tx) < s.cfg.Budget {
		return settledTx{}, inProgress(what, wait, p.ID)
	}
	if looker, ok := s.looker(p); ok {
		r, found, err := looker.Lookup(ctx, tx.InteractionID)
		if err != nil {
			return settledTx{}, outcomePending(p.ID, true, s.cfg.Budget, err)
		}
		if found {
			return s.settleOrPending(ctx, p, tx, r)
		}
	}
	return s.execute(ctx, p, tx, move)
}

// execute asks the provider to carry out a recorded transaction, within the request's
// budget less what recording the answer needs, and settles it. When the provider does
// not answer, or its answer cannot be recorded, the answer is outcome pending: the
// transaction stays Initial for a repeat or the reconciler.
func (s *Service) execute(ctx context.Context, p *commercetools.Payment, tx *commercetools.Transaction, move movement) (settledTx, error) {
	if tx == nil {
		return settledTx{}, fmt.Errorf("payment %s: the recorded transaction is missing", p.ID)
	}
	s.cfg.Observer.InFlight(1)
	defer s.cfg.Observer.InFlight(-1)
	callCtx, cancel := s.providerContext(ctx)
	r, err := move(callCtx, p, tx)
	cancel()
	outcome := string(r.Outcome)
	if err != nil {
		outcome = "error"
	}
	s.cfg.Observer.ProviderCall(p.PaymentMethodInfo.PaymentInterface, tx.Type, outcome)
	if err != nil {
		s.log.WarnContext(ctx, "the provider did not answer; the transaction stays open",
			slog.String("payment_id", p.ID), slog.String("interaction_id", tx.InteractionID), slog.Any("error", err))
		return settledTx{}, outcomePending(p.ID, true, s.retryAfter(tx), err)
	}
	return s.settleOrPending(ctx, p, tx, r)
}

// settleOrPending records a provider's answer, or answers outcome pending.
func (s *Service) settleOrPending(ctx context.Context, p *commercetools.Payment, tx *commercetools.Transaction, r providers.Result) (settledTx, error) {
	done, err := s.settle(ctx, p, tx, r)
	if err != nil {
		s.log.ErrorContext(ctx, "the provider answered but the answer could not be recorded; the reconciler will",
			slog.String("payment_id", p.ID), slog.String("interaction_id", tx.InteractionID),
			slog.String("outcome", string(r.Outcome)), slog.String("psp_reference", r.PSPReference), slog.Any("error", err))
		return settledTx{}, outcomePending(p.ID, false, s.retryAfter(tx), err)
	}
	return settledTx{payment: done, tx: findByID(done, tx.ID), result: &r}, nil
}

// settle records a provider's answer on transaction tx, and the provider's reference as
// the payment's interface id when the payment has none.
func (s *Service) settle(ctx context.Context, p *commercetools.Payment, tx *commercetools.Transaction, r providers.Result) (*commercetools.Payment, error) {
	done, err := s.ct.UpdatePaymentFrom(ctx, p, commercetools.PaymentChange{
		InterfaceID:         r.PSPReference,
		Transaction:         &commercetools.TransactionChange{ID: tx.ID, InterfaceID: r.PSPReference, State: transactionState(r.Outcome)},
		StatusInterfaceCode: r.Code, StatusInterfaceText: r.Message,
	})
	if err != nil {
		return nil, err
	}
	correlation.LogAttrs(ctx, s.log, slog.LevelInfo, "transaction settled", slog.String("payment_id", p.ID), slog.String("type", tx.Type),
		slog.String("outcome", string(r.Outcome)), slog.String("psp_reference", r.PSPReference), slog.String("code", r.Code))
	return done, nil
}

// providerContext bounds a provider call so that recording its answer still fits in the
// request's budget.
func (s *Service) providerContext(ctx context.Context) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return context.WithTimeout(ctx, s.cfg.Budget*3/4)
	}
	remaining := time.Until(deadline)
	return context.WithTimeout(ctx, remaining-min(remaining/4, 3*time.Second))
}

// stamp is the timestamp recorded on a new transaction.
func (s *Service) stamp() string { return s.cfg.Now().UTC().Format("2006-01-02T15:04:05.000Z") }

// age is how long ago a transaction was recorded; a transaction without a readable
// timestamp counts as old.
func (s *Service) age(tx *commercetools.Transaction) time.Duration {
	at, err := time.Parse(time.RFC3339Nano, tx.Timestamp)
	if err != nil {
		return s.cfg.Budget
	}
	return s.cfg.Now().Sub(at)
}

// retryAfter is when the request that recorded tx must have ended, at least a second.
func (s *Service) retryAfter(tx *commercetools.Transaction) time.Duration {
	return max(s.cfg.Budget-s.age(tx), time.Second)
}

// transactionState is the commercetools state of a provider outcome.
func transactionState(o providers.Outcome) string {
	switch o {
	case providers.Approved:
		return commercetools.StateSuccess
	case providers.Rejected:
		return commercetools.StateFailure
	default:
		return commercetools.StatePending
	}
}

// outcomeOf is the outcome a transaction's state stands for.
func outcomeOf(state string) providers.Outcome {
	switch state {
	case commercetools.StateSuccess:
		return providers.Approved
	case commercetools.StateFailure:
		return providers.Rejected
	default:
		return providers.Received
	}
}

func money(m commercetools.Money) providers.Money {
	return providers.Money{CentAmount: m.CentAmount, CurrencyCode: m.CurrencyCode}
}

// expandedPayments lists the payments a cart read with its payments holds.
func expandedPayments(cart *commercetools.Cart) []commercetools.Payment {
	if cart.PaymentInfo == nil {
		return nil
	}
	out := make([]commercetools.Payment, 0, len(cart.PaymentInfo.Payments))
	for _, ref := range cart.PaymentInfo.Payments {
		if ref.Obj != nil {
			out = append(out, *ref.Obj)
		}
	}
	return out
}

func findTransaction(p *commercetools.Payment, txType, interactionID string) *commercetools.Transaction {
	for i := range p.Transactions {
		if tx := &p.Transactions[i]; tx.Type == txType && tx.InteractionID == interactionID {
			return tx
		}
	}
	return nil
}

func findByID(p *commercetools.Payment, id string) *commercetools.Transaction {
	for i := range p.Transactions {
		if p.Transactions[i].ID == id {
			return &p.Transactions[i]
		}
	}
	return nil
}

func firstOfType(p *commercetools.Payment, txType string) *commercetools.Transaction {
	for i := range p.Transactions {
		if p.Transactions[i].Type == txType {
			return &p.Transactions[i]
		}
	}
	return nil
}

// findRole returns the transaction of the payment's own attempt with role.
func findRole(p *commercetools.Payment, txType, role string) *commercetools.Transaction {
	return findTransaction(p, txType, p.Key+"_"+role)
}
