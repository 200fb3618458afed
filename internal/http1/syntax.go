//go:build !js

package http1

import (
	"bufio"
	"errors"
	"io"
	"net/http/httputil"
)

// validToken reports whether s is an HTTP token (RFC 9110 §5.6.2), as method and header
// names must be.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c < 0x80 && tokenPunctuation[c]:
		default:
			return false
		}
	}
	return true
}

var tokenPunctuation = [128]bool{'!': true, '#': true, '$': true, '%': true, '&': true, '\'': true, '*': true,
	'+': true, '-': true, '.': true, '^': true, '_': true, '`': true, '|': true, '~': true}

// validFieldValue reports whether s may be sent as a header value: no control characters
// but the tab, so no line breaks that would start another header or another request.
func validFieldValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// newChunkedReader reads a chunked body up to its last chunk.
func newChunkedReader(br *bufio.Reader) io.Reader { return httputil.NewChunkedReader(br) }

// maxTrailer bounds the trailer read after a chunked body.
const maxTrailer = 16 << 10

// discardTrailer reads the trailer fields after a chunked body's last chunk, up to and
// including the empty line that ends the answer.
func discardTrailer(br *bufio.Reader) error {
	read := 0
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		if len(line) <= 2 && (string(line) == "\r\n" || string(line) == "\n") {
			return nil
		}
		if read += len(line); read > maxTrailer {
			return errors.New("trailer too long")
		}
	}
}
