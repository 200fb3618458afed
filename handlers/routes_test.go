package handlers

import (
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/api"
)

func TestGinPath(t *testing.T) {
	cases := map[string]string{
		"/health":                          "/health",
		"/operations/payment-intents/{id}": "/operations/payment-intents/:id",
		"/a/{x}/b/{y}":                     "/a/:x/b/:y",
		"/stored-payment-methods/{id}":     "/stored-payment-methods/:id",
	}
	for in, want := range cases {
		assert.Equal(t, want, ginPath(in), in)
	}
}

// The engine serves exactly the contract's operations: no route outside the spec, no
// operation without a route.
func TestEngineRoutesMatchTheContract(t *testing.T) {
	engine, _ := newTestEngine(t)
	spec, err := openapi3.NewLoader().LoadFromData(api.Spec)
	require.NoError(t, err)

	var inSpec []string
	for path, item := range spec.Paths.Map() {
		for method := range item.Operations() {
			inSpec = append(inSpec, operationKey(method, ginPath(path)))
		}
	}
	var served []string
	for _, r := range engine.Routes() {
		served = append(served, operationKey(r.Method, r.Path))
	}
	slices.Sort(inSpec)
	slices.Sort(served)
	assert.Equal(t, inSpec, served)
	assert.Len(t, served, 20)
}
