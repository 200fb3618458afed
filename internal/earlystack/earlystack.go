// Package earlystack gives the main goroutine, before the processor's libraries
// initialise, the stack they and start-up need.
//
// A goroutine starts with 8 KB of stack and doubles it when it runs out, copying it and
// walking every frame through the runtime's function tables. Package initialisation
// (kin-openapi's JSON Schema metaschemas, gin's validator) and loading the contract run
// deep on the main goroutine, so it used to double three times on the way to 64 KB, each
// time deeper, and the walks left 0.6 MB more of the binary's tables resident for the
// life of the process (the kernel maps 64 KB around every page they touch). Growing the
// stack once, here, while it is still shallow, avoids them; the collector halves the
// stack again when the processor is idle.
//
// It works because of the order Go initialises packages in: by import path, each as soon
// as what it imports is initialised. This package imports nothing and its path sorts
// before every library with a deep initialisation; a test checks the order. Import it,
// for its effect only, from the command's main package.
package earlystack

// frame is the stack the main goroutine is given, less what it already uses: 64 KB in
// all, as much as initialisation and start-up reach.
const frame = 56 << 10

func init() {
	// The result is used, so that the frame is not optimised away.
	if reserve(0) != 0 {
		panic("earlystack: a new frame is not zeroed")
	}
}

// reserve needs a frame of frame bytes; it returns the last, which is zero for i = 0.
//
//go:noinline
func reserve(i int) byte {
	var buf [frame]byte
	buf[i] = 1
	return buf[len(buf)-1-i]
}
