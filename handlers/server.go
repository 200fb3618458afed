package handlers

import (
	"bytes"
	"context"
	"time"

	"github.com/checkout-connect/go-connector/api"
	"github.com/checkout-connect/go-connector/generated"
	"github.com/checkout-connect/go-connector/internal/apierror"
	"github.com/checkout-connect/go-connector/payments"
)

// Server implements the contract's operations by calling the core flows.
type Server struct {
	payments *payments.Service
	status   StatusOptions
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

// HandlePaymentReturn is not implemented yet.
func (s *Server) HandlePaymentReturn(context.Context, generated.HandlePaymentReturnRequestObject) (generated.HandlePaymentReturnResponseObject, error) {
	return nil, apierror.NotImplemented("handlePaymentReturn")
}

// ReceiveNotification is not implemented yet.
func (s *Server) ReceiveNotification(context.Context, generated.ReceiveNotificationRequestObject) (generated.ReceiveNotificationResponseObject, error) {
	return nil, apierror.NotImplemented("receiveNotification")
}
