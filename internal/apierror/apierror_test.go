package apierror

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestConstructorsUseTheSDKWording(t *testing.T) {
	cases := []struct {
		err     *Error
		status  int
		code    string
		message string
	}{
		{RequiredField("paymentMethod.type"), 400, "RequiredField", "A value is required for field paymentMethod.type."},
		{InvalidField("currency", "USD", []string{"EUR"}), 400, "InvalidField", `The value "USD" is not valid for field currency.`},
		{InvalidField("amount.centAmount", int64(12), nil), 400, "InvalidField", "The value 12 is not valid for field amount.centAmount."},
		{InvalidField("actions", nil, nil), 400, "InvalidField", "The value of field actions is not valid."},
		{InvalidOperation("The cart has already been paid in full"), 400, "InvalidOperation", "The cart has already been paid in full"},
		{NotFound("pay-1"), 404, "ResourceNotFound", "The Resource with ID pay-1 was not found."},
		{NotImplemented("createPayment"), 501, "NotImplemented", "The operation createPayment is not implemented yet."},
		{Internal(errors.New("db down")), 500, "General", "Internal server error."},
		{Unauthorized("invalid_token", "Session is not active"), 401, "invalid_token", "Session is not active"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.status, tc.err.Status, tc.message)
		assert.Equal(t, tc.code, tc.err.First().Code)
		assert.Equal(t, tc.message, tc.err.First().Message)
	}
	assert.True(t, Unauthorized("x", "y").OAuth)
	assert.False(t, NotFound("x").OAuth)
}

func TestCauseIsKeptForLogsAndErrorsAs(t *testing.T) {
	cause := errors.New("connection refused")
	err := fmt.Errorf("create payment: %w", Internal(cause))

	var apiErr *Error
	assert.True(t, errors.As(err, &apiErr))
	assert.ErrorIs(t, err, cause)
	assert.Contains(t, apiErr.Error(), "connection refused")
	assert.Equal(t, "Internal server error.", apiErr.First().Message, "the cause stays out of the message")
}

func TestLongValuesAreShortenedInMessages(t *testing.T) {
	p := InvalidFieldProblem("code", strings.Repeat("é", 500), nil)
	assert.Less(t, len([]rune(p.Message)), 120)
	assert.True(t, strings.HasSuffix(p.Message, `... is not valid for field code.`))
}

func TestFirstOfAnEmptyErrorStillNamesTheStatus(t *testing.T) {
	e := &Error{Status: http.StatusBadGateway}
	assert.Equal(t, "General", e.First().Code)
	assert.Equal(t, "Bad Gateway", e.First().Message)
}
