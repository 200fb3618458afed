package payments

import (
	"context"
	"fmt"
	"strconv"

	"github.com/checkout-connect/go-connector/commercetools"
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

// OperationResult is the providers' answer to an operation.
type OperationResult struct {
	Outcome      providers.Outcome
	PSPReference string
}

func (op Operation) print() string {
	amount := ""
	if op.Amount != nil {
		amount = strconv.FormatInt(op.Amount.CentAmount, 10) + op.Amount.CurrencyCode
	}
	return fingerprint(op.Kind, amount)
}

// paymentMoney returns a constructor of amounts in the payment's currency.
func paymentMoney(p *commercetools.Payment) func(int64) commercetools.Money {
	return func(cents int64) commercetools.Money {
		return commercetools.Money{CurrencyCode: p.AmountPlanned.CurrencyCode, CentAmount: cents, FractionDigits: p.AmountPlanned.FractionDigits}
	}
}

// checkAmount refuses an operation's amount that is missing, not positive or in another
// currency than the payment's.
func checkAmount(p *commercetools.Payment, op Operation) error {
	switch {
	case op.Amount == nil:
		return requiredField("amount")
	case op.Amount.CurrencyCode != p.AmountPlanned.CurrencyCode:
		return invalidField("amount.currencyCode", op.Amount.CurrencyCode, []string{p.AmountPlanned.CurrencyCode})
	case op.Amount.CentAmount <= 0:
		return invalidField("amount.centAmount", op.Amount.CentAmount, "> 0")
	}
	return nil
}

// decidePSP checks an operation on a PSP payment against the payment as read and plans
// its transactions, or says why not.
func decidePSP(p *commercetools.Payment, op Operation) ([]plan, error) {
	l := LedgerOf(p)
	amount := paymentMoney(p)
	if l.Authorized == 0 {
		return nil, invalidOperation("The payment has no successful authorization.")
	}
	switch op.Kind {
	case Capture:
		if err := checkAmount(p, op); err != nil {
			return nil, err
		}
		if room := l.CaptureRoom(); op.Amount.CentAmount > room {
			return nil, invalidOperation(fmt.Sprintf("The capture of %s exceeds the %s authorized and not yet captured or cancelled.",
				describeMoney(*op.Amount), describeMoney(amount(room))))
		}
		return []plan{{commercetools.TransactionCharge, amount(op.Amount.CentAmount), "charge"}}, nil
	case Refund:
		if err := checkAmount(p, op); err != nil {
			return nil, err
		}
		if room := l.RefundRoom(); op.Amount.CentAmount > room {
			return nil, invalidOperation(fmt.Sprintf("The refund of %s exceeds the %s captured and not yet refunded.",
				describeMoney(*op.Amount), describeMoney(amount(room))))
		}
		return []plan{{commercetools.TransactionRefund, amount(op.Amount.CentAmount), "refund"}}, nil
	case Cancel:
		if l.Cancelling > 0 {
			return nil, invalidOperation("The authorization is already cancelled.")
		}
		if room := l.CaptureRoom(); room > 0 {
			return []plan{{commercetools.TransactionCancelAuthorization, amount(room), "cancel"}}, nil
		}
		return nil, invalidOperation("The payment is captured; refund it instead of cancelling.")
	case Reverse:
		var plans []plan
		if room := l.RefundRoom(); room > 0 {
			plans = append(plans, plan{commercetools.TransactionRefund, amount(room), "refund"})
		}
		if room := l.CaptureRoom(); room > 0 && l.Cancelling == 0 {
			plans = append(plans, plan{commercetools.TransactionCancelAuthorization, amount(room), "cancel"})
		}
		if len(plans) == 0 {
			return nil, invalidOperation("There is no successful payment transaction to reverse.")
		}
		return plans, nil
	}
	return nil, invalidField("action", op.Kind, []string{Capture, Refund, Cancel, Reverse})
}

// Modify captures, refunds, cancels or reverses a payment through the executor: its
// transactions are recorded Initial at the version they were checked against, so
// concurrent operations cannot together take more than there is; then the provider of
// the payment's interface carries them out and they are settled. A capture makes three
// commercetools calls: read, record, settle.
func (s *Service) Modify(ctx context.Context, paymentID string, op Operation) (OperationResult, error) {
	p, err := s.ct.GetPayment(ctx, paymentID)
	if err != nil {
		return OperationResult{}, storeError(err, paymentID)
	}
	r := recording{key: newAttemptKey("op", p.ID, op.MerchantReference, op.print()), what: "An operation on this payment"}
	if s.isGiftCard(p) {
		r.decide = func(p *commercetools.Payment) ([]plan, error) { return decideGiftCard(p, op) }
		r.move = s.rollback
	} else {
		r.decide = func(p *commercetools.Payment) ([]plan, error) { return decidePSP(p, op) }
		r.move = s.pspOperation
	}
	done, err := s.record(ctx, p, r)
	if err != nil {
		return OperationResult{}, err
	}
	return combined(done), nil
}

// combined is the outcome of an operation's transactions: approved when every one was,
// rejected when one was, received otherwise.
func combined(done []settledTx) OperationResult {
	out := OperationResult{Outcome: providers.Approved}
	for _, d := range done {
		if out.PSPReference == "" {
			out.PSPReference = d.tx.InterfaceID
		}
		switch outcomeOf(d.tx.State) {
		case providers.Rejected:
			out.Outcome = providers.Rejected
		case providers.Received:
			if out.Outcome == providers.Approved {
				out.Outcome = providers.Received
			}
		}
	}
	return out
}

// pspOperation asks the PSP to capture, refund or cancel a recorded transaction.
func (s *Service) pspOperation(ctx context.Context, p *commercetools.Payment, tx *commercetools.Transaction) (providers.Result, error) {
	req := providers.OperationRequest{IdempotencyKey: tx.InteractionID, PSPReference: LedgerOf(p).AuthorizationRef, Amount: money(tx.Amount)}
	if req.PSPReference == "" {
		req.PSPReference = p.InterfaceID
	}
	switch tx.Type {
	case commercetools.TransactionCharge:
		return s.psp.Provider.Capture(ctx, req)
	case commercetools.TransactionRefund:
		return s.psp.Provider.Refund(ctx, req)
	default:
		return s.psp.Provider.Cancel(ctx, req)
	}
}
