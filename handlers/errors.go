package handlers

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/generated"
	"github.com/checkout-connect/go-connector/internal/apierror"
	"github.com/checkout-connect/go-connector/payments"
	"github.com/checkout-connect/go-connector/providers"
)

// errorWriter is the one place that turns an error into an HTTP response. Every error path
// (validation, parameter binding, strict request and response errors, handlers, panics,
// unknown routes) ends here, so every error body has the same shape.
type errorWriter struct {
	log *slog.Logger
}

// write answers the request with err. An *apierror.Error is sent as it is; anything else is
// logged and becomes a 500 that tells nothing about the cause. Once the response has
// started (a panic or a failed write midway), err is only logged: a second body would
// corrupt the first.
func (w errorWriter) write(c *gin.Context, err error) {
	if c.Writer.Written() {
		w.log.ErrorContext(c.Request.Context(), "failed after the response started", slog.String("error", bounded(err.Error())))
		c.Abort()
		return
	}
	var apiErr *apierror.Error
	var flowErr *payments.Error
	switch {
	case errors.As(err, &flowErr):
		apiErr = flowError(flowErr)
		if flowErr.RetryAfter > 0 {
			c.Header("Retry-After", strconv.Itoa(int(math.Ceil(flowErr.RetryAfter.Seconds()))))
		}
	case errors.As(err, &apiErr):
	case errors.Is(err, commercetools.ErrUnavailable):
		apiErr = unavailableError(err)
	default:
		apiErr = apierror.Internal(err)
	}
	ctx := c.Request.Context()
	if apiErr.Status >= http.StatusInternalServerError {
		w.log.ErrorContext(ctx, "request failed", slog.Int("status", apiErr.Status), slog.String("error", bounded(err.Error())))
	} else {
		w.log.DebugContext(ctx, "request refused", refusal(apiErr)...)
	}
	c.Header("Cache-Control", "no-store")
	if apiErr.GiftCardState != "" {
		c.AbortWithStatusJSON(apiErr.Status, giftCardErrorBody(apiErr))
		return
	}
	c.AbortWithStatusJSON(apiErr.Status, errorBody(apiErr))
}

// flowStatus is the HTTP status of each kind of flow error.
var flowStatus = map[payments.Kind]int{
	payments.KindInvalid:             http.StatusBadRequest,
	payments.KindNotFound:            http.StatusNotFound,
	payments.KindInProgress:          http.StatusConflict,
	payments.KindKeyReused:           http.StatusUnprocessableEntity,
	payments.KindOutcomePending:      http.StatusServiceUnavailable,
	payments.KindUnavailable:         http.StatusServiceUnavailable,
	payments.KindProviderUnavailable: http.StatusBadGateway,
	payments.KindGiftCardRefused:     http.StatusBadRequest,
	payments.KindUnauthorized:        http.StatusUnauthorized,
}

// flowError renders an error of the payment flows in the contract's terms.
func flowError(e *payments.Error) *apierror.Error {
	status, ok := flowStatus[e.Kind]
	if !ok {
		return apierror.Internal(e)
	}
	switch {
	case e.Kind == payments.KindOutcomePending && e.ProviderFault:
		status = http.StatusBadGateway
	case e.Kind == payments.KindGiftCardRefused && e.GiftCardState == providers.GiftCardNotFound:
		status = http.StatusNotFound
	}
	p := apierror.Problem{Code: e.Code, Message: e.Message, Field: e.Field, InvalidValue: e.Value, AllowedValues: e.Allowed, Extra: e.Extra}
	if e.Code == payments.CodeRequiredField {
		p = apierror.RequiredFieldProblem(e.Field)
	} else if e.Code == payments.CodeInvalidField {
		p = apierror.InvalidFieldProblem(e.Field, e.Value, e.Allowed)
		p.Extra = e.Extra
	}
	out := apierror.Join(status, p).WithCause(e.Cause)
	out.GiftCardState = e.GiftCardState
	return out
}

// maxLogged bounds the text of an error in a log line.
const maxLogged = 1024

// bounded cuts s to maxLogged bytes.
func bounded(s string) string { return cut(s, maxLogged) }

// refusal describes a refused request for the log in a bounded line: its status, the
// codes and fields of its problems, and the cause's text cut short. The request's values
// never appear: validation errors carry no cause.
func refusal(e *apierror.Error) []any {
	codes := make([]string, 0, min(len(e.Problems), 5))
	fields := make([]string, 0, min(len(e.Problems), 5))
	for i, p := range e.Problems {
		if i == 5 {
			break
		}
		codes = append(codes, p.Code)
		if p.Field != "" {
			fields = append(fields, shorten(p.Field))
		}
	}
	attrs := []any{slog.Int("status", e.Status), slog.Any("codes", codes), slog.Int("problems", len(e.Problems))}
	if len(fields) > 0 {
		attrs = append(attrs, slog.Any("fields", fields))
	}
	if e.Cause != nil {
		attrs = append(attrs, slog.String("cause", bounded(e.Cause.Error())))
	}
	return attrs
}

// giftCardErrorBody adds to the common shape the gift-card template's status object, which
// its enablers read.
func giftCardErrorBody(e *apierror.Error) generated.GiftCardError {
	b := errorBody(e)
	first := e.First()
	return generated.GiftCardError{
		Message: b.Message, StatusCode: b.StatusCode, Errors: b.Errors,
		Status: &generated.GiftCardStatus{
			State:  generated.GiftCardState(e.GiftCardState),
			Errors: &[]generated.GiftCardStatusError{{Code: first.Code, Message: first.Message}},
		},
	}
}

// errorBody renders e in the contract's Error schema.
func errorBody(e *apierror.Error) generated.Error {
	first := e.First()
	body := generated.Error{
		Message:    first.Message,
		StatusCode: e.Status,
		Errors:     make([]generated.ErrorObject, 0, len(e.Problems)),
	}
	problems := e.Problems
	if len(problems) == 0 {
		problems = []apierror.Problem{first}
	}
	for _, p := range problems {
		body.Errors = append(body.Errors, errorObject(p))
	}
	if e.OAuth {
		body.Error = &first.Code
		body.ErrorDescription = &first.Message
	}
	return body
}

func errorObject(p apierror.Problem) generated.ErrorObject {
	o := generated.ErrorObject{Code: p.Code, Message: p.Message}
	if p.Field != "" {
		o.Field = &p.Field
	}
	if p.InvalidValue != nil {
		o.Set("invalidValue", p.InvalidValue)
	}
	if p.AllowedValues != nil {
		o.Set("allowedValues", p.AllowedValues)
	}
	for k, v := range p.Extra {
		o.Set(k, v)
	}
	return o
}
