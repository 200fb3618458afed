package testenv

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/checkout-connect/go-connector/providers"
)

// Calls counts a provider double's calls by method, and by method and idempotency key.
type Calls struct {
	mu      sync.Mutex
	count   map[string]int
	byKey   map[string]int
	answers map[string]Answer
	// before, when set, runs before each call reaches the provider.
	before func(method string)
	// lose counts the answers still to lose.
	lose int
	// latest, when set, tells the provider's final word on a request it answered
	// Received (the shopper decided on its page later).
	latest func(key string) (providers.Result, bool)
}

// ErrAnswerLost is what a caller gets for an answer LoseAnswers threw away.
var ErrAnswerLost = errors.New("testenv: the provider's answer was lost")

// LoseAnswers makes the next n calls that move money reach the provider, which acts on
// them, and then fail as a time-out would: the caller cannot know what happened.
func (c *Calls) LoseAnswers(n int) {
	c.mu.Lock()
	c.lose = n
	c.mu.Unlock()
}

func (c *Calls) record(method, key string) {
	c.mu.Lock()
	if c.count == nil {
		c.count, c.byKey = map[string]int{}, map[string]int{}
	}
	c.count[method]++
	c.byKey[method+" "+key]++
	before := c.before
	c.mu.Unlock()
	if before != nil {
		before(method)
	}
}

// Answer is what a provider answered to a request that moves money.
type Answer struct {
	Method string
	Result providers.Result
}

