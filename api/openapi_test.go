package api_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/api"
)

// Operations that Checkout's authentication does not guard: liveness, the contract itself,
// the PSP's webhook (signed instead) and the browser's return from an offsite payment.
var unguarded = map[string]bool{
	"getHealth":           true,
	"getOpenAPISpec":      true,
	"receiveNotification": true,
	"handlePaymentReturn": true,
	"getEnablerFile":      true,
	"getDemoPage":         true,
	"getDemoCheckout":     true,
	"newDemoCheckout":     true,
	"getMetrics":          true,
	"getDocs":             true,
}

func loadContract(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.Spec)
	require.NoError(t, err)
	return doc
}

// The contract is a valid OpenAPI 3.0 document whose examples all match their schemas.
func TestContractIsValid(t *testing.T) {
	doc := loadContract(t)
	require.True(t, strings.HasPrefix(doc.OpenAPI, "3.0."), "OpenAPI 3.0.x, got %s", doc.OpenAPI)
	require.NoError(t, doc.Validate(context.Background(), openapi3.EnableExamplesValidation()))
}

// A broken example must make the validation above fail, or it proves nothing.
func TestContractValidationCatchesBadExamples(t *testing.T) {
	broken := strings.Replace(string(api.Spec), "paymentReference: 6f1c1b0e-8f55-4a5c-9d3b-2a4c1e3f5a7b", "paymentReference: 42", 1)
	require.NotEqual(t, string(api.Spec), broken)
	doc, err := openapi3.NewLoader().LoadFromData([]byte(broken))
	require.NoError(t, err)
	assert.Error(t, doc.Validate(context.Background(), openapi3.EnableExamplesValidation()))
}

func TestEveryOperationIsComplete(t *testing.T) {
	doc := loadContract(t)
	ids := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			t.Run(name, func(t *testing.T) {
				require.NotEmpty(t, op.OperationID, "operationId")
				assert.False(t, ids[op.OperationID], "operationId %s is unique", op.OperationID)
				ids[op.OperationID] = true
				assert.NotEmpty(t, op.Description, "description")

				if !unguarded[op.OperationID] {
					require.NotNil(t, op.Security, "security requirement")
					require.NotEmpty(t, *op.Security, "security requirement")
					for _, req := range *op.Security {
						assert.NotEmpty(t, req, "no anonymous alternative on a guarded operation")
					}
				}

				assert.True(t, hasErrorResponse(op), "an error response using the Error schema")
				for code, ref := range op.Responses.Map() {
					if code == "default" || code[0] == '4' || code[0] == '5' {
						assert.True(t, usesErrorSchema(ref.Value), "%s response uses the Error schema", code)
					}
				}

				if op.RequestBody != nil {
					for mime, media := range op.RequestBody.Value.Content {
						assert.True(t, hasExample(media), "request %s example", mime)
					}
				}
				for code, ref := range op.Responses.Map() {
					for mime, media := range ref.Value.Content {
						assert.True(t, hasExample(media), "response %s %s example", code, mime)
					}
				}
			})
		}
	}
	assert.Len(t, ids, 20)
}

// The security schemes cover the three kinds of Checkout authentication.
func TestSecuritySchemes(t *testing.T) {
	doc := loadContract(t)
	schemes := doc.Components.SecuritySchemes
	require.Contains(t, schemes, "sessionHeader")
	assert.Equal(t, "x-session-id", schemes["sessionHeader"].Value.Name)
	assert.Equal(t, "header", schemes["sessionHeader"].Value.In)
	require.Contains(t, schemes, "sessionQueryParam")
	assert.Equal(t, "ctsid", schemes["sessionQueryParam"].Value.Name)
	assert.Equal(t, "query", schemes["sessionQueryParam"].Value.In)
	require.Contains(t, schemes, "jwtBearer")
	assert.Equal(t, "bearer", schemes["jwtBearer"].Value.Scheme)
	require.Contains(t, schemes, "oauth2")
	assert.Contains(t, schemes["oauth2"].Value.Flows.ClientCredentials.Scopes, "manage_checkout_payment_intents")
	assert.Contains(t, schemes["oauth2"].Value.Flows.ClientCredentials.Scopes, "manage_checkout_transactions")
}

// Each path keeps the templates' method, security kind and success status.
func TestTemplateCompatibleSurface(t *testing.T) {
	doc := loadContract(t)
	cases := []struct {
		method, path, scheme string
		status               int
	}{
		{http.MethodPost, "/payments", "sessionHeader", 200},
		{http.MethodGet, "/stored-payment-methods", "sessionHeader", 200},
		{http.MethodDelete, "/stored-payment-methods/{id}", "sessionHeader", 200},
		{http.MethodPost, "/balance", "sessionHeader", 200},
		{http.MethodPost, "/redeem", "sessionHeader", 200},
		{http.MethodGet, "/operations/config", "sessionHeader", 200},
		{http.MethodGet, "/operations/status", "jwtBearer", 200},
		{http.MethodGet, "/operations/payment-components", "jwtBearer", 200},
		{http.MethodPost, "/operations/payment-intents/{id}", "oauth2", 200},
		{http.MethodPost, "/operations/transactions", "oauth2", 201},
	}
	for _, tc := range cases {
		op := doc.Paths.Find(tc.path).GetOperation(tc.method)
		require.NotNil(t, op, "%s %s", tc.method, tc.path)
		require.NotNil(t, op.Security)
		assert.Contains(t, (*op.Security)[0], tc.scheme, "%s %s", tc.method, tc.path)
		assert.NotNil(t, op.Responses.Status(tc.status), "%s %s answers %d", tc.method, tc.path, tc.status)
	}
}

