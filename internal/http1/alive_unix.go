//go:build unix

package http1

import (
	"errors"
	"syscall"
)

// alive reports whether an idle connection may carry a request: the server has sent
// nothing on it since its last answer, neither the end of the connection nor anything
// else. One non-blocking peek at the socket, the system call net/http's reading
// goroutine makes on every idle connection as well.
func (c *conn) alive() bool {
	if c.br.Buffered() > 0 {
		return false // bytes after the last answer: the connection is out of step
	}
	if c.rawConn == nil {
		sc, ok := c.raw.(syscall.Conn)
		if !ok {
			return true
		}
		rc, err := sc.SyscallConn()
		if err != nil {
			return false
		}
		c.rawConn, c.probe = rc, c.peekSocket
	}
	if err := c.rawConn.Read(c.probe); err != nil {
		return false
	}
	return c.peekN < 0 && (errors.Is(c.peekErr, syscall.EAGAIN) || errors.Is(c.peekErr, syscall.EWOULDBLOCK))
}

// peekSocket looks at the socket without taking anything from it or waiting. It returns
// true so that RawConn.Read does not wait for the socket to become readable.
func (c *conn) peekSocket(fd uintptr) bool {
	n, _, err := syscall.Recvfrom(int(fd), c.peek[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	if err != nil {
		n = -1
	}
	c.peekN, c.peekErr = n, err
	return true
}
