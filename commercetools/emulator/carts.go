package emulator

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/google/uuid"
)

type externalTaxRateDraft struct {
	Name    string   `json:"name"`
	Amount  *float64 `json:"amount"`
	Country string   `json:"country"`
}

type cartDraft struct {
	Currency    string `json:"currency"`
	Key         string `json:"key"`
	CustomerID  string `json:"customerId"`
	AnonymousID string `json:"anonymousId"`
	Country     string `json:"country"`
	Locale      string `json:"locale"`
	TaxMode     string `json:"taxMode"`
	LineItems   []struct {
		SKU             string                `json:"sku"`
		Quantity        *int64                `json:"quantity"`
		ExternalPrice   *moneyDraft           `json:"externalPrice"`
		ExternalTaxRate *externalTaxRateDraft `json:"externalTaxRate"`
	} `json:"lineItems"`
	CustomLineItems []struct {
		Name            map[string]string     `json:"name"`
		Money           *moneyDraft           `json:"money"`
		Slug            string                `json:"slug"`
		Quantity        *int64                `json:"quantity"`
		ExternalTaxRate *externalTaxRateDraft `json:"externalTaxRate"`
	} `json:"customLineItems"`
}

// newCart builds a cart from a draft. Line items need an external price (the emulator has
// no product catalogue). With taxMode External every item needs an external tax rate and
// the cart gets a taxedPrice.
func (e *Emulator) newCart(d cartDraft) (*cart, *apiError) {
	if !currencyPattern.MatchString(d.Currency) {
		return nil, requiredField("currency")
	}
	taxMode := d.TaxMode
	if taxMode == "" {
		taxMode = "Platform"
	}
	if taxMode != "Platform" && taxMode != "External" && taxMode != "Disabled" {
		return nil, invalidInput("Unsupported taxMode %s.", taxMode)
	}
	now := e.now()
	zero, _ := toMoney("currency", &moneyDraft{CurrencyCode: d.Currency, CentAmount: new(int64)})
	c := &cart{
		meta: meta{ID: uuid.NewString(), Version: 1, CreatedAt: now, LastModifiedAt: now},
		Key:  d.Key, CustomerID: d.CustomerID, AnonymousID: d.AnonymousID, Country: d.Country, Locale: d.Locale,
		LineItems: []lineItem{}, CustomLineItems: []customLineItem{}, TotalPrice: zero,
		TaxMode: taxMode, PriceRoundingMode: "HalfEven", TaxRoundingMode: "HalfEven", TaxCalculationMode: "LineItemLevel",
		InventoryMode: "None", CartState: "Active", ShippingMode: "Single", Origin: "Customer",
		Shipping: []any{}, ItemShippingAddresses: []any{}, DiscountCodes: []any{}, DirectDiscounts: []any{}, RefusedGifts: []any{},
	}
	var totalTax int64
	var rates []*taxRate
	addTax := func(field string, total money, draft *externalTaxRateDraft) (*taxRate, *apiError) {
		if taxMode != "External" {
			return nil, nil
		}
		if draft == nil || draft.Amount == nil || *draft.Amount < 0 || *draft.Amount > 1 {
			return nil, requiredField(field + ".externalTaxRate.amount")
		}
		rate := &taxRate{Name: draft.Name, Amount: *draft.Amount, Country: draft.Country}
		totalTax += tax(total.CentAmount, rate.Amount)
		rates = append(rates, rate)
		return rate, nil
	}
	for i, li := range d.LineItems {
		field := "lineItems[" + strconv.Itoa(i) + "]"
		unit, err := toMoney(field+".externalPrice", li.ExternalPrice)
		if err != nil {
			return nil, err
		}
		if unit.CurrencyCode != d.Currency {
			return nil, invalidOperation("The currency of %s does not match the cart's currency.", field)
		}
		qty := quantity(li.Quantity)
		item := lineItem{
			ID: uuid.NewString(), ProductID: uuid.NewString(), Name: map[string]string{"en": li.SKU},
			ProductType: reference{TypeID: "product-type", ID: uuid.NewString()},
			Variant:     variant{ID: 1, SKU: li.SKU}, Price: price{ID: uuid.NewString(), Value: unit},
			Quantity: qty, TotalPrice: unit.times(qty), DiscountedPricePerQuantity: []any{}, TaxedPricePortions: []any{},
			State:            []itemState{{Quantity: qty, State: reference{TypeID: "state", ID: initialStateID}}},
			PerMethodTaxRate: []any{}, PriceMode: "ExternalPrice", LineItemMode: "Standard",
		}
		if item.TaxRate, err = addTax(field, item.TotalPrice, li.ExternalTaxRate); err != nil {
			return nil, err
		}
		c.LineItems = append(c.LineItems, item)
		c.TotalPrice = c.TotalPrice.plus(item.TotalPrice.CentAmount)
		c.TotalLineItemQuantity += qty
	}
	for i, cli := range d.CustomLineItems {
		field := "customLineItems[" + strconv.Itoa(i) + "]"
		unit, err := toMoney(field+".money", cli.Money)
		if err != nil {
			return nil, err
		}
		if unit.CurrencyCode != d.Currency {
			return nil, invalidOperation("The currency of %s does not match the cart's currency.", field)
		}
		if cli.Slug == "" {
			return nil, requiredField(field + ".slug")
		}
		qty := quantity(cli.Quantity)
		item := customLineItem{
			ID: uuid.NewString(), Name: cli.Name, Money: unit, TotalPrice: unit.times(qty), Slug: cli.Slug, Quantity: qty,
			State:              []itemState{{Quantity: qty, State: reference{TypeID: "state", ID: initialStateID}}},
			TaxedPricePortions: []any{}, PerMethodTaxRate: []any{}, DiscountedPricePerQuantity: []any{}, PriceMode: "Standard",
		}
		if item.TaxRate, err = addTax(field, item.TotalPrice, cli.ExternalTaxRate); err != nil {
			return nil, err
		}
		c.CustomLineItems = append(c.CustomLineItems, item)
		c.TotalPrice = c.TotalPrice.plus(item.TotalPrice.CentAmount)
	}
	if taxMode == "External" && len(rates) > 0 {
		taxMoney := c.TotalPrice
		taxMoney.CentAmount = totalTax
		c.TaxedPrice = &taxedPrice{
			TotalNet: c.TotalPrice, TotalGross: c.TotalPrice.plus(totalTax), TotalTax: &taxMoney,
			TaxPortions: []taxPortion{{Name: rates[0].Name, Rate: rates[0].Amount, Amount: taxMoney}},
		}
	}
	return c, nil
}

