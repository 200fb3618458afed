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

// CardDetailsFields are the field definitions of the payments SDK's card-details type
// (payments.CardDetailsTypeKey), which stored payment methods carry their display data in.
func CardDetailsFields() []commercetools.FieldDefinition {
	str, num := commercetools.FieldType{Name: "String"}, commercetools.FieldType{Name: "Number"}
	return []commercetools.FieldDefinition{
		{Type: str, Name: payments.FieldCardBrand, Label: map[string]string{"en": "Brand"}},
		{Type: str, Name: payments.FieldCardLastFour, Label: map[string]string{"en": "Last four digits"}},
		{Type: str, Name: "bin", Label: map[string]string{"en": "BIN"}},
		{Type: num, Name: payments.FieldCardExpiryMonth, Label: map[string]string{"en": "Expiry month"}},
		{Type: num, Name: payments.FieldCardExpiryYear, Label: map[string]string{"en": "Expiry year"}},
		{Type: commercetools.FieldType{Name: "Boolean"}, Name: "storePaymentMethod", Label: map[string]string{"en": "Store payment method"}},
	}
}

// PostDeploy creates the purchase-order payment type and the card-details type of stored
// payment methods, or adds the fields they lack; other fields and types are left alone, so
// running it again, or over types shared with other connectors, changes nothing else.
func PostDeploy(ctx context.Context, ct *commercetools.Client, typeKey string, log *slog.Logger) error {
	if err := ensureType(ctx, ct, log, commercetools.TypeDraft{
		Key: typeKey, Name: map[string]string{"en": "Additional fields to store purchase order information"},
		ResourceTypeIDs: []string{"payment"}, FieldDefinitions: PurchaseOrderFields(),
	}); err != nil {
		return err
	}
	return ensureType(ctx, ct, log, commercetools.TypeDraft{
		Key: payments.CardDetailsTypeKey, Name: map[string]string{"en": "Card details"},
		ResourceTypeIDs: []string{"payment-method-info", "payment-method"}, FieldDefinitions: CardDetailsFields(),
	})
}

// ensureType creates the type of the draft, or adds to the existing one the fields it
// lacks. An existing type must serve the draft's first resource type.
func ensureType(ctx context.Context, ct *commercetools.Client, log *slog.Logger, draft commercetools.TypeDraft) error {
	existing, err := ct.GetTypeByKey(ctx, draft.Key)
	switch {
	case commercetools.IsNotFound(err):
		if _, err := ct.CreateType(ctx, draft); err != nil {
			return fmt.Errorf("post-deploy: create type %s: %w", draft.Key, err)
		}
		log.InfoContext(ctx, "post-deploy: created the type", slog.String("type_key", draft.Key))
		return nil
	case err != nil:
		return fmt.Errorf("post-deploy: %w", err)
	}
	if !slices.Contains(existing.ResourceTypeIDs, draft.ResourceTypeIDs[0]) {
		return fmt.Errorf("post-deploy: type %s exists but is not for %s", draft.Key, draft.ResourceTypeIDs[0])
	}
	updated, err := ct.AddFieldDefinitions(ctx, existing, draft.FieldDefinitions)
	if err != nil {
		return fmt.Errorf("post-deploy: extend type %s: %w", draft.Key, err)
	}
	if updated.Version != existing.Version {
		log.InfoContext(ctx, "post-deploy: added the missing fields to the type", slog.String("type_key", draft.Key))
	} else {
		log.InfoContext(ctx, "post-deploy: the type is complete", slog.String("type_key", draft.Key))
	}
	return nil
}

// PreUndeploy deletes the purchase-order payment type when it is this connector's alone and
// unused: it holds only this connector's fields and no payment refers to it. Anything else
// is kept and said so. The card-details type is the payments SDK's, shared by every
// connector that stores cards: it is always kept.
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
