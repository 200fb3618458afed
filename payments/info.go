package payments

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/providers"
)

// EnablerConfig is what the enabler needs to know (GET /operations/config).
type EnablerConfig struct {
	ClientKey, Environment     string
	StoredPaymentMethodsActive bool
}

// Config answers the enabler's configuration for the session: stored payment methods are
// offered only when the feature is on and the cart has a customer.
func (s *Service) Config(ctx context.Context, session *auth.Session) (EnablerConfig, error) {
	c := EnablerConfig{ClientKey: s.cfg.ClientKey, Environment: s.cfg.Environment}
	if s.cfg.StoredPaymentMethods.Enabled {
		cart, err := s.ct.GetCart(ctx, session.CartID)
		if err != nil {
			return c, storeError(err, session.CartID)
		}
		c.StoredPaymentMethodsActive = cart.CustomerID != ""
	}
	return c, nil
}

// Components lists what the enabler can render: the PSP's components, when it has any.
func (s *Service) Components() providers.Components {
	if l, ok := s.psp.Provider.(providers.ComponentLister); ok {
		return l.Components()
	}
	return providers.Components{}
}

// Check is one line of the deep status.
type Check struct {
	Name    string
	Up      bool
	Message string
	Details map[string]any
}

// requiredPermissions are the API client's scopes the processor needs.
func (s *Service) requiredPermissions() []string {
	p := []string{"manage_payments", "view_sessions", "view_api_clients", "manage_orders", "introspect_oauth_tokens", "manage_types"}
	if s.cfg.StoredPaymentMethods.Enabled {
		p = append(p, "manage_payment_methods")
	}
	return p
}

// Checks runs the deep status checks in parallel, each within timeout: commercetools
// (the API client's scopes), the PSP and, when configured, the gift-card provider.
func (s *Service) Checks(ctx context.Context, timeout time.Duration) []Check {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	probes := []func(context.Context) Check{s.checkCommercetools, s.checkPSP}
	if s.giftCards != nil {
		probes = append(probes, s.checkGiftCards)
	}
	checks := make([]Check, len(probes))
	var wg sync.WaitGroup
	for i, probe := range probes {
		wg.Go(func() { checks[i] = probe(ctx) })
	}
	wg.Wait()
	return checks
}

func (s *Service) checkCommercetools(ctx context.Context) Check {
	c := Check{Name: "commercetools permissions"}
	granted, err := s.ct.GrantedScopes(ctx)
	if err != nil {
		c.Message = "Not able to talk with commercetools API"
		c.Details = map[string]any{"reason": "commercetools did not answer"}
		return c
	}
	scope := strings.Join(granted, " ")
	if missing := commercetools.MissingScopes(s.ct.ProjectKey(), granted, s.requiredPermissions()); len(missing) > 0 {
		c.Message = "commercetools permissions are not correct, expected scopes: " + strings.Join(s.requiredPermissions(), " ") + ", actual scopes: " + scope
		c.Details = map[string]any{"expectedScopes": s.requiredPermissions(), "actualScopes": scope, "reason": "scopes not available"}
		return c
	}
	c.Up = true
	c.Details = map[string]any{"scope": scope}
	return c
}

func (s *Service) checkPSP(ctx context.Context) Check {
	return checkProvider(ctx, s.psp.DisplayName, s.psp.Provider, "The payment provider cannot be reached.")
}

func (s *Service) checkGiftCards(ctx context.Context) Check {
	return checkProvider(ctx, s.giftCards.DisplayName, s.giftCards.Provider, "Not able to communicate with giftcard service provider API")
}

// checkProvider runs a provider's status check; a provider without one is reported up,
// since nothing tells otherwise.
func checkProvider(ctx context.Context, name string, provider any, downMessage string) Check {
	c := Check{Name: name}
	checker, ok := provider.(providers.Checker)
	if !ok {
		c.Up, c.Message = true, "The provider has no status check."
		c.Details = map[string]any{"check": "none"}
		return c
	}
	h, err := checker.Check(ctx)
	if err != nil {
		c.Message = downMessage
		c.Details = map[string]any{"reason": "the provider did not answer the status check"}
		return c
	}
	c.Up, c.Message, c.Details = true, h.Message, h.Details
	return c
}

// ProviderNames names the configured adapters by their payment interfaces.
type ProviderNames struct {
	PSP, GiftCards string
}

// ProviderNames tells which adapters the flows use, for the deep status.
func (s *Service) ProviderNames() ProviderNames {
	n := ProviderNames{PSP: s.psp.Interface, GiftCards: "none"}
	if s.giftCards != nil {
		n.GiftCards = s.giftCards.Interface
	}
	return n
}
