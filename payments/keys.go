package payments

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/google/uuid"
)

// derivedKey is a stable key for the parts: the same parts always give the same key, so a
// repeated request finds what the first one recorded. It uses only [a-z0-9-], which
// commercetools keys and interaction ids accept.
func derivedKey(prefix string, parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return prefix + "-" + hex.EncodeToString(sum[:])[:40]
}

// paymentKey is the commercetools payment key of a payment for a cart. With an
// Idempotency-Key it is derived from it; without one it is random, which still makes the
// creation safe to retry within the request.
func paymentKey(cartID, idempotencyKey string) string {
	if idempotencyKey == "" {
		return "pay-" + strings.ReplaceAll(uuid.NewString(), "-", "")
	}
	return derivedKey("pay", cartID, idempotencyKey)
}

// authorizationKey is the interaction id of a payment's authorization and the PSP's
// idempotency key for it.
func authorizationKey(paymentKey string) string { return paymentKey + "-auth" }
