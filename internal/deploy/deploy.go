// Package deploy holds the connector's deployment hooks: what commercetools Connect runs
// after deploying (post-deploy) and before undeploying (pre-undeploy) the processor.
package deploy

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/payments"
)

// PurchaseOrderFields are the field definitions of the payment custom type that holds
// purchase-order payments' number and invoice memo.
func PurchaseOrderFields() []commercetools.FieldDefinition {
	str := commercetools.FieldType{Name: "String"}
	return []commercetools.FieldDefinition{
		{Type: str, Name: payments.FieldPONumber, Label: map[string]string{"en": "Purchase Order Number"}, Required: true},
		{Type: str, Name: payments.FieldInvoiceMemo, Label: map[string]string{"en": "Invoice Memo"}, Required: false},
	}
}

// PostDeploy creates the purchase-order payment type, or adds the fields it lacks; other
// fields and types are left alone, so running it again, or over a type shared with other
// connectors, changes nothing else.
func PostDeploy(ctx context.Context, ct *commercetools.Client, typeKey string, log *slog.Logger) error {
	existing, err := ct.GetTypeByKey(ctx, typeKey)
	switch {
	case commercetools.IsNotFound(err):
		_, err := ct.CreateType(ctx, commercetools.TypeDraft{
			Key: typeKey, Name: map[string]string{"en": "Additional fields to store purchase order information"},
			ResourceTypeIDs: []string{"payment"}, FieldDefinitions: PurchaseOrderFields(),
		})
		if err != nil {
			return fmt.Errorf("post-deploy: create type %s: %w", typeKey, err)
		}
		log.InfoContext(ctx, "post-deploy: created the payment type", slog.String("type_key", typeKey))
		return nil
	case err != nil:
		return fmt.Errorf("post-deploy: %w", err)
	}
	if !slices.Contains(existing.ResourceTypeIDs, "payment") {
		return fmt.Errorf("post-deploy: type %s exists but is not for payments", typeKey)
	}
	updated, err := ct.AddFieldDefinitions(ctx, existing, PurchaseOrderFields())
	if err != nil {
		return fmt.Errorf("post-deploy: extend type %s: %w", typeKey, err)
	}
	if updated.Version != existing.Version {
		log.InfoContext(ctx, "post-deploy: added the missing fields to the payment type", slog.String("type_key", typeKey))
	} else {
		log.InfoContext(ctx, "post-deploy: the payment type is complete", slog.String("type_key", typeKey))
	}
	return nil
}

// PreUndeploy deletes the purchase-order payment type when it is this connector's alone and
// unused: it holds only this connector's fields and no payment refers to it. Anything else
// is kept and said so.
func PreUndeploy(ctx context.Context, ct *commercetools.Client, typeKey string, log *slog.Logger) error {
	t, err := ct.GetTypeByKey(ctx, typeKey)
	if commercetools.IsNotFound(err) {
		log.InfoContext(ctx, "pre-undeploy: no payment type to remove", slog.String("type_key", typeKey))
		return nil
	}
	if err != nil {
		return fmt.Errorf("pre-undeploy: %w", err)
	}
	ours := map[string]bool{}
	for _, f := range PurchaseOrderFields() {
		ours[f.Name] = true
	}
	for _, f := range t.FieldDefinitions {
		if !ours[f.Name] {
			log.InfoContext(ctx, "pre-undeploy: the payment type has fields of others; kept", slog.String("type_key", typeKey), slog.String("field", f.Name))
			return nil
		}
	}
	used, err := ct.QueryPayments(ctx, commercetools.Within("custom", commercetools.Within("type", commercetools.Eq("id", t.ID))))
	if err != nil {
		return fmt.Errorf("pre-undeploy: %w", err)
	}
	if len(used.Results) > 0 {
		log.InfoContext(ctx, "pre-undeploy: payments use the payment type; kept", slog.String("type_key", typeKey))
		return nil
	}
	if err := ct.DeleteType(ctx, typeKey, t.Version); err != nil {
		return fmt.Errorf("pre-undeploy: delete type %s: %w", typeKey, err)
	}
	log.InfoContext(ctx, "pre-undeploy: removed the payment type", slog.String("type_key", typeKey))
	return nil
}
