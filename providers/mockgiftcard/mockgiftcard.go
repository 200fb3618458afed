// Package mockgiftcard is a gift-card provider that runs in the process, with the test codes
// of commercetools' gift-card connector template:
//
//	Valid-{amount}-{currency}    a card holding amount (minor units) in currency
//	Valid-00{amount}-{currency}  a card whose balance shows, but whose redemption fails: Expired
//	Valid-0-{currency}           ZeroBalance
//	Expired, GenericError, NotFound
//	anything else                GenericError: the code is invalid
//
// Cards of another currency than the deployment's answer CurrencyNotMatch. Unlike the
// template's mock it keeps balances: redeeming takes from the card, a rollback gives back,
// so a card cannot be spent twice and a redemption cannot be rolled back twice, and a card
// with nothing left answers ZeroBalance.
//
// Balances are kept per cart: a test code spent on one cart is spent there and holds its
// full amount on every other cart, so the demo codes keep working for every shopper of a
// demo that runs for days. Its memory is bounded: beyond MemorySize carts, redemptions and
// answers the oldest are forgotten.
package mockgiftcard

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/checkout-connect/go-connector/providers"
	"github.com/checkout-connect/go-connector/providers/internal/memo"
)

// Name is the payment interface the mock's gift-card payments carry in commercetools.
const Name = "mock-giftcard-provider"

// MemorySize bounds each of the mock's memories (spending per card and cart, redemptions,
// answers by idempotency key).
const MemorySize = 100_000

// Provider is the mock. It is safe for concurrent use.
type Provider struct {
	currency string

	mu          sync.Mutex
	spent       *memo.Map[card, int64]
	redemptions *memo.Map[string, *redemption]
	answers     *memo.Map[string, providers.Result]
	unavailable bool
}

// card is a test code as used on one cart.
type card struct{ code, cartID string }

type redemption struct {
	card     card
	amount   int64
	restored int64
}

var (
	_ providers.GiftCardProvider = (*Provider)(nil)
	_ providers.Looker           = (*Provider)(nil)
	_ providers.Checker          = (*Provider)(nil)
)

// Open returns a mock for cards in MOCK_CONNECTOR_CURRENCY (EUR when unset), which must
// be a three-letter currency code.
func Open(getenv func(string) string) (*Provider, error) {
	currency := getenv("MOCK_CONNECTOR_CURRENCY")
	if currency == "" {
		currency = "EUR"
	}
	if len(currency) != 3 || strings.ToUpper(currency) != currency {
		return nil, fmt.Errorf("MOCK_CONNECTOR_CURRENCY must be a three-letter currency code, not %q", currency)
	}
	return New(currency), nil
}

// New returns a mock for cards in currency (MOCK_CONNECTOR_CURRENCY).
func New(currency string) *Provider {
	return &Provider{currency: currency, spent: memo.New[card, int64](MemorySize),
		redemptions: memo.New[string, *redemption](MemorySize), answers: memo.New[string, providers.Result](MemorySize)}
}

// SetAvailable makes the mock reachable or not.
func (p *Provider) SetAvailable(available bool) {
	p.mu.Lock()
	p.unavailable = !available
	p.mu.Unlock()
}

func refusal(state, message string) *providers.GiftCardRefusal {
	return &providers.GiftCardRefusal{State: state, Message: message}
}

// card reads a test code: its full amount and whether redemptions expire.
func (p *Provider) card(code string) (amount int64, expiresOnRedeem bool, err error) {
	switch code {
	case "Expired":
		return 0, false, refusal(providers.GiftCardExpired, "The gift card is expired.")
	case "GenericError":
		return 0, false, refusal(providers.GiftCardGenericError, "Generic error occurs.")
	case "NotFound":
		return 0, false, refusal(providers.GiftCardNotFound, "The gift card code is not found.")
	}
	parts := strings.Split(code, "-")
	if len(parts) != 3 || parts[0] != "Valid" {
		return 0, false, refusal(providers.GiftCardGenericError, "The code provided is invalid")
	}
	if parts[1] == "" || parts[2] == "" {
		return 0, false, refusal(providers.GiftCardGenericError, "The code provided is invalid, missing amount and currency")
	}
	if parts[1] == "0" {
		return 0, false, refusal(providers.GiftCardZeroBalance, "The gift card provided has no balance.")
	}
	amount, convErr := strconv.ParseInt(parts[1], 10, 64)
	if convErr != nil || amount < 0 {
		return 0, false, refusal(providers.GiftCardGenericError, "The code provided is invalid")
	}
	if parts[2] != p.currency {
		return 0, false, refusal(providers.GiftCardCurrencyNotMatch, "cart and gift card currency do not match")
	}
	return amount, strings.HasPrefix(parts[1], "00"), nil
}

