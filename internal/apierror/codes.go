package apierror

import (
	"fmt"
	"net/http"
)

// Error codes used by the processor. Those shared with commercetools keep its spelling.
const (
	CodeRequiredField      = "RequiredField"
	CodeInvalidField       = "InvalidField"
	CodeInvalidJSONInput   = "InvalidJsonInput"
	CodeInvalidOperation   = "InvalidOperation"
	CodeResourceNotFound   = "ResourceNotFound"
	CodeMethodNotAllowed   = "MethodNotAllowed"
	CodePayloadTooLarge    = "PayloadTooLarge"
	CodeNotImplemented     = "NotImplemented"
	CodeServiceUnavailable = "ServiceUnavailable"
	CodeGeneral            = "General"
)

// OAuth 2.0 error codes (RFC 6750), used by authentication errors as the templates do.
const (
	CodeInvalidToken      = "invalid_token"
	CodeInvalidRequest    = "invalid_request"
	CodeAccessDenied      = "access_denied"
	CodeInsufficientScope = "insufficient_scope"
)

// MessageInvalidJSON is the message of every InvalidJsonInput problem.
const MessageInvalidJSON = "Request body does not contain valid JSON."

// RequiredFieldProblem reports a missing value at the given path.
func RequiredFieldProblem(field string) Problem {
	return Problem{
		Code:    CodeRequiredField,
		Message: fmt.Sprintf("A value is required for field %s.", field),
		Field:   field,
	}
}

// InvalidFieldProblem reports a value that is present but not acceptable. value may be nil
// where repeating it is pointless (an object, a list); allowed may be nil.
func InvalidFieldProblem(field string, value, allowed any) Problem {
	message := fmt.Sprintf("The value of field %s is not valid.", field)
	if value != nil {
		message = fmt.Sprintf("The value %s is not valid for field %s.", describe(value), field)
	}
	return Problem{
		Code:          CodeInvalidField,
		Message:       message,
		Field:         field,
		InvalidValue:  value,
		AllowedValues: allowed,
	}
}

// InvalidJSONProblem reports a body that cannot be read as the expected JSON; detail says why.
func InvalidJSONProblem(detail string) Problem {
	p := Problem{Code: CodeInvalidJSONInput, Message: MessageInvalidJSON}
	if detail != "" {
		p.Extra = map[string]any{"detailedErrorMessage": detail}
	}
	return p
}

// RequiredField is a 400 for one missing value.
func RequiredField(field string) *Error {
	return Join(http.StatusBadRequest, RequiredFieldProblem(field))
}

// InvalidField is a 400 for one unacceptable value.
func InvalidField(field string, value, allowed any) *Error {
	return Join(http.StatusBadRequest, InvalidFieldProblem(field, value, allowed))
}

// InvalidOperation is a 400 for a request that is well-formed but cannot be carried out.
func InvalidOperation(message string) *Error {
	return New(http.StatusBadRequest, CodeInvalidOperation, message)
}

// NotFound is a 404 for a resource id, in commercetools' wording.
func NotFound(id string) *Error {
	return New(http.StatusNotFound, CodeResourceNotFound, fmt.Sprintf("The Resource with ID %s was not found.", id))
}

// NotImplemented is a 501 for an operation this build does not provide yet.
func NotImplemented(operation string) *Error {
	return New(http.StatusNotImplemented, CodeNotImplemented, fmt.Sprintf("The operation %s is not implemented yet.", operation))
}

// Internal is the 500 every unexpected error becomes. The cause is logged, never sent.
func Internal(cause error) *Error {
	return New(http.StatusInternalServerError, CodeGeneral, "Internal server error.").WithCause(cause)
}

// Unauthorized is a 401 in the OAuth 2.0 shape.
func Unauthorized(code, message string) *Error {
	e := New(http.StatusUnauthorized, code, message)
	e.OAuth = true
	return e
}

// maxDescribed bounds how much of a rejected value a message repeats.
const maxDescribed = 64

// describe renders a rejected value for a message, shortened.
func describe(value any) string {
	var s string
	switch v := value.(type) {
	case string:
		s = fmt.Sprintf("%q", v)
	default:
		s = fmt.Sprintf("%v", v)
	}
	if r := []rune(s); len(r) > maxDescribed {
		s = string(r[:maxDescribed]) + "..."
	}
	return s
}
