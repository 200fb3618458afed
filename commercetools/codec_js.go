//go:build js

package commercetools

import "encoding/json"

// The WebAssembly build decodes and encodes with encoding/json (see codec.go).
var (
	decodeAnswer = json.Unmarshal
	encodeBody   = json.Marshal
)
