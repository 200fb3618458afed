package commercetools

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// tokenSource caches the client-credentials token and renews it shortly before it
// expires. Concurrent callers share one renewal.
type tokenSource struct {
	client *Client

	mu       sync.Mutex
	value    string
	header   []string // the Authorization header of value, shared by every request
	expires  time.Time
	inflight *tokenFetch
}

// tokenFetch is a renewal in progress; done closes when value, header and err are set.
type tokenFetch struct {
	done   chan struct{}
	value  string
	header []string
	err    error
}

// TokenResponse is the OAuth server's answer to a client-credentials grant.
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
}

// token returns a valid token and its Authorization header (which net/http only reads),
// renewing the token when it is missing or about to expire.
func (ts *tokenSource) token(ctx context.Context) (string, []string, error) {
	ts.mu.Lock()
	if ts.value != "" && ts.client.cfg.Now().Before(ts.expires) {
		v, h := ts.value, ts.header
		ts.mu.Unlock()
		return v, h, nil
	}
	fetch := ts.inflight
	if fetch == nil {
		fetch = &tokenFetch{done: make(chan struct{})}
		ts.inflight = fetch
		// The renewal serves every waiter, so it must not die with the first caller's context.
		go ts.renew(context.WithoutCancel(ctx), fetch)
	}
	ts.mu.Unlock()

	select {
	case <-fetch.done:
		return fetch.value, fetch.header, fetch.err
	case <-ctx.Done():
		return "", nil, fmt.Errorf("%w: waiting for a token: %w", ErrUnavailable, ctx.Err())
	}
}

func (ts *tokenSource) renew(ctx context.Context, fetch *tokenFetch) {
	ctx, cancel := context.WithTimeout(ctx, ts.client.cfg.Timeout)
	defer cancel()
	resp, err := ts.client.requestToken(ctx, "")
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.inflight = nil
	if err != nil {
		fetch.err = err
	} else {
		ts.value, ts.header = resp.AccessToken, []string{"Bearer " + resp.AccessToken}
		ts.expires = ts.client.cfg.Now().Add(tokenLifetime(resp.ExpiresIn))
		fetch.value, fetch.header = ts.value, ts.header
		ts.client.log.DebugContext(ctx, "commercetools token renewed", slog.Int64("expires_in", resp.ExpiresIn))
	}
	close(fetch.done)
}

// tokenLifetime is how long a token is used: its lifetime less a safety margin of five
// minutes, or of half its lifetime for short-lived tokens.
func tokenLifetime(expiresIn int64) time.Duration {
	life := time.Duration(expiresIn) * time.Second
	margin := 5 * time.Minute
	if margin > life/2 {
		margin = life / 2
	}
	return life - margin
}

// invalidate drops the cached token if it is still the one that was refused.
func (ts *tokenSource) invalidate(refused string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if refused != "" && ts.value == refused {
		ts.value = ""
	}
}

// requestToken asks the OAuth server for a new client-credentials token, for the given
// space-separated scopes, or for all of the client's scopes when scope is empty.
func (c *Client) requestToken(ctx context.Context, scope string) (*TokenResponse, error) {
	form := url.Values{"grant_type": {"client_credentials"}}
	if scope != "" {
		form.Set("scope", scope)
	}
	var resp TokenResponse
	err := c.do(ctx, call{method: http.MethodPost, url: c.cfg.AuthURL + "/oauth/token", form: form, retry: true}, &resp)
	if err != nil {
		return nil, fmt.Errorf("commercetools: get a token: %w", err)
	}
	if resp.AccessToken == "" {
		return nil, fmt.Errorf("commercetools: get a token: the answer has no access_token")
	}
	return &resp, nil
}

// GrantedScopes asks the OAuth server for a fresh token and returns the scopes the API
// client holds, which shows both that the credentials work and what they allow.
func (c *Client) GrantedScopes(ctx context.Context) ([]string, error) {
	resp, err := c.requestToken(ctx, "")
	if err != nil {
		return nil, err
	}
	return strings.Fields(resp.Scope), nil
}

// MissingScopes returns those of the required permissions (manage_payments, ...) that the
// granted scopes lack for the project. manage_project on the project grants them all.
func MissingScopes(projectKey string, granted, required []string) []string {
	have := make(map[string]bool, len(granted))
	for _, s := range granted {
		have[s] = true
	}
	if have["manage_project:"+projectKey] {
		return nil
	}
	var missing []string
	for _, r := range required {
		if !have[r+":"+projectKey] {
			missing = append(missing, r)
		}
	}
	return missing
}

// Introspect asks the OAuth server about a token presented to the processor. It answers
// for inactive tokens too (Active false); an error means the server could not be asked.
func (c *Client) Introspect(ctx context.Context, token string) (*TokenInfo, error) {
	if token == "" {
		return nil, errRequired("token")
	}
	var info TokenInfo
	err := c.do(ctx, call{method: http.MethodPost, url: c.cfg.AuthURL + "/oauth/introspect",
		form: url.Values{"token": {token}}, retry: true}, &info)
	if err != nil {
		return nil, fmt.Errorf("commercetools: introspect a token: %w", err)
	}
	return &info, nil
}
