//go:build !js

package commercetools

import gojson "github.com/goccy/go-json"

// The client decodes answers and encodes bodies with goccy/go-json: a 2 KB cart decodes
// about five times as fast as with encoding/json. The WebAssembly build keeps
// encoding/json (codec_js.go): there go-json cost more CPU and memory than it saved.
var (
	decodeAnswer = gojson.Unmarshal
	encodeBody   = gojson.Marshal
)
