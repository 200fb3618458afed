package emulator

import (
	"net/http"

	"github.com/google/uuid"
)

func (e *Emulator) handleCreatePaymentMethod(w http.ResponseWriter, r *http.Request) {
	var d struct {
		Key      string            `json:"key"`
		Name     map[string]string `json:"name"`
		Customer *struct {
			ID string `json:"id"`
		} `json:"customer"`
		Method              string             `json:"method"`
		PaymentInterface    string             `json:"paymentInterface"`
		InterfaceAccount    string             `json:"interfaceAccount"`
		Token               *token             `json:"token"`
		PaymentMethodStatus string             `json:"paymentMethodStatus"`
		Default             bool               `json:"default"`
		Custom              *customFieldsDraft `json:"custom"`
	}
	if err := decodeBody(r, &d); err != nil {
		err.write(w)
		return
	}
	status := d.PaymentMethodStatus
	if status == "" {
		status = "Active"
	}
	if status != "Active" && status != "Inactive" {
		invalidInput("Invalid paymentMethodStatus %s.", status).write(w)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	pm := &paymentMethod{
		meta: meta{ID: uuid.NewString(), Version: 1, CreatedAt: now, LastModifiedAt: now},
		Key:  d.Key, Name: d.Name, Method: d.Method, PaymentInterface: d.PaymentInterface, InterfaceAccount: d.InterfaceAccount,
		Token: d.Token, PaymentMethodStatus: status, Default: d.Default,
	}
	if d.Customer != nil {
		pm.Customer = &reference{TypeID: "customer", ID: d.Customer.ID}
	}
	custom, err := e.resolveCustom(d.Custom)
	if err != nil {
		err.write(w)
		return
	}
	pm.Custom = custom
	e.paymentMethods.put(pm)
	writeJSON(w, http.StatusCreated, pm)
}
