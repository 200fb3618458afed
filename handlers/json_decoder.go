package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

func init() {
	// kin-openapi's own JSON decoder stops after the first value, so `{} {}` would pass.
	openapi3filter.RegisterBodyDecoder("application/json", decodeJSONBody)
}

// maxJSONDepth bounds how deeply a request body may nest objects and arrays. The
// contract's deepest body nests four levels; a body nested far deeper is refused before it
// is decoded or validated, whose cost and error reports grow with the depth.
const maxJSONDepth = 32

// errTooDeep refuses a body nested deeper than maxJSONDepth.
var errTooDeep = fmt.Errorf("the JSON value nests deeper than %d levels", maxJSONDepth)

// decodeJSONBody reads exactly one JSON value, keeping numbers exact (json.Number) so that
// amounts beyond float64 precision are checked as written.
func decodeJSONBody(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
	data, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	if tooDeep(data, maxJSONDepth) {
		return nil, &openapi3filter.ParseError{Kind: openapi3filter.KindInvalidFormat, Cause: errTooDeep}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var value any
	if err := dec.Decode(&value); err != nil {
		return nil, &openapi3filter.ParseError{Kind: openapi3filter.KindInvalidFormat, Cause: err}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &openapi3filter.ParseError{Kind: openapi3filter.KindInvalidFormat, Reason: "data after the JSON value"}
	}
	return value, nil
}

// tooDeep reports whether data nests objects and arrays deeper than limit, looking past
// strings. It reads each byte once and allocates nothing.
func tooDeep(data []byte, limit int) bool {
	depth := 0
	inString, escaped := false, false
	for _, b := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case b == '\\':
				escaped = true
			case b == '"':
				inString = false
			}
		case b == '"':
			inString = true
		case b == '{' || b == '[':
			if depth++; depth > limit {
				return true
			}
		case b == '}' || b == ']':
			depth--
		}
	}
	return false
}
