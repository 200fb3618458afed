package payments

import (
	"fmt"
	"net/http"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/apierror"
	"github.com/checkout-connect/go-connector/providers"
)

// paidInFull is the template's refusal of a payment for a cart with nothing left to pay.
func paidInFull(cart *commercetools.Cart, b commercetools.CartBalance) *apierror.Error {
	e := apierror.InvalidOperation("The cart has already been paid in full")
	e.Problems[0].Extra = map[string]any{
		"resource": cart.ID, "paidAmount": b.Paid,
		"cartAmount": map[string]any{"currencyCode": b.Total.CurrencyCode, "centAmount": b.Total.CentAmount, "fractionDigits": b.Total.FractionDigits},
	}
	return e
}

// pspUnavailable is the 502 of a PSP that could not be asked. The transaction recorded
// before stays unsettled; repeating the request resumes it.
func pspUnavailable(err error) *apierror.Error {
	return apierror.New(http.StatusBadGateway, "PaymentProviderUnavailable",
		"The payment provider cannot be reached; nothing was charged. Try again with the same request.").WithCause(err)
}

// notFoundIfMissing turns a commercetools 404 into the client's 404 for id.
func notFoundIfMissing(err error, id string) error {
	if commercetools.IsNotFound(err) {
		return apierror.NotFound(id).WithCause(err)
	}
	return err
}

// transactionState is the commercetools state of a PSP outcome.
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

// outcomeOf is the outcome a settled transaction stands for.
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

func describeMoney(m commercetools.Money) string {
	return fmt.Sprintf("%d %s", m.CentAmount, m.CurrencyCode)
}

// settled reports whether a transaction has its final state.
func settled(tx *commercetools.Transaction) bool {
	return tx.State == commercetools.StateSuccess || tx.State == commercetools.StateFailure
}
