package commercetools

import "encoding/json"

// Money is an amount in a currency's minor units (commercetools' CentPrecisionMoney).
type Money struct {
	Type           string `json:"type,omitempty"`
	CurrencyCode   string `json:"currencyCode"`
	CentAmount     int64  `json:"centAmount"`
	FractionDigits int    `json:"fractionDigits,omitempty"`
}

// Reference points at another resource.
type Reference struct {
	TypeID string `json:"typeId"`
	ID     string `json:"id"`
}

// ResourceIdentifier names another resource by id or key.
type ResourceIdentifier struct {
	TypeID string `json:"typeId"`
	ID     string `json:"id,omitempty"`
	Key    string `json:"key,omitempty"`
}

// CustomFields are the custom type and field values of a resource.
type CustomFields struct {
	Type   Reference                  `json:"type"`
	Fields map[string]json.RawMessage `json:"fields"`
}

// CustomFieldsDraft sets a custom type and its field values.
type CustomFieldsDraft struct {
	Type   ResourceIdentifier `json:"type"`
	Fields map[string]any     `json:"fields,omitempty"`
}

// TaxedPrice is a cart's total with taxes.
type TaxedPrice struct {
	TotalNet   Money  `json:"totalNet"`
	TotalGross Money  `json:"totalGross"`
	TotalTax   *Money `json:"totalTax,omitempty"`
}

// PaymentInfo lists the payments of a cart or order.
type PaymentInfo struct {
	Payments []PaymentReference `json:"payments"`
}

// PaymentReference points at a payment; Obj holds it when the reference was expanded.
type PaymentReference struct {
	Reference
	Obj *Payment `json:"obj,omitempty"`
}

// Cart holds what the processor reads of a commercetools cart.
type Cart struct {
	ID          string       `json:"id"`
	Version     int64        `json:"version"`
	Key         string       `json:"key,omitempty"`
	CustomerID  string       `json:"customerId,omitempty"`
	AnonymousID string       `json:"anonymousId,omitempty"`
	CartState   string       `json:"cartState"`
	TotalPrice  Money        `json:"totalPrice"`
	TaxedPrice  *TaxedPrice  `json:"taxedPrice,omitempty"`
	PaymentInfo *PaymentInfo `json:"paymentInfo,omitempty"`
	Country     string       `json:"country,omitempty"`
	Locale      string       `json:"locale,omitempty"`
	// CustomLineItems are the cart's items with a price of their own.
	CustomLineItems []CustomLineItem `json:"customLineItems,omitempty"`
}

// CustomLineItem is an item of a cart with a price of its own.
type CustomLineItem struct {
	ID       string `json:"id"`
	Quantity int64  `json:"quantity"`
	Money    Money  `json:"money"`
}

// Total is what the cart costs: its gross total when taxed, else its total price.
func (c *Cart) Total() Money {
	if c.TaxedPrice != nil {
		return c.TaxedPrice.TotalGross
	}
	return c.TotalPrice
}

// PaymentIDs lists the ids of the cart's payments.
func (c *Cart) PaymentIDs() []string {
	if c.PaymentInfo == nil {
		return nil
	}
	ids := make([]string, 0, len(c.PaymentInfo.Payments))
	for _, p := range c.PaymentInfo.Payments {
		ids = append(ids, p.ID)
	}
	return ids
}

// CartDraft creates a cart; the processor uses it only for local demos and tests.
type CartDraft struct {
	Currency        string                `json:"currency"`
	Key             string                `json:"key,omitempty"`
	CustomerID      string                `json:"customerId,omitempty"`
	AnonymousID     string                `json:"anonymousId,omitempty"`
	Country         string                `json:"country,omitempty"`
	CustomLineItems []CustomLineItemDraft `json:"customLineItems,omitempty"`
	LineItems       []LineItemDraft       `json:"lineItems,omitempty"`
}

// CustomLineItemDraft adds an item with a given price to a cart draft.
type CustomLineItemDraft struct {
	Name     map[string]string `json:"name"`
	Money    Money             `json:"money"`
	Slug     string            `json:"slug"`
	Quantity int64             `json:"quantity,omitempty"`
}

// LineItemDraft adds a product variant, by SKU, with an external price.
type LineItemDraft struct {
	SKU           string `json:"sku,omitempty"`
	Quantity      int64  `json:"quantity,omitempty"`
	ExternalPrice *Money `json:"externalPrice,omitempty"`
}

// Transaction types and states of commercetools payments.
const (
	TransactionAuthorization       = "Authorization"
	TransactionCancelAuthorization = "CancelAuthorization"
	TransactionCharge              = "Charge"
	TransactionRefund              = "Refund"
	TransactionChargeback          = "Chargeback"

	StateInitial = "Initial"
	StatePending = "Pending"
	StateSuccess = "Success"
	StateFailure = "Failure"
)

