// Package commercetools is the processor's client of commercetools: OAuth tokens, the
// Checkout Session API, token introspection, carts, payments, orders, custom types and
// payment methods.
//
// Every call carries the request's X-Correlation-ID, has a time limit, and is retried on
// network errors and 5xx answers only where a repeat cannot write twice: reads, and writes
// that re-read the resource before trying again.
package commercetools

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/checkout-connect/go-connector/internal/correlation"
)

// Config says how to reach a commercetools project.
type Config struct {
	ProjectKey   string
	ClientID     string
	ClientSecret string
	AuthURL      string
	APIURL       string
	SessionURL   string

	// Timeout bounds each HTTP request, the answer's body included; DefaultTimeout when
	// zero. A transport that bounds its round trips within it on its own (NewTransport's)
	// is left to; other transports' requests get a context deadline.
	Timeout time.Duration
	// Retries is how many times a retryable call is repeated; 3 when zero, none when negative.
	Retries int
	// RetryBaseDelay is the first backoff ceiling, doubled per retry; each delay is drawn
	// between half its ceiling and the ceiling. 50 ms when zero.
	RetryBaseDelay time.Duration
	// Transport carries the requests; NewTransport's, bounded by Timeout, when nil.
	Transport http.RoundTripper
	// Logger receives retries and token refreshes; discarded when nil.
	Logger *slog.Logger
	// Now is the clock for token expiry; time.Now when nil.
	Now func() time.Time
}

// Client calls commercetools. It is safe for concurrent use.
type Client struct {
	cfg Config
	// transport carries the requests; basicAuth is the Authorization header of the
	// OAuth server's calls.
	transport http.RoundTripper
	basicAuth []string
	// bounded is set when the transport ends each round trip within Timeout itself.
	bounded bool
	tokens  *tokenSource
	log     *slog.Logger
	// apiBase and sessions are the URLs of the project's HTTP API (with a trailing slash)
	// and of its Checkout sessions, made once.
	apiBase, sessions string
}

// userAgent identifies the processor to commercetools.
const userAgent = "checkout-connector-go/0.1"

// New returns a client for cfg.
func New(cfg Config) (*Client, error) {
	var missing []string
	for name, v := range map[string]string{"ProjectKey": cfg.ProjectKey, "ClientID": cfg.ClientID, "ClientSecret": cfg.ClientSecret,
		"AuthURL": cfg.AuthURL, "APIURL": cfg.APIURL, "SessionURL": cfg.SessionURL} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("commercetools: missing configuration %s", strings.Join(missing, ", "))
	}
	cfg.AuthURL = strings.TrimRight(cfg.AuthURL, "/")
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	cfg.SessionURL = strings.TrimRight(cfg.SessionURL, "/")
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Retries == 0 {
		cfg.Retries = 3
	}
	if cfg.RetryBaseDelay == 0 {
		cfg.RetryBaseDelay = 50 * time.Millisecond
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Transport == nil {
		cfg.Transport = newTransport(cfg.Timeout)
	}
	credentials := base64.StdEncoding.EncodeToString([]byte(cfg.ClientID + ":" + cfg.ClientSecret))
	c := &Client{cfg: cfg, transport: cfg.Transport, bounded: boundedWithin(cfg.Transport, cfg.Timeout),
		basicAuth: []string{"Basic " + credentials}, log: log,
		apiBase:  cfg.APIURL + "/" + url.PathEscape(cfg.ProjectKey) + "/",
		sessions: cfg.SessionURL + "/" + url.PathEscape(cfg.ProjectKey) + "/sessions"}
	c.tokens = &tokenSource{client: c}
	return c, nil
}

// ProjectKey is the project the client works on.
func (c *Client) ProjectKey() string { return c.cfg.ProjectKey }

// call describes one request.
type call struct {
	method string
	url    string
	query  url.Values
	body   any
	// form is sent instead of body, form-encoded, with the client's Basic credentials.
	form url.Values
	// retry allows repeating the call on network errors and 5xx answers.
	retry bool
	// refreshOn lists statuses after which the token is renewed and the call repeated once
	// (401 for the API, 401 and 403 for the Session API).
	refreshOn []int
	// describe names the call in errors and logs; the method and the URL without its query
	// when empty. Calls whose path holds a secret (a session id) set it.
	describe string
}

func (cl call) String() string {
	if cl.describe != "" {
		return cl.describe
	}
	return cl.method + " " + redactedURL(cl.url)
}

// apiURL builds a URL of the project's HTTP API from escaped path segments.
func (c *Client) apiURL(segments ...string) string {
	return c.apiBase + strings.Join(segments, "/")
}

// do sends the call and decodes a 2xx JSON answer into out (when not nil).
func (c *Client) do(ctx context.Context, cl call, out any) error {
	refreshed := false
	for n := 0; ; {
		status, answer, token, err := c.send(ctx, cl)
		try := attempt{n: n, status: status, token: token, err: err}
		if answer != nil {
			try.body = answer.Bytes()
		}
		renewing := refreshed
		done, err := c.settle(ctx, cl, out, try, &refreshed)
		recycle(answer)
		if done {
			return err
		}
		if refreshed == renewing { // a retry after a failure, not the token's renewal
			n++
		}
	}
}

// attempt is what one try of a call got.
type attempt struct {
	n      int // retries so far: 0 for the first try, and for the try after a token renewal
	status int
	body   []byte // valid until the answer's buffer is recycled
	token  string
	err    error
}

