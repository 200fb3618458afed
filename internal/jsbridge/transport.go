//go:build js && wasm

package jsbridge

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall/js"
	"time"
)

// Transport sends HTTP requests through the host's send function (the launcher's, over
// Node's http client) in one call each way: the request whole, then the answer whole.
// Go's own js/wasm transport goes through fetch and streams, which cost the processor
// more CPU than the calls themselves. It needs globalThis.processorHost.send:
//
//	send(method, url, headers, body, timeoutMs, done)
//
// where headers are "name\x00value\x00…" and done(status, headers, body, error) answers.
type Transport struct{}

// hostSend is the launcher's send function, looked up once: the launcher sets it before
// the processor starts.
var hostSend = sync.OnceValue(func() js.Value { return js.Global().Get("processorHost").Get("send") })

// RoundTrip implements http.RoundTripper.
func (Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	send := hostSend()
	if send.Type() != js.TypeFunction {
		return nil, fmt.Errorf("jsbridge: the host has no send function")
	}
	var payload []byte
	if req.Body != nil {
		var err error
		payload, err = io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("jsbridge: read the request body: %w", err)
		}
	}
	var headers strings.Builder
	for name, values := range req.Header {
		for _, v := range values {
			headers.WriteString(name + "\x00" + v + "\x00")
		}
	}
	if req.Host != "" && req.Host != req.URL.Host {
		headers.WriteString("Host\x00" + req.Host + "\x00")
	}
	body := js.Null()
	if len(payload) > 0 {
		body = js.Global().Get("Uint8Array").New(len(payload))
		js.CopyBytesToJS(body, payload)
	}
	timeout := 0
	if deadline, ok := req.Context().Deadline(); ok {
		timeout = max(1, int(time.Until(deadline).Milliseconds()))
	}

	type answer struct {
		resp *http.Response
		err  error
	}
	answered := make(chan answer, 1)
	var done js.Func
	done = js.FuncOf(func(_ js.Value, args []js.Value) any {
		done.Release()
		if len(args) > 3 && args[3].Type() == js.TypeString {
			answered <- answer{err: fmt.Errorf("jsbridge: %s %s: %s", req.Method, req.URL.Redacted(), args[3].String())}
			return nil
		}
		if len(args) < 3 || args[2].Type() != js.TypeObject {
			answered <- answer{err: fmt.Errorf("jsbridge: %s %s: the host answered without a body", req.Method, req.URL.Redacted())}
			return nil
		}
		code := args[0].Int()
		resp := &http.Response{Status: strconv.Itoa(code) + " " + http.StatusText(code), StatusCode: code,
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: http.Header{}, Request: req}
		fields := strings.Split(args[1].String(), "\x00")
		for i := 0; i+1 < len(fields); i += 2 {
			resp.Header.Add(fields[i], fields[i+1])
		}
		data := make([]byte, args[2].Length())
		js.CopyBytesToGo(data, args[2])
		resp.Body = io.NopCloser(bytes.NewReader(data))
		resp.ContentLength = int64(len(data))
		answered <- answer{resp: resp}
		return nil
	})
	send.Invoke(req.Method, req.URL.String(), headers.String(), body, timeout, done)
	select {
	case a := <-answered:
		return a.resp, a.err
	case <-req.Context().Done():
		// The host's own time limit ends the call; its late answer is dropped.
		return nil, req.Context().Err()
	}
}
