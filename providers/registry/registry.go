// Package registry chooses the PSP and the gift-card provider by configuration. Each
// adapter registers one line here: its name (the value of PSP or GIFT_CARD_PROVIDER), the
// payment interface its payments carry in commercetools, the name the deep status shows,
// and a factory that reads and validates the adapter's own settings.
package registry

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/checkout-connect/go-connector/providers"
	"github.com/checkout-connect/go-connector/providers/mockgiftcard"
	"github.com/checkout-connect/go-connector/providers/mockpsp"
	"github.com/checkout-connect/go-connector/providers/stripe"
)

// Getenv reads a setting.
type Getenv func(string) string

// PSP is a configured payment service provider.
type PSP struct {
	Provider providers.PSP
	// Interface is the payment interface recorded on its payments when the session names
	// none.
	Interface string
	// DisplayName names it in the deep status.
	DisplayName string
	// InProcess marks a provider whose state lives in the processor's memory (the mocks):
	// only that processor can look its requests up.
	InProcess bool
}

// GiftCards is a configured gift-card provider.
type GiftCards struct {
	Provider providers.GiftCardProvider
	// Interface is the payment interface recorded on its payments; operations on a
	// payment with this interface go to this provider.
	Interface   string
	DisplayName string
	InProcess   bool
}

type pspEntry struct {
	iface, display string
	inProcess      bool
	open           func(Getenv) (providers.PSP, error)
}

type giftCardEntry struct {
	iface, display string
	inProcess      bool
	open           func(Getenv) (providers.GiftCardProvider, error)
}

// psps are the PSP adapters, by name.
var psps = map[string]pspEntry{
	"mock":   {mockpsp.Name, "Mock Payment API", true, func(env Getenv) (providers.PSP, error) { return mockpsp.Open(env) }},
	"stripe": {stripe.Name, "Stripe", false, func(env Getenv) (providers.PSP, error) { return stripe.Open(env) }},
}

// giftCardProviders are the gift-card adapters, by name.
var giftCardProviders = map[string]giftCardEntry{
	"mock": {mockgiftcard.Name, "mock giftcard API call", true, func(env Getenv) (providers.GiftCardProvider, error) { return mockgiftcard.Open(env) }},
}

// Disabled is the GIFT_CARD_PROVIDER value that turns gift cards off.
const Disabled = "none"

// OpenPSP returns the PSP named name ("mock" when empty), configured from env.
func OpenPSP(name string, env Getenv) (PSP, error) {
	if name == "" {
		name = "mock"
	}
	e, ok := psps[name]
	if !ok {
		return PSP{}, fmt.Errorf("PSP %q is not known; known: %s", name, known(psps))
	}
	p, err := e.open(env)
	if err != nil {
		return PSP{}, fmt.Errorf("PSP %s: %w", name, err)
	}
	return PSP{Provider: p, Interface: e.iface, DisplayName: e.display, InProcess: e.inProcess}, nil
}

// OpenGiftCards returns the gift-card provider named name ("mock" when empty), configured
// from env; Disabled returns no provider and no error.
func OpenGiftCards(name string, env Getenv) (*GiftCards, error) {
	if name == "" {
		name = "mock"
	}
	if name == Disabled {
		return nil, nil
	}
	e, ok := giftCardProviders[name]
	if !ok {
		return nil, fmt.Errorf("gift-card provider %q is not known; known: %s, %s", name, known(giftCardProviders), Disabled)
	}
	p, err := e.open(env)
	if err != nil {
		return nil, fmt.Errorf("gift-card provider %s: %w", name, err)
	}
	return &GiftCards{Provider: p, Interface: e.iface, DisplayName: e.display, InProcess: e.inProcess}, nil
}

// Names lists the PSP and the gift-card adapters that PSP and GIFT_CARD_PROVIDER may name
// (besides Disabled), sorted.
func Names() (psp, giftCards []string) {
	return sortedKeys(psps), sortedKeys(giftCardProviders)
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

func known[V any](m map[string]V) string {
	return strings.Join(sortedKeys(m), ", ")
}
