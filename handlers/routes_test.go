package handlers

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin/binding"
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

// Each operation keeps the contract's security requirements for authenticate, while the
// route the validator gets has none, so that the validator does not read the body a
// second time for a no-op check; the contract itself is left as loaded.
func TestValidatorRoutesLeaveSecurityToAuthenticate(t *testing.T) {
	spec, err := openapi3.NewLoader().LoadFromData(api.ValidationSpec)
	require.NoError(t, err)
	ops := newOperations(spec)
	secured := 0
	for path, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			got := ops[operationKey(method, ginPath(path))]
			require.NotNil(t, got, "%s %s", method, path)
			want := spec.Security
			if op.Security != nil {
				want = *op.Security
			}
			assert.Equal(t, want, got.security, "%s %s", method, path)
			assert.Empty(t, *got.route.Operation.Security, "%s %s", method, path)
			assert.Same(t, item, got.route.PathItem)
			if len(want) > 0 {
				secured++
				assert.Equal(t, op.OperationID, got.route.Operation.OperationID)
				assert.NotSame(t, op, got.route.Operation, "the contract's operation was changed")
			}
		}
	}
	assert.Greater(t, secured, 10, "the contract's operations carry security requirements")
}

// gin's struct validator is off because nothing would use it: the generated types carry
// no binding or validate tags. A contract that adds some (x-oapi-codegen-extra-tags) must
// turn it back on.
func TestBindingValidatorOffWhileTheGeneratedTypesHaveNoTags(t *testing.T) {
	assert.Nil(t, binding.Validator)
	files, err := filepath.Glob("../generated/*.go")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.NotContains(t, string(src), `binding:"`, f)
		assert.NotContains(t, string(src), `validate:"`, f)
	}
}
