//go:build !js

package http1

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// conn is one connection to a host, used by one request at a time.
type conn struct {
	t   *Transport
	key hostKey
	nc  net.Conn // what requests are written to: the TCP connection, or TLS over it
	br  *bufio.Reader
	bw  *bufio.Writer
	// raw is the TCP connection under nc, whose socket alive peeks at.
	raw net.Conn
	// reused is set once the connection has carried an answer; a request that fails on a
	// new connection is not sent again.
	reused    bool
	idleSince time.Time
	// probe and its results belong to alive (alive_unix.go), made once per connection.
	probe     func(fd uintptr) bool
	rawConn   syscall.RawConn
	peek      [1]byte
	peekN     int
	peekErr   error
	closeOnce sync.Once
}

func (c *conn) close() { c.closeOnce.Do(func() { _ = c.nc.Close() }) }

// interrupt ends the connection's blocked reads and writes: its request's context is done.
func (c *conn) interrupt() { _ = c.nc.SetDeadline(longAgo) }

var longAgo = time.Unix(1, 0)

// roundTrip writes req with body and reads the answer's status and header. written says
// whether the server may have received the whole request.
func (c *conn) roundTrip(ctx context.Context, req *http.Request, body []byte) (resp *http.Response, written bool, err error) {
	stop := noStop
	if ctx.Done() != nil {
		stop = context.AfterFunc(ctx, c.interrupt)
	}
	if err := c.writeRequest(req, body); err != nil {
		stop()
		return nil, false, err
	}
	resp, framing, err := c.readResponse(req)
	if err != nil {
		stop()
		return nil, true, err
	}
	b := &responseBody{c: c, ctx: ctx, stop: stop, keep: framing.keep && !req.Close, chunked: framing.chunked, left: framing.length}
	if framing.length == 0 && !framing.chunked {
		resp.Body = http.NoBody
		b.finish(true)
		return resp, true, nil
	}
	resp.Body = b
	return resp, true, nil
}

func noStop() bool { return true }

// writeRequest writes the request line, the header and the body, and sends them.
func (c *conn) writeRequest(req *http.Request, body []byte) error {
	w := c.bw
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	_, _ = w.WriteString(req.Method)
	_ = w.WriteByte(' ')
	_, _ = w.WriteString(req.URL.RequestURI())
	_, _ = w.WriteString(" HTTP/1.1\r\nHost: ")
	_, _ = w.WriteString(host)
	_, _ = w.WriteString("\r\n")
	for name, values := range req.Header {
		switch name {
		case "Host", "Content-Length", "Transfer-Encoding", "Connection":
			continue // the transport writes these
		}
		for _, v := range values {
			_, _ = w.WriteString(name)
			_, _ = w.WriteString(": ")
			_, _ = w.WriteString(v)
			_, _ = w.WriteString("\r\n")
		}
	}
	if req.Close {
		_, _ = w.WriteString("Connection: close\r\n")
	}
	if len(body) > 0 || req.Method == http.MethodPost || req.Method == http.MethodPut || req.Method == http.MethodPatch {
		var n [20]byte
		_, _ = w.WriteString("Content-Length: ")
		_, _ = w.Write(strconv.AppendInt(n[:0], int64(len(body)), 10))
		_, _ = w.WriteString("\r\n")
	}
	_, _ = w.WriteString("\r\n")
	_, _ = w.Write(body)
	return w.Flush()
}

// framing is how an answer's body is delimited, and whether the connection carries
// another request after it.
type framing struct {
	length  int64 // -1: until the connection closes
	chunked bool
	keep    bool
}

// readResponse reads the status line and the header of the answer to req, skipping
// interim (1xx) answers.
func (c *conn) readResponse(req *http.Request) (*http.Response, framing, error) {
	for {
		line, header, err := readHead(c.br)
		if err != nil {
			return nil, framing{}, fmt.Errorf("read answer: %w", err)
		}
		resp, err := statusLine(line)
		if err != nil {
			return nil, framing{}, err
		}
		if resp.StatusCode == http.StatusSwitchingProtocols {
			return nil, framing{}, errors.New("the server switched protocols")
		}
		if resp.StatusCode < 200 {
			continue // 100 Continue, 103 Early Hints: the answer follows
		}
		resp.Header = header
		resp.Request = req
		f, err := frame(req, resp)
		if err != nil {
			return nil, framing{}, err
		}
		resp.ContentLength = f.length
		if f.chunked {
			resp.ContentLength = -1
			resp.TransferEncoding = []string{"chunked"}
			resp.Header.Del("Transfer-Encoding")
		}
		resp.Close = !f.keep
		return resp, f, nil
	}
}

