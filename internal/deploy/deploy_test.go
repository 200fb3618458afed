package deploy_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/deploy"
	"github.com/checkout-connect/go-connector/internal/testenv"
)

const key = "payment-launchpad-purchase-order"

func fieldNames(t *testing.T, ct *testenv.Commercetools) []string {
	t.Helper()
	typ, err := ct.Client.GetTypeByKey(context.Background(), key)
	require.NoError(t, err)
	var names []string
	for _, f := range typ.FieldDefinitions {
		names = append(names, f.Name)
	}
	return names
}

func TestPostDeployCreatesThenCompletesTheType(t *testing.T) {
	ct := testenv.Start(t)
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)

	require.NoError(t, deploy.PostDeploy(ctx, ct.Client, key, log))
	assert.Equal(t, []string{"launchpadPurchaseOrderNumber", "launchpadPurchaseOrderInvoiceMemo"}, fieldNames(t, ct))
	created, err := ct.Client.GetTypeByKey(ctx, key)
	require.NoError(t, err)
	cards, err := ct.Client.GetTypeByKey(ctx, "commercetools-checkout-card-details")
	require.NoError(t, err, "the card-details type of stored payment methods")
	assert.Contains(t, cards.ResourceTypeIDs, "payment-method")
	assert.Len(t, cards.FieldDefinitions, 6)

	require.NoError(t, deploy.PostDeploy(ctx, ct.Client, key, log))
	again, err := ct.Client.GetTypeByKey(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, created.Version, again.Version, "a second run changes nothing")

	// A type shared with another connector, lacking one of our fields.
	require.NoError(t, ct.Client.DeleteType(ctx, key, again.Version))
	_, err = ct.Client.CreateType(ctx, commercetools.TypeDraft{Key: key, Name: map[string]string{"en": "shared"}, ResourceTypeIDs: []string{"payment"},
		FieldDefinitions: []commercetools.FieldDefinition{
			{Type: commercetools.FieldType{Name: "String"}, Name: "otherConnectorField", Label: map[string]string{"en": "x"}},
			deploy.PurchaseOrderFields()[0],
		}})
	require.NoError(t, err)
	require.NoError(t, deploy.PostDeploy(ctx, ct.Client, key, log))
	assert.Equal(t, []string{"otherConnectorField", "launchpadPurchaseOrderNumber", "launchpadPurchaseOrderInvoiceMemo"}, fieldNames(t, ct))
}

func TestPreUndeployRemovesOnlyWhatIsOursAndUnused(t *testing.T) {
	ct := testenv.Start(t)
	ctx := context.Background()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))

	require.NoError(t, deploy.PreUndeploy(ctx, ct.Client, key, log), "nothing to remove is fine")

	require.NoError(t, deploy.PostDeploy(ctx, ct.Client, key, log))
	p, _, err := ct.Client.CreatePayment(ctx, commercetools.PaymentDraft{AmountPlanned: commercetools.Money{CurrencyCode: "EUR", CentAmount: 1},
		Custom: &commercetools.CustomFieldsDraft{Type: commercetools.ResourceIdentifier{TypeID: "type", Key: key}, Fields: map[string]any{"launchpadPurchaseOrderNumber": "PO"}}})
	require.NoError(t, err)
	require.NoError(t, deploy.PreUndeploy(ctx, ct.Client, key, log))
	_, err = ct.Client.GetTypeByKey(ctx, key)
	assert.NoError(t, err, "kept: a payment uses it")
	assert.Contains(t, logs.String(), "payments use the payment type")

	_, err = ct.Client.UpdatePaymentActions(ctx, p.ID, p.Version, []commercetools.UpdateAction{{"action": "setCustomType"}})
	require.NoError(t, err)
	require.NoError(t, deploy.PreUndeploy(ctx, ct.Client, key, log))
	_, err = ct.Client.GetTypeByKey(ctx, key)
	assert.True(t, commercetools.IsNotFound(err), "removed once unused")

	_, err = ct.Client.CreateType(ctx, commercetools.TypeDraft{Key: key, Name: map[string]string{"en": "shared"}, ResourceTypeIDs: []string{"payment"},
		FieldDefinitions: append(deploy.PurchaseOrderFields(), commercetools.FieldDefinition{Type: commercetools.FieldType{Name: "String"}, Name: "theirs", Label: map[string]string{"en": "x"}})})
	require.NoError(t, err)
	require.NoError(t, deploy.PreUndeploy(ctx, ct.Client, key, log))
	_, err = ct.Client.GetTypeByKey(ctx, key)
	assert.NoError(t, err, "kept: it holds another connector's field")
}
