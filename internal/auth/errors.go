package auth

import (
	"net/http"

	"github.com/checkout-connect/go-connector/internal/apierror"
)

// Messages of the reference templates.
const (
	msgSessionNotActive = "Session is not active"
	msgInvalidToken     = "The access token is not valid."
)

func sessionNotActive(cause error) *apierror.Error {
	return apierror.Unauthorized(apierror.CodeInvalidToken, msgSessionNotActive).WithCause(cause)
}

func invalidToken(message string, cause error) *apierror.Error {
	return apierror.Unauthorized(apierror.CodeInvalidToken, message).WithCause(cause)
}

// unavailable is the 503 of a dependency that could not be asked (Session API,
// introspection, JWKS): the caller may well be entitled, so it is not a 401.
func unavailable(what string, cause error) *apierror.Error {
	e := apierror.New(http.StatusServiceUnavailable, apierror.CodeServiceUnavailable,
		"Authentication is unavailable: the "+what+" cannot be reached. Try again.")
	return e.WithCause(cause)
}
