// Package ctcontract checks, in tests, HTTP traffic with commercetools against the
// official commercetools API description, vendored as test data in
// testdata/commercetools-api/openapi.yaml (source, snapshot date and licence in the NOTICE.md
// beside it): what the client sends and what the emulator answers must both be what
// commercetools documents.
//
// The Session API and token introspection are not in that description; their answers are
// checked against the fields the payments SDK reads.
package ctcontract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/checkout-connect/go-connector/internal/http1"
)

// SpecPath is where the vendored official description is, found from this package's
// source directory.
func SpecPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "testdata", "commercetools-api", "openapi.yaml")
}

var load = sync.OnceValues(func() (routers.Router, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(SpecPath())
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", SpecPath(), err)
	}
	patch(doc)
	doc.Servers = nil
	return gorillamux.NewRouter(doc)
})

// Router returns the router over the official description; it fails t when the
// description is missing or does not load.
func Router(t testing.TB) routers.Router {
	t.Helper()
	if _, err := os.Stat(SpecPath()); err != nil {
		t.Fatalf("the commercetools API description is missing: %v", err)
	}
	r, err := load()
	if err != nil {
		t.Fatalf("ctcontract: %v", err)
	}
	return r
}

// patch mends the leftovers of the description's RAML source: regular-expression
// "required" entries, ErrorObject's "//" entry, and additionalProperties typed as strings,
// which real bodies (a numeric currentVersion, say) do not honour.
func patch(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var visit func(ref *openapi3.SchemaRef)
	visit = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		kept := s.Required[:0]
		for _, name := range s.Required {
			if !strings.HasPrefix(name, "/") {
				kept = append(kept, name)
			}
		}
		s.Required = kept
		if ap := s.AdditionalProperties.Schema; ap != nil && ap.Value != nil && ap.Value.Type.Is("string") {
			yes := true
			s.AdditionalProperties = openapi3.AdditionalProperties{Has: &yes}
		}
		for _, p := range s.Properties {
			visit(p)
		}
		visit(s.Items)
		visit(s.AdditionalProperties.Schema)
		visit(s.Not)
		for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, x := range list {
				visit(x)
			}
		}
	}
	for _, s := range doc.Components.Schemas {
		visit(s)
	}
}

// Transport is an http.RoundTripper that checks every exchange it carries.
type Transport struct {
	// Base carries the requests; http.DefaultTransport when nil.
	Base http.RoundTripper

	// RequestsOnly leaves answers unchecked, for servers other than the emulator whose
	// answers are not this project's to vouch for.
	RequestsOnly bool

	// AnswersOnly leaves requests unchecked, for tests that send malformed requests on
	// purpose to see how they are answered.
	AnswersOnly bool

	router   routers.Router
	mu       sync.Mutex
	problems []string
	checked  int
}

// NewTransport returns a checking transport whose problems fail t when the test ends.
func NewTransport(t testing.TB) *Transport {
	t.Helper()
	tr := &Transport{router: Router(t)}
	t.Cleanup(func() {
		for _, p := range tr.Problems() {
			t.Errorf("commercetools contract: %s", p)
		}
	})
	return tr
}

// Problems lists what broke the contract so far.
func (tr *Transport) Problems() []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]string(nil), tr.problems...)
}

// Checked counts the exchanges checked against the description.
func (tr *Transport) Checked() int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.checked
}

func (tr *Transport) report(format string, args ...any) {
	tr.mu.Lock()
	tr.problems = append(tr.problems, fmt.Sprintf(format, args...))
	tr.mu.Unlock()
}

// RoundTripLimit is Base's, when it bounds its round trips, so that a client sees the
// time limit of the transport under the checks.
func (tr *Transport) RoundTripLimit() time.Duration { return http1.LimitOf(tr.Base) }

// RoundTrip checks the request, carries it, and checks the answer.
func (tr *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := tr.Base
	if base == nil {
		base = http.DefaultTransport
	}
	var reqBody []byte
	if req.Body != nil {
		var err error
		if reqBody, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	tr.check(req, reqBody, resp, respBody)
	return resp, nil
}

func (tr *Transport) check(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) {
	name := req.Method + " " + req.URL.Path
	injected := resp.Header.Get("X-Emulator-Fault") != "" // a fault injected by a test, not an answer
	if shape, ok := outsideShape(req.URL.Path); ok {
		if tr.RequestsOnly || injected {
			return
		}
		if err := shape(resp.StatusCode, respBody); err != nil {
			tr.report("%s answered %d: %v: %s", name, resp.StatusCode, err, respBody)
		}
		return
	}
	route, params, err := tr.router.FindRoute(cloneWithBody(req, reqBody))
	if err != nil {
		tr.report("%s is not an endpoint of the commercetools API: %v", name, err)
		return
	}
	tr.mu.Lock()
	tr.checked++
	tr.mu.Unlock()
	in := &openapi3filter.RequestValidationInput{
		Request: cloneWithBody(req, reqBody), PathParams: params, Route: route,
		Options: &openapi3filter.Options{MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && !tr.AnswersOnly {
		tr.report("request %s %s breaks the contract: %v", name, reqBody, short(err))
	}
	if tr.RequestsOnly || injected {
		return
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body:    io.NopCloser(bytes.NewReader(respBody)),
		Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: false},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		tr.report("answer %d to %s breaks the contract: %v\nbody: %s", resp.StatusCode, name, short(err), respBody)
	}
}

// cloneWithBody copies req for checking; a doubled leading slash, which commercetools
// accepts, is folded so the request finds its operation.
func cloneWithBody(req *http.Request, body []byte) *http.Request {
	c := req.Clone(context.Background())
	c.Body = io.NopCloser(bytes.NewReader(body))
	c.URL.Path = "/" + strings.TrimLeft(c.URL.Path, "/")
	c.URL.RawPath = ""
	return c
}

// short keeps kin-openapi's messages readable: the schema dumps are left out.
func short(err error) string {
	var lines []string
	for _, line := range strings.Split(err.Error(), "\n") {
		if strings.HasPrefix(line, "Schema:") || strings.HasPrefix(line, "Value:") || strings.HasPrefix(line, "  ") {
			continue
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, " / ")
}

var errShape = errors.New("unexpected shape")