// statusLine parses "HTTP/1.1 200 OK".
func statusLine(line string) (*http.Response, error) {
	proto, status, ok := strings.Cut(line, " ")
	major, minor, valid := http.ParseHTTPVersion(proto)
	if !ok || !valid || major != 1 {
		return nil, fmt.Errorf("malformed status line %q", line)
	}
	code, _, _ := strings.Cut(status, " ")
	n, err := strconv.Atoi(code)
	if err != nil || len(code) != 3 || n < 100 {
		return nil, fmt.Errorf("malformed status code %q", code)
	}
	return &http.Response{Status: status, StatusCode: n, Proto: proto, ProtoMajor: major, ProtoMinor: minor}, nil
}

// frame says how the body of resp, the answer to req, is delimited (RFC 9112 §6.3).
func frame(req *http.Request, resp *http.Response) (framing, error) {
	keep := resp.ProtoMinor >= 1 && !headerHasToken(resp.Header["Connection"], "close")
	if req.Method == http.MethodHead || resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified {
		return framing{keep: keep}, nil
	}
	if te := resp.Header["Transfer-Encoding"]; len(te) > 0 {
		if len(te) != 1 || !strings.EqualFold(strings.TrimSpace(te[0]), "chunked") {
			return framing{}, fmt.Errorf("unsupported Transfer-Encoding %q", te)
		}
		return framing{chunked: true, keep: keep, length: -1}, nil
	}
	cl := resp.Header["Content-Length"]
	if len(cl) == 0 {
		return framing{length: -1}, nil // until the server closes the connection
	}
	for _, v := range cl[1:] {
		if v != cl[0] {
			return framing{}, errors.New("conflicting Content-Length values")
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(cl[0]), 10, 64)
	if err != nil || n < 0 {
		return framing{}, fmt.Errorf("malformed Content-Length %q", cl[0])
	}
	return framing{length: n, keep: keep}, nil
}

// headerHasToken reports whether a comma-separated header holds token.
func headerHasToken(values []string, token string) bool {
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), token) {
				return true
			}
		}
	}
	return false
}

// responseBody reads an answer's body off its connection, which it hands back to the
// transport at the body's end, or closes when the body is closed early or fails.
type responseBody struct {
	c    *conn
	ctx  context.Context
	stop func() bool // stops the context's interruption; false when it has begun
	keep bool
	// left is what remains of a body of known length; -1 for one that ends with the
	// connection.
	left    int64
	chunked bool
	chunks  io.Reader
	done    bool
	err     error
}

func (b *responseBody) Read(p []byte) (int, error) {
	if b.done {
		if b.err != nil {
			return 0, b.err
		}
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	var (
		n   int
		err error
	)
	switch {
	case b.chunked:
		if b.chunks == nil {
			b.chunks = newChunkedReader(b.c.br)
		}
		n, err = b.chunks.Read(p)
		if errors.Is(err, io.EOF) {
			err = discardTrailer(b.c.br)
			if err == nil {
				err = io.EOF
			}
		}
	case b.left < 0:
		n, err = b.c.br.Read(p)
		if errors.Is(err, io.EOF) {
			b.keep = false
		}
	default:
		if int64(len(p)) > b.left {
			p = p[:b.left]
		}
		n, err = b.c.br.Read(p)
		b.left -= int64(n)
		if errors.Is(err, io.EOF) && b.left > 0 {
			err = io.ErrUnexpectedEOF
		} else if b.left == 0 {
			err = io.EOF
		}
	}
	switch {
	case err == nil:
		return n, nil
	case errors.Is(err, io.EOF):
		b.finish(true)
		return n, io.EOF
	default:
		b.err = fmt.Errorf("http1: read answer body: %w", ended(b.ctx, err))
		b.finish(false)
		return n, b.err
	}
}

// Close hands the connection back when the body was read to its end, and closes it
// otherwise.
func (b *responseBody) Close() error {
	if !b.done {
		b.err = errors.New("http1: read on a closed answer body")
		b.finish(false)
	}
	return nil
}

// finish ends the body's use of its connection: kept for the next request when the body
// ended cleanly and nothing interrupted it, closed otherwise.
func (b *responseBody) finish(clean bool) {
	b.done = true
	if b.stop() && clean && b.keep {
		b.c.t.putIdle(b.c)
		return
	}
	b.c.close()
}
