// Package payments is the money engine: every flow that moves money (paying for a cart,
// recurring server-to-server payments, gift-card redemptions, captures, refunds,
// cancellations and reversals, and the reconciler) runs through one write-ahead executor.
//
// The executor reads the cart or payment at a version, checks the money against that
// version with the ledger functions, records the transaction Initial with an idempotency
// key derived from it, claims the cart or payment at that same version, and only then asks
// the provider and settles the transaction. Version conflicts start over from the read.
// Attempts still in flight count against a cart, so concurrent requests, on any number of
// processor replicas, can never together take more than the cart costs. An outcome that
// could not be recorded is finished by repeating the request or by the reconciler.
//
// The package knows nothing of HTTP: it returns *Error values that package handlers maps
// to the contract's responses.
package payments

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/providers/registry"
)

// Store is what the engine needs of commercetools; *commercetools.Client is one.
type Store interface {
	GetCart(ctx context.Context, id string) (*commercetools.Cart, error)
	GetCartWithPayments(ctx context.Context, id string) (*commercetools.Cart, error)
	UpdateCart(ctx context.Context, id string, version int64, actions ...commercetools.UpdateAction) (*commercetools.Cart, error)
	QueryCartsPage(ctx context.Context, q commercetools.Query) (*commercetools.PagedResult[commercetools.Cart], error)
	GetPayment(ctx context.Context, id string) (*commercetools.Payment, error)
	QueryPaymentsPage(ctx context.Context, q commercetools.Query) (*commercetools.PagedResult[commercetools.Payment], error)
	CreatePayment(ctx context.Context, draft commercetools.PaymentDraft) (*commercetools.Payment, bool, error)
	UpdatePaymentActions(ctx context.Context, id string, version int64, actions []commercetools.UpdateAction) (*commercetools.Payment, error)
	UpdatePaymentFrom(ctx context.Context, known *commercetools.Payment, change commercetools.PaymentChange) (*commercetools.Payment, error)
	DeletePayment(ctx context.Context, id string, version int64) error
	GetPaymentMethod(ctx context.Context, id string) (*commercetools.PaymentMethod, error)
	CustomerPaymentMethods(ctx context.Context, customerID, paymentInterface, interfaceAccount string) ([]commercetools.PaymentMethod, error)
	CreatePaymentMethod(ctx context.Context, draft commercetools.PaymentMethodDraft) (*commercetools.PaymentMethod, error)
	DeletePaymentMethod(ctx context.Context, id string, version int64) error
	GrantedScopes(ctx context.Context) ([]string, error)
	ProjectKey() string
}

var _ Store = (*commercetools.Client)(nil)

// Config configures the flows.
type Config struct {
	// ClientKey and Environment are handed to the enabler.
	ClientKey, Environment string
	// StoredPaymentMethods configures the stored-payment-methods feature.
	StoredPaymentMethods StoredPaymentMethods
	// PurchaseOrderTypeKey is the payment custom type holding purchase-order fields.
	PurchaseOrderTypeKey string
	// Budget bounds the work of one request: the provider is asked only while enough of
	// it remains to record the answer. An attempt older than Budget belongs to a request
	// that has ended, so a repeat may finish it. 20 s when zero.
	Budget time.Duration
	// ReconcileAfter is how old an unsettled transaction must be before the reconciler
	// looks it up at the provider. 2 min when zero.
	ReconcileAfter time.Duration
	// ProcessorURL is the processor's public URL, for the return URL of offsite payments
	// when the session names no processorUrl.
	ProcessorURL string
	// MerchantReturnURL is where shoppers go back to after an offsite payment when the
	// session names no merchantReturnUrl.
	MerchantReturnURL string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Observer is told of provider calls, reconciler passes and attempts in flight; none
	// when nil.
	Observer Observer
}

// Observer is what the engine reports for metrics.
type Observer interface {
	// ProviderCall is a money call's answer: outcome is approved, rejected, received or
	// error.
	ProviderCall(provider, transaction, outcome string)
	// Reconciled is one reconciler pass.
	Reconciled(settled, failed, left, pruned int)
	// InFlight moves the count of attempts this process has claimed and not settled.
	InFlight(delta int)
}

type noObserver struct{}

func (noObserver) ProviderCall(string, string, string) {}
func (noObserver) Reconciled(int, int, int, int)       {}
func (noObserver) InFlight(int)                        {}

// StoredPaymentMethods configures the stored-payment-methods feature.
type StoredPaymentMethods struct {
	Enabled          bool
	PaymentInterface string
	InterfaceAccount string
}

// Service runs the payment flows. It is safe for concurrent use and keeps no state:
// commercetools is the store.
type Service struct {
	ct        Store
	psp       registry.PSP
	giftCards *registry.GiftCards
	cfg       Config
	log       *slog.Logger
}

// New returns a Service. giftCards may be nil: gift cards are then refused.
func New(ct Store, psp registry.PSP, giftCards *registry.GiftCards, cfg Config, log *slog.Logger) (*Service, error) {
	if ct == nil || psp.Provider == nil || log == nil {
		return nil, errors.New("payments: a commercetools store, a PSP and a logger are required")
	}
	if psp.Interface == "" || cfg.PurchaseOrderTypeKey == "" {
		return nil, errors.New("payments: the PSP's payment interface and the purchase-order type key are required")
	}
	if giftCards != nil && (giftCards.Provider == nil || giftCards.Interface == "") {
		return nil, errors.New("payments: gift cards need a provider and a payment interface")
	}
	if giftCards != nil && giftCards.Interface == psp.Interface {
		return nil, errors.New("payments: the PSP and the gift-card provider need different payment interfaces")
	}
	if cfg.Budget <= 0 {
		cfg.Budget = 20 * time.Second
	}
	if cfg.ReconcileAfter <= 0 {
		cfg.ReconcileAfter = 2 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Observer == nil {
		cfg.Observer = noObserver{}
	}
	return &Service{ct: ct, psp: psp, giftCards: giftCards, cfg: cfg, log: log}, nil
}

// Custom field names of the purchase-order type, as the template names them.
const (
	FieldPONumber    = "launchpadPurchaseOrderNumber"
	FieldInvoiceMemo = "launchpadPurchaseOrderInvoiceMemo"
)
