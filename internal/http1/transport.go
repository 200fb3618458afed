//go:build !js

package http1

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// Transport is an http.RoundTripper for HTTP/1.1 over TCP or TLS that keeps idle
// connections per host. It is safe for concurrent use.
type Transport struct {
	// TLSClientConfig configures TLS for https URLs; nil means Go's defaults. Its
	// NextProtos are ignored: the transport asks for http/1.1 only. It is copied per host
	// at the first connection to it, so changes after the first request go unseen.
	TLSClientConfig *tls.Config
	// MaxIdleConnsPerHost bounds the idle connections kept for each host; 64 when zero.
	MaxIdleConnsPerHost int
	// IdleConnTimeout is how long an idle connection is kept; 90 s when zero.
	IdleConnTimeout time.Duration
	// DialTimeout bounds connecting, the TLS handshake included; 30 s when zero. The
	// request's context and Timeout bound it too.
	DialTimeout time.Duration
	// Timeout bounds each round trip, from taking a connection to the end of the answer's
	// body, with a deadline on the connection: no timer, context or goroutine of its own.
	// None when zero; the request's context ends a round trip too.
	Timeout time.Duration

	mu   sync.Mutex
	idle map[hostKey][]*conn
	// tlsConfigs holds, per host name, TLSClientConfig with that server name and
	// http/1.1 as its only protocol.
	tlsConfigs map[string]*tls.Config
	// now is the clock of idle connections' ages; time.Now when nil.
	now func() time.Time
	// sweeper closes expired idle connections while sweeping; see sweep.
	sweeper  *time.Timer
	sweeping bool
}

// hostKey names the connections a request may use.
type hostKey struct {
	tls  bool
	host string // as in the URL, with or without its port
}

var _ http.RoundTripper = (*Transport)(nil)

// RoundTripLimit is Timeout: the time within which every round trip ends, the answer's
// body included, whatever the request's context says.
func (t *Transport) RoundTripLimit() time.Duration { return t.Timeout }

// ErrTimeout is the error of a round trip that reached Transport.Timeout. It wraps
// context.DeadlineExceeded.
var ErrTimeout = fmt.Errorf("round trip time limit reached: %w", context.DeadlineExceeded)

// RoundTrip sends req and returns the answer, whose body must be read to its end or
// closed. A request that fails on a connection the server had closed while it lay idle
// is sent again on a new one when the server cannot have acted on it: when writing it
// failed, or when its method is safe to repeat (GET, HEAD).
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := requestBody(req)
	if err != nil {
		return nil, err
	}
	if err := checkRequest(req); err != nil {
		return nil, err
	}
	ctx := req.Context()
	key := hostKey{tls: req.URL.Scheme == "https", host: req.URL.Host}
	deadline := t.deadline(ctx)
	for {
		c, err := t.conn(ctx, key, deadline)
		if err != nil {
			return nil, fmt.Errorf("http1: %s %s: %w", req.Method, key.host, ended(ctx, err))
		}
		resp, written, err := c.roundTrip(ctx, req, body)
		if err == nil {
			return resp, nil
		}
		c.close()
		if err := ended(ctx, err); ctx.Err() != nil || errors.Is(err, ErrTimeout) {
			return nil, fmt.Errorf("http1: %s %s: %w", req.Method, key.host, err) // never past the deadline
		}
		if !c.reused || (written && !repeatable(req.Method)) {
			return nil, fmt.Errorf("http1: %s %s: %w", req.Method, key.host, err)
		}
		// The server closed the idle connection before it could answer; try a new one
		// within the same deadline.
	}
}

// deadline is when a round trip starting now must end: Timeout from now, or the
// context's deadline when sooner; zero for none.
func (t *Transport) deadline(ctx context.Context) time.Time {
	var deadline time.Time
	if t.Timeout > 0 {
		deadline = time.Now().Add(t.Timeout)
	}
	if d, ok := ctx.Deadline(); ok && (deadline.IsZero() || d.Before(deadline)) {
		deadline = d
	}
	return deadline
}

// ended says why a round trip failed when its context or its deadline ended it: the
// context's error, or ErrTimeout; err otherwise.
func ended(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		return ErrTimeout
	}
	return err
}

