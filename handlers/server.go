package handlers

import (
	"bytes"
	"context"

	"github.com/checkout-connect/go-connector/api"
	"github.com/checkout-connect/go-connector/apierror"
	"github.com/checkout-connect/go-connector/generated"
)

// Server implements the contract's operations.
type Server struct{}

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

// CreatePayment is not implemented yet.
func (s *Server) CreatePayment(context.Context, generated.CreatePaymentRequestObject) (generated.CreatePaymentResponseObject, error) {
	return nil, apierror.NotImplemented("createPayment")
}

// HandlePaymentReturn is not implemented yet.
func (s *Server) HandlePaymentReturn(context.Context, generated.HandlePaymentReturnRequestObject) (generated.HandlePaymentReturnResponseObject, error) {
	return nil, apierror.NotImplemented("handlePaymentReturn")
}

// GetStoredPaymentMethods is not implemented yet.
func (s *Server) GetStoredPaymentMethods(context.Context, generated.GetStoredPaymentMethodsRequestObject) (generated.GetStoredPaymentMethodsResponseObject, error) {
	return nil, apierror.NotImplemented("getStoredPaymentMethods")
}

// DeleteStoredPaymentMethod is not implemented yet.
func (s *Server) DeleteStoredPaymentMethod(context.Context, generated.DeleteStoredPaymentMethodRequestObject) (generated.DeleteStoredPaymentMethodResponseObject, error) {
	return nil, apierror.NotImplemented("deleteStoredPaymentMethod")
}

// GetGiftCardBalance is not implemented yet.
func (s *Server) GetGiftCardBalance(context.Context, generated.GetGiftCardBalanceRequestObject) (generated.GetGiftCardBalanceResponseObject, error) {
	return nil, apierror.NotImplemented("getGiftCardBalance")
}

// RedeemGiftCard is not implemented yet.
func (s *Server) RedeemGiftCard(context.Context, generated.RedeemGiftCardRequestObject) (generated.RedeemGiftCardResponseObject, error) {
	return nil, apierror.NotImplemented("redeemGiftCard")
}

// GetConfig is not implemented yet.
func (s *Server) GetConfig(context.Context, generated.GetConfigRequestObject) (generated.GetConfigResponseObject, error) {
	return nil, apierror.NotImplemented("getConfig")
}

// GetStatus is not implemented yet.
func (s *Server) GetStatus(context.Context, generated.GetStatusRequestObject) (generated.GetStatusResponseObject, error) {
	return nil, apierror.NotImplemented("getStatus")
}

// GetPaymentComponents is not implemented yet.
func (s *Server) GetPaymentComponents(context.Context, generated.GetPaymentComponentsRequestObject) (generated.GetPaymentComponentsResponseObject, error) {
	return nil, apierror.NotImplemented("getPaymentComponents")
}

// ModifyPaymentIntent is not implemented yet.
func (s *Server) ModifyPaymentIntent(context.Context, generated.ModifyPaymentIntentRequestObject) (generated.ModifyPaymentIntentResponseObject, error) {
	return nil, apierror.NotImplemented("modifyPaymentIntent")
}

// CreateTransaction is not implemented yet.
func (s *Server) CreateTransaction(context.Context, generated.CreateTransactionRequestObject) (generated.CreateTransactionResponseObject, error) {
	return nil, apierror.NotImplemented("createTransaction")
}

// ReceiveNotification is not implemented yet.
func (s *Server) ReceiveNotification(context.Context, generated.ReceiveNotificationRequestObject) (generated.ReceiveNotificationResponseObject, error) {
	return nil, apierror.NotImplemented("receiveNotification")
}
