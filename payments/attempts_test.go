package payments

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
)

// attemptPayment is a payment of attempt k whose transaction of txType is in state.
func attemptPayment(k attemptKey, txType, role, state string, cents int64, at time.Time) commercetools.Payment {
	return commercetools.Payment{ID: k.String(), Key: k.String(), AmountPlanned: eur(cents), Transactions: []commercetools.Transaction{{
		Type: txType, State: state, Amount: eur(cents), InteractionID: k.interaction(role),
		Timestamp: at.UTC().Format("2006-01-02T15:04:05.000Z"),
	}}}
}

func TestSameAttempt(t *testing.T) {
	now := time.Now().Truncate(time.Millisecond)
	card := fingerprint("card")
	keyed := newAttemptKey("pay", "cart", "click", card)
	anon := newAttemptKey("pay", "cart", "", card)

	p, _, err := sameAttempt([]commercetools.Payment{attemptPayment(keyed, authz, "auth", failure, 100, now)}, keyed.renewed(), authz)
	require.NoError(t, err)
	assert.NotNil(t, p, "a keyed repeat finds its first attempt, even a declined one")

	_, _, err = sameAttempt([]commercetools.Payment{attemptPayment(keyed, authz, "auth", success, 100, now)},
		newAttemptKey("pay", "cart", "click", fingerprint("invoice")), authz)
	assert.Equal(t, KindKeyReused, kindOf(err), "the key names another request")

	p, _, _ = sameAttempt([]commercetools.Payment{attemptPayment(anon, authz, "auth", initial, 100, now)}, anon.renewed(), authz)
	assert.NotNil(t, p, "a double click finds the attempt in flight")
	p, _, _ = sameAttempt([]commercetools.Payment{attemptPayment(anon, authz, "auth", success, 100, now)}, anon.renewed(), authz)
	assert.Nil(t, p, "without a key only an attempt in flight is the same request")
	p, _, _ = sameAttempt([]commercetools.Payment{attemptPayment(anon, authz, "auth", initial, 100, now)},
		newAttemptKey("pay", "cart", "", fingerprint("invoice")), authz)
	assert.Nil(t, p, "another method is another request")
}

func TestRefuse(t *testing.T) {
	now := time.Now().Truncate(time.Millisecond)
	s := &Service{cfg: Config{Budget: 20 * time.Second, Now: func() time.Time { return now }}, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	cart := &commercetools.Cart{TotalPrice: eur(1000)}
	card := fingerprint("card")
	a := attempt{key: newAttemptKey("pay", "cart", "", card), what: "A payment of this cart", txType: authz, role: "auth"}
	full := invalidOperation("The cart has already been paid in full")

	inFlight := []commercetools.Payment{attemptPayment(newAttemptKey("pay", "cart", "other", card), authz, "auth", initial, 1000, now.Add(-5*time.Second))}
	_, err := s.refuse(CartRoom(cart, inFlight), inFlight, a, full)
	require.Equal(t, KindInProgress, kindOf(err))
	assert.Equal(t, 15*time.Second, err.(*Error).RetryAfter, "when the attempt's request must have ended")

	paid := []commercetools.Payment{attemptPayment(a.key.renewed(), authz, "auth", success, 1000, now)}
	done, err := s.refuse(CartRoom(cart, paid), paid, a, full)
	require.NoError(t, err)
	assert.Equal(t, paid[0].ID, done.payment.ID, "the same request again answers the payment that paid the cart")

	other := attempt{key: newAttemptKey("pay", "cart", "", fingerprint("invoice")), txType: authz, role: "auth"}
	_, err = s.refuse(CartRoom(cart, paid), paid, other, full)
	assert.Equal(t, full, err, "another request is refused")
}
