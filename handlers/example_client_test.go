package handlers_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/checkout-connect/go-connector/generated/client"
)

// A storefront backend calls the processor through the client generated from the
// contract. Here it reads the processor's health; every operation has a typed method the
// same way (CreatePaymentWithResponse, GetGiftCardBalanceWithResponse, ...).
func Example_generatedClient() {
	srv := httptest.NewServer(exampleEngine())
	defer srv.Close()

	processor, err := client.NewClientWithResponses(srv.URL)
	if err != nil {
		panic(err)
	}
	health, err := processor.GetHealthWithResponse(context.Background())
	if err != nil {
		panic(err)
	}
	fmt.Println(health.StatusCode(), health.JSON200.Status)
	// Output: 200 UP
}
