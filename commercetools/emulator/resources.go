package emulator

import "encoding/json"

// The resources below are the emulator's stored form of commercetools resources, with
// every member the official API description requires.

type meta struct {
	ID             string `json:"id"`
	Version        int64  `json:"version"`
	CreatedAt      string `json:"createdAt"`
	LastModifiedAt string `json:"lastModifiedAt"`
}

func (m *meta) base() *meta { return m }

type money struct {
	Type           string `json:"type"`
	CurrencyCode   string `json:"currencyCode"`
	CentAmount     int64  `json:"centAmount"`
	FractionDigits int    `json:"fractionDigits"`
}

type reference struct {
	TypeID string `json:"typeId"`
	ID     string `json:"id"`
	// Obj is the referenced resource, in answers that expand the reference.
	Obj any `json:"obj,omitempty"`
}

type customFields struct {
	Type   reference      `json:"type"`
	Fields map[string]any `json:"fields"`
}

type taxedPrice struct {
	TotalNet    money        `json:"totalNet"`
	TotalGross  money        `json:"totalGross"`
	TotalTax    *money       `json:"totalTax,omitempty"`
	TaxPortions []taxPortion `json:"taxPortions"`
}

type taxPortion struct {
	Name   string  `json:"name,omitempty"`
	Rate   float64 `json:"rate"`
	Amount money   `json:"amount"`
}

type taxRate struct {
	Name            string  `json:"name"`
	Amount          float64 `json:"amount"`
	IncludedInPrice bool    `json:"includedInPrice"`
	Country         string  `json:"country"`
}

type itemState struct {
	Quantity int64     `json:"quantity"`
	State    reference `json:"state"`
}

type lineItem struct {
	ID                         string            `json:"id"`
	ProductID                  string            `json:"productId"`
	Name                       map[string]string `json:"name"`
	ProductType                reference         `json:"productType"`
	Variant                    variant           `json:"variant"`
	Price                      price             `json:"price"`
	Quantity                   int64             `json:"quantity"`
	TotalPrice                 money             `json:"totalPrice"`
	DiscountedPricePerQuantity []any             `json:"discountedPricePerQuantity"`
	TaxedPricePortions         []any             `json:"taxedPricePortions"`
	State                      []itemState       `json:"state"`
	PerMethodTaxRate           []any             `json:"perMethodTaxRate"`
	PriceMode                  string            `json:"priceMode"`
	LineItemMode               string            `json:"lineItemMode"`
	TaxRate                    *taxRate          `json:"taxRate,omitempty"`
}

type variant struct {
	ID  int    `json:"id"`
	SKU string `json:"sku,omitempty"`
}

type price struct {
	ID    string `json:"id"`
	Value money  `json:"value"`
}

type customLineItem struct {
	ID                         string            `json:"id"`
	Name                       map[string]string `json:"name"`
	Money                      money             `json:"money"`
	TotalPrice                 money             `json:"totalPrice"`
	Slug                       string            `json:"slug"`
	Quantity                   int64             `json:"quantity"`
	State                      []itemState       `json:"state"`
	TaxedPricePortions         []any             `json:"taxedPricePortions"`
	PerMethodTaxRate           []any             `json:"perMethodTaxRate"`
	DiscountedPricePerQuantity []any             `json:"discountedPricePerQuantity"`
	PriceMode                  string            `json:"priceMode"`
	TaxRate                    *taxRate          `json:"taxRate,omitempty"`
}

type paymentInfo struct {
	Payments []reference `json:"payments"`
}

type cart struct {
	meta
	Key                   string           `json:"key,omitempty"`
	CustomerID            string           `json:"customerId,omitempty"`
	AnonymousID           string           `json:"anonymousId,omitempty"`
	LineItems             []lineItem       `json:"lineItems"`
	CustomLineItems       []customLineItem `json:"customLineItems"`
	TotalLineItemQuantity int64            `json:"totalLineItemQuantity,omitempty"`
	TotalPrice            money            `json:"totalPrice"`
	TaxedPrice            *taxedPrice      `json:"taxedPrice,omitempty"`
	TaxMode               string           `json:"taxMode"`
	PriceRoundingMode     string           `json:"priceRoundingMode"`
	TaxRoundingMode       string           `json:"taxRoundingMode"`
	TaxCalculationMode    string           `json:"taxCalculationMode"`
	InventoryMode         string           `json:"inventoryMode"`
	CartState             string           `json:"cartState"`
	ShippingMode          string           `json:"shippingMode"`
	Shipping              []any            `json:"shipping"`
	ItemShippingAddresses []any            `json:"itemShippingAddresses"`
	DiscountCodes         []any            `json:"discountCodes"`
	DirectDiscounts       []any            `json:"directDiscounts"`
	RefusedGifts          []any            `json:"refusedGifts"`
	PaymentInfo           *paymentInfo     `json:"paymentInfo,omitempty"`
	Country               string           `json:"country,omitempty"`
	Locale                string           `json:"locale,omitempty"`
	Origin                string           `json:"origin"`
}

