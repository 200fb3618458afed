package handlers

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/checkout-connect/go-connector/api"
	"github.com/checkout-connect/go-connector/generated"
	"github.com/checkout-connect/go-connector/internal/apierror"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/internal/metrics"
	"github.com/checkout-connect/go-connector/payments"
)

// Server implements the contract's operations by calling the core flows.
type Server struct {
	payments *payments.Service
	status   StatusOptions
	demo     Demo
	metrics  *metrics.Metrics
}

// GetMetrics serves the metrics in Prometheus' text format.
func (s *Server) GetMetrics(context.Context, generated.GetMetricsRequestObject) (generated.GetMetricsResponseObject, error) {
	text, err := s.metrics.Text()
	if err != nil {
		return nil, err
	}
	return generated.GetMetrics200TextResponse(text), nil
}

// StatusOptions configure the deep status.
type StatusOptions struct {
	// Version is the processor's version, reported by the status.
	Version string
	// Timeout bounds the checks.
	Timeout time.Duration
}

var _ generated.StrictServerInterface = (*Server)(nil)

// GetHealth answers while the process serves requests.
func (s *Server) GetHealth(context.Context, generated.GetHealthRequestObject) (generated.GetHealthResponseObject, error) {
	return generated.GetHealth200JSONResponse{Status: generated.HealthResponseStatusUP}, nil
}

// GetOpenAPISpec serves the contract this binary was built from.
func (s *Server) GetOpenAPISpec(context.Context, generated.GetOpenAPISpecRequestObject) (generated.GetOpenAPISpecResponseObject, error) {
	return generated.GetOpenAPISpec200ApplicationyamlResponse{
		Body:          bytes.NewReader(api.Spec),
		ContentLength: int64(len(api.Spec)),
	}, nil
}

// HandlePaymentReturn settles an offsite payment the shopper comes back from and sends the
// browser on to the merchant.
func (s *Server) HandlePaymentReturn(ctx context.Context, req generated.HandlePaymentReturnRequestObject) (generated.HandlePaymentReturnResponseObject, error) {
	var query url.Values
	if c, ok := ctx.(*gin.Context); ok {
		query = c.Request.URL.Query()
	}
	r, err := s.payments.HandleReturn(ctx, auth.SessionFrom(ctx), req.Params.PaymentReference, query)
	if err != nil {
		return nil, err
	}
	return generated.HandlePaymentReturn303Response{Headers: generated.HandlePaymentReturn303ResponseHeaders{Location: &r.Location}}, nil
}

// ReceiveNotification records a PSP webhook: the body is read as received and handed, with
// the headers, to the PSP's verifier before anything else.
func (s *Server) ReceiveNotification(ctx context.Context, req generated.ReceiveNotificationRequestObject) (generated.ReceiveNotificationResponseObject, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, payloadTooLarge(tooLarge.Limit)
		}
		return nil, apierror.Join(http.StatusBadRequest, apierror.InvalidJSONProblem("The request body could not be read.")).WithCause(err)
	}
	if _, err := s.payments.HandleNotification(ctx, requestHeader(ctx), body); err != nil {
		return nil, err
	}
	return generated.ReceiveNotification200JSONResponse{Received: true}, nil
}

// requestHeader returns the headers of the request ctx belongs to.
func requestHeader(ctx context.Context) http.Header {
	if c, ok := ctx.(*gin.Context); ok {
		return c.Request.Header
	}
	return http.Header{}
}
