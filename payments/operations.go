package payments

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/apierror"
	"github.com/checkout-connect/go-connector/providers"
)

// Operation kinds of payment intents.
const (
	Capture = "capturePayment"
	Refund  = "refundPayment"
	Cancel  = "cancelPayment"
	Reverse = "reversePayment"
)

// Operation is one action of POST /operations/payment-intents/{id}.
type Operation struct {
	// Kind is Capture, Refund, Cancel or Reverse.
	Kind string
	// Amount is what to capture or refund; nil for Cancel and Reverse.
	Amount *commercetools.Money
	// MerchantReference, when set, makes a repeat answer the first outcome and move no
	// money again.
	MerchantReference string
}

// OperationResult is the PSP's answer to an operation.
type OperationResult struct {
	Outcome      providers.Outcome
	PSPReference string
}

// ledger sums a payment's transactions. Unsettled (Initial, Pending) charges, refunds and
// cancellations count as made: the money they ask for is spoken for.
type ledger struct {
	authorized       int64
	authorizationRef string
	charged          int64 // Success
	charging         int64 // Success, Pending, Initial
	refunding        int64 // Success, Pending, Initial
	cancelling       bool  // a CancelAuthorization Success, Pending or Initial
}

func ledgerOf(p *commercetools.Payment) ledger {
	var l ledger
	for _, tx := range p.Transactions {
		live := tx.State != commercetools.StateFailure
		switch tx.Type {
		case commercetools.TransactionAuthorization:
			if tx.State == commercetools.StateSuccess {
				l.authorized += tx.Amount.CentAmount
				l.authorizationRef = tx.InterfaceID
			}
		case commercetools.TransactionCharge:
			if tx.State == commercetools.StateSuccess {
				l.charged += tx.Amount.CentAmount
			}
			if live {
				l.charging += tx.Amount.CentAmount
			}
		case commercetools.TransactionRefund:
			if live {
				l.refunding += tx.Amount.CentAmount
			}
		case commercetools.TransactionCancelAuthorization:
			l.cancelling = l.cancelling || live
		}
	}
	return l
}

// plan is a money movement decided against one version of a payment.
type plan struct {
	txType string
	amount commercetools.Money
}

// decide checks the operation against the payment as read and says which transaction to
// record, or why not.
func decide(p *commercetools.Payment, op Operation) (plan, error) {
	l := ledgerOf(p)
	currency := p.AmountPlanned.CurrencyCode
	if l.authorized == 0 {
		return plan{}, apierror.InvalidOperation("The payment has no successful authorization.")
	}
	checkAmount := func() error {
		if op.Amount == nil {
			return apierror.RequiredField("amount")
		}
		if op.Amount.CurrencyCode != currency {
			return apierror.InvalidField("amount.currencyCode", op.Amount.CurrencyCode, []string{currency})
		}
		if op.Amount.CentAmount <= 0 {
			return apierror.InvalidField("amount.centAmount", op.Amount.CentAmount, "> 0")
		}
		return nil
	}
	amount := func(cents int64) commercetools.Money {
		return commercetools.Money{CurrencyCode: currency, CentAmount: cents, FractionDigits: p.AmountPlanned.FractionDigits}
	}
	switch op.Kind {
	case Capture:
		if err := checkAmount(); err != nil {
			return plan{}, err
		}
		if l.cancelling {
			return plan{}, apierror.InvalidOperation("The authorization is cancelled.")
		}
		if remaining := l.authorized - l.charging; op.Amount.CentAmount > remaining {
			return plan{}, apierror.InvalidOperation(fmt.Sprintf("The capture of %s exceeds the %s authorized and not yet captured.",
				describeMoney(*op.Amount), describeMoney(amount(remaining))))
		}
		return plan{commercetools.TransactionCharge, amount(op.Amount.CentAmount)}, nil
	case Refund:
		if err := checkAmount(); err != nil {
			return plan{}, err
		}
		if remaining := l.charged - l.refunding; op.Amount.CentAmount > remaining {
			return plan{}, apierror.InvalidOperation(fmt.Sprintf("The refund of %s exceeds the %s captured and not yet refunded.",
				describeMoney(*op.Amount), describeMoney(amount(remaining))))
		}
		return plan{commercetools.TransactionRefund, amount(op.Amount.CentAmount)}, nil
	case Cancel:
		if l.cancelling {
			return plan{}, apierror.InvalidOperation("The authorization is already cancelled.")
		}
		if l.charging > 0 {
			return plan{}, apierror.InvalidOperation("The payment is captured; refund it instead of cancelling.")
		}
		return plan{commercetools.TransactionCancelAuthorization, amount(l.authorized)}, nil
	case Reverse:
		if refundable := l.charged - l.refunding; refundable > 0 {
			return plan{commercetools.TransactionRefund, amount(refundable)}, nil
		}
		if !l.cancelling && l.charging == 0 {
			return plan{commercetools.TransactionCancelAuthorization, amount(l.authorized)}, nil
		}
		return plan{}, apierror.InvalidOperation("There is no successful payment transaction to reverse.")
	}
	return plan{}, apierror.InvalidField("action", op.Kind, []string{Capture, Refund, Cancel, Reverse})
}

