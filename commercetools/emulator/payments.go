package emulator

import (
	"net/http"

	"github.com/google/uuid"
)

type customFieldsDraft struct {
	Type *struct {
		TypeID string `json:"typeId"`
		ID     string `json:"id"`
		Key    string `json:"key"`
	} `json:"type"`
	Fields map[string]any `json:"fields"`
}

type transactionDraft struct {
	Timestamp     string      `json:"timestamp"`
	Type          string      `json:"type"`
	Amount        *moneyDraft `json:"amount"`
	InteractionID string      `json:"interactionId"`
	InterfaceID   string      `json:"interfaceId"`
	State         string      `json:"state"`
}

type paymentDraft struct {
	Key                       string `json:"key"`
	CheckoutTransactionItemID string `json:"checkoutTransactionItemId"`
	InterfaceID               string `json:"interfaceId"`
	Customer                  *struct {
		ID string `json:"id"`
	} `json:"customer"`
	AnonymousID       string             `json:"anonymousId"`
	AmountPlanned     *moneyDraft        `json:"amountPlanned"`
	PaymentMethodInfo *paymentMethodInfo `json:"paymentMethodInfo"`
	PaymentStatus     *paymentStatus     `json:"paymentStatus"`
	Transactions      []transactionDraft `json:"transactions"`
	Custom            *customFieldsDraft `json:"custom"`
}

var (
	transactionTypes  = []string{"Authorization", "CancelAuthorization", "Charge", "Refund", "Chargeback"}
	transactionStates = []string{"Initial", "Pending", "Success", "Failure"}
	// legalTransitions are the transaction state changes commercetools allows.
	legalTransitions = map[string][]string{"Initial": {"Pending", "Success", "Failure"}, "Pending": {"Success", "Failure"}}
)

func (e *Emulator) newTransaction(d transactionDraft) (transaction, *apiError) {
	if !contains(transactionTypes, d.Type) {
		return transaction{}, requiredField("transaction.type")
	}
	amount, err := toMoney("transaction.amount", d.Amount)
	if err != nil {
		return transaction{}, err
	}
	state := d.State
	if state == "" {
		state = "Initial"
	}
	if !contains(transactionStates, state) {
		return transaction{}, invalidInput("Invalid transaction state %s.", state)
	}
	ts := d.Timestamp
	if ts == "" {
		ts = e.now()
	}
	return transaction{ID: uuid.NewString(), Timestamp: ts, Type: d.Type, Amount: amount,
		InteractionID: d.InteractionID, InterfaceID: d.InterfaceID, State: state}, nil
}

// resolveCustom turns a custom fields draft into stored custom fields; the type must exist.
func (e *Emulator) resolveCustom(d *customFieldsDraft) (*customFields, *apiError) {
	if d == nil || d.Type == nil {
		return nil, nil
	}
	var t *customType
	var ok bool
	if d.Type.ID != "" {
		t, ok = e.types.get(d.Type.ID)
	} else {
		t, ok = e.types.find(func(x *customType) bool { return x.Key == d.Type.Key })
	}
	if !ok {
		return nil, referencedNotFound("type", d.Type.ID+d.Type.Key)
	}
	fields := d.Fields
	if fields == nil {
		fields = map[string]any{}
	}
	return &customFields{Type: reference{TypeID: "type", ID: t.ID}, Fields: fields}, nil
}

