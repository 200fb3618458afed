// Package handlers is the processor's HTTP side: the gin engine, request validation from
// the contract, authentication, the one error writer, and the strict-server
// implementation that translates HTTP to the core flows and back.
package handlers

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"github.com/checkout-connect/go-connector/api"
	"github.com/checkout-connect/go-connector/generated"
	"github.com/checkout-connect/go-connector/internal/apierror"
	"github.com/checkout-connect/go-connector/internal/metrics"
	"github.com/checkout-connect/go-connector/payments"
)

func init() {
	// Release mode keeps gin from printing its routes and warnings to stdout; all logging
	// goes through log/slog.
	gin.SetMode(gin.ReleaseMode)
}

// Options configure the HTTP handler.
type Options struct {
	// Logger receives the access lines and the errors; required.
	Logger *slog.Logger
	// MaxRequestBodyBytes bounds request bodies; required.
	MaxRequestBodyBytes int64
	// Authenticator verifies sessions, JWTs and access tokens; required.
	Authenticator Authenticator
	// Payments runs the payment flows; required.
	Payments *payments.Service
	// Status configures the deep status.
	Status StatusOptions
	// RequestBudget bounds the work of every request; 20 s when zero.
	RequestBudget time.Duration
	// Demo is the local mode's demo checkout; nil outside local mode, where the demo
	// endpoints answer 404.
	Demo Demo
	// Metrics receives the requests' latency and serves GET /metrics; a new set when nil.
	Metrics *metrics.Metrics
}

// New builds the processor's HTTP handler. Every request passes, in order: id assignment,
// access logging, the request budget, panic recovery, CORS, the body size limit, validation against
// api/openapi.yaml, authentication and authorization, then the operation's handler.
func New(opts Options) (*gin.Engine, error) {
	if opts.Logger == nil || opts.MaxRequestBodyBytes <= 0 || opts.Authenticator == nil || opts.Payments == nil {
		return nil, errors.New("handlers: a logger, a body size limit, an authenticator and the payment flows are required")
	}
	if opts.Status.Timeout <= 0 {
		opts.Status.Timeout = 5 * time.Second
	}
	if opts.RequestBudget <= 0 {
		opts.RequestBudget = 20 * time.Second
	}
	if opts.Metrics == nil {
		opts.Metrics = metrics.New()
	}
	spec, err := openapi3.NewLoader().LoadFromData(api.ValidationSpec)
	if err != nil {
		return nil, fmt.Errorf("handlers: load the embedded contract: %w", err)
	}
	errs := errorWriter{log: opts.Logger}

	engine := gin.New()
	engine.ContextWithFallback = true
	engine.HandleMethodNotAllowed = true
	engine.RedirectTrailingSlash = false
	engine.RedirectFixedPath = false
	engine.Use(
		assignIDs(),
		logRequests(opts.Logger),
		bound(opts.RequestBudget),
		recoverPanics(errs),
		allowCORS(),
		limitBody(opts.MaxRequestBodyBytes, errs),
		measure(opts.Metrics),
		validateRequests(newOperations(spec), opts.MaxRequestBodyBytes, errs),
		authenticate(opts.Authenticator, errs),
	)
	engine.NoRoute(func(c *gin.Context) {
		errs.write(c, apierror.New(http.StatusNotFound, apierror.CodeResourceNotFound,
			fmt.Sprintf("No route for %s %s.", c.Request.Method, shorten(c.Request.URL.Path))))
	})
	engine.NoMethod(func(c *gin.Context) {
		errs.write(c, apierror.New(http.StatusMethodNotAllowed, apierror.CodeMethodNotAllowed,
			fmt.Sprintf("Method %s is not allowed on %s.", c.Request.Method, shorten(c.Request.URL.Path))))
	})

	strict := generated.NewStrictHandlerWithOptions(&Server{payments: opts.Payments, status: opts.Status, demo: opts.Demo, metrics: opts.Metrics}, nil, generated.StrictGinServerOptions{
		RequestErrorHandlerFunc: func(c *gin.Context, err error) {
			errs.write(c, apierror.Join(http.StatusBadRequest, apierror.InvalidJSONProblem("")).WithCause(err))
		},
		HandlerErrorFunc: errs.write,
		ResponseErrorHandlerFunc: func(c *gin.Context, err error) {
			errs.write(c, apierror.Internal(fmt.Errorf("write response: %w", err)))
		},
	})
	generated.RegisterHandlersWithOptions(engine, strict, generated.GinServerOptions{
		ErrorHandler: func(c *gin.Context, err error, status int) {
			errs.write(c, apierror.New(status, "InvalidInput", "A request parameter is not valid.").WithCause(err))
		},
	})
	return engine, nil
}

// shorten bounds caller-provided text repeated in messages.
func shorten(s string) string { return cut(s, 200) }

// cut keeps the first limit bytes of s, marking what it left out.
func cut(s string, limit int) string {
	if len(s) > limit {
		return s[:limit] + "..."
	}
	return s
}
