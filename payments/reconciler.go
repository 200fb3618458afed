package payments

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/providers"
)

// ReconcileReport counts what one reconciler pass did.
type ReconcileReport struct {
	// Examined counts the unsettled transactions old enough to be looked up.
	Examined int
	// Settled counts those settled from the provider's answer (Success, Failure or
	// Pending).
	Settled int
	// Failed counts those failed because their provider never saw their key.
	Failed int
	// Left counts those left for the next pass: the provider could not tell, has no
	// lookup, or the outcome is still open.
	Left int
	// Pruned counts the payments deleted because they moved no money and no cart held
	// them.
	Pruned int
}

// reconcilePage is how many payments one query of the reconciler reads.
const reconcilePage = 100

// unsettledWhere selects the payments with a transaction whose outcome is open.
const unsettledWhere = `transactions(state in ("Initial", "Pending"))`

// Reconcile settles, once, every transaction left Initial or Pending for longer than
// ReconcileAfter: it looks the transaction's interaction id up at the payment's provider
// and records what the provider answered. It fails a transaction only when the provider
// confirms it never received the key; a lookup that fails leaves the transaction for the
// next pass, and a settled transaction is never changed. Any number of replicas may run it
// at once: commercetools versions decide, and every write is the same whoever makes it.
func (s *Service) Reconcile(ctx context.Context) (ReconcileReport, error) {
	var report ReconcileReport
	lastID := ""
	for {
		where := unsettledWhere
		if lastID != "" {
			where += fmt.Sprintf(` and id > "%s"`, lastID)
		}
		page, err := s.ct.QueryPaymentsPage(ctx, commercetools.Query{Where: where, Sort: "id asc", Limit: reconcilePage})
		if err != nil {
			return report, fmt.Errorf("reconcile: %w", err)
		}
		for i := range page.Results {
			s.reconcilePayment(ctx, &page.Results[i], &report)
		}
		if len(page.Results) < reconcilePage {
			s.cfg.Observer.Reconciled(report.Settled, report.Failed, report.Left, report.Pruned)
			return report, nil
		}
		lastID = page.Results[len(page.Results)-1].ID
	}
}

// reconcilePayment settles a payment's stale transactions.
func (s *Service) reconcilePayment(ctx context.Context, p *commercetools.Payment, report *ReconcileReport) {
	looker, canLook := s.looker(p)
	for i := range p.Transactions {
		tx := p.Transactions[i]
		if !unsettled(&tx) || s.age(&tx) < s.cfg.ReconcileAfter {
			continue
		}
		report.Examined++
		log := s.log.With(slog.String("payment_id", p.ID), slog.String("interaction_id", tx.InteractionID))
		if !canLook || tx.InteractionID == "" {
			report.Left++
			log.WarnContext(ctx, "reconcile: the provider cannot look the transaction up")
			continue
		}
		r, found, err := looker.Lookup(ctx, tx.InteractionID)
		if err != nil {
			report.Left++
			log.WarnContext(ctx, "reconcile: lookup failed; next pass", slog.Any("error", err))
			continue
		}
		if !found {
			r = providers.Result{Outcome: providers.Rejected, Code: "NotReceived", Message: "The provider never received the request."}
		}
		state := transactionState(r.Outcome)
		if state == tx.State {
			report.Left++
			continue
		}
		done, err := s.ct.UpdatePaymentFrom(ctx, p, commercetools.PaymentChange{
			InterfaceID: r.PSPReference,
			Transaction: &commercetools.TransactionChange{ID: tx.ID, InterfaceID: r.PSPReference, State: state},
		})
		var transition *commercetools.ErrTransition
		switch {
		case errors.As(err, &transition):
			// Another writer settled it first; its state stands.
			report.Left++
			continue
		case err != nil:
			report.Left++
			log.WarnContext(ctx, "reconcile: could not record; next pass", slog.Any("error", err))
			continue
		}
		p = done
		if found {
			report.Settled++
		} else {
			report.Failed++
		}
		log.InfoContext(ctx, "reconcile: transaction settled", slog.String("state", state), slog.Bool("provider_knew_it", found))
	}
	s.pruneDeadAttempt(ctx, p, report)
}

// pruneDeadAttempt deletes a payment of this processor's that moved no money (every
// transaction failed) and that no cart holds: an attempt whose claim on its cart was
// never known to succeed. A payment a cart holds stays, failed or not.
func (s *Service) pruneDeadAttempt(ctx context.Context, p *commercetools.Payment, report *ReconcileReport) {
	if _, ours := parseKey(p.Key); !ours || len(p.Transactions) == 0 {
		return
	}
	for i := range p.Transactions {
		if p.Transactions[i].State != commercetools.StateFailure {
			return
		}
	}
	holders, err := s.ct.QueryCartsPage(ctx, cartHolding(p.ID))
	if err != nil || len(holders.Results) > 0 {
		return
	}
	if err := s.ct.DeletePayment(ctx, p.ID, p.Version); err != nil {
		s.log.WarnContext(ctx, "reconcile: could not delete a dead attempt", slog.String("payment_id", p.ID), slog.Any("error", err))
		return
	}
	report.Pruned++
}

// RunReconciler runs Reconcile every interval until ctx ends.
func (s *Service) RunReconciler(ctx context.Context, interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			report, err := s.Reconcile(ctx)
			if err != nil {
				s.log.WarnContext(ctx, "reconcile pass failed", slog.Any("error", err))
				continue
			}
			if report.Examined > 0 {
				s.log.InfoContext(ctx, "reconcile pass", slog.Int("examined", report.Examined), slog.Int("settled", report.Settled),
					slog.Int("failed", report.Failed), slog.Int("left", report.Left))
			}
		}
	}
}