// repeatable reports whether a request with method may be sent twice.
func repeatable(method string) bool { return method == http.MethodGet || method == http.MethodHead }

// requestBody reads the request's body, which it closes, as the RoundTripper contract
// asks: every request the processor sends is small.
func requestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	if req.ContentLength > 0 {
		body := make([]byte, req.ContentLength)
		if _, err := io.ReadFull(req.Body, body); err != nil {
			return nil, fmt.Errorf("http1: read request body: %w", err)
		}
		return body, nil
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, fmt.Errorf("http1: read request body: %w", err)
	}
	return body, nil
}

// checkRequest refuses what the transport cannot send, and header names or values that
// would split the request.
func checkRequest(req *http.Request) error {
	if req.URL == nil || (req.URL.Scheme != "http" && req.URL.Scheme != "https") || req.URL.Host == "" {
		return errors.New("http1: the URL must be absolute, http or https")
	}
	if !validToken(req.Method) {
		return fmt.Errorf("http1: invalid method %q", req.Method)
	}
	for name, values := range req.Header {
		if !validToken(name) {
			return fmt.Errorf("http1: invalid header name %q", name)
		}
		for _, v := range values {
			if !validFieldValue(v) {
				return fmt.Errorf("http1: invalid value of header %s", name)
			}
		}
	}
	if !validFieldValue(req.Host) {
		return errors.New("http1: invalid Host")
	}
	return nil
}

