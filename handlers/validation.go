package handlers

import (
	"fmt"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/gin-gonic/gin"

	"github.com/checkout-connect/go-connector/internal/apierror"
)

// limitBody refuses bodies larger than limit bytes: at once when Content-Length says so,
// otherwise when reading passes the limit (the validator then reports 413).
func limitBody(limit int64, errs errorWriter) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > limit {
			errs.write(c, payloadTooLarge(limit))
			return
		}
		if c.Request.Body != nil && c.Request.Body != http.NoBody {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}

func payloadTooLarge(limit int64) *apierror.Error {
	return apierror.New(http.StatusRequestEntityTooLarge, apierror.CodePayloadTooLarge,
		fmt.Sprintf("The request body is larger than %d bytes.", limit))
}

// uuidPattern accepts UUIDs of any version, in either case (commercetools ids are UUIDs).
const uuidPattern = `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`

// validateRequests checks every routed request against its spec operation before any
// authentication or handler runs, as the templates do, and records the operation for the
// later stages. Credentials are checked by the next stage, not here.
func validateRequests(ops operations, limit int64, errs errorWriter) gin.HandlerFunc {
	options := &openapi3filter.Options{
		MultiError:         true,
		KeepValidatedValue: true,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{
			openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(uuidPattern)),
		},
	}
	return func(c *gin.Context) {
		op := ops.lookup(c)
		if op == nil {
			c.Next()
			return
		}
		c.Set(operationContextKey, op)
		if op.rawBody {
			c.Next()
			return
		}
		params := make(map[string]string, len(c.Params))
		for _, p := range c.Params {
			params[p.Key] = p.Value
		}
		input := &openapi3filter.RequestValidationInput{
			Request:    c.Request,
			PathParams: params,
			Route:      op.route,
			Options:    options,
		}
		if err := openapi3filter.ValidateRequest(c.Request.Context(), input); err != nil {
			errs.write(c, validationError(err, limit))
			return
		}
		c.Next()
	}
}
