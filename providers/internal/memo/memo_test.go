package memo

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMapForgetsTheOldest(t *testing.T) {
	m := New[string, int](3)
	for i, k := range []string{"a", "b", "c", "d", "e"} {
		m.Put(k, i)
	}
	assert.Equal(t, 3, m.Len(), "never more than its capacity")
	_, ok := m.Get("a")
	assert.False(t, ok, "the oldest is forgotten")
	_, ok = m.Get("b")
	assert.False(t, ok)
	v, ok := m.Get("e")
	assert.True(t, ok)
	assert.Equal(t, 4, v)

	m.Put("c", 10)
	v, _ = m.Get("c")
	assert.Equal(t, 10, v, "updating keeps the entry")
	assert.Equal(t, 3, m.Len())
}
