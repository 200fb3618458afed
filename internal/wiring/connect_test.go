package wiring

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/checkout-connect/go-connector/internal/config"
	"github.com/checkout-connect/go-connector/providers/registry"
)

// connectApp is the part of a connect.yaml application this test reads.
type connectApp struct {
	Name          string `yaml:"name"`
	Configuration struct {
		Standard []struct {
			Key string `yaml:"key"`
		} `yaml:"standardConfiguration"`
		Secured []struct {
			Key string `yaml:"key"`
		} `yaml:"securedConfiguration"`
	} `yaml:"configuration"`
}

// connect.yaml offers every setting the processor and its providers read, and nothing
// else, except PORT, which Connect reserves and sets itself. Secrets are secured.
func TestConnectYAMLNamesEverySetting(t *testing.T) {
	text, err := os.ReadFile("../../connect.yaml")
	require.NoError(t, err)
	var spec struct {
		DeployAs []connectApp `yaml:"deployAs"`
	}
	require.NoError(t, yaml.Unmarshal(text, &spec))
	i := slices.IndexFunc(spec.DeployAs, func(a connectApp) bool { return a.Name == "processor" })
	require.GreaterOrEqual(t, i, 0, "connect.yaml deploys no processor")
	offered := map[string]bool{}
	var secured []string
	for _, c := range spec.DeployAs[i].Configuration.Standard {
		offered[c.Key] = true
	}
	for _, c := range spec.DeployAs[i].Configuration.Secured {
		offered[c.Key] = true
		secured = append(secured, c.Key)
	}

	read := map[string]bool{}
	spy := func(values map[string]string) func(string) string {
		return func(k string) string { read[k] = true; return values[k] }
	}
	_, err = config.Load(spy(nil))
	require.NoError(t, err)
	psps, giftCards := registry.Names()
	for _, name := range psps {
		_, err := registry.OpenPSP(name, spy(map[string]string{"STRIPE_SECRET_KEY": "sk_test_x", "STRIPE_WEBHOOK_SECRET": "whsec_x"}))
		require.NoError(t, err, name)
	}
	for _, name := range giftCards {
		_, err := registry.OpenGiftCards(name, spy(map[string]string{"MOCK_CONNECTOR_CURRENCY": "EUR"}))
		require.NoError(t, err, name)
	}
	require.True(t, read["PORT"], "the spy saw config.Load read PORT")
	delete(read, "PORT")

	var missing, extra []string
	for k := range read {
		if !offered[k] {
			missing = append(missing, k)
		}
	}
	for k := range offered {
		if !read[k] {
			extra = append(extra, k)
		}
	}
	assert.Empty(t, missing, "read by the processor, not offered by connect.yaml")
	assert.Empty(t, extra, "offered by connect.yaml, never read")
	for _, k := range secured {
		assert.True(t, strings.Contains(k, "SECRET") || strings.HasSuffix(k, "_KEY"), "%s is secured but holds no secret", k)
	}
	for k := range offered {
		if strings.Contains(k, "SECRET") {
			assert.Contains(t, secured, k, "%s holds a secret: it belongs in securedConfiguration", k)
		}
	}
}