// conn returns an idle connection to key's host that is still open, or a new one, with
// deadline set on it.
func (t *Transport) conn(ctx context.Context, key hostKey, deadline time.Time) (*conn, error) {
	for {
		c := t.takeIdle(key)
		if c == nil {
			break
		}
		// Before the peek, which an earlier request's passed deadline would fail.
		if c.nc.SetDeadline(deadline) == nil && c.alive() {
			return c, nil
		}
		c.close()
	}
	c, err := t.dial(ctx, key, deadline)
	if err != nil {
		return nil, err
	}
	if err := c.nc.SetDeadline(deadline); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

// takeIdle takes the most recently used idle connection to key's host, closing those
// idle for longer than IdleConnTimeout.
func (t *Transport) takeIdle(key hostKey) *conn {
	t.mu.Lock()
	defer t.mu.Unlock()
	conns, expired := splitExpired(t.idle[key], t.clock()().Add(-t.idleTimeout()))
	for _, c := range expired {
		go c.close()
	}
	if len(conns) == 0 {
		if len(expired) > 0 { // there were idle connections, so the map exists
			t.idle[key] = conns
		}
		return nil
	}
	c := conns[len(conns)-1]
	conns[len(conns)-1] = nil
	t.idle[key] = conns[:len(conns)-1]
	return c
}

// splitExpired parts conns, oldest first, into those idle since before and those not;
// the kept ones stay in conns' array.
func splitExpired(conns []*conn, before time.Time) (kept, expired []*conn) {
	if len(conns) == 0 || !conns[0].idleSince.Before(before) {
		return conns, nil
	}
	kept = conns[:0]
	for _, c := range conns {
		if c.idleSince.Before(before) {
			expired = append(expired, c)
		} else {
			kept = append(kept, c)
		}
	}
	clear(conns[len(kept):])
	return kept, expired
}

// putIdle keeps c for the next request to its host, or closes it when enough are kept.
func (t *Transport) putIdle(c *conn) {
	t.mu.Lock()
	if t.idle == nil {
		t.idle = make(map[hostKey][]*conn)
	}
	conns := t.idle[c.key]
	if len(conns) >= t.maxIdle() {
		t.mu.Unlock()
		c.close()
		return
	}
	c.reused = true
	c.idleSince = t.clock()()
	t.idle[c.key] = append(conns, c)
	if !t.sweeping {
		t.sweeping = true
		if t.sweeper == nil {
			t.sweeper = time.AfterFunc(t.idleTimeout(), t.sweep)
		} else {
			t.sweeper.Reset(t.idleTimeout())
		}
	}
	t.mu.Unlock()
}

// sweep closes the connections idle for longer than IdleConnTimeout and, while others
// stay idle, comes back when the oldest of them expires: a transport left idle does not
// keep connections its servers have long closed. One timer per transport, not per
// connection.
func (t *Transport) sweep() {
	t.mu.Lock()
	now := t.clock()()
	var (
		expired []*conn
		oldest  time.Time
	)
	for key, conns := range t.idle {
		kept, gone := splitExpired(conns, now.Add(-t.idleTimeout()))
		t.idle[key] = kept
		expired = append(expired, gone...)
		if len(kept) > 0 && (oldest.IsZero() || kept[0].idleSince.Before(oldest)) {
			oldest = kept[0].idleSince
		}
	}
	if oldest.IsZero() {
		t.sweeping = false
	} else {
		t.sweeper.Reset(oldest.Add(t.idleTimeout()).Sub(now))
	}
	t.mu.Unlock()
	for _, c := range expired {
		c.close()
	}
}

// CloseIdleConnections closes the connections no request is using.
func (t *Transport) CloseIdleConnections() {
	t.mu.Lock()
	idle := t.idle
	t.idle = nil
	if t.sweeper != nil {
		t.sweeper.Stop()
	}
	t.sweeping = false
	t.mu.Unlock()
	for _, conns := range idle {
		for _, c := range conns {
			c.close()
		}
	}
}

// dial connects to key's host, over TLS for https.
func (t *Transport) dial(ctx context.Context, key hostKey, deadline time.Time) (*conn, error) {
	timeout := t.DialTimeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	if limit := time.Now().Add(timeout); deadline.IsZero() || limit.Before(deadline) {
		deadline = limit
	}
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	host, addr := hostPort(key)
	d := net.Dialer{KeepAlive: 30 * time.Second}
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	raw := nc
	if key.tls {
		tc := tls.Client(nc, t.tlsConfig(host))
		if err := tc.HandshakeContext(ctx); err != nil {
			_ = nc.Close()
			return nil, err
		}
		if p := tc.ConnectionState().NegotiatedProtocol; p != "" && p != "http/1.1" {
			_ = nc.Close()
			return nil, fmt.Errorf("the server chose %q over http/1.1", p)
		}
		nc = tc
	}
	return newConn(t, key, nc, raw), nil
}

// hostPort is the host name of key and the address to dial, with the scheme's port
// when the URL names none.
func hostPort(key hostKey) (host, addr string) {
	host, port, err := net.SplitHostPort(key.host)
	if err != nil { // no port
		host, port = strings.Trim(key.host, "[]"), "80"
		if key.tls {
			port = "443"
		}
	}
	return host, net.JoinHostPort(host, port)
}

// tlsConfig is TLSClientConfig for a server named host, asking for HTTP/1.1.
func (t *Transport) tlsConfig(host string) *tls.Config {
	t.mu.Lock()
	defer t.mu.Unlock()
	if cfg, ok := t.tlsConfigs[host]; ok {
		return cfg
	}
	cfg := &tls.Config{}
	if t.TLSClientConfig != nil {
		cfg = t.TLSClientConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	cfg.NextProtos = []string{"http/1.1"}
	if t.tlsConfigs == nil {
		t.tlsConfigs = make(map[string]*tls.Config)
	}
	t.tlsConfigs[host] = cfg
	return cfg
}

func (t *Transport) maxIdle() int {
	if t.MaxIdleConnsPerHost > 0 {
		return t.MaxIdleConnsPerHost
	}
	return 64
}

func (t *Transport) idleTimeout() time.Duration {
	if t.IdleConnTimeout > 0 {
		return t.IdleConnTimeout
	}
	return 90 * time.Second
}

func (t *Transport) clock() func() time.Time {
	if t.now != nil {
		return t.now
	}
	return time.Now
}

// bufferSize is the size of each connection's read and write buffers: a request or an
// answer of the processor fits in one.
const bufferSize = 4 << 10

func newConn(t *Transport, key hostKey, nc, raw net.Conn) *conn {
	return &conn{t: t, key: key, nc: nc, raw: raw, br: bufio.NewReaderSize(nc, bufferSize), bw: bufio.NewWriterSize(nc, bufferSize)}
}
