// Package contracttest checks, in tests, that what the processor answers is what
// api/openapi.yaml promises: the status is declared for the operation and the body matches
// its schema.
package contracttest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/checkout-connect/go-connector/api"
)

var contract = sync.OnceValues(func() (*openapi3.T, error) {
	spec, err := openapi3.NewLoader().LoadFromData(api.Spec)
	if err != nil {
		return nil, err
	}
	// Tests call servers on any host; without servers the router matches paths only.
	spec.Servers = nil
	return spec, nil
})

func init() {
	// The bundles and the demo page are text; kin-openapi knows no decoder for them.
	text := func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		data, err := io.ReadAll(body)
		return string(data), err
	}
	openapi3filter.RegisterBodyDecoder("text/javascript", text)
	openapi3filter.RegisterBodyDecoder("text/html", text)
}

var router = sync.OnceValues(func() (routers.Router, error) {
	spec, err := contract()
	if err != nil {
		return nil, err
	}
	return gorillamux.NewRouter(spec)
})

// CheckResponse fails t unless the response (status, header, body) to req is allowed by
// the contract. Responses to requests that match no operation must carry the Error schema.
func CheckResponse(t testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	r, err := router()
	if err != nil {
		t.Fatalf("contracttest: load the contract: %v", err)
	}
	route, params, err := r.FindRoute(req)
	if err != nil {
		CheckErrorBody(t, body)
		return
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    req,
			PathParams: params,
			Route:      route,
		},
		Status: status,
		Header: header,
		Body:   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
		},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		t.Errorf("response to %s %s breaks the contract: %v\nstatus %d body %s", req.Method, req.URL.Path, err, status, body)
	}
}

// CheckErrorBody fails t unless body is JSON matching the contract's Error schema.
func CheckErrorBody(t testing.TB, body []byte) {
	t.Helper()
	spec, err := contract()
	if err != nil {
		t.Fatalf("contracttest: load the contract: %v", err)
	}
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		t.Errorf("error body is not JSON: %v: %s", err, body)
		return
	}
	if err := spec.Components.Schemas["Error"].Value.VisitJSON(value); err != nil {
		t.Errorf("error body does not match the Error schema: %v: %s", err, body)
	}
}
