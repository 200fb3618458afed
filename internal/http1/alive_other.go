//go:build !js && !unix

package http1

// alive takes an idle connection for open where the socket cannot be peeked at; a
// request that then fails to be written is sent again on a new connection.
func (c *conn) alive() bool { return c.br.Buffered() == 0 }
