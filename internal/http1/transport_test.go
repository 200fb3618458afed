package http1

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// send makes one request through tr and reads its answer's body.
func send(ctx context.Context, tr http.RoundTripper, method, url, body string, header http.Header) (*http.Response, string, error) {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return nil, "", err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	return resp, string(answer), err
}

// Requests of every method, with and without bodies, reach the server as sent, and their
// answers, of known length or chunked with a trailer, are read in full; all of them go
// over one connection.
func TestRequestsAndAnswersShareOneConnection(t *testing.T) {
	type seen struct {
		method, uri, host, agent, correlation, body string
		length                                      int64
	}
	var (
		mu   sync.Mutex
		got  []seen
		tr   = &Transport{}
		want []seen
	)
	srv, dials := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, seen{r.Method, r.RequestURI, r.Host, r.UserAgent(), r.Header.Get("X-Correlation-ID"), string(body), r.ContentLength})
		mu.Unlock()
		switch r.URL.Path {
		case "/chunked":
			w.Header().Set("Trailer", "X-Checksum")
			for i := range 3 {
				_, _ = fmt.Fprintf(w, "part %d;", i)
				w.(http.Flusher).Flush()
			}
			w.Header().Set("X-Checksum", "abc")
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			_, _ = fmt.Fprintf(w, `{"echo":%q}`, body)
		}
	})
	header := http.Header{"User-Agent": {"tester/1"}, "X-Correlation-Id": {"corr-1"}}
	ctx := context.Background()

	for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodHead} {
		body := ""
		if method == http.MethodPost {
			body = `{"amount":100}`
		}
		resp, answer, err := send(ctx, tr, method, srv.URL+"/payments/p-1?expand=a%5B%2A%5D", body, header)
		require.NoError(t, err, method)
		assert.Equal(t, http.StatusCreated, resp.StatusCode, method)
		assert.Equal(t, "201 Created", resp.Status, method)
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"), method)
		if method == http.MethodHead {
			assert.Empty(t, answer)
		} else {
			assert.Equal(t, fmt.Sprintf(`{"echo":%q}`, body), answer, method)
		}
		want = append(want, seen{method, "/payments/p-1?expand=a%5B%2A%5D", srv.Listener.Addr().String(), "tester/1", "corr-1", body, int64(len(body))})
	}
	resp, answer, err := send(ctx, tr, http.MethodGet, srv.URL+"/chunked", "", header)
	require.NoError(t, err)
	assert.Equal(t, "part 0;part 1;part 2;", answer)
	assert.Equal(t, []string{"chunked"}, resp.TransferEncoding)
	want = append(want, seen{http.MethodGet, "/chunked", srv.Listener.Addr().String(), "tester/1", "corr-1", "", 0})
	resp, answer, err = send(ctx, tr, http.MethodPost, srv.URL+"/empty", "", header)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Empty(t, answer)
	want = append(want, seen{http.MethodPost, "/empty", srv.Listener.Addr().String(), "tester/1", "corr-1", "", 0})

	assert.Equal(t, want, got)
	assert.EqualValues(t, 1, dials.Load(), "connections dialled")
}

// An answer that announces the connection's end, or has no length and ends with it, is
// read in full, and the next request goes over a new connection.
func TestAnswersThatEndTheirConnection(t *testing.T) {
	srv := newRawServer(t, func(s *session) {
		req, _, err := s.next()
		if err != nil {
			return
		}
		if req.URL.Path == "/close" {
			s.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nclose")
		} else {
			s.write("HTTP/1.1 200 OK\r\n\r\nuntil the end")
		}
	})
	tr := &Transport{}
	for i, path := range []string{"/close", "/unframed", "/close"} {
		_, answer, err := send(context.Background(), tr, http.MethodGet, srv.url(path), "", nil)
		require.NoError(t, err, path)
		assert.Equal(t, map[string]string{"/close": "close", "/unframed": "until the end"}[path], answer)
		assert.EqualValues(t, i+1, srv.conns.Load(), "connections after %s", path)
	}
}

