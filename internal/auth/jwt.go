package auth

import (
	"context"
	"errors"

	"github.com/golang-jwt/jwt/v5"
)

// Merchant verifies a Merchant Center JWT: RS256 only (no "none", no HMAC, so a public
// key cannot be used as a shared secret), signed by a key of CTP_JWKS_URL found by kid,
// issued by CTP_JWT_ISSUER for this project ({issuer}/claims/project_key), within its
// exp and nbf give or take JWTLeeway.
func (a *Authenticator) Merchant(ctx context.Context, token string) (*Merchant, error) {
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, errUnknownKey
		}
		return a.keys.key(ctx, kid)
	},
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithIssuer(a.cfg.JWTIssuer),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(a.cfg.JWTLeeway),
		jwt.WithTimeFunc(a.cfg.Now),
	)
	switch {
	case errors.Is(err, errJWKSUnavailable):
		return nil, unavailable("Merchant Center key set (JWKS)", err)
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return nil, invalidToken("Issuer in the token does not match the expected issuer.", err)
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, invalidToken("The token has expired.", err)
	case err != nil:
		return nil, invalidToken("The token is not valid.", err)
	}
	if project, _ := claims[a.cfg.JWTIssuer+"/claims/project_key"].(string); project != a.cfg.ProjectKey {
		return nil, invalidToken("Project key does not match.", errors.New("jwt: project key claim"))
	}
	sub, _ := claims["sub"].(string)
	return &Merchant{Subject: sub}, nil
}
