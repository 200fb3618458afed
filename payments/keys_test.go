package payments

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAttemptKeys(t *testing.T) {
	a := newAttemptKey("pay", "cart-1", "click-1", fingerprint("card"))
	b := newAttemptKey("pay", "cart-1", "click-1", fingerprint("card"))
	assert.NotEqual(t, a.String(), b.String(), "every attempt has its own key")
	assert.True(t, a.sameRequest(b), "same client key, same request")

	parsed, ok := parseKey(a.interaction("auth"))
	assert.True(t, ok)
	assert.Equal(t, a, parsed, "an interaction id names its attempt")

	assert.False(t, a.sameScope(newAttemptKey("pay", "cart-2", "click-1", fingerprint("card"))), "keys are scoped to their cart")
	assert.False(t, a.sameScope(newAttemptKey("gc", "cart-1", "click-1", fingerprint("card"))), "and to their flow")
	assert.False(t, a.sameRequest(newAttemptKey("pay", "cart-1", "click-1", fingerprint("invoice"))), "another request under the key")

	anonymous := newAttemptKey("pay", "cart-1", "", fingerprint("card"))
	assert.False(t, anonymous.keyed())
	assert.True(t, anonymous.sameRequest(newAttemptKey("pay", "cart-1", "", fingerprint("card"))), "a double click without key")
	assert.False(t, anonymous.sameScope(a))

	key := regexp.MustCompile(`^[A-Za-z0-9_-]{2,256}$`)
	assert.Regexp(t, key, a.String(), "a valid commercetools key")

	_, ok = parseKey("someone-elses-key")
	assert.False(t, ok)
	assert.Equal(t, a.scope, a.renewed().scope)
	assert.NotEqual(t, a.nonce, a.renewed().nonce)
}