// A connection the server closed while it lay idle is not used: a payment's POST goes
// over a new connection and reaches the server once.
func TestIdleConnectionClosedByTheServerIsNotUsed(t *testing.T) {
	closed := make(chan struct{}, 2)
	srv := newRawServer(t, func(s *session) {
		if _, _, err := s.next(); err != nil {
			return
		}
		s.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		_ = s.conn.Close() // as a server whose idle timeout has passed, without warning
		closed <- struct{}{}
	})
	tr := &Transport{}
	ctx := context.Background()
	_, _, err := send(ctx, tr, http.MethodGet, srv.url("/first"), "", nil)
	require.NoError(t, err)
	<-closed
	awaitEnd(t, tr)
	resp, answer, err := send(ctx, tr, http.MethodPost, srv.url("/payments"), `{"amount":1}`, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "ok", answer)
	assert.EqualValues(t, 2, srv.requests.Load(), "requests the server read")
	assert.EqualValues(t, 2, srv.conns.Load(), "connections")
}

// A request the server read on a reused connection and then dropped without an answer is
// sent again only when repeating it cannot act twice: a GET is, a POST is not; the POST
// fails, and the server has seen it once.
func TestLostAnswerOnAReusedConnection(t *testing.T) {
	srv := newRawServer(t, func(s *session) {
		for i := 0; ; i++ {
			req, _, err := s.next()
			if err != nil {
				return
			}
			if i == 1 && s.n == 1 { // the first connection's second request: read, then dropped
				return
			}
			s.write("HTTP/1.1 200 OK\r\nContent-Length: " + fmt.Sprint(len(req.Method)) + "\r\n\r\n" + req.Method)
		}
	})
	ctx := context.Background()
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			srv.conns.Store(0)
			srv.requests.Store(0)
			tr := &Transport{}
			_, _, err := send(ctx, tr, http.MethodGet, srv.url("/warm"), "", nil)
			require.NoError(t, err)
			srv.requests.Store(0)

			_, answer, err := send(ctx, tr, method, srv.url("/payments"), `{"amount":1}`, nil)
			if method == http.MethodGet {
				require.NoError(t, err)
				assert.Equal(t, "GET", answer)
				assert.EqualValues(t, 2, srv.requests.Load(), "the GET, sent twice")
			} else {
				require.Error(t, err)
				assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
				assert.EqualValues(t, 1, srv.requests.Load(), "the POST, sent once")
			}
		})
	}
}

// A request whose context ends while the server holds the answer, or its body, ends with
// the context's error, and its connection is not used again.
func TestContextEndsARoundTrip(t *testing.T) {
	hold := make(chan struct{})
	arrived := make(chan struct{}, 1)
	srv, dials := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/silent":
			arrived <- struct{}{}
			<-hold
		case "/stalled":
			w.Header().Set("Content-Length", "100")
			_, _ = w.Write([]byte("half"))
			w.(http.Flusher).Flush()
			arrived <- struct{}{}
			<-hold
		default:
			_, _ = w.Write([]byte("ok"))
		}
	})
	t.Cleanup(func() { close(hold) })
	tr := &Transport{}

	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	_, _, err := send(ctx, tr, http.MethodGet, srv.URL+"/silent", "", nil)
	assert.ErrorIs(t, err, context.Canceled)

	ctx, cancel = context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/stalled", nil)
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err, "the header came")
	<-arrived
	cancel()
	answer, err := io.ReadAll(resp.Body)
	assert.Equal(t, "half", string(answer))
	assert.ErrorIs(t, err, context.Canceled)
	require.NoError(t, resp.Body.Close())

	ctx, stop := context.WithTimeout(context.Background(), time.Hour)
	defer stop()
	_, after, err := send(ctx, tr, http.MethodGet, srv.URL+"/after", "", nil)
	require.NoError(t, err)
	assert.Equal(t, "ok", after)
	assert.EqualValues(t, 3, dials.Load(), "an interrupted connection is not used again")
}

// A body closed before its end closes its connection.
func TestBodyClosedEarlyClosesItsConnection(t *testing.T) {
	srv, dials := countingServer(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("x", 1000)))
	})
	tr := &Transport{}
	req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	part := make([]byte, 10)
	_, err = io.ReadFull(resp.Body, part)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	_, err = resp.Body.Read(part)
	assert.Error(t, err, "a read after Close")
	_, answer, err := send(context.Background(), tr, http.MethodGet, srv.URL, "", nil)
	require.NoError(t, err)
	assert.Len(t, answer, 1000)
	assert.EqualValues(t, 2, dials.Load())
}

