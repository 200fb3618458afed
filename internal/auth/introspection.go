package auth

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Client verifies an OAuth 2.0 access token by introspection. The token must be active,
// not expired, and carry scopes for this project (name:projectKey); scopes for other
// projects are ignored, and a token with none for this project is refused. Answers are
// remembered until the token expires, for TokenCacheTTL at most.
func (a *Authenticator) Client(ctx context.Context, token string) (*Client, error) {
	now := a.cfg.Now()
	if c, ok := a.tokens.get(token, now); ok {
		return c, nil
	}
	info, err := a.cfg.Commercetools.Introspect(ctx, token)
	if err != nil {
		return nil, unavailable("token introspection", err)
	}
	if !info.Active {
		return nil, invalidToken("The access token is not active.", errors.New("introspection: inactive"))
	}
	expires := time.Unix(info.Exp, 0)
	if info.Exp == 0 || !now.Before(expires) {
		return nil, invalidToken("The access token has expired.", errors.New("introspection: expired"))
	}
	c := &Client{ClientID: info.ClientID}
	for _, scope := range strings.Fields(info.Scope) {
		name, rest, _ := strings.Cut(scope, ":")
		switch name {
		case "customer_id":
			c.CustomerID = rest
			continue
		case "anonymous_id":
			c.AnonymousID = rest
			continue
		}
		project, _, _ := strings.Cut(rest, ":")
		if project == a.cfg.ProjectKey {
			c.Scopes = append(c.Scopes, name)
		}
	}
	if len(c.Scopes) == 0 {
		return nil, invalidToken("The access token is not valid for this project.", errors.New("introspection: no scope for the project"))
	}
	a.tokens.put(token, c, earlier(expires, now.Add(a.cfg.TokenCacheTTL)), now)
	return c, nil
}

// earlier returns the earlier time.
func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
