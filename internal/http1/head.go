//go:build !js

package http1

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"strings"
)

// maxHead bounds an answer's status line and header fields together, as net/http's
// Transport bounds them by default.
const maxHead = 1 << 20

// readHead reads an answer's head, up to and including the empty line that ends it, and
// returns its status line and its header. The header's names and values are cut from
// one string holding the whole head, so a head costs a few allocations, not a few per
// field.
func readHead(br *bufio.Reader) (string, http.Header, error) {
	var (
		text  strings.Builder
		lines int
	)
	text.Grow(512)
	for {
		line, err := br.ReadSlice('\n')
		if text.Len()+len(line) > maxHead {
			return "", nil, errors.New("answer head too long")
		}
		text.Write(line)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue // a line longer than the buffer: read on
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return "", nil, err
		}
		if lines++; lines > 1 && blank(line) {
			break
		}
	}
	head := text.String()
	status, fields, _ := strings.Cut(head, "\n")
	header, err := parseFields(fields, lines-2)
	if err != nil {
		return "", nil, err
	}
	return strings.TrimSuffix(status, "\r"), header, nil
}

// parseFields parses n "Name: value" lines, ended by an empty line.
func parseFields(fields string, n int) (http.Header, error) {
	header := make(http.Header, n)
	values := make([]string, 0, n)
	for fields != "" {
		var line string
		line, fields, _ = strings.Cut(fields, "\n")
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			return nil, fmt.Errorf("malformed header line %q: folded", line)
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || !validToken(name) {
			return nil, fmt.Errorf("malformed header line %q", line)
		}
		name = textproto.CanonicalMIMEHeaderKey(name) // no allocation when already canonical
		value = strings.Trim(value, " \t")
		if prior, seen := header[name]; seen {
			header[name] = append(prior, value)
			continue
		}
		values = append(values, value)
		header[name] = values[len(values)-1 : len(values) : len(values)]
	}
	return header, nil
}

// blank reports whether line is an empty line: a lone CRLF, or a lone LF.
func blank(line []byte) bool {
	return (len(line) == 2 && line[0] == '\r' && line[1] == '\n') || (len(line) == 1 && line[0] == '\n')
}
