package http1

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// rawServer accepts connections on loopback and hands each, with the requests read off
// it by net/http's own parser, to a script that answers by writing bytes.
type rawServer struct {
	ln    net.Listener
	conns atomic.Int64
	// requests counts the requests read off all connections.
	requests atomic.Int64
	wg       sync.WaitGroup
	mu       sync.Mutex
	open     []net.Conn
}

// session is what a script sees of one connection.
type session struct {
	s    *rawServer
	conn net.Conn
	br   *bufio.Reader
	n    int64 // the connection's number, from 1
}

// next reads the next request, with its body.
func (s *session) next() (*http.Request, []byte, error) {
	req, err := http.ReadRequest(s.br)
	if err != nil {
		return nil, nil, err
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, nil, err
	}
	s.s.requests.Add(1)
	return req, body, nil
}

func (s *session) write(raw string) { _, _ = s.conn.Write([]byte(raw)) }

func newRawServer(t *testing.T, script func(*session)) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &rawServer{ln: ln}
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n := s.conns.Add(1)
			s.mu.Lock()
			s.open = append(s.open, c)
			s.mu.Unlock()
			s.wg.Go(func() {
				defer c.Close()
				script(&session{s: s, conn: c, br: bufio.NewReader(c), n: n})
			})
		}
	})
	t.Cleanup(func() {
		_ = ln.Close()
		s.mu.Lock()
		for _, c := range s.open { // connections the client keeps idle
			_ = c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *rawServer) url(path string) string { return "http://" + s.ln.Addr().String() + path }

// countingServer is an httptest server that counts the connections it accepts.
func countingServer(t *testing.T, handler http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	srv, dials := unstartedCountingServer(handler)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, dials
}

// unstartedCountingServer is countingServer before its start.
func unstartedCountingServer(handler http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	srv := httptest.NewUnstartedServer(handler)
	var dials atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			dials.Add(1)
		}
	}
	return srv, &dials
}
