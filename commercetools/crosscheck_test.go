package commercetools_test

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/ctcontract"
)

// TestCrossCheckWithAnotherEmulator runs the resource suite against the third-party
// commercetools emulator @labdigital/commercetools-mock, which scripts/test starts and
// names in CT_MOCK_URL, so that a misreading of commercetools shared by the client and
// this project's emulator shows up. The client's requests are still checked against the
// official description; the other emulator's answers are its own business.
func TestCrossCheckWithAnotherEmulator(t *testing.T) {
	base := os.Getenv("CT_MOCK_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CT_MOCK_URL is not set: scripts/test starts the cross-check emulator")
		}
		t.Skip("CT_MOCK_URL is not set; scripts/test starts the cross-check emulator")
	}
	contract := ctcontract.NewTransport(t)
	contract.Base = commercetools.NewTransport() // the processor's own
	contract.RequestsOnly = true
	client, err := commercetools.New(commercetools.Config{
		ProjectKey: "crosscheck", ClientID: "crosscheck", ClientSecret: "crosscheck",
		AuthURL: base, APIURL: base, SessionURL: base, Transport: contract, RetryBaseDelay: time.Millisecond,
	})
	require.NoError(t, err)
	runResourceSuite(t, client)
	assert.Greater(t, contract.Checked(), 20)
}
