package api_test

import (
	"context"
	"net/http"
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
