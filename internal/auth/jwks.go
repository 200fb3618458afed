package auth

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"
)

// errJWKSUnavailable marks a key that could not be looked up because the JWKS could not
// be fetched.
var errJWKSUnavailable = errors.New("the JWKS cannot be fetched")

// errUnknownKey marks a kid the JWKS does not publish.
var errUnknownKey = errors.New("no key with this kid")

// keySet caches the RSA signing keys of a JWKS URL. Keys are refetched when older than
// maxAge, and when a token names an unknown kid, at most once per minInterval so that
// tokens with made-up kids cannot turn the processor against the JWKS host. After a
// failed fetch the next try may come after failureInterval.
type keySet struct {
	url             string
	http            *resty.Client
	now             func() time.Time
	maxAge          time.Duration
	minInterval     time.Duration
	failureInterval time.Duration

	fetching sync.Mutex // one fetch at a time

	mu          sync.Mutex // guards the fields below
	keys        map[string]*rsa.PublicKey
	fetched     time.Time
	lastAttempt time.Time
	lastErr     error
}

// cachedKey returns the key for kid and whether it is fresh.
func (ks *keySet) cachedKey(kid string) (*rsa.PublicKey, bool) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	key, ok := ks.keys[kid]
	return key, ok && ks.now().Sub(ks.fetched) < ks.maxAge
}

// key returns the key for kid, fetching the JWKS when needed and allowed.
func (ks *keySet) key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	if key, fresh := ks.cachedKey(kid); fresh {
		return key, nil
	}
	ks.fetching.Lock()
	defer ks.fetching.Unlock()
	if key, fresh := ks.cachedKey(kid); fresh { // fetched by another caller meanwhile
		return key, nil
	}
	ks.mu.Lock()
	wait := ks.minInterval
	if ks.lastErr != nil {
		wait = ks.failureInterval
	}
	mayFetch := ks.lastAttempt.IsZero() || ks.now().Sub(ks.lastAttempt) >= wait
	ks.mu.Unlock()
	if mayFetch {
		ks.fetch(ctx)
	}
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if key, ok := ks.keys[kid]; ok {
		return key, nil // possibly stale: better than nothing while the host is down
	}
	if ks.lastErr != nil {
		return nil, fmt.Errorf("%w: %w", errJWKSUnavailable, ks.lastErr)
	}
	return nil, errUnknownKey
}

type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
}

// fetch replaces the keys with the JWKS's, or records why it could not.
func (ks *keySet) fetch(ctx context.Context) {
	keys, err := ks.download(ctx)
	ks.mu.Lock()
	defer ks.mu.Unlock()
	ks.lastAttempt = ks.now()
	ks.lastErr = err
	if err == nil {
		ks.keys = keys
		ks.fetched = ks.now()
	}
}

func (ks *keySet) download(ctx context.Context) (map[string]*rsa.PublicKey, error) {
	resp, err := ks.http.R().SetContext(ctx).Get(ks.url)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", ks.url, err)
	}
	if resp.StatusCode() != http.StatusOK {
		return nil, fmt.Errorf("get %s: status %d", ks.url, resp.StatusCode())
	}
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.Unmarshal(resp.Body(), &set); err != nil {
		return nil, fmt.Errorf("decode %s: %w", ks.url, err)
	}
	keys := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		if k.Kty != "RSA" || (k.Use != "" && k.Use != "sig") || (k.Alg != "" && k.Alg != "RS256") || k.Kid == "" {
			continue
		}
		n, errN := base64.RawURLEncoding.DecodeString(k.N)
		e, errE := base64.RawURLEncoding.DecodeString(k.E)
		if errN != nil || errE != nil || len(e) == 0 || len(e) > 4 {
			continue
		}
		keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return keys, nil
}