// A header name or value that would split the request is refused before anything is
// sent.
func TestHeadersThatWouldSplitTheRequestAreRefused(t *testing.T) {
	srv, dials := countingServer(t, func(w http.ResponseWriter, _ *http.Request) {})
	tr := &Transport{}
	for name, header := range map[string]http.Header{
		"line break in a value": {"X-Correlation-Id": {"abc\r\nX-Injected: 1"}},
		"line feed in a value":  {"X-Correlation-Id": {"abc\nGET / HTTP/1.1"}},
		"colon in a name":       {"X-Bad:Name": {"v"}},
		"space in a name":       {"X Bad": {"v"}},
	} {
		_, _, err := send(context.Background(), tr, http.MethodGet, srv.URL, "", header)
		assert.Error(t, err, name)
	}
	assert.Zero(t, dials.Load(), "connections")
}

// Interim answers are skipped; answers the transport cannot delimit are errors, not
// guesses.
func TestInterimAndMalformedAnswers(t *testing.T) {
	answers := map[string]string{
		"/interim":     "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody",
		"/status":      "HTTP/1.1 2OO OK\r\n\r\n",
		"/version":     "HTTP/2.0 200 OK\r\n\r\n",
		"/lengths":     "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nbody",
		"/encoding":    "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nbody",
		"/short":       "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nbody",
		"/switch":      "HTTP/1.1 101 Switching Protocols\r\n\r\n",
		"/bad-chunked": "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbody",
		"/folded":      "HTTP/1.1 200 OK\r\nX-Long: a\r\n b\r\nContent-Length: 0\r\n\r\n",
		"/no-colon":    "HTTP/1.1 200 OK\r\nX-Long a\r\nContent-Length: 0\r\n\r\n",
		"/huge-head":   "HTTP/1.1 200 OK\r\n" + strings.Repeat("X-Filler: "+strings.Repeat("f", 1000)+"\r\n", 1100) + "Content-Length: 0\r\n\r\n",
		"/cut-head":    "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n",
	}
	srv := newRawServer(t, func(s *session) {
		req, _, err := s.next()
		if err != nil {
			return
		}
		s.write(answers[req.URL.Path])
	})
	tr := &Transport{}
	for path := range answers {
		resp, answer, err := send(context.Background(), tr, http.MethodGet, srv.url(path), "", nil)
		if path == "/interim" {
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, "body", answer)
			continue
		}
		assert.Error(t, err, path)
	}
}

// Over TLS the transport speaks HTTP/1.1 to a server that offers HTTP/2, and keeps its
// connection.
func TestTLSSpeaksHTTP1(t *testing.T) {
	var protocols sync.Map
	srv, dials := unstartedCountingServer(func(w http.ResponseWriter, r *http.Request) {
		protocols.Store(r.Proto, true)
		_, _ = w.Write([]byte("secure"))
	})
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	tr := &Transport{TLSClientConfig: &tls.Config{RootCAs: srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs}}
	for range 3 {
		_, answer, err := send(context.Background(), tr, http.MethodGet, srv.URL, "", nil)
		require.NoError(t, err)
		assert.Equal(t, "secure", answer)
	}
	protocols.Range(func(k, _ any) bool { assert.Equal(t, "HTTP/1.1", k); return true })
	assert.EqualValues(t, 1, dials.Load())

	untrusting := &Transport{}
	_, _, err := send(context.Background(), untrusting, http.MethodGet, srv.URL, "", nil)
	var unknown x509.UnknownAuthorityError
	assert.True(t, errors.As(err, &unknown), "a server the transport does not trust: %v", err)
}

// awaitEnd waits until the end of the connection tr keeps idle has reached it: its
// socket turns readable, with nothing to read.
func awaitEnd(t *testing.T, tr *Transport) {
	t.Helper()
	tr.mu.Lock()
	var c *conn
	for _, conns := range tr.idle {
		c = conns[len(conns)-1]
	}
	tr.mu.Unlock()
	require.NotNil(t, c, "an idle connection")
	rc, err := c.raw.(syscall.Conn).SyscallConn()
	require.NoError(t, err)
	var b [1]byte
	require.NoError(t, rc.Read(func(fd uintptr) bool {
		_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return !errors.Is(err, syscall.EAGAIN) // false: wait until the socket is readable
	}))
}

