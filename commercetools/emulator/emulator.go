// Package emulator is an in-memory commercetools: OAuth (tokens, introspection), the
// Checkout Session API, and the parts of the HTTP API a payment connector uses (carts,
// payments, orders, custom types, payment methods), served over HTTP on one base URL.
//
// It is the processor's embedded default for local runs and the commercetools double of
// the tests. It keeps commercetools' contract where the processor relies on it: versions
// checked on every update, unique keys, legal transaction state changes, the error body,
// paged queries with where predicates. It adds development endpoints under /emulator/:
// minting Merchant Center style JWTs, minting tokens of any scope, and fault injection.
package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// Options configure an emulator.
type Options struct {
	// ProjectKey is the one project served; "local-project" when empty.
	ProjectKey string
	// ClientID and ClientSecret are the API client's credentials; "local" when empty.
	ClientID     string
	ClientSecret string
	// TokenLifetime is the lifetime of issued tokens; 172800 s (two days) when zero.
	TokenLifetime time.Duration
	// SessionLifetime is how long a session stays ACTIVE; one hour when zero.
	SessionLifetime time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Gzip compresses the answers to requests that accept gzip, as commercetools does.
	Gzip bool
}

// Emulator holds the state of one project. It is safe for concurrent use.
type Emulator struct {
	opts   Options
	signer *rsa.PrivateKey
	keyID  string

	mu             sync.Mutex
	tokens         map[string]grant
	sessions       map[string]*session
	carts          *store[*cart]
	payments       *store[*payment]
	orders         *store[*order]
	types          *store[*customType]
	paymentMethods *store[*paymentMethod]
	faults         []*fault

	served atomic.Int64 // requests other than /emulator/ ones
}

// New returns an empty emulator.
func New(opts Options) (*Emulator, error) {
	if opts.ProjectKey == "" {
		opts.ProjectKey = "local-project"
	}
	if opts.ClientID == "" {
		opts.ClientID = "local"
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = "local"
	}
	if opts.TokenLifetime == 0 {
		opts.TokenLifetime = 172800 * time.Second
	}
	if opts.SessionLifetime == 0 {
		opts.SessionLifetime = time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("emulator: signing key: %w", err)
	}
	return &Emulator{
		opts:           opts,
		signer:         key,
		keyID:          "emulator-" + uuid.NewString()[:8],
		tokens:         map[string]grant{},
		sessions:       map[string]*session{},
		carts:          newStore[*cart](),
		payments:       newStore[*payment](),
		orders:         newStore[*order](),
		types:          newStore[*customType](),
		paymentMethods: newStore[*paymentMethod](),
	}, nil
}

// ProjectKey is the project the emulator serves.
func (e *Emulator) ProjectKey() string { return e.opts.ProjectKey }

// ClientID and ClientSecret are the credentials the emulator accepts.
func (e *Emulator) ClientID() string { return e.opts.ClientID }

// ClientSecret is the secret the emulator accepts.
func (e *Emulator) ClientSecret() string { return e.opts.ClientSecret }

func (e *Emulator) now() string { return e.opts.Now().UTC().Format("2006-01-02T15:04:05.000Z") }

// Handler serves the emulator. Paths may start with a doubled slash, as URLs built from a
// base URL with a trailing slash do.
func (e *Emulator) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", e.handleToken)
	mux.HandleFunc("POST /oauth/introspect", e.handleIntrospect)
	mux.HandleFunc("GET /.well-known/jwks.json", e.handleJWKS)
	mux.HandleFunc("POST /emulator/jwt", e.handleMintJWT)
	mux.HandleFunc("POST /emulator/tokens", e.handleMintToken)
	mux.HandleFunc("GET /emulator/faults", e.handleListFaults)
	mux.HandleFunc("POST /emulator/faults", e.handleAddFaults)
	mux.HandleFunc("DELETE /emulator/faults", e.handleClearFaults)
	mux.HandleFunc("POST /emulator/sessions/{id}/expire", e.handleExpireSession)
	mux.HandleFunc("GET /emulator/requests", e.handleServed)

	api := func(pattern string, scopes scopeRule, h func(http.ResponseWriter, *http.Request)) {
		method, path, _ := strings.Cut(pattern, " ")
		mux.HandleFunc(method+" /{projectKey}"+path, e.authorized(scopes, h))
	}
	api("POST /sessions", sessionScopes, e.handleCreateSession)
	api("GET /sessions/{id}", sessionScopes, e.handleGetSession)

	carts := byIDOrKey(e.carts, func(c *cart) string { return c.Key })
	api("GET /carts", cartScopes, querier(e, e.carts, e.expandCart))
	api("POST /carts", cartScopes, e.handleCreateCart)
	api("GET /carts/{id}", cartScopes, getter(e, carts, e.expandCart))
	api("POST /carts/{id}", cartScopes, updater(e, e.carts, carts, e.applyCartAction))
	api("DELETE /carts/{id}", cartScopes, deleter(e, e.carts, carts, nil))

	payments := byIDOrKey(e.payments, func(p *payment) string { return p.Key })
	api("GET /payments", paymentScopes, querier(e, e.payments, nil))
	api("POST /payments", paymentScopes, e.handleCreatePayment)
	api("GET /payments/{id}", paymentScopes, getter(e, payments, nil))
	api("POST /payments/{id}", paymentScopes, updater(e, e.payments, payments, e.applyPaymentAction))
	api("DELETE /payments/{id}", paymentScopes, deleter(e, e.payments, payments, nil))

	orders := byIDOrKey(e.orders, nil)
	api("GET /orders", orderScopes, querier(e, e.orders, nil))
	api("POST /orders", orderScopes, e.handleCreateOrder)
	api("GET /orders/{id}", orderScopes, getter(e, orders, nil))

	types := byIDOrKey(e.types, func(t *customType) string { return t.Key })
	api("GET /types", typeScopes, querier(e, e.types, nil))
	api("POST /types", typeScopes, e.handleCreateType)
	api("GET /types/{id}", typeScopes, getter(e, types, nil))
	api("POST /types/{id}", typeScopes, updater(e, e.types, types, applyTypeAction))
	api("DELETE /types/{id}", typeScopes, deleter(e, e.types, types, e.typeInUse))

	paymentMethods := byIDOrKey(e.paymentMethods, func(pm *paymentMethod) string { return pm.Key })
	api("GET /payment-methods", paymentMethodScopes, querier(e, e.paymentMethods, nil))
	api("POST /payment-methods", paymentMethodScopes, e.handleCreatePaymentMethod)
	api("GET /payment-methods/{id}", paymentMethodScopes, getter(e, paymentMethods, nil))
	api("DELETE /payment-methods/{id}", paymentMethodScopes, deleter(e, e.paymentMethods, paymentMethods, nil))

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "ResourceNotFound", fmt.Sprintf("URI not found: %s", r.URL.Path), nil)
	})
	var h http.Handler = mux
	if e.opts.Gzip {
		h = gzipped(h)
	}
	return collapseSlashes(e.counted(e.withFaults(h)))
}