// initialStateID stands for the project's initial line item state.
const initialStateID = "00000000-0000-4000-8000-000000000001"

func quantity(q *int64) int64 {
	if q == nil || *q < 1 {
		return 1
	}
	return *q
}

func (e *Emulator) handleCreateCart(w http.ResponseWriter, r *http.Request) {
	var d cartDraft
	if err := decodeBody(r, &d); err != nil {
		err.write(w)
		return
	}
	c, err := e.newCart(d)
	if err != nil {
		err.write(w)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if d.Key != "" {
		if _, taken := e.carts.find(func(x *cart) bool { return x.Key == d.Key }); taken {
			duplicateField("key", d.Key).write(w)
			return
		}
	}
	e.carts.put(c)
	writeJSON(w, http.StatusCreated, c)
}

func (e *Emulator) applyCartAction(c *cart, action map[string]any) *apiError {
	switch actionName(action) {
	case "addPayment", "removePayment":
		var a struct {
			Payment *reference `json:"payment"`
		}
		if err := decodeAction(action, &a); err != nil {
			return err
		}
		if a.Payment == nil || a.Payment.ID == "" {
			return requiredField("payment")
		}
		if _, ok := e.payments.get(a.Payment.ID); !ok && actionName(action) == "addPayment" {
			return referencedNotFound("payment", a.Payment.ID)
		}
		if c.PaymentInfo == nil {
			c.PaymentInfo = &paymentInfo{Payments: []reference{}}
		}
		idx := -1
		for i, p := range c.PaymentInfo.Payments {
			if p.ID == a.Payment.ID {
				idx = i
			}
		}
		if actionName(action) == "addPayment" {
			if idx >= 0 {
				return invalidOperation("The payment %s is already added to the cart.", a.Payment.ID)
			}
			c.PaymentInfo.Payments = append(c.PaymentInfo.Payments, reference{TypeID: "payment", ID: a.Payment.ID})
		} else if idx >= 0 {
			c.PaymentInfo.Payments = append(c.PaymentInfo.Payments[:idx], c.PaymentInfo.Payments[idx+1:]...)
		}
		if len(c.PaymentInfo.Payments) == 0 {
			c.PaymentInfo = nil
		}
	case "changeCustomLineItemQuantity":
		var a struct {
			CustomLineItemID string `json:"customLineItemId"`
			Quantity         *int64 `json:"quantity"`
		}
		if err := decodeAction(action, &a); err != nil {
			return err
		}
		if a.Quantity == nil || *a.Quantity < 0 {
			return requiredField("quantity")
		}
		if c.TaxedPrice != nil {
			return invalidOperation("The emulator changes quantities of carts without external taxes only.")
		}
		return changeQuantity(c, a.CustomLineItemID, *a.Quantity)
	case "setCustomerId":
		var a struct {
			CustomerID string `json:"customerId"`
		}
		if err := decodeAction(action, &a); err != nil {
			return err
		}
		c.CustomerID = a.CustomerID
	case "setAnonymousId":
		var a struct {
			AnonymousID string `json:"anonymousId"`
		}
		if err := decodeAction(action, &a); err != nil {
			return err
		}
		c.AnonymousID = a.AnonymousID
	default:
		return unknownAction(action)
	}
	return nil
}

// checkDeleteVersion checks the version query parameter of a delete.
func checkDeleteVersion(r *http.Request, m meta) *apiError {
	v, err := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64)
	if err != nil {
		return requiredField("version")
	}
	if v != m.Version {
		return conflict(m, v)
	}
	return nil
}

