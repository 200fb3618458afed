// Package memo is a bounded memory for the mock providers: a map that forgets its oldest
// entries beyond a capacity, so that a mock serving a demo for weeks keeps a fixed size.
package memo

// Map is a map of at most Capacity entries; putting one more forgets the oldest. It is not
// safe for concurrent use: the mocks hold it under their own lock.
type Map[K comparable, V any] struct {
	capacity int
	entries  map[K]V
	order    []K // insertion order; a ring once full
	next     int
}

// New returns a Map of capacity entries (at least 1).
func New[K comparable, V any](capacity int) *Map[K, V] {
	capacity = max(capacity, 1)
	return &Map[K, V]{capacity: capacity, entries: make(map[K]V)}
}

// Get returns the value of key.
func (m *Map[K, V]) Get(key K) (V, bool) {
	v, ok := m.entries[key]
	return v, ok
}

// Put sets the value of key, forgetting the oldest entry when the map is full.
func (m *Map[K, V]) Put(key K, value V) {
	if _, ok := m.entries[key]; ok {
		m.entries[key] = value
		return
	}
	if len(m.order) < m.capacity {
		m.order = append(m.order, key)
	} else {
		delete(m.entries, m.order[m.next])
		m.order[m.next] = key
		m.next = (m.next + 1) % m.capacity
	}
	m.entries[key] = value
}

// Len is the number of entries.
func (m *Map[K, V]) Len() int { return len(m.entries) }