func hasErrorResponse(op *openapi3.Operation) bool {
	for code, ref := range op.Responses.Map() {
		if (code == "default" || code[0] == '4' || code[0] == '5') && usesErrorSchema(ref.Value) {
			return true
		}
	}
	return false
}

// usesErrorSchema reports whether the response's JSON body is the Error schema, builds on
// it (allOf) or may be it (oneOf).
func usesErrorSchema(r *openapi3.Response) bool {
	media := r.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		return false
	}
	if media.Schema.Ref == "#/components/schemas/Error" {
		return true
	}
	for _, part := range append(media.Schema.Value.AllOf, media.Schema.Value.OneOf...) {
		if part.Ref == "#/components/schemas/Error" {
			return true
		}
	}
	return false
}

func hasExample(m *openapi3.MediaType) bool {
	return m.Example != nil || len(m.Examples) > 0
}

// The contract requests are validated against (ValidationSpec) is the request side of the
// whole contract: the same operations, parameters, request bodies and security, the same
// response status codes without their content, and every schema the requests use, the
// same once descriptions and examples are set aside.
func TestValidationSpecIsTheRequestSideOfTheContract(t *testing.T) {
	whole := loadContract(t)
	lean, err := openapi3.NewLoader().LoadFromData(api.ValidationSpec)
	require.NoError(t, err)
	require.NoError(t, lean.Validate(context.Background()))
	assert.Less(t, len(api.ValidationSpec), len(api.Spec)/5)

	require.Equal(t, len(whole.Paths.Map()), len(lean.Paths.Map()))
	for path, item := range whole.Paths.Map() {
		leanItem := lean.Paths.Find(path)
		require.NotNil(t, leanItem, path)
		for method, op := range item.Operations() {
			leanOp := leanItem.GetOperation(method)
			require.NotNil(t, leanOp, "%s %s", method, path)
			assert.Equal(t, op.OperationID, leanOp.OperationID)
			assert.Equal(t, op.Security, leanOp.Security, op.OperationID)
			require.Len(t, leanOp.Parameters, len(op.Parameters), op.OperationID)
			for i, p := range op.Parameters {
				lp := leanOp.Parameters[i].Value
				assert.Equal(t, []any{p.Value.Name, p.Value.In, p.Value.Required}, []any{lp.Name, lp.In, lp.Required}, op.OperationID)
				assert.JSONEq(t, withoutProse(t, p.Value.Schema), withoutProse(t, lp.Schema), "%s %s", op.OperationID, p.Value.Name)
			}
			if op.RequestBody != nil {
				require.NotNil(t, leanOp.RequestBody, op.OperationID)
				assert.Equal(t, op.RequestBody.Value.Required, leanOp.RequestBody.Value.Required)
				for media, content := range op.RequestBody.Value.Content {
					assert.JSONEq(t, withoutProse(t, content.Schema), withoutProse(t, leanOp.RequestBody.Value.Content[media].Schema), op.OperationID)
				}
			}
			assert.ElementsMatch(t, slices.Collect(maps.Keys(op.Responses.Map())), slices.Collect(maps.Keys(leanOp.Responses.Map())), op.OperationID)
			for status, response := range leanOp.Responses.Map() {
				assert.Empty(t, response.Value.Content, "%s %s", op.OperationID, status)
			}
		}
	}
	assert.Equal(t, whole.Security, lean.Security)
	require.NotEmpty(t, lean.Components.Schemas)
	for name, schema := range lean.Components.Schemas {
		require.Contains(t, whole.Components.Schemas, name)
		assert.JSONEq(t, withoutProse(t, whole.Components.Schemas[name]), withoutProse(t, schema), name)
	}
	// A schema left out is one no request reaches: the loader resolves every reference
	// of what is kept, and fails on one that points at nothing.
	assert.Contains(t, lean.Components.Schemas, "PaymentRequest")
	assert.NotContains(t, lean.Components.Schemas, "PaymentResponse")
	for name, scheme := range whole.Components.SecuritySchemes {
		leanScheme := lean.Components.SecuritySchemes[name]
		require.NotNil(t, leanScheme, name)
		assert.Equal(t, []string{scheme.Value.Type, scheme.Value.Scheme, scheme.Value.In, scheme.Value.Name},
			[]string{leanScheme.Value.Type, leanScheme.Value.Scheme, leanScheme.Value.In, leanScheme.Value.Name}, name)
	}
}

// withoutProse is the schema as JSON with its and its subschemas' descriptions and
// examples cleared (in a copy).
func withoutProse(t *testing.T, ref *openapi3.SchemaRef) string {
	t.Helper()
	if ref == nil {
		return "null"
	}
	data, err := json.Marshal(ref)
	require.NoError(t, err)
	var copied openapi3.SchemaRef
	require.NoError(t, json.Unmarshal(data, &copied))
	var clear func(*openapi3.SchemaRef)
	clear = func(r *openapi3.SchemaRef) {
		if r == nil || r.Value == nil {
			return
		}
		if r.Ref != "" {
			r.Value = nil // compared where it is defined
			return
		}
		s := r.Value
		s.Description, s.Example = "", nil
		for _, p := range s.Properties {
			clear(p)
		}
		for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, sub := range list {
				clear(sub)
			}
		}
		clear(s.Items)
		clear(s.Not)
		clear(s.AdditionalProperties.Schema)
	}
	clear(&copied)
	out, err := json.Marshal(&copied)
	require.NoError(t, err)
	return string(out)
}
