package handlers

import (
	"log/slog"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/checkout-connect/go-connector/apierror"
)

// Security scheme names of api/openapi.yaml.
const (
	schemeSessionHeader     = "sessionHeader"
	schemeSessionQueryParam = "sessionQueryParam"
	schemeJWTBearer         = "jwtBearer"
	schemeOAuth2            = "oauth2"
)

// Credentials are what a request presents for its operation's security scheme, before
// they are verified.
type Credentials struct {
	// Scheme is the spec's security scheme name.
	Scheme string
	// Value is the session id or bearer token. It is a secret: never log it.
	Value string
}

// String names the scheme and hides the value.
func (c Credentials) String() string { return c.Scheme + ":REDACTED" }

// LogValue keeps the value out of logs.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

const credentialsContextKey = "credentials"

// CredentialsFrom returns the credentials extracted for the request, if any.
func CredentialsFrom(c *gin.Context) (Credentials, bool) {
	v, ok := c.Get(credentialsContextKey)
	creds, _ := v.(Credentials)
	return creds, ok
}

// Messages of the templates for missing or malformed credentials.
const (
	msgSessionNotActive   = "Session is not active"
	msgAuthHeaderRequired = "This endpoint requires the authorization header."
	msgAuthHeaderFormat   = "Authorization header must have the format 'Bearer <token>'"
)

// extractCredentials takes the credentials that the matched operation's security
// requirements name from the request and refuses, with the templates' 401, requests that
// present none. Operations whose requirements include the empty one accept anonymous
// requests.
func extractCredentials(errs errorWriter) gin.HandlerFunc {
	return func(c *gin.Context) {
		op := currentOperation(c)
		if op == nil || len(op.security) == 0 {
			c.Next()
			return
		}
		var firstErr *apierror.Error
		for _, requirement := range op.security {
			if len(requirement) == 0 {
				firstErr = nil
				break
			}
			for scheme := range requirement {
				creds, err := credentialsFor(c, scheme)
				if err == nil {
					c.Set(credentialsContextKey, creds)
					c.Next()
					return
				}
				if firstErr == nil {
					firstErr = err
				}
			}
		}
		if firstErr != nil {
			errs.write(c, firstErr)
			return
		}
		c.Next()
	}
}

// credentialsFor reads the credentials of one scheme.
func credentialsFor(c *gin.Context, scheme string) (Credentials, *apierror.Error) {
	switch scheme {
	case schemeSessionHeader:
		if id := strings.TrimSpace(c.GetHeader("x-session-id")); id != "" {
			return Credentials{Scheme: scheme, Value: id}, nil
		}
		return Credentials{}, apierror.Unauthorized(apierror.CodeInvalidToken, msgSessionNotActive)
	case schemeSessionQueryParam:
		if id := strings.TrimSpace(c.Query("ctsid")); id != "" {
			return Credentials{Scheme: scheme, Value: id}, nil
		}
		return Credentials{}, apierror.Unauthorized(apierror.CodeInvalidToken, msgSessionNotActive)
	case schemeJWTBearer, schemeOAuth2:
		header := c.GetHeader("Authorization")
		if header == "" {
			return Credentials{}, apierror.Unauthorized(apierror.CodeAccessDenied, msgAuthHeaderRequired)
		}
		kind, token, ok := strings.Cut(header, " ")
		if !ok || kind != "Bearer" || token == "" || strings.Contains(token, " ") {
			return Credentials{}, apierror.Unauthorized(apierror.CodeInvalidRequest, msgAuthHeaderFormat)
		}
		return Credentials{Scheme: scheme, Value: token}, nil
	default:
		return Credentials{}, apierror.Unauthorized(apierror.CodeAccessDenied, "Unsupported security scheme.")
	}
}
