// Package jsbridge serves an http.Handler to the JavaScript host that runs the processor's
// WebAssembly build (the Node.js launcher in processor/). The host owns the socket: it
// reads each request whole, hands it over with handle, and writes the answer it gets back.
//
// The host object is globalThis.processorHost. Serve calls its ready method with
//
//	{ handle(method, url, rawHeaders, body, remoteAddr, done), shutdown() }
//
// and handle calls done({status, headers, body}) once the handler has answered (or
// done({abort: true}) when the answer must not be sent and the connection is dropped),
// where rawHeaders and headers are flat [name, value, name, value, …] arrays, as Node's
// IncomingMessage.rawHeaders and ServerResponse.writeHead use them, and bodies are
// Uint8Arrays.
//
// It is built for GOOS=js GOARCH=wasm only.
package jsbridge
