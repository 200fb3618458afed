package providers

import "context"

// Gift-card states, as commercetools' gift-card connector template names them.
const (
	GiftCardValid            = "Valid"
	GiftCardExpired          = "Expired"
	GiftCardZeroBalance      = "ZeroBalance"
	GiftCardCurrencyNotMatch = "CurrencyNotMatch"
	GiftCardNotFound         = "NotFound"
	GiftCardGenericError     = "GenericError"
)

// GiftCardRefusal is a provider's refusal of a gift card (expired, unknown, empty, ...).
type GiftCardRefusal struct {
	// State is one of the GiftCard* states other than Valid.
	State   string
	Message string
}

func (r *GiftCardRefusal) Error() string { return "gift card refused: " + r.State + ": " + r.Message }

// BalanceRequest asks what a card holds for a cart in Currency.
type BalanceRequest struct {
	Code     string
	Currency string
	// CartID is the commercetools cart the card would pay for.
	CartID string
}

// RedeemRequest spends Amount of a card.
type RedeemRequest struct {
	IdempotencyKey string
	Code           string
	Amount         Money
	// CartID is the commercetools cart the card pays for.
	CartID string
}

// RollbackRequest gives back (part of) a redemption.
type RollbackRequest struct {
	IdempotencyKey string
	// RedemptionID is the redemption's reference.
	RedemptionID string
	Amount       Money
}

// GiftCardProvider is a gift-card provider. Calls that move money carry an idempotency
// key; repeating one must return the first answer and never move money twice. Lookup and
// status checks are optional capabilities (Looker, Checker).
type GiftCardProvider interface {
	// Balance returns what the card holds, or a *GiftCardRefusal; a card that cannot pay in
	// the currency is refused with GiftCardCurrencyNotMatch.
	Balance(ctx context.Context, req BalanceRequest) (Money, error)
	// Redeem spends from the card. A refusal is a Rejected result whose Code is a state.
	Redeem(ctx context.Context, req RedeemRequest) (Result, error)
	// Rollback gives back part or all of a redemption, never more than was redeemed.
	Rollback(ctx context.Context, req RollbackRequest) (Result, error)
}
