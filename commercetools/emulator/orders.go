package emulator

import (
	"net/http"

	"github.com/google/uuid"
)

func (e *Emulator) handleCreateOrder(w http.ResponseWriter, r *http.Request) {
	var d struct {
		Cart *struct {
			ID string `json:"id"`
		} `json:"cart"`
		ID          string `json:"id"`
		Version     *int64 `json:"version"`
		OrderNumber string `json:"orderNumber"`
	}
	if err := decodeBody(r, &d); err != nil {
		err.write(w)
		return
	}
	cartID := d.ID
	if d.Cart != nil && d.Cart.ID != "" {
		cartID = d.Cart.ID
	}
	if cartID == "" {
		requiredField("cart").write(w)
		return
	}
	if d.Version == nil {
		requiredField("version").write(w)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c, ok := e.carts.get(cartID)
	if !ok {
		referencedNotFound("cart", cartID).write(w)
		return
	}
	if *d.Version != c.Version {
		conflict(c.meta, *d.Version).write(w)
		return
	}
	if c.CartState != "Active" {
		invalidOperation("Cart %s is %s and cannot be ordered.", c.ID, c.CartState).write(w)
		return
	}
	if d.OrderNumber != "" {
		if _, taken := e.orders.find(func(o *order) bool { return o.OrderNumber == d.OrderNumber }); taken {
			duplicateField("orderNumber", d.OrderNumber).write(w)
			return
		}
	}
	now := e.now()
	o := &order{
		meta:        meta{ID: uuid.NewString(), Version: 1, CreatedAt: now, LastModifiedAt: now},
		OrderNumber: d.OrderNumber, CustomerID: c.CustomerID, AnonymousID: c.AnonymousID,
		LineItems: c.LineItems, CustomLineItems: c.CustomLineItems, TotalPrice: c.TotalPrice, TaxedPrice: c.TaxedPrice,
		TaxMode: c.TaxMode, ShippingMode: c.ShippingMode, Shipping: []any{}, RefusedGifts: []any{}, SyncInfo: []any{},
		Origin: c.Origin, OrderState: "Open", PaymentInfo: c.PaymentInfo, Cart: reference{TypeID: "cart", ID: c.ID},
	}
	ordered := clone(c)
	ordered.CartState = "Ordered"
	ordered.Version++
	ordered.LastModifiedAt = now
	e.carts.put(ordered)
	e.orders.put(o)
	writeJSON(w, http.StatusCreated, o)
}
