package handlers

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/gin-gonic/gin"
)

// operation is what the middleware needs to know about the spec operation a route serves.
type operation struct {
	id string
	// route is what the validator checks requests against: the operation without its
	// security requirements, which authenticate checks.
	route    *routers.Route
	security openapi3.SecurityRequirements
	// freshSession marks operations that move money: their Checkout session is verified
	// with the Session API on every request (x-fresh-session in the contract).
	freshSession bool
	// rawBody marks operations whose body must reach the handler byte for byte, unread by
	// the validator (x-raw-body in the contract): signed webhooks.
	rawBody bool
}

// freshSessionExtension is the contract's mark of operations whose session is never
// taken from the cache.
const freshSessionExtension = "x-fresh-session"

// rawBodyExtension is the contract's mark of operations whose body the validator leaves
// alone.
const rawBodyExtension = "x-raw-body"

// operations indexes the spec's operations by HTTP method and gin route pattern, so that a
// request routed by gin finds its operation without a second router.
type operations map[string]*operation

func operationKey(method, ginPath string) string { return method + " " + ginPath }

// newOperations indexes every operation of spec.
func newOperations(spec *openapi3.T) operations {
	ops := operations{}
	for path, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			security := spec.Security
			if op.Security != nil {
				security = *op.Security
			}
			// kin-openapi's own pass over the requirements would read the body once more
			// and restore it, only to call a no-op authenticator.
			validated := *op
			validated.Security = &openapi3.SecurityRequirements{}
			ops[operationKey(method, ginPath(path))] = &operation{
				id:           op.OperationID,
				route:        &routers.Route{Spec: spec, Path: path, PathItem: item, Method: method, Operation: &validated},
				security:     security,
				freshSession: op.Extensions[freshSessionExtension] == true,
				rawBody:      op.Extensions[rawBodyExtension] == true,
			}
		}
	}
	return ops
}

// lookup returns the operation of the route gin matched, or nil for unmatched requests.
func (ops operations) lookup(c *gin.Context) *operation {
	if c.FullPath() == "" {
		return nil
	}
	return ops[operationKey(c.Request.Method, c.FullPath())]
}

// ginPath turns an OpenAPI path template (/a/{id}) into gin's pattern (/a/:id).
func ginPath(specPath string) string {
	var b strings.Builder
	for _, segment := range strings.SplitAfter(specPath, "/") {
		if strings.HasPrefix(segment, "{") {
			name, slash := strings.CutSuffix(segment, "/")
			b.WriteString(":" + strings.Trim(name, "{}"))
			if slash {
				b.WriteString("/")
			}
			continue
		}
		b.WriteString(segment)
	}
	return b.String()
}

const operationContextKey = "openapi.operation"

// currentOperation returns the operation that the validation middleware found for c.
func currentOperation(c *gin.Context) *operation {
	op, _ := c.Get(operationContextKey)
	o, _ := op.(*operation)
	return o
}
