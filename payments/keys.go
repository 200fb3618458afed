package payments

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Attempt keys. Every attempt to move money has a key of four parts joined by "_":
//
//	flow    what the attempt does: pay, rec (recurring), gc (gift-card redemption), op
//	scope   who may repeat it: a hash of the cart (or payment) and the client's
//	        Idempotency-Key or merchantReference, or "x" when the client gave none
//	print   a hash of what the request asked for, so that a key reused for another
//	        request is recognised
//	nonce   random, unique to the request that made the attempt
//
// A payment's key is its attempt key; its transactions' interaction ids, which are the
// providers' idempotency keys, add the transaction's role ("auth", "charge", "refund",
// "cancel"). Two requests are the same logical request when flow, scope and print match;
// the nonce tells the request that made an attempt from its repeats.
type attemptKey struct {
	flow, scope, print, nonce string
}

// noScope is the scope of attempts made without an idempotency key.
const noScope = "x"

// newAttemptKey returns a fresh key for a request of flow on subject (a cart or payment
// id), with the client's key (may be empty) and the request's fingerprint.
func newAttemptKey(flow, subject, clientKey, print string) attemptKey {
	scope := noScope
	if clientKey != "" {
		scope = digest(subject, clientKey)[:16]
	}
	return attemptKey{flow: flow, scope: scope, print: print}.renewed()
}

// renewed is the key with a fresh nonce, for a new attempt of the same request.
func (k attemptKey) renewed() attemptKey {
	nonce := make([]byte, 6)
	_, _ = rand.Read(nonce)
	k.nonce = hex.EncodeToString(nonce)
	return k
}

// String is the key as stored.
func (k attemptKey) String() string { return k.flow + "_" + k.scope + "_" + k.print + "_" + k.nonce }

// interaction is the interaction id of the attempt's transaction with role.
func (k attemptKey) interaction(role string) string { return k.String() + "_" + role }

// keyed reports whether the client named the attempt.
func (k attemptKey) keyed() bool { return k.scope != noScope }

// sameScope reports whether o was made by the same client key for the same flow.
func (k attemptKey) sameScope(o attemptKey) bool { return k.flow == o.flow && k.scope == o.scope }

// sameRequest reports whether o asked for the same thing under the same scope.
func (k attemptKey) sameRequest(o attemptKey) bool { return k.sameScope(o) && k.print == o.print }

// parseKey reads a payment key or an interaction id; ok is false for keys this
// processor did not make.
func parseKey(s string) (attemptKey, bool) {
	parts := strings.Split(s, "_")
	if len(parts) < 4 {
		return attemptKey{}, false
	}
	return attemptKey{flow: parts[0], scope: parts[1], print: parts[2], nonce: parts[3]}, true
}

// fingerprint hashes what a request asks for.
func fingerprint(fields ...string) string { return digest(fields...)[:12] }

func digest(fields ...string) string {
	h := sha256.New()
	for _, f := range fields {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}