// Modify captures, refunds, cancels or reverses a payment. The transaction is recorded
// (Initial) at the version the checks were made against, so concurrent operations cannot
// together take more than there is; then the provider is asked and the transaction
// settled. A capture makes three commercetools calls: read, record, settle. Gift-card
// payments are rolled back at the gift-card provider.
func (s *Service) Modify(ctx context.Context, paymentID string, op Operation) (OperationResult, error) {
	p, err := s.ct.GetPayment(ctx, paymentID)
	if err != nil {
		return OperationResult{}, notFoundIfMissing(err, paymentID)
	}
	if p.PaymentMethodInfo.Method == GiftCardMethod {
		if s.giftCards == nil {
			return OperationResult{}, apierror.InvalidOperation("Gift cards are not enabled.")
		}
		return s.operate(ctx, p, op, decideGiftCard, s.rollback)
	}
	return s.operate(ctx, p, op, decide, s.pspOperation)
}

// mover asks a provider to carry out a recorded transaction.
type mover func(ctx context.Context, p *commercetools.Payment, tx *commercetools.Transaction, key string) (providers.Result, error)

// operate records the transaction decide plans, has move carry it out, and settles it.
func (s *Service) operate(ctx context.Context, p *commercetools.Payment, op Operation,
	decide func(*commercetools.Payment, Operation) (plan, error), move mover) (OperationResult, error) {
	key := "op-" + uuid.NewString()
	if op.MerchantReference != "" {
		key = derivedKey("op", p.ID, op.Kind, op.MerchantReference)
	}
	var tx *commercetools.Transaction
	for attempt := 0; ; attempt++ {
		if tx = findByInteraction(p, key); tx != nil {
			break // recorded before: a repeat, or this loop's own write
		}
		decision, err := decide(p, op)
		if err != nil {
			return OperationResult{}, err
		}
		updated, err := s.ct.UpdatePaymentActions(ctx, p.ID, p.Version, []commercetools.UpdateAction{{
			"action": "addTransaction",
			"transaction": commercetools.TransactionDraft{Type: decision.txType, State: commercetools.StateInitial, InteractionID: key,
				Amount: commercetools.Money{CurrencyCode: decision.amount.CurrencyCode, CentAmount: decision.amount.CentAmount}},
		}})
		if err == nil {
			p = updated
			continue
		}
		// A conflict, or a failure that may hide a success: read again and look.
		if !(commercetools.IsConcurrentModification(err) || errors.Is(err, commercetools.ErrUnavailable)) || attempt >= maxRecordAttempts {
			return OperationResult{}, err
		}
		if p, err = s.ct.GetPayment(ctx, p.ID); err != nil {
			return OperationResult{}, err
		}
	}
	if settled(tx) {
		return OperationResult{Outcome: outcomeOf(tx.State), PSPReference: tx.InterfaceID}, nil
	}
	result, err := move(ctx, p, tx, key)
	if err != nil {
		return OperationResult{}, pspUnavailable(err)
	}
	_, err = s.ct.UpdatePaymentFrom(ctx, p, commercetools.PaymentChange{Transaction: &commercetools.TransactionChange{
		ID: tx.ID, InterfaceID: result.PSPReference, State: transactionState(result.Outcome)}})
	if err != nil {
		return OperationResult{}, err
	}
	s.logSettled(ctx, p.ID, tx.Type, result)
	return OperationResult{Outcome: result.Outcome, PSPReference: result.PSPReference}, nil
}

// pspOperation asks the PSP to capture, refund or cancel.
func (s *Service) pspOperation(ctx context.Context, p *commercetools.Payment, tx *commercetools.Transaction, key string) (providers.Result, error) {
	req := providers.OperationRequest{IdempotencyKey: key, PSPReference: ledgerOf(p).authorizationRef, Amount: money(tx.Amount)}
	if req.PSPReference == "" {
		req.PSPReference = p.InterfaceID
	}
	switch tx.Type {
	case commercetools.TransactionCharge:
		return s.psp.Capture(ctx, req)
	case commercetools.TransactionRefund:
		return s.psp.Refund(ctx, req)
	default:
		return s.psp.Cancel(ctx, req)
	}
}

// maxRecordAttempts bounds how often Modify re-reads a payment that others keep changing.
const maxRecordAttempts = 30

func findByInteraction(p *commercetools.Payment, interactionID string) *commercetools.Transaction {
	for i := range p.Transactions {
		if p.Transactions[i].InteractionID == interactionID {
			return &p.Transactions[i]
		}
	}
	return nil
}
