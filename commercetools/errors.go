package commercetools

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// ErrUnavailable marks failures to reach commercetools at all: network errors, timeouts and
// 5xx answers that persisted through the retries. Callers answer 503 for it.
var ErrUnavailable = errors.New("commercetools is unavailable")

// Error codes commercetools answers with that the processor acts on.
const (
	CodeResourceNotFound = "ResourceNotFound"
	CodeDuplicateField   = "DuplicateField"
	CodeInvalidOperation = "InvalidOperation"
	CodeInvalidClient    = "invalid_client"
)

// Error is an error answer of commercetools, decoded from its error body.
type Error struct {
	// StatusCode is the HTTP status.
	StatusCode int `json:"statusCode"`
	// Message is commercetools' message.
	Message string `json:"message"`
	// Errors are the individual problems.
	Errors []ErrorObject `json:"errors"`
	// Request names the call, for logs.
	Request string `json:"-"`
}

// ErrorObject is one problem of an Error.
type ErrorObject struct {
	Code           string `json:"code"`
	Message        string `json:"message"`
	CurrentVersion int64  `json:"currentVersion,omitempty"`
	Field          string `json:"field,omitempty"`
	DuplicateValue any    `json:"duplicateValue,omitempty"`
}

// Error describes the failed call.
func (e *Error) Error() string {
	return fmt.Sprintf("commercetools: %s: %d %s: %s", e.Request, e.StatusCode, e.Code(), e.Message)
}

// Code is the first problem's code, or "" when the body named none.
func (e *Error) Code() string {
	if len(e.Errors) == 0 {
		return ""
	}
	return e.Errors[0].Code
}

// CurrentVersion is the version a ConcurrentModification error reports, or 0.
func (e *Error) CurrentVersion() int64 {
	for _, o := range e.Errors {
		if o.CurrentVersion != 0 {
			return o.CurrentVersion
		}
	}
	return 0
}

// decodeError builds an Error from an error answer. Bodies that are not commercetools'
// JSON (a proxy's HTML page, say) keep the status and a generic message.
func decodeError(request string, status int, body []byte) *Error {
	e := &Error{StatusCode: status, Request: request}
	if err := json.Unmarshal(body, e); err != nil || e.Message == "" {
		var oauth struct {
			Error            string `json:"error"`
			ErrorDescription string `json:"error_description"`
		}
		if json.Unmarshal(body, &oauth) == nil && oauth.Error != "" {
			e.Errors = []ErrorObject{{Code: oauth.Error, Message: oauth.ErrorDescription}}
			e.Message = oauth.ErrorDescription
		} else {
			e.Errors = nil
			e.Message = "unexpected non-JSON error response: " + http.StatusText(status)
		}
	}
	e.StatusCode = status
	return e
}

// IsNotFound reports whether err is a commercetools 404.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == http.StatusNotFound
}

// IsConcurrentModification reports whether err is a commercetools 409 version conflict.
func IsConcurrentModification(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == http.StatusConflict
}

// IsDuplicateField reports whether err says a unique field (such as a key) is taken.
func IsDuplicateField(err error) bool { return HasCode(err, CodeDuplicateField) }

// HasCode reports whether err is a commercetools error whose first problem has code.
func HasCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code() == code
}
