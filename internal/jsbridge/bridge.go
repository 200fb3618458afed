//go:build js && wasm

package jsbridge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall/js"
)

// Serve offers h to the host and blocks until the host calls shutdown or ctx ends.
// Requests are handled with contexts derived from ctx.
func Serve(ctx context.Context, h http.Handler, log *slog.Logger) error {
	host := js.Global().Get("processorHost")
	if host.Type() != js.TypeObject {
		return errors.New("jsbridge: no globalThis.processorHost: start the processor with the launcher")
	}
	done := make(chan struct{})
	uint8Array := js.Global().Get("Uint8Array")

	handle := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) < 6 || args[5].Type() != js.TypeFunction {
			panic("jsbridge: handle(method, url, rawHeaders, body, remoteAddr, done)")
		}
		method, target, rawHeaders, body, remote, reply := args[0].String(), args[1].String(), args[2], args[3], args[4].String(), args[5]
		req, err := newRequest(ctx, method, target, rawHeaders, body, remote)
		go func() {
			resp := &response{header: http.Header{}}
			if err != nil {
				log.Warn("jsbridge: malformed request from the host", slog.Any("error", err))
				resp.fail(http.StatusBadRequest, "InvalidInput", "The request is malformed.")
			} else {
				serveSafely(h, resp, req, log)
			}
			answer(reply, resp.toJS(uint8Array), log)
		}()
		return nil
	})
	shutdown := js.FuncOf(func(js.Value, []js.Value) any {
		select {
		case <-done:
		default:
			close(done)
		}
		return nil
	})
	defer handle.Release()
	defer shutdown.Release()

	api := js.Global().Get("Object").New()
	api.Set("handle", handle)
	api.Set("shutdown", shutdown)
	host.Call("ready", api)
	select {
	case <-done:
	case <-ctx.Done():
	}
	return nil
}

// answer hands the answer to the host's callback. A callback that throws (a header value
// Node refuses, say) costs that request, never the process: the host drops the connection.
func answer(reply, v js.Value, log *slog.Logger) {
	defer func() {
		if e := recover(); e != nil {
			log.Error("jsbridge: the host refused an answer", slog.String("error", fmt.Sprint(e)))
		}
	}()
	reply.Invoke(v)
}

// serveSafely runs h as net/http's server would around a panic (gin recovers its own; this
// guards the bridge, whose goroutine has no server around it): a panic before the answer
// started answers 500; one after it, or http.ErrAbortHandler, aborts the answer, which
// the host turns into a dropped connection, as net/http does.
func serveSafely(h http.Handler, w *response, r *http.Request, log *slog.Logger) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v != http.ErrAbortHandler {
			log.Error("jsbridge: handler panicked", slog.String("panic", fmt.Sprint(v)))
		}
		if w.status == 0 && v != http.ErrAbortHandler {
			w.fail(http.StatusInternalServerError, "General", "Internal server error.")
			return
		}
		w.aborted = true
	}()
	h.ServeHTTP(w, r)
}

// newRequest builds the server-side request the host described.
func newRequest(ctx context.Context, method, target string, rawHeaders, body js.Value, remote string) (*http.Request, error) {
	header := http.Header{}
	for i := 0; i+1 < rawHeaders.Length(); i += 2 {
		header.Add(rawHeaders.Index(i).String(), rawHeaders.Index(i+1).String())
	}
	var payload []byte
	if body.Type() == js.TypeObject && body.Length() > 0 {
		payload = make([]byte, body.Length())
		js.CopyBytesToGo(payload, body)
	}
	host := header.Get("Host")
	if host == "" {
		host = "localhost"
	}
	// The route comes from the request target alone, as net/http's server takes it; the
	// Host header names the host and nothing more.
	if !validHost(host) {
		return nil, fmt.Errorf("request %s %q: malformed Host %q", method, target, host)
	}
	u, err := url.ParseRequestURI(target)
	if err != nil || u.Host != "" || !strings.HasPrefix(target, "/") {
		return nil, fmt.Errorf("request %s %q: the target is not a path", method, target)
	}
	req, err := http.NewRequestWithContext(ctx, method, "/", bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("request %s %q: %w", method, target, err)
	}
	req.URL = u
	req.Header = header
	req.Host = host
	req.RequestURI = target
	req.RemoteAddr = remote
	req.ContentLength = int64(len(payload))
	if len(payload) == 0 {
		req.Body = http.NoBody
	}
	return req, nil
}

// validHost accepts a host[:port] as HTTP allows it in a Host header: no path, query,
// fragment, user, space or control character.
func validHost(h string) bool {
	for _, c := range h {
		if c <= ' ' || c == 0x7f || strings.ContainsRune("/?#@\\\"<>{}|^`", c) {
			return false
		}
	}
	return true
}

// response collects a handler's answer for the host.
type response struct {
	header  http.Header
	status  int
	body    bytes.Buffer
	aborted bool // the answer must not be sent: the host drops the connection
}

func (r *response) Header() http.Header { return r.header }

func (r *response) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *response) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(p)
}

// fail answers status in the commercetools error shape, for what the handler never saw.
func (r *response) fail(status int, code, message string) {
	r.header.Del("Content-Length")
	r.header.Del("Content-Encoding")
	r.header.Set("Content-Type", "application/json")
	r.WriteHeader(status)
	fmt.Fprintf(&r.body, `{"message":%q,"statusCode":%d,"errors":[{"code":%q,"message":%q}]}`, message, status, code, message)
}

// Flush does nothing: the host writes the answer once the handler has returned.
func (r *response) Flush() {}

// ReadFrom lets io.Copy write straight into the buffer.
func (r *response) ReadFrom(src io.Reader) (int64, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.ReadFrom(src)
}

func (r *response) toJS(uint8Array js.Value) js.Value {
	r.WriteHeader(http.StatusOK)
	headers := make([]any, 0, 2*len(r.header)+2)
	for name, values := range r.header {
		for _, v := range values {
			headers = append(headers, name, v)
		}
	}
	if r.header.Get("Content-Length") == "" && r.status != http.StatusNoContent && r.status != http.StatusNotModified {
		headers = append(headers, "Content-Length", strconv.Itoa(r.body.Len()))
	}
	body := uint8Array.New(r.body.Len())
	js.CopyBytesToJS(body, r.body.Bytes())
	out := js.Global().Get("Object").New()
	if r.aborted {
		out.Set("abort", true)
		return out
	}
	out.Set("status", r.status)
	out.Set("headers", headers)
	out.Set("body", body)
	return out
}
