// Package apierror is the processor's error model: the commercetools error body
// {message, statusCode, errors:[{code, message, ...}]} as a Go error.
//
// Core code returns *Error for outcomes the client must see (a missing field, an unknown
// resource, a refused operation); any other error is unexpected and reaches the client as a
// bare 500 whose details stay in the logs.
package apierror

import (
	"fmt"
	"net/http"
)

// Problem is one entry of the body's errors list.
type Problem struct {
	// Code is a commercetools error code (RequiredField, InvalidField, ...) or an OAuth 2.0
	// error code (invalid_token, insufficient_scope, ...).
	Code string
	// Message is safe to show to the caller.
	Message string
	// Field is the path of the offending property, for RequiredField and InvalidField.
	Field string
	// InvalidValue is the rejected value, for InvalidField.
	InvalidValue any
	// AllowedValues describes what would have been accepted, for InvalidField.
	AllowedValues any
	// Extra holds further fields of the entry (detailedErrorMessage, validAuthorities, ...).
	Extra map[string]any
}

// Error is an error the client must see, with its HTTP status.
type Error struct {
	// Status is the HTTP status code.
	Status int
	// Problems lists what went wrong; the first one names the whole error.
	Problems []Problem
	// OAuth marks authentication and authorization errors, whose body repeats the first
	// problem as error and error_description.
	OAuth bool
	// Cause is the underlying error, for logs only; it is never sent.
	Cause error
	// GiftCardState, when set, adds the gift-card template's status object
	// ({state, errors:[{code, message}]}) to the body.
	GiftCardState string
}

// Error returns the first problem's code and message, with the cause when there is one.
func (e *Error) Error() string {
	first := e.First()
	msg := fmt.Sprintf("%d %s: %s", e.Status, first.Code, first.Message)
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Cause }

// First returns the problem that names the error.
func (e *Error) First() Problem {
	if len(e.Problems) == 0 {
		return Problem{Code: CodeGeneral, Message: http.StatusText(e.Status)}
	}
	return e.Problems[0]
}

// WithCause records the underlying error for the logs and returns e.
func (e *Error) WithCause(cause error) *Error {
	e.Cause = cause
	return e
}

// New returns an error with a single problem.
func New(status int, code, message string) *Error {
	return &Error{Status: status, Problems: []Problem{{Code: code, Message: message}}}
}

// Join returns one error listing every problem, with the given status.
func Join(status int, problems ...Problem) *Error {
	return &Error{Status: status, Problems: problems}
}
