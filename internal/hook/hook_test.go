package hook

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

// The hooks run from the processor's environment, as Connect runs them.
func TestRunFromTheEnvironment(t *testing.T) {
	ct := testenv.Start(t)
	env := map[string]string{
		"CTP_PROJECT_KEY": testenv.ProjectKey, "CTP_CLIENT_ID": ct.Emulator.ClientID(), "CTP_CLIENT_SECRET": ct.Emulator.ClientSecret(),
		"CTP_AUTH_URL": ct.URL, "CTP_API_URL": ct.URL, "CTP_SESSION_URL": ct.URL, "TYPE_DEFINITION_KEY": "po-type",
	}
	var logs bytes.Buffer
	require.NoError(t, Run(context.Background(), func(k string) string { return env[k] }, &logs, deploy.PostDeploy))
	_, err := ct.Client.GetTypeByKey(context.Background(), "po-type")
	assert.NoError(t, err)
	assert.Contains(t, logs.String(), "created the type")

	require.NoError(t, Run(context.Background(), func(k string) string { return env[k] }, &logs, deploy.PreUndeploy))
	_, err = ct.Client.GetTypeByKey(context.Background(), "po-type")
	assert.True(t, commercetools.IsNotFound(err))

	err = Run(context.Background(), func(string) string { return "" }, &logs, func(context.Context, *commercetools.Client, string, *slog.Logger) error { return nil })
	assert.ErrorContains(t, err, "CTP_CLIENT_ID")
}
