package emulator

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// grant is an issued access token.
type grant struct {
	scopes   []string
	clientID string
	expires  time.Time
}

// projectScopes are the scope names a token of the project may carry.
var projectScopes = []string{
	"manage_project", "view_project",
	"manage_payments", "view_payments", "manage_orders", "view_orders",
	"manage_types", "view_types", "manage_payment_methods", "view_payment_methods",
	"manage_sessions", "view_sessions", "view_api_clients", "introspect_oauth_tokens",
	"manage_checkout_payment_intents", "manage_checkout_transactions",
}

func (e *Emulator) checkClient(r *http.Request) bool {
	id, secret, ok := r.BasicAuth()
	return ok && id == e.opts.ClientID && secret == e.opts.ClientSecret
}

func (e *Emulator) issue(scopes []string, clientID string, lifetime time.Duration) (string, grant) {
	raw := make([]byte, 24)
	_, _ = rand.Read(raw)
	tok := hex.EncodeToString(raw)
	g := grant{scopes: scopes, clientID: clientID, expires: e.opts.Now().Add(lifetime)}
	e.mu.Lock()
	e.tokens[tok] = g
	e.mu.Unlock()
	return tok, g
}

// handleToken grants client-credentials tokens. The client holds manage_project on the
// project; a request may narrow that with scope.
func (e *Emulator) handleToken(w http.ResponseWriter, r *http.Request) {
	if !e.checkClient(r) {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "Please provide valid client credentials using HTTP Basic Authentication.")
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "Only the client_credentials grant type is supported.")
		return
	}
	scopes := []string{"manage_project:" + e.opts.ProjectKey}
	if requested := strings.Fields(r.PostForm.Get("scope")); len(requested) > 0 {
		for _, s := range requested {
			name, project, _ := strings.Cut(s, ":")
			if project != e.opts.ProjectKey || !contains(projectScopes, name) {
				writeOAuthError(w, http.StatusBadRequest, "invalid_scope", "Invalid scope: "+s+".")
				return
			}
		}
		scopes = requested
	}
	tok, g := e.issue(scopes, e.opts.ClientID, e.opts.TokenLifetime)
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "token_type": "Bearer",
		"expires_in": int64(e.opts.TokenLifetime / time.Second), "scope": strings.Join(g.scopes, " "),
	})
}

// handleIntrospect tells about a token, for API clients holding the credentials.
func (e *Emulator) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	if !e.checkClient(r) {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "Please provide valid client credentials using HTTP Basic Authentication.")
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("token") == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The token parameter is required.")
		return
	}
	e.mu.Lock()
	g, ok := e.tokens[r.PostForm.Get("token")]
	e.mu.Unlock()
	if !ok || !e.opts.Now().Before(g.expires) {
		writeJSON(w, http.StatusOK, map[string]any{"active": false})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"active": true, "scope": strings.Join(g.scopes, " "), "exp": g.expires.Unix(), "client_id": g.clientID,
	})
}

// handleMintToken issues a token with any scope and lifetime, for tests of the processor's
// authorization (tokens of other projects, narrow scopes, expired tokens). Development only.
func (e *Emulator) handleMintToken(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Scope            string `json:"scope"`
		ClientID         string `json:"clientId"`
		ExpiresInSeconds *int64 `json:"expiresIn"`
	}
	if err := decodeBody(r, &req); err != nil {
		err.write(w)
		return
	}
	lifetime := time.Hour
	if req.ExpiresInSeconds != nil {
		lifetime = time.Duration(*req.ExpiresInSeconds) * time.Second
	}
	if req.ClientID == "" {
		req.ClientID = "checkout"
	}
	tok, g := e.issue(strings.Fields(req.Scope), req.ClientID, lifetime)
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "scope": strings.Join(g.scopes, " "), "exp": g.expires.Unix()})
}

// scopeRule names the scopes that allow reading and writing a resource kind.
type scopeRule struct{ read, write []string }

var (
	sessionScopes       = scopeRule{read: []string{"view_sessions", "manage_sessions"}, write: []string{"manage_sessions"}}
	cartScopes          = scopeRule{read: []string{"view_orders", "manage_orders"}, write: []string{"manage_orders"}}
	orderScopes         = cartScopes
	paymentScopes       = scopeRule{read: []string{"view_payments", "manage_payments"}, write: []string{"manage_payments"}}
	typeScopes          = scopeRule{read: []string{"view_types", "manage_types"}, write: []string{"manage_types"}}
	paymentMethodScopes = scopeRule{read: []string{"view_payment_methods", "manage_payment_methods"}, write: []string{"manage_payment_methods"}}
)

// authorized checks the bearer token and the project, then calls h.
func (e *Emulator) authorized(rule scopeRule, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		e.mu.Lock()
		g, known := e.tokens[tok]
		e.mu.Unlock()
		if !ok || !known || !e.opts.Now().Before(g.expires) {
			writeOAuthError(w, http.StatusUnauthorized, "invalid_token", "invalid_token")
			return
		}
		needed := rule.write
		if r.Method == http.MethodGet {
			needed = rule.read
		}
		pk := r.PathValue("projectKey")
		allowed := pk == e.opts.ProjectKey && contains(g.scopes, "manage_project:"+pk)
		for _, s := range needed {
			allowed = allowed || (pk == e.opts.ProjectKey && contains(g.scopes, s+":"+pk))
		}
		if !allowed {
			writeOAuthError(w, http.StatusForbidden, "insufficient_scope", "Insufficient scope. One of the following scopes is missing: "+strings.Join(needed, ", "))
			return
		}
		h(w, r)
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// handleJWKS publishes the key that signs the emulator's JWTs.
func (e *Emulator) handleJWKS(w http.ResponseWriter, _ *http.Request) {
	pub := e.signer.PublicKey
	writeJSON(w, http.StatusOK, map[string]any{"keys": []any{map[string]any{
		"kty": "RSA", "kid": e.keyID, "use": "sig", "alg": "RS256",
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

// issuerOf is the iss of JWTs minted through request r: the base URL r reached.
func issuerOf(r *http.Request) string { return "http://" + r.Host }

// handleMintJWT mints an RS256 JWT like the Merchant Center's: iss is the emulator's base
// URL, {iss}/claims/project_key the project key, exp in one hour; body claims override
// these. Development only.
func (e *Emulator) handleMintJWT(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Claims map[string]any `json:"claims"`
	}
	if r.ContentLength != 0 {
		if err := decodeBody(r, &req); err != nil {
			err.write(w)
			return
		}
	}
	iss := issuerOf(r)
	if v, ok := req.Claims["iss"].(string); ok {
		iss = v
	}
	now := e.opts.Now()
	claims := map[string]any{
		"iss": iss, "sub": "local-merchant", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		issuerOf(r) + "/claims/project_key": e.opts.ProjectKey,
	}
	for k, v := range req.Claims {
		claims[k] = v
	}
	tok, err := e.SignJWT(claims)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "General", "Could not sign the token.", nil)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": tok})
}

// SignJWT signs claims as an RS256 JWT with the key published at /.well-known/jwks.json.
func (e *Emulator) SignJWT(claims map[string]any) (string, error) {
	header, err := json.Marshal(map[string]any{"alg": "RS256", "typ": "JWT", "kid": e.keyID})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signing := b64(header) + "." + b64(payload)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, e.signer, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return signing + "." + b64(sig), nil
}

// PublicKey is the key that verifies the emulator's JWTs.
func (e *Emulator) PublicKey() *rsa.PublicKey { return &e.signer.PublicKey }

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