func (e *Emulator) handleCreatePayment(w http.ResponseWriter, r *http.Request) {
	var d paymentDraft
	if err := decodeBody(r, &d); err != nil {
		err.write(w)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.newPayment(d)
	if err != nil {
		err.write(w)
		return
	}
	e.payments.put(p)
	writeJSON(w, http.StatusCreated, p)
}

func (e *Emulator) newPayment(d paymentDraft) (*payment, *apiError) {
	amount, err := toMoney("amountPlanned", d.AmountPlanned)
	if err != nil {
		return nil, err
	}
	if d.Key != "" {
		if _, taken := e.payments.find(func(x *payment) bool { return x.Key == d.Key }); taken {
			return nil, duplicateField("key", d.Key)
		}
	}
	now := e.now()
	p := &payment{
		meta: meta{ID: uuid.NewString(), Version: 1, CreatedAt: now, LastModifiedAt: now},
		Key:  d.Key, CheckoutTransactionItemID: d.CheckoutTransactionItemID, InterfaceID: d.InterfaceID, AnonymousID: d.AnonymousID, AmountPlanned: amount,
		Transactions: []transaction{}, InterfaceInteractions: []customFields{},
	}
	if d.Customer != nil {
		p.Customer = &reference{TypeID: "customer", ID: d.Customer.ID}
	}
	if d.PaymentMethodInfo != nil {
		p.PaymentMethodInfo = *d.PaymentMethodInfo
	}
	if d.PaymentStatus != nil {
		p.PaymentStatus = *d.PaymentStatus
	}
	for _, td := range d.Transactions {
		tx, err := e.newTransaction(td)
		if err != nil {
			return nil, err
		}
		p.Transactions = append(p.Transactions, tx)
	}
	if p.Custom, err = e.resolveCustom(d.Custom); err != nil {
		return nil, err
	}
	return p, nil
}

// findTransaction returns the payment's transaction with the id.
func findTransaction(p *payment, id string) (*transaction, *apiError) {
	for i := range p.Transactions {
		if p.Transactions[i].ID == id {
			return &p.Transactions[i], nil
		}
	}
	if id == "" {
		return nil, requiredField("transactionId")
	}
	return nil, invalidOperation("The payment has no transaction with id '%s'.", id)
}

// paymentAction holds the members of every payment update action the emulator knows.
type paymentAction struct {
	Transaction      *transactionDraft `json:"transaction"`
	TransactionID    string            `json:"transactionId"`
	State            string            `json:"state"`
	InteractionID    string            `json:"interactionId"`
	InterfaceID      string            `json:"interfaceId"`
	Timestamp        string            `json:"timestamp"`
	Key              string            `json:"key"`
	InterfaceCode    string            `json:"interfaceCode"`
	InterfaceText    string            `json:"interfaceText"`
	Method           string            `json:"method"`
	Name             map[string]string `json:"name"`
	Interface        string            `json:"interface"`
	InterfaceAccount string            `json:"interfaceAccount"`
	Token            *token            `json:"token"`
	Amount           *moneyDraft       `json:"amount"`
	AnonymousID      string            `json:"anonymousId"`
	Value            any               `json:"value"`
}

// transactionActions are the payment update actions on one transaction, named by
// transactionId.
var transactionActions = map[string]bool{
	"changeTransactionState": true, "changeTransactionInteractionId": true,
	"setTransactionInterfaceId": true, "changeTransactionTimestamp": true,
}

// applyTransactionAction applies a transaction action to the transaction it names.
func applyTransactionAction(tx *transaction, name string, a paymentAction) *apiError {
	switch name {
	case "changeTransactionState":
		if !contains(transactionStates, a.State) {
			return requiredField("state")
		}
		if tx.State != a.State && !contains(legalTransitions[tx.State], a.State) {
			return invalidOperation("Transaction state transition from %s to %s is not allowed.", tx.State, a.State)
		}
		tx.State = a.State
	case "changeTransactionInteractionId":
		tx.InteractionID = a.InteractionID
	case "setTransactionInterfaceId":
		tx.InterfaceID = a.InterfaceID
	case "changeTransactionTimestamp":
		tx.Timestamp = a.Timestamp
	}
	return nil
}

func (e *Emulator) applyPaymentAction(p *payment, action map[string]any) *apiError {
	var a paymentAction
	if err := decodeAction(action, &a); err != nil {
		return err
	}
	if name := actionName(action); transactionActions[name] {
		tx, err := findTransaction(p, a.TransactionID)
		if err != nil {
			return err
		}
		return applyTransactionAction(tx, name, a)
	}
	switch actionName(action) {
	case "addTransaction":
		if a.Transaction == nil {
			return requiredField("transaction")
		}
		tx, err := e.newTransaction(*a.Transaction)
		if err != nil {
			return err
		}
		p.Transactions = append(p.Transactions, tx)
	case "setInterfaceId":
		p.InterfaceID = a.InterfaceID
	case "setKey":
		if a.Key != "" {
			if other, taken := e.payments.find(func(x *payment) bool { return x.Key == a.Key }); taken && other.ID != p.ID {
				return duplicateField("key", a.Key)
			}
		}
		p.Key = a.Key
	case "setStatusInterfaceCode":
		p.PaymentStatus.InterfaceCode = a.InterfaceCode
	case "setStatusInterfaceText":
		p.PaymentStatus.InterfaceText = a.InterfaceText
	case "setMethodInfoMethod":
		p.PaymentMethodInfo.Method = a.Method
	case "setMethodInfoName":
		p.PaymentMethodInfo.Name = a.Name
	case "setMethodInfoInterface":
		p.PaymentMethodInfo.PaymentInterface = a.Interface
	case "setMethodInfoInterfaceAccount":
		p.PaymentMethodInfo.InterfaceAccount = a.InterfaceAccount
	case "setMethodInfoToken":
		p.PaymentMethodInfo.Token = a.Token
	case "changeAmountPlanned":
		amount, err := toMoney("amount", a.Amount)
		if err != nil {
			return err
		}
		p.AmountPlanned = amount
	case "setAnonymousId":
		p.AnonymousID = a.AnonymousID
	case "setCustomType":
		var d customFieldsDraft
		if err := decodeAction(action, &d); err != nil {
			return err
		}
		custom, err := e.resolveCustom(&d)
		if err != nil {
			return err
		}
		p.Custom = custom
	case "setCustomField":
		if p.Custom == nil {
			return invalidOperation("The payment has no custom type; set one before setting custom fields.")
		}
		name, _ := action["name"].(string)
		if name == "" {
			return requiredField("name")
		}
		if a.Value == nil {
			delete(p.Custom.Fields, name)
		} else {
			p.Custom.Fields[name] = a.Value
		}
	case "addInterfaceInteraction":
		var d customFieldsDraft
		if err := decodeAction(action, &d); err != nil {
			return err
		}
		custom, err := e.resolveCustom(&d)
		if err != nil {
			return err
		}
		if custom == nil {
			return requiredField("type")
		}
		p.InterfaceInteractions = append(p.InterfaceInteractions, *custom)
	default:
		return unknownAction(action)
	}
	return nil
}
