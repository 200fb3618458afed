//go:build !pprof

package main

import "runtime"

// A build without the pprof tag serves no heap profile, so it does not sample its
// allocations for one: at Go's default rate the runtime records the stack of an
// allocation every 512 KB, about one payment in ten, which cost the processor 1-2% of
// its CPU under load.
func init() { runtime.MemProfileRate = 0 }
