package auth

import (
	"errors"
	"net/http"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/checkout-connect/go-connector/commercetools"
)

// Config configures an Authenticator.
type Config struct {
	// ProjectKey is the project whose callers are accepted.
	ProjectKey string
	// Commercetools reads sessions and introspects tokens.
	Commercetools *commercetools.Client
	// JWKSURL and JWTIssuer identify the Merchant Center's JWTs.
	JWKSURL   string
	JWTIssuer string

	// SessionCacheTTL is how long a verified session is trusted without asking again;
	// 10 s when zero, never when negative.
	SessionCacheTTL time.Duration
	// TokenCacheTTL bounds how long an introspection answer is trusted; 60 s when zero.
	TokenCacheTTL time.Duration
	// JWTLeeway is the clock skew allowed on exp and nbf; 30 s when zero.
	JWTLeeway time.Duration
	// JWKSRefreshInterval is the least time between two JWKS fetches for unknown kids;
	// 10 s when zero.
	JWKSRefreshInterval time.Duration
	// Transport carries JWKS requests; http.DefaultTransport when nil.
	Transport http.RoundTripper
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Authenticator verifies the three kinds of Checkout credentials. It is safe for
// concurrent use; its caches are per process.
type Authenticator struct {
	cfg      Config
	sessions *cache[*Session]
	tokens   *cache[*Client]
	keys     *keySet
}

// maxCached bounds each cache.
const maxCached = 10_000

// New returns an Authenticator for cfg.
func New(cfg Config) (*Authenticator, error) {
	if cfg.ProjectKey == "" || cfg.Commercetools == nil || cfg.JWKSURL == "" || cfg.JWTIssuer == "" {
		return nil, errors.New("auth: the project key, a commercetools client, the JWKS URL and the JWT issuer are required")
	}
	if cfg.SessionCacheTTL == 0 {
		cfg.SessionCacheTTL = 10 * time.Second
	}
	if cfg.TokenCacheTTL == 0 {
		cfg.TokenCacheTTL = time.Minute
	}
	if cfg.JWTLeeway == 0 {
		cfg.JWTLeeway = 30 * time.Second
	}
	if cfg.JWKSRefreshInterval == 0 {
		cfg.JWKSRefreshInterval = 10 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := resty.New().SetTimeout(10 * time.Second).SetDisableWarn(true)
	if cfg.Transport != nil {
		h.SetTransport(cfg.Transport)
	}
	return &Authenticator{
		cfg:      cfg,
		sessions: newCache[*Session](maxCached),
		tokens:   newCache[*Client](maxCached),
		keys: &keySet{url: cfg.JWKSURL, http: h, now: cfg.Now, maxAge: time.Hour,
			minInterval: cfg.JWKSRefreshInterval, failureInterval: time.Second},
	}, nil
}