type transaction struct {
	ID            string        `json:"id"`
	Timestamp     string        `json:"timestamp,omitempty"`
	Type          string        `json:"type"`
	Amount        money         `json:"amount"`
	InteractionID string        `json:"interactionId,omitempty"`
	InterfaceID   string        `json:"interfaceId,omitempty"`
	State         string        `json:"state"`
	Custom        *customFields `json:"custom,omitempty"`
}

type paymentMethodInfo struct {
	PaymentInterface string            `json:"paymentInterface,omitempty"`
	Method           string            `json:"method,omitempty"`
	Name             map[string]string `json:"name,omitempty"`
	Token            *token            `json:"token,omitempty"`
	InterfaceAccount string            `json:"interfaceAccount,omitempty"`
}

type token struct {
	Value string `json:"value"`
}

type paymentStatus struct {
	InterfaceCode string `json:"interfaceCode,omitempty"`
	InterfaceText string `json:"interfaceText,omitempty"`
}

type payment struct {
	meta
	Key                       string            `json:"key,omitempty"`
	CheckoutTransactionItemID string            `json:"checkoutTransactionItemId,omitempty"`
	InterfaceID               string            `json:"interfaceId,omitempty"`
	Customer                  *reference        `json:"customer,omitempty"`
	AnonymousID               string            `json:"anonymousId,omitempty"`
	AmountPlanned             money             `json:"amountPlanned"`
	PaymentMethodInfo         paymentMethodInfo `json:"paymentMethodInfo"`
	PaymentStatus             paymentStatus     `json:"paymentStatus"`
	Transactions              []transaction     `json:"transactions"`
	InterfaceInteractions     []customFields    `json:"interfaceInteractions"`
	Custom                    *customFields     `json:"custom,omitempty"`
}

type order struct {
	meta
	OrderNumber     string           `json:"orderNumber,omitempty"`
	CustomerID      string           `json:"customerId,omitempty"`
	AnonymousID     string           `json:"anonymousId,omitempty"`
	LineItems       []lineItem       `json:"lineItems"`
	CustomLineItems []customLineItem `json:"customLineItems"`
	TotalPrice      money            `json:"totalPrice"`
	TaxedPrice      *taxedPrice      `json:"taxedPrice,omitempty"`
	TaxMode         string           `json:"taxMode"`
	ShippingMode    string           `json:"shippingMode"`
	Shipping        []any            `json:"shipping"`
	RefusedGifts    []any            `json:"refusedGifts"`
	SyncInfo        []any            `json:"syncInfo"`
	Origin          string           `json:"origin"`
	OrderState      string           `json:"orderState"`
	PaymentInfo     *paymentInfo     `json:"paymentInfo,omitempty"`
	Cart            reference        `json:"cart"`
}

type fieldDefinition struct {
	Type      json.RawMessage   `json:"type"`
	Name      string            `json:"name"`
	Label     map[string]string `json:"label"`
	Required  bool              `json:"required"`
	InputHint string            `json:"inputHint,omitempty"`
}

type customType struct {
	meta
	Key              string            `json:"key"`
	Name             map[string]string `json:"name"`
	Description      map[string]string `json:"description,omitempty"`
	ResourceTypeIDs  []string          `json:"resourceTypeIds"`
	FieldDefinitions []fieldDefinition `json:"fieldDefinitions"`
}

type paymentMethod struct {
	meta
	Key                 string            `json:"key,omitempty"`
	Name                map[string]string `json:"name,omitempty"`
	Customer            *reference        `json:"customer,omitempty"`
	Method              string            `json:"method,omitempty"`
	PaymentInterface    string            `json:"paymentInterface,omitempty"`
	InterfaceAccount    string            `json:"interfaceAccount,omitempty"`
	Token               *token            `json:"token,omitempty"`
	PaymentMethodStatus string            `json:"paymentMethodStatus"`
	Default             bool              `json:"default"`
	Custom              *customFields     `json:"custom,omitempty"`
}

type session struct {
	ID             string         `json:"id"`
	Version        int64          `json:"version"`
	CreatedAt      string         `json:"createdAt"`
	LastModifiedAt string         `json:"lastModifiedAt"`
	ExpiryAt       string         `json:"expiryAt"`
	State          string         `json:"state"`
	ActiveCart     sessionCart    `json:"activeCart"`
	Metadata       map[string]any `json:"metadata"`
}

type sessionCart struct {
	CartRef struct {
		ID string `json:"id"`
	} `json:"cartRef"`
}