// answered records what the provider answered to key, which is what moved money there.
func (c *Calls) answered(method, key string, r providers.Result, err error) (providers.Result, error) {
	if err != nil {
		return r, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.answers == nil {
		c.answers = map[string]Answer{}
	}
	c.answers[key] = Answer{Method: method, Result: r}
	if c.lose > 0 {
		c.lose--
		return providers.Result{}, fmt.Errorf("%s %s: %w", method, key, ErrAnswerLost)
	}
	return r, nil
}

// Answers returns, by idempotency key, every answer the provider gave to a request that
// moves money: the provider's own ledger, to compare with commercetools'.
func (c *Calls) Answers() map[string]Answer {
	c.mu.Lock()
	out := make(map[string]Answer, len(c.answers))
	for k, v := range c.answers {
		out[k] = v
	}
	latest := c.latest
	c.mu.Unlock()
	for k, v := range out {
		if v.Result.Outcome != providers.Received || latest == nil {
			continue
		}
		if r, ok := latest(k); ok {
			v.Result = r
			out[k] = v
		}
	}
	return out
}

// Count is how often method was called.
func (c *Calls) Count(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count[method]
}

// MaxPerKey is the most calls of method any one idempotency key received.
func (c *Calls) MaxPerKey(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	most := 0
	for k, n := range c.byKey {
		if len(k) > len(method) && k[:len(method)+1] == method+" " {
			most = max(most, n)
		}
	}
	return most
}

// Before makes f run before every call reaches the provider (nil: none).
func (c *Calls) Before(f func(method string)) {
	c.mu.Lock()
	c.before = f
	c.mu.Unlock()
}

// PSP is a PSP double: a real provider whose calls are counted. It offers the optional
// capabilities of the provider it wraps.
type PSP struct {
	Calls
	inner interface {
		providers.PSP
		providers.Looker
		providers.Checker
		providers.ComponentLister
		providers.WebhookVerifier
		providers.ReturnVerifier
	}
}

// NewPSP wraps a provider that has every optional capability.
func NewPSP(inner interface {
	providers.PSP
	providers.Looker
	providers.Checker
	providers.ComponentLister
	providers.WebhookVerifier
	providers.ReturnVerifier
}) *PSP {
	p := &PSP{inner: inner}
	p.latest = func(key string) (providers.Result, bool) {
		r, found, err := inner.Lookup(context.Background(), key)
		return r, found && err == nil
	}
	return p
}

// Authorize counts and forwards.
func (p *PSP) Authorize(ctx context.Context, req providers.AuthorizeRequest) (providers.Result, error) {
	p.record("Authorize", req.IdempotencyKey)
	r, err := p.inner.Authorize(ctx, req)
	return p.answered("Authorize", req.IdempotencyKey, r, err)
}

// Capture counts and forwards.
func (p *PSP) Capture(ctx context.Context, req providers.OperationRequest) (providers.Result, error) {
	p.record("Capture", req.IdempotencyKey)
	r, err := p.inner.Capture(ctx, req)
	return p.answered("Capture", req.IdempotencyKey, r, err)
}

// Cancel counts and forwards.
func (p *PSP) Cancel(ctx context.Context, req providers.OperationRequest) (providers.Result, error) {
	p.record("Cancel", req.IdempotencyKey)
	r, err := p.inner.Cancel(ctx, req)
	return p.answered("Cancel", req.IdempotencyKey, r, err)
}

// Refund counts and forwards.
func (p *PSP) Refund(ctx context.Context, req providers.OperationRequest) (providers.Result, error) {
	p.record("Refund", req.IdempotencyKey)
	r, err := p.inner.Refund(ctx, req)
	return p.answered("Refund", req.IdempotencyKey, r, err)
}

// Lookup counts and forwards.
func (p *PSP) Lookup(ctx context.Context, key string) (providers.Result, bool, error) {
	p.record("Lookup", key)
	return p.inner.Lookup(ctx, key)
}

// Inner is the wrapped provider.
func (p *PSP) Inner() providers.PSP { return p.inner }

// Check forwards.
func (p *PSP) Check(ctx context.Context) (providers.Health, error) { return p.inner.Check(ctx) }

// Components forwards.
func (p *PSP) Components() providers.Components { return p.inner.Components() }

// VerifyReturn forwards.
func (p *PSP) VerifyReturn(ctx context.Context, paymentID string, query url.Values) (providers.Notification, error) {
	return p.inner.VerifyReturn(ctx, paymentID, query)
}

// VerifyWebhook forwards.
func (p *PSP) VerifyWebhook(ctx context.Context, header http.Header, body []byte) ([]providers.Notification, error) {
	return p.inner.VerifyWebhook(ctx, header, body)
}

// GiftCards is a gift-card provider double: a real provider whose calls are counted.
type GiftCards struct {
	Calls
	inner interface {
		providers.GiftCardProvider
		providers.Looker
		providers.Checker
	}
}

// NewGiftCards wraps a provider that has every optional capability.
func NewGiftCards(inner interface {
	providers.GiftCardProvider
	providers.Looker
	providers.Checker
}) *GiftCards {
	return &GiftCards{inner: inner}
}

// Balance counts and forwards.
func (g *GiftCards) Balance(ctx context.Context, req providers.BalanceRequest) (providers.Money, error) {
	g.record("Balance", req.Code)
	return g.inner.Balance(ctx, req)
}

// Redeem counts and forwards.
func (g *GiftCards) Redeem(ctx context.Context, req providers.RedeemRequest) (providers.Result, error) {
	g.record("Redeem", req.IdempotencyKey)
	r, err := g.inner.Redeem(ctx, req)
	return g.answered("Redeem", req.IdempotencyKey, r, err)
}

// Rollback counts and forwards.
func (g *GiftCards) Rollback(ctx context.Context, req providers.RollbackRequest) (providers.Result, error) {
	g.record("Rollback", req.IdempotencyKey)
	r, err := g.inner.Rollback(ctx, req)
	return g.answered("Rollback", req.IdempotencyKey, r, err)
}

// Lookup counts and forwards.
func (g *GiftCards) Lookup(ctx context.Context, key string) (providers.Result, bool, error) {
	g.record("Lookup", key)
	return g.inner.Lookup(ctx, key)
}

// Inner is the wrapped provider.
func (g *GiftCards) Inner() providers.GiftCardProvider { return g.inner }

// Check forwards.
func (g *GiftCards) Check(ctx context.Context) (providers.Health, error) { return g.inner.Check(ctx) }
