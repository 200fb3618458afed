//go:build pprof && !js

package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
)

// A build with the tag pprof serves Go's profiles (net/http/pprof: /debug/pprof/profile,
// /debug/pprof/allocs, ...) on the address PROCESSOR_PPROF_ADDR names, a listener apart
// from the API's. The load command's -cpuprofile and -memprofile build the processor so;
// releases carry none of it.
func init() {
	addr := os.Getenv("PROCESSOR_PPROF_ADDR")
	if addr == "" {
		return
	}
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "processor: profiles:", err)
		os.Exit(1)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	go func() {
		err := http.Serve(listener, mux)
		fmt.Fprintln(os.Stderr, "processor: profiles:", err)
	}()
}
