package emulator

import (
	"net/http"

	"github.com/google/uuid"
)

func validFieldDefinition(d fieldDefinition) *apiError {
	switch {
	case d.Name == "":
		return requiredField("fieldDefinitions.name")
	case len(d.Type) == 0:
		return requiredField("fieldDefinitions.type")
	case len(d.Label) == 0:
		return requiredField("fieldDefinitions.label")
	}
	return nil
}

func (e *Emulator) handleCreateType(w http.ResponseWriter, r *http.Request) {
	var d struct {
		Key              string            `json:"key"`
		Name             map[string]string `json:"name"`
		Description      map[string]string `json:"description"`
		ResourceTypeIDs  []string          `json:"resourceTypeIds"`
		FieldDefinitions []fieldDefinition `json:"fieldDefinitions"`
	}
	if err := decodeBody(r, &d); err != nil {
		err.write(w)
		return
	}
	switch {
	case d.Key == "":
		requiredField("key").write(w)
		return
	case len(d.Name) == 0:
		requiredField("name").write(w)
		return
	case len(d.ResourceTypeIDs) == 0:
		requiredField("resourceTypeIds").write(w)
		return
	}
	for _, fd := range d.FieldDefinitions {
		if err := validFieldDefinition(fd); err != nil {
			err.write(w)
			return
		}
	}
	if d.FieldDefinitions == nil {
		d.FieldDefinitions = []fieldDefinition{}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, taken := e.types.find(func(t *customType) bool { return t.Key == d.Key }); taken {
		duplicateField("key", d.Key).write(w)
		return
	}
	now := e.now()
	t := &customType{
		meta: meta{ID: uuid.NewString(), Version: 1, CreatedAt: now, LastModifiedAt: now},
		Key:  d.Key, Name: d.Name, Description: d.Description, ResourceTypeIDs: d.ResourceTypeIDs, FieldDefinitions: d.FieldDefinitions,
	}
	e.types.put(t)
	writeJSON(w, http.StatusCreated, t)
}

func applyTypeAction(t *customType, action map[string]any) *apiError {
	switch actionName(action) {
	case "addFieldDefinition":
		var a struct {
			FieldDefinition *fieldDefinition `json:"fieldDefinition"`
		}
		if err := decodeAction(action, &a); err != nil {
			return err
		}
		if a.FieldDefinition == nil {
			return requiredField("fieldDefinition")
		}
		if err := validFieldDefinition(*a.FieldDefinition); err != nil {
			return err
		}
		for _, fd := range t.FieldDefinitions {
			if fd.Name == a.FieldDefinition.Name {
				return duplicateField("fieldDefinitions.name", fd.Name)
			}
		}
		t.FieldDefinitions = append(t.FieldDefinitions, *a.FieldDefinition)
	case "removeFieldDefinition":
		name, _ := action["fieldName"].(string)
		for i, fd := range t.FieldDefinitions {
			if fd.Name == name {
				t.FieldDefinitions = append(t.FieldDefinitions[:i], t.FieldDefinitions[i+1:]...)
				return nil
			}
		}
		return invalidOperation("The type has no field definition named '%s'.", name)
	case "changeName":
		var a struct {
			Name map[string]string `json:"name"`
		}
		if err := decodeAction(action, &a); err != nil {
			return err
		}
		t.Name = a.Name
	default:
		return unknownAction(action)
	}
	return nil
}

// typeInUse refuses to delete a type that payments use.
func (e *Emulator) typeInUse(t *customType) *apiError {
	if _, used := e.payments.find(func(p *payment) bool { return p.Custom != nil && p.Custom.Type.ID == t.ID }); used {
		return &apiError{status: http.StatusBadRequest, code: "ReferenceExists",
			message: "Can not delete a type while it is referenced by at least one payment.",
			extra:   map[string]any{"referencedBy": "payment"}}
	}
	return nil
}