// settle says what an attempt means: done, with nil (out decoded) or the call's error; or
// not done, to try again after renewing the token (once) or after a backoff.
func (c *Client) settle(ctx context.Context, cl call, out any, try attempt, refreshed *bool) (done bool, err error) {
	status, body, err := try.status, try.body, try.err
	if refusal := (*Error)(nil); errors.As(err, &refusal) && !errors.Is(err, ErrUnavailable) {
		// The token request was refused (bad credentials): no retry helps.
		return true, err
	}
	if err == nil && status < 300 {
		if out == nil || len(body) == 0 {
			return true, nil
		}
		if err := decodeAnswer(body, out); err != nil {
			return true, fmt.Errorf("commercetools: %s: decode answer: %w", cl, err)
		}
		return true, nil
	}
	if err == nil && !*refreshed && slices.Contains(cl.refreshOn, status) {
		*refreshed = true
		c.tokens.invalidate(try.token)
		c.log.InfoContext(ctx, "commercetools token refused, renewing it", slog.Int("status", status))
		return false, nil
	}
	transient := err != nil || status >= 500 || status == http.StatusTooManyRequests
	if !transient {
		return true, decodeError(cl.String(), status, body)
	}
	if err == nil {
		err = decodeError(cl.String(), status, body)
	}
	if !cl.retry || try.n >= c.cfg.Retries || ctx.Err() != nil {
		return true, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	delay := c.backoff(try.n)
	c.log.WarnContext(ctx, "commercetools call failed, retrying", slog.String("call", cl.String()),
		slog.Int("attempt", try.n+1), slog.Duration("delay", delay), slog.Any("error", err))
	if err := sleep(ctx, delay); err != nil {
		return true, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return false, nil
}

// send makes one HTTP request and reads its answer into a recycled buffer, which the
// caller hands back with recycle. It returns the token it used, so a refusal invalidates
// exactly that token.
//
// Requests are built on net/http directly, with their headers assembled once: a payment
// makes five of them, and a general-purpose client's per-request merging and copying of
// headers, URL and body cost a tenth of its CPU.
func (c *Client) send(ctx context.Context, cl call) (int, *bytes.Buffer, string, error) {
	if !c.bounded {
		// The time limit covers the answer's body, which is read here: a context deadline
		// rather than http.Client.Timeout, which wraps every request in a second one.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
	}
	req, token, err := c.request(ctx, cl)
	if err != nil {
		return 0, nil, token, err
	}
	resp, err := c.transport.RoundTrip(req)
	if err != nil {
		return 0, nil, token, fmt.Errorf("commercetools: %s: %w", cl, redactTransportError(err, cl))
	}
	defer resp.Body.Close()
	answer := answers.Get().(*bytes.Buffer)
	answer.Reset()
	if _, err := answer.ReadFrom(resp.Body); err != nil {
		recycle(answer)
		return 0, nil, token, fmt.Errorf("commercetools: %s: read answer: %w", cl, redactTransportError(err, cl))
	}
	return resp.StatusCode, answer, token, nil
}

// request builds the HTTP request of a call: a form with the client's Basic credentials
// for the OAuth server, or JSON with a bearer token, which it returns.
func (c *Client) request(ctx context.Context, cl call) (*http.Request, string, error) {
	target := cl.url
	if len(cl.query) > 0 {
		target += "?" + cl.query.Encode()
	}
	header := make(http.Header, 6)
	header["User-Agent"] = userAgentHeader
	header[correlationHeader] = []string{correlationID(ctx)}
	var (
		body  io.Reader
		token string
	)
	if cl.form != nil {
		header["Authorization"] = c.basicAuth
		header["Content-Type"] = formContentType
		body = strings.NewReader(cl.form.Encode())
	} else {
		var err error
		if token, header["Authorization"], err = c.tokens.token(ctx); err != nil {
			return nil, "", err
		}
		header["Content-Type"] = jsonContentType
		if cl.body != nil {
			encoded, err := encodeBody(cl.body)
			if err != nil {
				return nil, token, fmt.Errorf("commercetools: %s: encode body: %w", cl, err)
			}
			body = bytes.NewReader(encoded)
		}
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, target, body)
	if err != nil {
		return nil, token, fmt.Errorf("commercetools: %s: %w", cl, redactTransportError(err, cl))
	}
	req.Header = header
	return req, token, nil
}

// Header values every request shares; net/http only reads them.
var (
	userAgentHeader   = []string{userAgent}
	formContentType   = []string{"application/x-www-form-urlencoded"}
	jsonContentType   = []string{"application/json"}
	correlationHeader = http.CanonicalHeaderKey(correlation.CorrelationIDHeader)
)

// answers holds buffers for reading answers: decoding copies what it keeps, so a buffer
// is free again once its answer is decoded.
var answers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// recycle hands an answer's buffer back, unless it grew past what is worth keeping.
func recycle(answer *bytes.Buffer) {
	if answer != nil && answer.Cap() <= 1<<20 {
		answers.Put(answer)
	}
}

// backoff is the delay before retry attempt+1: exponential, drawn between half the
// ceiling and the ceiling ("equal jitter").
func (c *Client) backoff(attempt int) time.Duration {
	ceiling := c.cfg.RetryBaseDelay << attempt
	return ceiling/2 + rand.N(ceiling/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// correlationID is the request's correlation id, or a fresh one for calls made outside a
// request (start-up, scripts).
func correlationID(ctx context.Context) string {
	if id := correlation.From(ctx).CorrelationID; id != "" {
		return id
	}
	return correlation.NewID()
}

// redactedURL drops the query, which may hold customer ids, from URLs in logs and errors.
func redactedURL(raw string) string {
	path, _, _ := strings.Cut(raw, "?")
	return path
}

// errRequired reports a missing argument.
func errRequired(what string) error { return errors.New("commercetools: " + what + " is required") }

// redactTransportError drops the URL that net/http puts into transport errors when the
// call's URL holds a secret.
func redactTransportError(err error, cl call) error {
	var urlErr *url.Error
	if cl.describe != "" && errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}