// Header names arrive in any case and are canonical in the answer; repeated fields keep
// every value in order; a field longer than the connection's buffer is read whole.
func TestAnswerHeaderFields(t *testing.T) {
	long := strings.Repeat("v", 3*bufferSize)
	srv := newRawServer(t, func(s *session) {
		for {
			if _, _, err := s.next(); err != nil {
				return
			}
			s.write("HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\nset-cookie: a=1\r\n" +
				"Set-Cookie: b=2\r\nX-Long:" + long + "  \r\nx-correlation-id:\tcorr-1\r\ncontent-length: 2\r\n\r\n{}")
		}
	})
	tr := &Transport{}
	for range 2 {
		resp, answer, err := send(context.Background(), tr, http.MethodGet, srv.url("/"), "", nil)
		require.NoError(t, err)
		assert.Equal(t, "{}", answer)
		assert.Equal(t, http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Set-Cookie": {"a=1", "b=2"},
			"X-Long": {long}, "X-Correlation-Id": {"corr-1"}, "Content-Length": {"2"}}, resp.Header)
		assert.EqualValues(t, 2, resp.ContentLength)
	}
	assert.EqualValues(t, 1, srv.conns.Load())
}

// Timeout ends a round trip whose answer, or whose body, does not come, with ErrTimeout.
// A GET on a reused connection is not tried again after it: the other idle connections
// stay as they were.
func TestTimeoutEndsARoundTrip(t *testing.T) {
	hold := make(chan struct{})
	pair := make(chan struct{})
	var silent, paired atomic.Int64
	srv, dials := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/pair": // two requests at once, on two connections
			if paired.Add(1) == 2 {
				close(pair)
			}
			<-pair
		case "/silent":
			silent.Add(1)
			<-hold
		case "/stalled":
			w.Header().Set("Content-Length", "100")
			_, _ = w.Write([]byte("half"))
			w.(http.Flusher).Flush()
			<-hold
		}
		_, _ = w.Write([]byte("ok"))
	})
	t.Cleanup(func() { close(hold) })
	tr := &Transport{}
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 2 { // without a limit, however long the two take to meet
		wg.Go(func() {
			_, _, err := send(ctx, tr, http.MethodGet, srv.URL+"/pair", "", nil)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	tr.Timeout = 250 * time.Millisecond
	assert.Equal(t, 250*time.Millisecond, tr.RoundTripLimit())

	_, _, err := send(ctx, tr, http.MethodGet, srv.URL+"/silent", "", nil)
	assert.ErrorIs(t, err, ErrTimeout)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.EqualValues(t, 1, silent.Load(), "the GET, sent once")
	_, answer, err := send(ctx, tr, http.MethodGet, srv.URL+"/after", "", nil)
	require.NoError(t, err)
	assert.Equal(t, "ok", answer)
	assert.EqualValues(t, 2, dials.Load(), "the other idle connection carried the next request")

	_, answer, err = send(ctx, tr, http.MethodGet, srv.URL+"/stalled", "", nil)
	assert.Equal(t, "half", answer)
	assert.ErrorIs(t, err, ErrTimeout)
}

// A connection whose last request's deadline passed while it lay idle carries the next
// request.
func TestPassedDeadlineDoesNotStayOnTheConnection(t *testing.T) {
	srv, dials := countingServer(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	tr := &Transport{Timeout: time.Hour}
	_, _, err := send(context.Background(), tr, http.MethodGet, srv.URL, "", nil)
	require.NoError(t, err)
	idle := tr.idle[hostKey{host: srv.Listener.Addr().String()}]
	require.Len(t, idle, 1)
	require.NoError(t, idle[0].nc.SetDeadline(time.Now().Add(-time.Second))) // as if it had passed while idle
	_, answer, err := send(context.Background(), tr, http.MethodGet, srv.URL, "", nil)
	require.NoError(t, err)
	assert.Equal(t, "ok", answer)
	assert.EqualValues(t, 1, dials.Load())
}
