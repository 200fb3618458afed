package payments

import (
	"context"
	"fmt"

	"github.com/checkout-connect/go-connector/commercetools"
)

// How a transaction is found. A transaction's interactionId holds this processor's
// attempt key, which is also the idempotency key the provider was sent: it is written
// before the provider is asked, so it is there even when the provider never answered.
// The provider's own reference goes, once it answers, to the transaction's interfaceId, and
// for an authorization or a redemption to the payment's interfaceId as well. FindTransaction
// finds a transaction by either, which is what webhook handlers and operators need: the
// provider's notifications name its reference, the reconciler names the key.

// FindTransaction returns the payment and the transaction that ref names: a transaction
// whose interactionId (the idempotency key) or interfaceId (the provider's reference) is
// ref, or, for a payment whose interfaceId is ref, its first authorization or charge. It
// answers KindNotFound when no payment holds ref.
func (s *Service) FindTransaction(ctx context.Context, ref string) (*commercetools.Payment, *commercetools.Transaction, error) {
	where := commercetools.Or(
		commercetools.Within("transactions", commercetools.Or(commercetools.Eq("interactionId", ref), commercetools.Eq("interfaceId", ref))),
		commercetools.Eq("interfaceId", ref),
	)
	page, err := s.ct.QueryPaymentsPage(ctx, commercetools.Query{Where: where, Limit: 2})
	if err != nil {
		return nil, nil, storeError(fmt.Errorf("find transaction %s: %w", ref, err), "")
	}
	for i := range page.Results {
		p := &page.Results[i]
		for j := range p.Transactions {
			if tx := &p.Transactions[j]; tx.InteractionID == ref || tx.InterfaceID == ref {
				return p, tx, nil
			}
		}
		if p.InterfaceID == ref {
			if tx := firstOfType(p, commercetools.TransactionAuthorization); tx != nil {
				return p, tx, nil
			}
			if tx := firstOfType(p, commercetools.TransactionCharge); tx != nil {
				return p, tx, nil
			}
		}
	}
	return nil, nil, notFound(ref)
}
