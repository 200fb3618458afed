package handlers

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"github.com/checkout-connect/go-connector/internal/apierror"
	"github.com/checkout-connect/go-connector/internal/auth"
	"github.com/checkout-connect/go-connector/internal/correlation"
)

// Authenticator verifies the credentials of the contract's security schemes.
type Authenticator interface {
	Session(ctx context.Context, id string) (*auth.Session, error)
	FreshSession(ctx context.Context, id string) (*auth.Session, error)
	Merchant(ctx context.Context, token string) (*auth.Merchant, error)
	Client(ctx context.Context, token string) (*auth.Client, error)
}

// Security scheme names of api/openapi.yaml.
const (
	schemeSessionHeader     = "sessionHeader"
	schemeSessionQueryParam = "sessionQueryParam"
	schemeJWTBearer         = "jwtBearer"
	schemeOAuth2            = "oauth2"
)

// credentials are what a request presents for a security scheme. value is a secret.
type credentials struct {
	scheme string
	value  string
}

// Messages of the templates for missing or malformed credentials.
const (
	msgSessionNotActive   = "Session is not active"
	msgAuthHeaderRequired = "This endpoint requires the authorization header."
	msgAuthHeaderFormat   = "Authorization header must have the format 'Bearer <token>'"
	msgNotAuthorized      = "Not authorized"
)

// authenticate checks that a request presents what its operation's security requirements
// ask for, verifies it, and puts the principal into the request context. Operations whose
// requirements include the empty one also take requests without usable credentials.
// Missing credentials are refused before any call to commercetools.
func authenticate(authn Authenticator, errs errorWriter) gin.HandlerFunc {
	return func(c *gin.Context) {
		op := currentOperation(c)
		if op == nil || len(op.security) == 0 {
			c.Next()
			return
		}
		optional := slices.ContainsFunc(op.security, func(r openapi3.SecurityRequirement) bool { return len(r) == 0 })
		creds, apiErr := presented(c, op.security)
		if apiErr != nil {
			if optional {
				c.Next()
				return
			}
			errs.write(c, apiErr)
			return
		}
		ctx, err := verify(c.Request.Context(), authn, creds, op)
		if err != nil {
			var ae *apierror.Error
			if optional && errors.As(err, &ae) && ae.Status == http.StatusUnauthorized {
				c.Next()
				return
			}
			errs.write(c, err)
			return
		}
		if s := auth.SessionFrom(ctx); s != nil && correlation.Usable(s.CorrelationID) {
			// Checkout's correlation id for the session ties the processor's calls to its own.
			ids := correlation.From(ctx)
			ids.CorrelationID = s.CorrelationID
			ctx = correlation.With(ctx, ids)
			c.Header(correlation.CorrelationIDHeader, ids.CorrelationID)
		}
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// presented returns the credentials of the first scheme of the requirements that the
// request presents, or the error of the first requirement's scheme.
func presented(c *gin.Context, requirements openapi3.SecurityRequirements) (credentials, *apierror.Error) {
	var firstErr *apierror.Error
	for _, requirement := range requirements {
		for _, scheme := range sortedSchemes(requirement) {
			creds, err := read(c, scheme)
			if err == nil {
				return creds, nil
			}
			if firstErr == nil {
				firstErr = err
			}
		}
	}
	if firstErr == nil {
		firstErr = apierror.Unauthorized(apierror.CodeAccessDenied, msgAuthHeaderRequired)
	}
	return credentials{}, firstErr
}

func sortedSchemes(r openapi3.SecurityRequirement) []string {
	names := make([]string, 0, len(r))
	for name := range r {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// read takes the credentials of one scheme from the request.
func read(c *gin.Context, scheme string) (credentials, *apierror.Error) {
	switch scheme {
	case schemeSessionHeader:
		if id := strings.TrimSpace(c.GetHeader("x-session-id")); id != "" {
			return credentials{scheme: scheme, value: id}, nil
		}
		return credentials{}, apierror.Unauthorized(apierror.CodeInvalidToken, msgSessionNotActive)
	case schemeSessionQueryParam:
		if id := strings.TrimSpace(c.Query("ctsid")); id != "" {
			return credentials{scheme: scheme, value: id}, nil
		}
		return credentials{}, apierror.Unauthorized(apierror.CodeInvalidToken, msgSessionNotActive)
	case schemeJWTBearer, schemeOAuth2:
		header := c.GetHeader("Authorization")
		if header == "" {
			return credentials{}, apierror.Unauthorized(apierror.CodeAccessDenied, msgAuthHeaderRequired)
		}
		kind, token, ok := strings.Cut(header, " ")
		if !ok || kind != "Bearer" || token == "" || strings.Contains(token, " ") {
			return credentials{}, apierror.Unauthorized(apierror.CodeInvalidRequest, msgAuthHeaderFormat)
		}
		return credentials{scheme: scheme, value: token}, nil
	default:
		return credentials{}, apierror.Unauthorized(apierror.CodeAccessDenied, "Unsupported security scheme.")
	}
}

// verify checks the credentials and, for OAuth2, that the token holds every scope of at
// least one of the requirements naming the scheme. It returns ctx with the principal.
func verify(ctx context.Context, authn Authenticator, creds credentials, op *operation) (context.Context, error) {
	requirements := op.security
	switch creds.scheme {
	case schemeSessionHeader, schemeSessionQueryParam:
		sessionOf := authn.Session
		if op.freshSession {
			sessionOf = authn.FreshSession
		}
		s, err := sessionOf(ctx, creds.value)
		if err != nil {
			return ctx, err
		}
		return auth.WithSession(ctx, s), nil
	case schemeJWTBearer:
		m, err := authn.Merchant(ctx, creds.value)
		if err != nil {
			return ctx, err
		}
		return auth.WithMerchant(ctx, m), nil
	default:
		client, err := authn.Client(ctx, creds.value)
		if err != nil {
			return ctx, err
		}
		var valid []string
		for _, requirement := range requirements {
			scopes, ok := requirement[creds.scheme]
			if !ok {
				continue
			}
			if hasAll(client, scopes) {
				return auth.WithClient(ctx, client), nil
			}
			valid = append(valid, scopes...)
		}
		e := apierror.New(http.StatusForbidden, apierror.CodeInsufficientScope, msgNotAuthorized)
		e.OAuth = true
		e.Problems[0].Extra = map[string]any{"validAuthorities": valid}
		return ctx, e
	}
}

func hasAll(client *auth.Client, scopes []string) bool {
	for _, s := range scopes {
		if !client.HasAnyScope(s) {
			return false
		}
	}
	return true
}
