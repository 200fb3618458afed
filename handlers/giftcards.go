package handlers

import (
	"context"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/generated"
	"github.com/checkout-connect/go-connector/payments"
)

func apiMoney(m commercetools.Money) generated.Money {
	out := generated.Money{CentAmount: m.CentAmount, CurrencyCode: m.CurrencyCode}
	if m.FractionDigits > 0 {
		fd := int32(m.FractionDigits)
		out.FractionDigits = &fd
	}
	return out
}

// GetGiftCardBalance tells what a card holds and what of it the cart can use.
func (s *Server) GetGiftCardBalance(ctx context.Context, req generated.GetGiftCardBalanceRequestObject) (generated.GetGiftCardBalanceResponseObject, error) {
	sess, err := session(ctx)
	if err != nil {
		return nil, err
	}
	b, err := s.payments.GiftCardBalance(ctx, sess, req.Body.Code)
	if err != nil {
		return nil, err
	}
	applicable := apiMoney(b.Applicable)
	return generated.GetGiftCardBalance200JSONResponse{
		Status: generated.GiftCardStatus{State: generated.GiftCardStateValid},
		Amount: apiMoney(b.Amount), ApplicableAmount: &applicable,
	}, nil
}

// RedeemGiftCard pays part of the cart with a gift card.
func (s *Server) RedeemGiftCard(ctx context.Context, req generated.RedeemGiftCardRequestObject) (generated.RedeemGiftCardResponseObject, error) {
	sess, err := session(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.payments.RedeemGiftCard(ctx, sess, payments.RedeemRequest{
		Code:           req.Body.Code,
		Amount:         commercetools.Money{CentAmount: req.Body.RedeemAmount.CentAmount, CurrencyCode: req.Body.RedeemAmount.CurrencyCode},
		IdempotencyKey: deref(req.Params.IdempotencyKey),
	})
	if err != nil {
		return nil, err
	}
	return generated.RedeemGiftCard200JSONResponse{
		Result: generated.RedeemResponseResult(r.Result), PaymentReference: r.PaymentID, RedemptionId: r.RedemptionID,
	}, nil
}
