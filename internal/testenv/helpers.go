package testenv

import (
	"runtime"
	"strings"
	"sync"
	"time"
)

// Clock is a clock a test moves by hand.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock showing start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// SyncBuffer is a log sink safe for concurrent writers.
type SyncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

// Write appends p.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Len is how many bytes were written.
func (b *SyncBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

// LiveHeap is the heap the program's live objects hold, in bytes, after full collections.
func LiveHeap() uint64 {
	runtime.GC()
	runtime.GC() // the first one's finalizers and sweeps are done with
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// SharedStrings returns the words as substrings of one string of size bytes, as a JSON
// decoder that does not copy strings (go-json) hands them out: each of them keeps the
// whole string, the answer they were read from, alive.
func SharedStrings(size int, words ...string) []string {
	s := strings.Join(words, " ") + " "
	s += strings.Repeat(".", max(size-len(s), 0))
	parts := make([]string, len(words))
	at := 0
	for i, w := range words {
		parts[i] = s[at : at+len(w)]
		at += len(w) + 1
	}
	return parts
}