// Balance returns what remains of the card on the cart; the card must pay in the
// currency. A card with nothing left is refused with ZeroBalance.
func (p *Provider) Balance(_ context.Context, req providers.BalanceRequest) (providers.Money, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.unavailable {
		return providers.Money{}, fmt.Errorf("mock gift cards: %w", providers.ErrUnavailable)
	}
	amount, _, err := p.card(req.Code)
	if err != nil {
		return providers.Money{}, err
	}
	if req.Currency != p.currency {
		return providers.Money{}, refusal(providers.GiftCardCurrencyNotMatch, "cart and gift card currency do not match")
	}
	spent, _ := p.spent.Get(card{req.Code, req.CartID})
	if amount-spent <= 0 {
		return providers.Money{}, refusal(providers.GiftCardZeroBalance, "The gift card provided has no balance.")
	}
	return providers.Money{CentAmount: amount - spent, CurrencyCode: p.currency}, nil
}

func rejected(state, message string) providers.Result {
	return providers.Result{Outcome: providers.Rejected, Code: state, Message: message}
}

// once answers a repeated idempotency key with its first answer.
func (p *Provider) once(key string, do func() providers.Result) (providers.Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.unavailable {
		return providers.Result{}, fmt.Errorf("mock gift cards: %w", providers.ErrUnavailable)
	}
	if r, ok := p.answers.Get(key); ok {
		return r, nil
	}
	r := do()
	if key != "" {
		p.answers.Put(strings.Clone(key), r)
	}
	return r, nil
}

// Redeem takes the amount from the card, if it holds that much.
func (p *Provider) Redeem(_ context.Context, req providers.RedeemRequest) (providers.Result, error) {
	return p.once(req.IdempotencyKey, func() providers.Result {
		amount, expires, err := p.card(req.Code)
		if err != nil {
			r := err.(*providers.GiftCardRefusal)
			return rejected(r.State, r.Message)
		}
		c := card{strings.Clone(req.Code), strings.Clone(req.CartID)} // kept: see package providers
		spent, _ := p.spent.Get(c)
		switch {
		case expires:
			return rejected(providers.GiftCardExpired, "The gift card is expired.")
		case req.Amount.CurrencyCode != p.currency:
			return rejected(providers.GiftCardCurrencyNotMatch, "cart and gift card currency do not match")
		case amount-spent <= 0:
			return rejected(providers.GiftCardZeroBalance, "The gift card provided has no balance.")
		case req.Amount.CentAmount <= 0 || req.Amount.CentAmount > amount-spent:
			return rejected(providers.GiftCardGenericError, "The gift card does not hold that much.")
		}
		p.spent.Put(c, spent+req.Amount.CentAmount)
		id := "mock-redemption-" + uuid.NewString()
		p.redemptions.Put(id, &redemption{card: c, amount: req.Amount.CentAmount})
		return providers.Result{Outcome: providers.Approved, PSPReference: id}
	})
}

// Rollback gives back part or all of a redemption, never more than was redeemed.
func (p *Provider) Rollback(_ context.Context, req providers.RollbackRequest) (providers.Result, error) {
	return p.once(req.IdempotencyKey, func() providers.Result {
		r, ok := p.redemptions.Get(req.RedemptionID)
		switch {
		case !ok:
			return rejected(providers.GiftCardNotFound, "No redemption with this reference.")
		case req.Amount.CentAmount <= 0 || req.Amount.CentAmount > r.amount-r.restored:
			return rejected(providers.GiftCardGenericError, "The rollback exceeds what remains of the redemption.")
		}
		r.restored += req.Amount.CentAmount
		spent, _ := p.spent.Get(r.card)
		p.spent.Put(r.card, spent-req.Amount.CentAmount)
		return providers.Result{Outcome: providers.Approved, PSPReference: "mock-rollback-" + uuid.NewString()}
	})
}

// Lookup returns the answer given to an idempotency key.
func (p *Provider) Lookup(_ context.Context, key string) (providers.Result, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.unavailable {
		return providers.Result{}, false, fmt.Errorf("mock gift cards: %w", providers.ErrUnavailable)
	}
	r, ok := p.answers.Get(key)
	return r, ok, nil
}

// Check succeeds unless the mock was made unavailable.
func (p *Provider) Check(context.Context) (providers.Health, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.unavailable {
		return providers.Health{}, fmt.Errorf("mock gift cards: %w", providers.ErrUnavailable)
	}
	return providers.Health{Message: "Mock gift card API is working", Details: map[string]any{"currency": p.currency, "status": "OK"}}, nil
}
