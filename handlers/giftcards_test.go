package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools"
)

func balance(t *testing.T, s *stack, sessionID, code string) *httptest.ResponseRecorder {
	t.Helper()
	req := jsonRequest("POST", "/balance", fmt.Sprintf(`{"code":%q}`, code))
	req.Header.Set("x-session-id", sessionID)
	return serve(t, s.engine, req)
}

func redeem(t *testing.T, s *stack, sessionID, code string, cents int64, currency string) *httptest.ResponseRecorder {
	t.Helper()
	req := jsonRequest("POST", "/redeem", fmt.Sprintf(`{"code":%q,"redeemAmount":{"centAmount":%d,"currencyCode":%q}}`, code, cents, currency))
	req.Header.Set("x-session-id", sessionID)
	return serve(t, s.engine, req)
}

type redeemed struct {
	Result           string `json:"result"`
	PaymentReference string `json:"paymentReference"`
	RedemptionID     string `json:"redemptionId"`
}

func redemptionOf(t *testing.T, rec *httptest.ResponseRecorder) redeemed {
	t.Helper()
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var r redeemed
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r))
	return r
}

// giftCardState reads the template's status object of a gift-card error and checks it
// agrees with the common error shape.
func giftCardState(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var body struct {
		StatusCode int `json:"statusCode"`
		Errors     []struct {
			Code string `json:"code"`
		} `json:"errors"`
		Status struct {
			State  string `json:"state"`
			Errors []struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"errors"`
		} `json:"status"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
	require.Len(t, body.Status.Errors, 1, rec.Body.String())
	assert.Equal(t, body.Status.State, body.Status.Errors[0].Code)
	assert.Equal(t, body.Status.State, body.Errors[0].Code)
	assert.Equal(t, rec.Code, body.StatusCode)
	return body.Status.State
}

func TestGiftCardBalanceOfEveryTestCode(t *testing.T) {
	s := newTestStack(t)
	checkout := s.ct.NewCheckout(t, 3000, "", commercetools.SessionMetadata{})
	valid := []struct {
		code               string
		amount, applicable int64
	}{
		{"Valid-5000-EUR", 5000, 3000},
		{"Valid-1000-EUR", 1000, 1000},
		{"Valid-00123-EUR", 123, 123},
	}
	for _, tc := range valid {
		rec := balance(t, s, checkout.SessionID, tc.code)
		require.Equal(t, http.StatusOK, rec.Code, "%s: %s", tc.code, rec.Body.String())
		var body struct {
			Status struct {
				State string `json:"state"`
			} `json:"status"`
			Amount           commercetools.Money `json:"amount"`
			ApplicableAmount commercetools.Money `json:"applicableAmount"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
		assert.Equal(t, "Valid", body.Status.State, tc.code)
		assert.Equal(t, tc.amount, body.Amount.CentAmount, tc.code)
		assert.Equal(t, "EUR", body.Amount.CurrencyCode, tc.code)
		assert.Equal(t, tc.applicable, body.ApplicableAmount.CentAmount, "%s: the part this cart can use", tc.code)
	}
	refused := []struct {
		code   string
		status int
		state  string
	}{
		{"Valid-0-EUR", 400, "ZeroBalance"},
		{"Valid-1000-USD", 400, "CurrencyNotMatch"},
		{"Expired", 400, "Expired"},
		{"GenericError", 400, "GenericError"},
		{"NotFound", 404, "NotFound"},
		{"123ABC", 400, "GenericError"},
		{"Valid--EUR", 400, "GenericError"},
	}
	for _, tc := range refused {
		rec := balance(t, s, checkout.SessionID, tc.code)
		assert.Equal(t, tc.status, rec.Code, tc.code)
		assert.Equal(t, tc.state, giftCardState(t, rec), tc.code)
	}

	usd, err := s.ct.Client.CreateCart(t.Context(), commercetools.CartDraft{Currency: "USD", CustomLineItems: []commercetools.CustomLineItemDraft{
		{Name: map[string]string{"en": "x"}, Slug: "x", Quantity: 1, Money: commercetools.Money{CurrencyCode: "USD", CentAmount: 100}}}})
	require.NoError(t, err)
	usdSession, err := s.ct.Client.CreateSession(t.Context(), commercetools.NewSessionDraft(usd.ID, commercetools.SessionMetadata{}))
	require.NoError(t, err)
	rec := balance(t, s, usdSession.ID, "Valid-1000-EUR")
	assert.Equal(t, "CurrencyNotMatch", giftCardState(t, rec), "the cart's currency is not the cards'")
}

// Every mock code through /balance and /redeem, by the contract's rule: what the provider
// refuses is a payment outcome (200, result Failure, a failed charge on the cart); what the
// processor refuses before asking it writes nothing.
func TestEveryTestCodeThroughBalanceAndRedeem(t *testing.T) {
	s := newTestStack(t)
	cases := []struct {
		code          string
		cents         int64
		balanceStatus int
		balanceState  string
		result        string // of the redemption
		reason        string // the provider's code on the payment, for a Failure
	}{
		{"Valid-5000-EUR", 2000, 200, "Valid", "Success", ""},
		{"Valid-1000-EUR", 1001, 200, "Valid", "Failure", "GenericError"},
		{"Valid-002000-EUR", 500, 200, "Valid", "Failure", "Expired"},
		{"Valid-0-EUR", 100, 400, "ZeroBalance", "Failure", "ZeroBalance"},
		{"Expired", 100, 400, "Expired", "Failure", "Expired"},
		{"GenericError", 100, 400, "GenericError", "Failure", "GenericError"},
		{"NotFound", 100, 404, "NotFound", "Failure", "NotFound"},
		{"nope", 100, 400, "GenericError", "Failure", "GenericError"},
		{"Valid--EUR", 100, 400, "GenericError", "Failure", "GenericError"},
		{"Valid-5000-USD", 100, 400, "CurrencyNotMatch", "Failure", "CurrencyNotMatch"},
	}
	for _, tc := range cases {
		t.Run(tc.code, func(t *testing.T) {
			checkout := s.ct.NewCheckout(t, 3000, "cust-g", commercetools.SessionMetadata{})
			rec := balance(t, s, checkout.SessionID, tc.code)
			assert.Equal(t, tc.balanceStatus, rec.Code, rec.Body.String())
			if tc.balanceState != "Valid" {
				assert.Equal(t, tc.balanceState, giftCardState(t, rec))
			}
			assert.Empty(t, getCart(t, s, checkout.Cart.ID).PaymentIDs(), "a balance writes nothing")

			r := redemptionOf(t, redeem(t, s, checkout.SessionID, tc.code, tc.cents, "EUR"))
			assert.Equal(t, tc.result, r.Result)
			assert.Equal(t, []string{r.PaymentReference}, getCart(t, s, checkout.Cart.ID).PaymentIDs())
			p := getPayment(t, s, r.PaymentReference)
			assert.Equal(t, "giftcard", p.PaymentMethodInfo.Method)
			assert.Equal(t, "mock-giftcard-provider", p.PaymentMethodInfo.PaymentInterface)
			assert.Equal(t, tc.cents, p.AmountPlanned.CentAmount)
			assert.Equal(t, "cust-g", p.Customer.ID)
			b, err := s.ct.Client.CartBalance(t.Context(), getCart(t, s, checkout.Cart.ID))
			require.NoError(t, err)
			if r.Result == "Success" {
				assert.Equal(t, []string{fmt.Sprintf("Charge Success %d", tc.cents)}, transactions(t, s, r.PaymentReference))
				assert.NotEmpty(t, r.RedemptionID)
				assert.Equal(t, r.RedemptionID, p.InterfaceID)
				assert.Equal(t, 3000-tc.cents, b.Open.CentAmount)
				return
			}
			assert.Equal(t, []string{fmt.Sprintf("Charge Failure %d", tc.cents)}, transactions(t, s, r.PaymentReference))
			assert.Empty(t, r.RedemptionID)
			assert.Equal(t, tc.reason, p.PaymentStatus.InterfaceCode, "the provider's reason is kept on the payment")
			assert.Equal(t, int64(3000), b.Open.CentAmount, "a failed redemption pays nothing")
		})
	}
	checkLedger(t, s.ct, true, &s.pspCalls.Calls, &s.cardCalls.Calls)
}

func TestSpentCardHasZeroBalanceOnItsCartOnly(t *testing.T) {
	s := newTestStack(t)
	first := s.ct.NewCheckout(t, 3000, "", commercetools.SessionMetadata{})
	require.Equal(t, "Success", redemptionOf(t, redeem(t, s, first.SessionID, "Valid-3000-EUR", 3000, "EUR")).Result)
	other := s.ct.NewCheckout(t, 5000, "", commercetools.SessionMetadata{})
	rec := balance(t, s, other.SessionID, "Valid-3000-EUR")
	assert.Equal(t, http.StatusOK, rec.Code, "the demo code is whole for the next shopper")

	third := s.ct.NewCheckout(t, 5000, "", commercetools.SessionMetadata{})
	require.Equal(t, "Success", redemptionOf(t, redeem(t, s, third.SessionID, "Valid-3000-EUR", 3000, "EUR")).Result)
	rec = balance(t, s, third.SessionID, "Valid-3000-EUR")
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Equal(t, "ZeroBalance", giftCardState(t, rec), "a card spent on this cart has nothing left")
}

func TestRedeemRespectsTheSessionsPaymentMethods(t *testing.T) {
	s := newTestStack(t)
	checkout := s.ct.NewCheckout(t, 3000, "", commercetools.SessionMetadata{AllowedPaymentMethods: []string{"invoice"}})
	rec := redeem(t, s, checkout.SessionID, "Valid-3000-EUR", 1000, "EUR")
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Equal(t, "paymentMethod.type", decodeError(t, rec).Errors[0]["field"])
	assert.Empty(t, getCart(t, s, checkout.Cart.ID).PaymentIDs(), "nothing written")
	assert.Equal(t, 0, s.cardCalls.Count("Redeem"))

	allowed := s.ct.NewCheckout(t, 3000, "", commercetools.SessionMetadata{AllowedPaymentMethods: []string{"card", "giftcard"}})
	assert.Equal(t, "Success", redemptionOf(t, redeem(t, s, allowed.SessionID, "Valid-3000-EUR", 1000, "EUR")).Result)
}

// Checks the template skips: positive amount, the cart's currency, no more than the cart
// needs. Refusals write nothing and ask the provider nothing.
func TestRedeemAmountChecks(t *testing.T) {
	s := newTestStack(t)
	checkout := s.ct.NewCheckout(t, 3000, "", commercetools.SessionMetadata{})
	cases := []struct {
		name     string
		code     string
		cents    int64
		currency string
		field    string
	}{
		{"zero", "Valid-5000-EUR", 0, "EUR", "redeemAmount.centAmount"},
		{"other currency", "Valid-5000-EUR", 100, "USD", "redeemAmount.currencyCode"},
		{"more than the cart needs", "Valid-5000-EUR", 3001, "EUR", "redeemAmount.centAmount"},
	}
	for _, tc := range cases {
		rec := redeem(t, s, checkout.SessionID, tc.code, tc.cents, tc.currency)
		assert.Equal(t, http.StatusBadRequest, rec.Code, tc.name)
		got := decodeError(t, rec)
		assert.Equal(t, "InvalidField", got.Errors[0]["code"], tc.name)
		assert.Equal(t, tc.field, got.Errors[0]["field"], tc.name)
	}
	assert.Empty(t, getCart(t, s, checkout.Cart.ID).PaymentIDs())
	assert.Equal(t, 0, s.cardCalls.Count("Redeem")+s.cardCalls.Count("Balance"))
}

// A cart paid partly by gift card and partly by the PSP ends with nothing open.
func TestSplitTender(t *testing.T) {
	s := newTestStack(t)
	checkout := s.ct.NewCheckout(t, 5000, "", commercetools.SessionMetadata{})
	card := redemptionOf(t, redeem(t, s, checkout.SessionID, "Valid-2000-EUR", 2000, "EUR"))
	require.Equal(t, "Success", card.Result)
	rest := paymentReference(t, pay(t, s, checkout.SessionID, `{"paymentMethod":{"type":"card"}}`, ""))

	assert.Equal(t, int64(3000), getPayment(t, s, rest).AmountPlanned.CentAmount, "the PSP pays what the card left")
	cart := getCart(t, s, checkout.Cart.ID)
	assert.ElementsMatch(t, []string{card.PaymentReference, rest}, cart.PaymentIDs())
	b, err := s.ct.Client.CartBalance(t.Context(), cart)
	require.NoError(t, err)
	assert.True(t, b.PaidInFull())
	assert.Equal(t, int64(5000), b.Paid)
	assert.Equal(t, []string{"Charge Success 2000"}, transactions(t, s, card.PaymentReference))
	assert.Equal(t, []string{"Authorization Success 3000"}, transactions(t, s, rest))

	rec := balance(t, s, checkout.SessionID, "Valid-2000-EUR")
	assert.Equal(t, http.StatusBadRequest, rec.Code, "nothing left to pay")
}

func TestGiftCardRollback(t *testing.T) {
	s := newTestStack(t)
	checkout := s.ct.NewCheckout(t, 5000, "", commercetools.SessionMetadata{})
	r := redemptionOf(t, redeem(t, s, checkout.SessionID, "Valid-3000-EUR", 3000, "EUR"))
	require.Equal(t, "Success", r.Result)
	held := func() string {
		rec := balance(t, s, checkout.SessionID, "Valid-3000-EUR")
		if rec.Code == http.StatusBadRequest && giftCardState(t, rec) == "ZeroBalance" {
			return "0"
		}
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var body struct {
			Amount commercetools.Money `json:"amount"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
		return fmt.Sprint(body.Amount.CentAmount)
	}
	assert.Equal(t, "0", held())

	rec := intent(t, s, r.PaymentReference, capture(100, ""))
	assert.Equal(t, http.StatusBadRequest, rec.Code, "redemptions are captured when made")

	assert.Equal(t, "approved", outcome(t, intent(t, s, r.PaymentReference, refund(1000))))
	assert.Equal(t, "1000", held(), "the refund gave back 1000")
	assert.Equal(t, "approved", outcome(t, intent(t, s, r.PaymentReference, `{"action":"reversePayment"}`)))
	assert.Equal(t, "3000", held(), "the reversal gave back the rest")
	assert.Equal(t, []string{"Charge Success 3000", "Refund Success 1000", "Refund Success 2000"}, transactions(t, s, r.PaymentReference))

	rec = intent(t, s, r.PaymentReference, `{"action":"cancelPayment"}`)
	assert.Equal(t, http.StatusBadRequest, rec.Code, "a second rollback")
	rec = intent(t, s, r.PaymentReference, refund(1))
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Len(t, transactions(t, s, r.PaymentReference), 3, "and it records nothing new")

	second := s.ct.NewCheckout(t, 5000, "", commercetools.SessionMetadata{})
	r2 := redemptionOf(t, redeem(t, s, second.SessionID, "Valid-900-EUR", 900, "EUR"))
	assert.Equal(t, "approved", outcome(t, intent(t, s, r2.PaymentReference, `{"action":"cancelPayment"}`)))
	assert.Equal(t, []string{"Charge Success 900", "CancelAuthorization Success 900"}, transactions(t, s, r2.PaymentReference))
}

// A rollback the provider refuses is recorded as a failed refund, never a success.
func TestRefusedRollbackIsRecordedAsFailure(t *testing.T) {
	s := newTestStack(t)
	checkout := s.ct.NewCheckout(t, 5000, "", commercetools.SessionMetadata{})
	r := redemptionOf(t, redeem(t, s, checkout.SessionID, "Valid-3000-EUR", 3000, "EUR"))
	restarted := newTestStackWith(t, stackOptions{ct: s.ct}) // a provider that never saw the redemption

	assert.Equal(t, "rejected", outcome(t, intent(t, restarted, r.PaymentReference, refund(500))))
	assert.Equal(t, []string{"Charge Success 3000", "Refund Failure 500"}, transactions(t, s, r.PaymentReference))
}

func TestRedeemIdempotencyKey(t *testing.T) {
	s := newTestStack(t)
	checkout := s.ct.NewCheckout(t, 5000, "", commercetools.SessionMetadata{})
	send := func() redeemed {
		req := jsonRequest("POST", "/redeem", `{"code":"Valid-3000-EUR","redeemAmount":{"centAmount":1000,"currencyCode":"EUR"}}`)
		req.Header.Set("x-session-id", checkout.SessionID)
		req.Header.Set("Idempotency-Key", "apply-card-1")
		return redemptionOf(t, serve(t, s.engine, req))
	}
	first, again := send(), send()
	assert.Equal(t, first, again)
	assert.Len(t, getCart(t, s, checkout.Cart.ID).PaymentIDs(), 1)
	rec := balance(t, s, checkout.SessionID, "Valid-3000-EUR")
	assert.Contains(t, rec.Body.String(), `"amount":{"centAmount":2000`, "redeemed once")
}