// Transaction is one money movement of a payment.
type Transaction struct {
	ID            string        `json:"id"`
	Timestamp     string        `json:"timestamp,omitempty"`
	Type          string        `json:"type"`
	Amount        Money         `json:"amount"`
	InteractionID string        `json:"interactionId,omitempty"`
	InterfaceID   string        `json:"interfaceId,omitempty"`
	State         string        `json:"state"`
	Custom        *CustomFields `json:"custom,omitempty"`
}

// TransactionDraft adds a transaction to a payment.
type TransactionDraft struct {
	Timestamp     string `json:"timestamp,omitempty"`
	Type          string `json:"type"`
	Amount        Money  `json:"amount"`
	InteractionID string `json:"interactionId,omitempty"`
	InterfaceID   string `json:"interfaceId,omitempty"`
	State         string `json:"state,omitempty"`
}

// PaymentMethodInfo describes how a payment is paid.
type PaymentMethodInfo struct {
	PaymentInterface string            `json:"paymentInterface,omitempty"`
	Method           string            `json:"method,omitempty"`
	Name             map[string]string `json:"name,omitempty"`
	Token            *Token            `json:"token,omitempty"`
	InterfaceAccount string            `json:"interfaceAccount,omitempty"`
}

// Token is a PSP token of a payment method.
type Token struct {
	Value string `json:"value"`
}

// PaymentStatus is the PSP's status of a payment.
type PaymentStatus struct {
	InterfaceCode string `json:"interfaceCode,omitempty"`
	InterfaceText string `json:"interfaceText,omitempty"`
}

// Payment is a commercetools payment.
type Payment struct {
	ID                        string            `json:"id"`
	Version                   int64             `json:"version"`
	Key                       string            `json:"key,omitempty"`
	CheckoutTransactionItemID string            `json:"checkoutTransactionItemId,omitempty"`
	InterfaceID               string            `json:"interfaceId,omitempty"`
	Customer                  *Reference        `json:"customer,omitempty"`
	AnonymousID               string            `json:"anonymousId,omitempty"`
	AmountPlanned             Money             `json:"amountPlanned"`
	PaymentMethodInfo         PaymentMethodInfo `json:"paymentMethodInfo"`
	PaymentStatus             PaymentStatus     `json:"paymentStatus"`
	Transactions              []Transaction     `json:"transactions"`
	Custom                    *CustomFields     `json:"custom,omitempty"`
	CreatedAt                 string            `json:"createdAt,omitempty"`
	LastModifiedAt            string            `json:"lastModifiedAt,omitempty"`
}

// HasTransaction reports whether the payment has a transaction of type txType in one of
// the states.
func (p *Payment) HasTransaction(txType string, states ...string) bool {
	for _, tx := range p.Transactions {
		if tx.Type != txType {
			continue
		}
		for _, s := range states {
			if tx.State == s {
				return true
			}
		}
	}
	return false
}

// PaymentDraft creates a payment.
type PaymentDraft struct {
	Key                       string              `json:"key,omitempty"`
	CheckoutTransactionItemID string              `json:"checkoutTransactionItemId,omitempty"`
	InterfaceID               string              `json:"interfaceId,omitempty"`
	Customer                  *ResourceIdentifier `json:"customer,omitempty"`
	AnonymousID               string              `json:"anonymousId,omitempty"`
	AmountPlanned             Money               `json:"amountPlanned"`
	PaymentMethodInfo         *PaymentMethodInfo  `json:"paymentMethodInfo,omitempty"`
	Transactions              []TransactionDraft  `json:"transactions,omitempty"`
	Custom                    *CustomFieldsDraft  `json:"custom,omitempty"`
}

// Order is what the processor reads of a commercetools order.
type Order struct {
	ID          string       `json:"id"`
	Version     int64        `json:"version"`
	OrderNumber string       `json:"orderNumber,omitempty"`
	OrderState  string       `json:"orderState"`
	TotalPrice  Money        `json:"totalPrice"`
	PaymentInfo *PaymentInfo `json:"paymentInfo,omitempty"`
	Cart        *Reference   `json:"cart,omitempty"`
}

// OrderFromCartDraft orders a cart.
type OrderFromCartDraft struct {
	Cart        ResourceIdentifier `json:"cart"`
	Version     int64              `json:"version"`
	OrderNumber string             `json:"orderNumber,omitempty"`
}

// FieldDefinition is one field of a custom type.
type FieldDefinition struct {
	Type      FieldType         `json:"type"`
	Name      string            `json:"name"`
	Label     map[string]string `json:"label"`
	Required  bool              `json:"required"`
	InputHint string            `json:"inputHint,omitempty"`
}

// FieldType is the type of a custom field (String, Boolean, Number, ...).
type FieldType struct {
	Name string `json:"name"`
}

