package payments

import (
	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/providers"
)

// isGiftCard reports whether a payment belongs to the gift-card provider: its payment
// interface is the provider's. Every other payment is the PSP's.
func (s *Service) isGiftCard(p *commercetools.Payment) bool {
	return s.giftCards != nil && p.PaymentMethodInfo.PaymentInterface == s.giftCards.Interface
}

// provider is the adapter a payment's operations go to.
func (s *Service) provider(p *commercetools.Payment) any {
	if s.isGiftCard(p) {
		return s.giftCards.Provider
	}
	return s.psp.Provider
}

// looker is the payment's provider when it can look requests up by idempotency key.
func (s *Service) looker(p *commercetools.Payment) (providers.Looker, bool) {
	l, ok := s.provider(p).(providers.Looker)
	return l, ok
}
