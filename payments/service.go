// Package payments holds the flows that move money through the PSP and record it on
// commercetools payments: paying for a cart, capturing, cancelling, refunding and
// reversing, recurring server-to-server payments, and stored payment methods.
//
// Every flow writes ahead: the commercetools payment and its transaction are recorded
// (state Initial) before the PSP is asked to move money, with an idempotency key derived
// from that transaction; the transaction is then settled from the PSP's answer. A failure
// in between leaves a transaction that does not count as paid and that a repeat of the
// same request (same Idempotency-Key or merchantReference) picks up again.
package payments

import (
	"errors"
	"log/slog"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/providers"
)

// Config configures the flows.
type Config struct {
	// PaymentInterface is recorded on payments whose session names none.
	PaymentInterface string
	// PSPName names the PSP in the deep status ("Mock Payment API").
	PSPName string
	// ClientKey and Environment are handed to the enabler.
	ClientKey, Environment string
	// StoredPaymentMethods configures the stored-payment-methods feature.
	StoredPaymentMethods StoredPaymentMethods
	// PurchaseOrderTypeKey is the payment custom type holding purchase-order fields.
	PurchaseOrderTypeKey string
	// GiftCards configures gift cards, when a gift-card provider is given.
	GiftCards GiftCards
}

// StoredPaymentMethods configures the stored-payment-methods feature.
type StoredPaymentMethods struct {
	Enabled          bool
	PaymentInterface string
	InterfaceAccount string
}

// Service runs the payment flows. It is safe for concurrent use and keeps no state:
// commercetools is the store.
type Service struct {
	ct        *commercetools.Client
	psp       providers.PSP
	giftCards providers.GiftCardProvider
	cfg       Config
	log       *slog.Logger
}

// New returns a Service. giftCards may be nil: gift cards are then refused.
func New(ct *commercetools.Client, psp providers.PSP, giftCards providers.GiftCardProvider, cfg Config, log *slog.Logger) (*Service, error) {
	if ct == nil || psp == nil || log == nil {
		return nil, errors.New("payments: a commercetools client, a PSP and a logger are required")
	}
	if cfg.PaymentInterface == "" || cfg.PurchaseOrderTypeKey == "" {
		return nil, errors.New("payments: the payment interface and the purchase-order type key are required")
	}
	if giftCards != nil && (cfg.GiftCards.PaymentInterface == "" || cfg.GiftCards.Currency == "") {
		return nil, errors.New("payments: gift cards need a payment interface and a currency")
	}
	return &Service{ct: ct, psp: psp, giftCards: giftCards, cfg: cfg, log: log}, nil
}

// Custom field names of the purchase-order type, as the template names them.
const (
	FieldPONumber    = "launchpadPurchaseOrderNumber"
	FieldInvoiceMemo = "launchpadPurchaseOrderInvoiceMemo"
)
