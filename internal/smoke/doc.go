// Package smoke runs the processor the way it is deployed, as a separate program against
// the commercetools emulator on loopback, and drives it through its API (Suite). Both
// runtimes run it: the native binary, and the WebAssembly build behind the Node.js
// launcher that commercetools Connect runs. The load command (cmd/loadtest) starts its
// programs with it too.
package smoke
