package http1

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A connection idle for longer than IdleConnTimeout is closed and a new one dialled.
func TestIdleConnectionsExpire(t *testing.T) {
	srv, dials := countingServer(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	tr := &Transport{IdleConnTimeout: time.Minute, now: func() time.Time { return now }}
	ctx := context.Background()
	for _, wait := range []time.Duration{0, 59 * time.Second, 61 * time.Second} {
		now = now.Add(wait)
		_, _, err := send(ctx, tr, http.MethodGet, srv.URL, "", nil)
		require.NoError(t, err)
	}
	assert.EqualValues(t, 2, dials.Load(), "a new connection after 61 s idle, not after 59 s")
	assert.Len(t, tr.idle[hostKey{host: srv.Listener.Addr().String()}], 1, "idle connections kept")
}

// No more than MaxIdleConnsPerHost connections are kept idle; the others are closed.
func TestIdleConnectionsAreBounded(t *testing.T) {
	const callers, kept = 3, 2
	var (
		mu      sync.Mutex
		arrived int
		all     = make(chan struct{})
	)
	srv, dials := countingServer(t, func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		if arrived++; arrived%callers == 0 {
			close(all)
			all = make(chan struct{})
			mu.Unlock()
		} else {
			wait := all
			mu.Unlock()
			<-wait // every caller holds a connection at once
		}
		_, _ = w.Write([]byte("ok"))
	})
	tr := &Transport{MaxIdleConnsPerHost: kept}
	for range 2 {
		var wg sync.WaitGroup
		for range callers {
			wg.Go(func() {
				_, _, err := send(context.Background(), tr, http.MethodGet, srv.URL, "", nil)
				assert.NoError(t, err)
			})
		}
		wg.Wait()
		assert.Len(t, tr.idle[hostKey{host: srv.Listener.Addr().String()}], kept)
	}
	assert.EqualValues(t, callers+callers-kept, dials.Load(), "connections dialled for two rounds")
}

// A request that could not be written on a reused connection is sent on a new one, a
// POST included: the server cannot have read it. It reaches the server once.
func TestUnwrittenRequestIsSentOnANewConnection(t *testing.T) {
	release := make(chan struct{})
	srv := newRawServer(t, func(s *session) {
		for {
			req, _, err := s.next()
			if err != nil {
				<-release // keep the connection open: only the client's side is shut
				return
			}
			s.write("HTTP/1.1 200 OK\r\nContent-Length: " + map[string]string{"GET": "3", "POST": "4"}[req.Method] + "\r\n\r\n" + req.Method)
		}
	})
	t.Cleanup(func() { close(release) }) // before the server's own clean-up, which waits for its connections
	tr := &Transport{}
	ctx := context.Background()
	_, _, err := send(ctx, tr, http.MethodGet, srv.url("/warm"), "", nil)
	require.NoError(t, err)
	idle := tr.idle[hostKey{host: srv.ln.Addr().String()}]
	require.Len(t, idle, 1)
	require.NoError(t, idle[0].raw.(*net.TCPConn).CloseWrite()) // writing on it now fails

	_, answer, err := send(ctx, tr, http.MethodPost, srv.url("/payments"), `{"amount":1}`, nil)
	require.NoError(t, err)
	assert.Equal(t, "POST", answer)
	assert.EqualValues(t, 2, srv.requests.Load(), "the GET and the POST, once each")
	assert.EqualValues(t, 2, srv.conns.Load())
}

// A transport left idle closes its connections once they have been idle for
// IdleConnTimeout, without waiting for another request.
func TestIdleConnectionsAreClosedWhileNothingHappens(t *testing.T) {
	closed := make(chan struct{}, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateClosed {
			closed <- struct{}{}
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	tr := &Transport{IdleConnTimeout: 50 * time.Millisecond}
	_, _, err := send(context.Background(), tr, http.MethodGet, srv.URL, "", nil)
	require.NoError(t, err)
	select {
	case <-closed:
	case <-time.After(30 * time.Second): // a hang detector, far past the 50 ms
		t.Fatal("the idle connection was not closed")
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	assert.Empty(t, tr.idle[hostKey{host: srv.Listener.Addr().String()}])
	assert.False(t, tr.sweeping, "nothing left to sweep")
}