// Type is a commercetools custom type.
type Type struct {
	ID               string            `json:"id"`
	Version          int64             `json:"version"`
	Key              string            `json:"key"`
	Name             map[string]string `json:"name"`
	ResourceTypeIDs  []string          `json:"resourceTypeIds"`
	FieldDefinitions []FieldDefinition `json:"fieldDefinitions"`
}

// TypeDraft creates a custom type.
type TypeDraft struct {
	Key              string            `json:"key"`
	Name             map[string]string `json:"name"`
	ResourceTypeIDs  []string          `json:"resourceTypeIds"`
	FieldDefinitions []FieldDefinition `json:"fieldDefinitions,omitempty"`
}

// PaymentMethod is a payment method stored for a customer.
type PaymentMethod struct {
	ID                  string        `json:"id"`
	Version             int64         `json:"version"`
	Customer            *Reference    `json:"customer,omitempty"`
	Method              string        `json:"method,omitempty"`
	PaymentInterface    string        `json:"paymentInterface,omitempty"`
	InterfaceAccount    string        `json:"interfaceAccount,omitempty"`
	Token               *Token        `json:"token,omitempty"`
	PaymentMethodStatus string        `json:"paymentMethodStatus"`
	Default             bool          `json:"default"`
	CreatedAt           string        `json:"createdAt,omitempty"`
	Custom              *CustomFields `json:"custom,omitempty"`
}

// PaymentMethodDraft stores a payment method.
type PaymentMethodDraft struct {
	Customer            *ResourceIdentifier `json:"customer,omitempty"`
	Method              string              `json:"method,omitempty"`
	PaymentInterface    string              `json:"paymentInterface,omitempty"`
	InterfaceAccount    string              `json:"interfaceAccount,omitempty"`
	Token               *Token              `json:"token,omitempty"`
	PaymentMethodStatus string              `json:"paymentMethodStatus,omitempty"`
	Default             bool                `json:"default"`
	Custom              *CustomFieldsDraft  `json:"custom,omitempty"`
}

// PagedResult is a page of a query.
type PagedResult[T any] struct {
	Limit   int64 `json:"limit"`
	Offset  int64 `json:"offset"`
	Count   int64 `json:"count"`
	Total   int64 `json:"total,omitempty"`
	Results []T   `json:"results"`
}

// UpdateAction is one update action, sent as given (its "action" member names it).
type UpdateAction map[string]any

// Session is a commercetools Checkout session.
type Session struct {
	ID         string          `json:"id"`
	Version    int64           `json:"version,omitempty"`
	State      string          `json:"state"`
	ActiveCart *SessionCart    `json:"activeCart,omitempty"`
	Metadata   SessionMetadata `json:"metadata"`
}

// SessionCart points at the session's cart.
type SessionCart struct {
	CartRef struct {
		ID string `json:"id"`
	} `json:"cartRef"`
}

// SessionMetadata is what Checkout attaches to a session for the connector.
type SessionMetadata struct {
	AllowedPaymentMethods     []string `json:"allowedPaymentMethods,omitempty"`
	ProcessorURL              string   `json:"processorUrl,omitempty"`
	PaymentInterface          string   `json:"paymentInterface,omitempty"`
	CheckoutTransactionItemID string   `json:"checkoutTransactionItemId,omitempty"`
	MerchantReturnURL         string   `json:"merchantReturnUrl,omitempty"`
	FutureOrderNumber         string   `json:"futureOrderNumber,omitempty"`
	GiftCardPlannedAmount     *Money   `json:"giftCardPlannedAmount,omitempty"`
	CorrelationID             string   `json:"correlationId,omitempty"`
}

// SessionActive is the state of a usable session.
const SessionActive = "ACTIVE"

// CartID returns the id of the session's cart, or "" when it has none.
func (s *Session) CartID() string {
	if s.ActiveCart == nil {
		return ""
	}
	return s.ActiveCart.CartRef.ID
}

// SessionDraft creates a session for a cart.
type SessionDraft struct {
	Cart struct {
		CartRef struct {
			ID string `json:"id"`
		} `json:"cartRef"`
	} `json:"cart"`
	Metadata SessionMetadata `json:"metadata"`
}

// NewSessionDraft returns a draft for a session of the cart.
func NewSessionDraft(cartID string, metadata SessionMetadata) SessionDraft {
	var d SessionDraft
	d.Cart.CartRef.ID = cartID
	d.Metadata = metadata
	return d
}

// TokenInfo is the answer of token introspection.
type TokenInfo struct {
	Active   bool   `json:"active"`
	Scope    string `json:"scope,omitempty"`
	Exp      int64  `json:"exp,omitempty"`
	ClientID string `json:"client_id,omitempty"`
}