// expandCart returns the cart with its payments inlined when the expand parameters ask
// for paymentInfo.payments[*]; other paths are ignored, as commercetools ignores paths it
// cannot expand.
func (e *Emulator) expandCart(c *cart, paths []string) any {
	if !contains(paths, "paymentInfo.payments[*]") || c.PaymentInfo == nil {
		return c
	}
	view := clone(c)
	for i, ref := range view.PaymentInfo.Payments {
		if p, ok := e.payments.get(ref.ID); ok {
			view.PaymentInfo.Payments[i].Obj = p
		}
	}
	return view
}

// changeQuantity sets a custom line item's quantity (0 removes it) and the cart's total.
func changeQuantity(c *cart, id string, qty int64) *apiError {
	idx := slices.IndexFunc(c.CustomLineItems, func(item customLineItem) bool { return item.ID == id })
	if idx < 0 {
		return invalidInput("The cart has no custom line item %s.", id)
	}
	if qty == 0 {
		c.CustomLineItems = slices.Delete(c.CustomLineItems, idx, idx+1)
	} else {
		item := &c.CustomLineItems[idx]
		item.Quantity, item.TotalPrice = qty, item.Money.times(qty)
		item.State = []itemState{{Quantity: qty, State: item.State[0].State}}
	}
	total := c.TotalPrice
	total.CentAmount = 0
	for _, item := range c.CustomLineItems {
		total.CentAmount += item.TotalPrice.CentAmount
	}
	for _, item := range c.LineItems {
		total.CentAmount += item.TotalPrice.CentAmount
	}
	c.TotalPrice = total
	return nil
}
