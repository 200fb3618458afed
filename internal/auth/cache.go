package auth

import (
	"crypto/sha256"
	"sync"
	"time"
)

// cache remembers verification results for a while, keyed by a SHA-256 of the credential
// so that no credential is kept as a map key. It holds at most maxEntries; when full,
// expired entries go first, then everything.
type cache[V any] struct {
	mu         sync.Mutex
	entries    map[[sha256.Size]byte]cached[V]
	maxEntries int
}

type cached[V any] struct {
	value   V
	expires time.Time
}

func newCache[V any](maxEntries int) *cache[V] {
	return &cache[V]{entries: map[[sha256.Size]byte]cached[V]{}, maxEntries: maxEntries}
}

func (c *cache[V]) get(credential string, now time.Time) (V, bool) {
	key := sha256.Sum256([]byte(credential))
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || !now.Before(e.expires) {
		var zero V
		return zero, false
	}
	return e.value, true
}

func (c *cache[V]) put(credential string, value V, expires time.Time, now time.Time) {
	if !now.Before(expires) {
		return
	}
	key := sha256.Sum256([]byte(credential))
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.maxEntries {
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= c.maxEntries {
			clear(c.entries)
		}
	}
	c.entries[key] = cached[V]{value: value, expires: expires}
}