// counted counts the requests that commercetools would serve: all but the emulator's own.
func (e *Emulator) counted(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/emulator/") {
			e.served.Add(1)
		}
		next.ServeHTTP(w, r)
	})
}

// handleServed answers how many requests the emulator has served, its own excepted:
// {"count": n}. A load driver subtracts its own to learn what a processor asked.
func (e *Emulator) handleServed(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]int64{"count": e.served.Load()})
}

// collapseSlashes turns a leading "//" into "/", as commercetools accepts it.
func collapseSlashes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "//") {
			r2 := r.Clone(r.Context())
			r2.URL.Path = "/" + strings.TrimLeft(r.URL.Path, "/")
			r2.URL.RawPath = ""
			r = r2
		}
		next.ServeHTTP(w, r)
	})
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers in commercetools' error shape; extra adds members to the error object.
func writeError(w http.ResponseWriter, status int, code, message string, extra map[string]any) {
	obj := map[string]any{"code": code, "message": message}
	for k, v := range extra {
		obj[k] = v
	}
	writeJSON(w, status, map[string]any{"statusCode": status, "message": message, "errors": []any{obj}})
}

// writeOAuthError answers an auth-server error, which adds error and error_description.
func writeOAuthError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{
		"statusCode": status, "message": message,
		"errors": []any{map[string]any{"code": code, "message": message}},
		"error":  code, "error_description": message,
	})
}

// apiError is a failure of a handler, answered by writeError.
type apiError struct {
	status  int
	code    string
	message string
	extra   map[string]any
}

func (e *apiError) Error() string { return e.message }

func (e *apiError) write(w http.ResponseWriter) { writeError(w, e.status, e.code, e.message, e.extra) }

func invalidInput(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "InvalidInput", message: fmt.Sprintf(format, args...)}
}

func invalidOperation(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "InvalidOperation", message: fmt.Sprintf(format, args...)}
}

func requiredField(field string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "RequiredField",
		message: fmt.Sprintf("A value is required for field %s.", field), extra: map[string]any{"field": field}}
}

func notFound(id string) *apiError {
	return &apiError{status: http.StatusNotFound, code: "ResourceNotFound",
		message: fmt.Sprintf("The Resource with ID '%s' was not found.", id)}
}

func duplicateField(field string, value any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "DuplicateField",
		message: fmt.Sprintf("A duplicate value '%v' exists for field '%s'.", value, field),
		extra:   map[string]any{"field": field, "duplicateValue": value}}
}

// decodeBody reads a JSON body into v, answering InvalidJsonInput when it cannot.
func decodeBody(r *http.Request, v any) *apiError {
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(v); err != nil {
		return &apiError{status: http.StatusBadRequest, code: "InvalidJsonInput", message: "Request body does not contain valid JSON.",
			extra: map[string]any{"detailedErrorMessage": describeJSONError(err)}}
	}
	return nil
}

// describeJSONError says in commercetools' words, without the emulator's Go types, why a
// body could not be read: the field and the JSON type it needs, or where the syntax broke.
func describeJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "The request body"
		}
		return fmt.Sprintf("%s: JSON %s expected, got %s.", field, jsonKind(typeErr.Type), typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Sprintf("Malformed JSON at character %d.", syntaxErr.Offset)
	case errors.As(err, &tooLarge):
		return "The request body is too large."
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "The request body ends before the JSON value does."
	}
	return "The request body is not a JSON value of the expected shape."
}

// jsonKind names the JSON type a Go type is read from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "object"
}
