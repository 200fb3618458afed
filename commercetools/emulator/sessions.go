package emulator

import (
	"net/http"

	"github.com/google/uuid"
)

// Session states of the Checkout Session API.
const (
	sessionActive  = "ACTIVE"
	sessionExpired = "EXPIRED"
)

func (e *Emulator) handleCreateSession(w http.ResponseWriter, r *http.Request) {
	var draft struct {
		Cart *struct {
			CartRef struct {
				ID string `json:"id"`
			} `json:"cartRef"`
		} `json:"cart"`
		Metadata map[string]any `json:"metadata"`
	}
	if err := decodeBody(r, &draft); err != nil {
		err.write(w)
		return
	}
	if draft.Cart == nil || draft.Cart.CartRef.ID == "" {
		requiredField("cart.cartRef.id").write(w)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.carts.get(draft.Cart.CartRef.ID); !ok {
		referencedNotFound("cart", draft.Cart.CartRef.ID).write(w)
		return
	}
	now := e.now()
	s := &session{
		ID: uuid.NewString(), Version: 1, CreatedAt: now, LastModifiedAt: now,
		ExpiryAt: e.opts.Now().Add(e.opts.SessionLifetime).UTC().Format("2006-01-02T15:04:05.000Z"),
		State:    sessionActive, Metadata: draft.Metadata,
	}
	if s.Metadata == nil {
		s.Metadata = map[string]any{}
	}
	s.ActiveCart.CartRef.ID = draft.Cart.CartRef.ID
	e.sessions[s.ID] = s
	writeJSON(w, http.StatusCreated, e.sessionView(s))
}

func (e *Emulator) handleGetSession(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.sessions[r.PathValue("id")]
	if !ok {
		notFound(r.PathValue("id")).write(w)
		return
	}
	writeJSON(w, http.StatusOK, e.sessionView(s))
}

// sessionView is the session with its state as of now: EXPIRED once past its expiry.
func (e *Emulator) sessionView(s *session) session {
	v := *s
	if v.State == sessionActive && e.now() >= v.ExpiryAt {
		v.State = sessionExpired
	}
	return v
}

// handleExpireSession ends a session at once. Development only.
func (e *Emulator) handleExpireSession(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.sessions[r.PathValue("id")]
	if !ok {
		notFound(r.PathValue("id")).write(w)
		return
	}
	s.State = sessionExpired
	s.Version++
	s.LastModifiedAt = e.now()
	writeJSON(w, http.StatusOK, e.sessionView(s))
}

func referencedNotFound(typeID, id string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "ReferencedResourceNotFound",
		message: "The referenced object of type '" + typeID + "' with identifier '" + id + "' was not found.",
		extra:   map[string]any{"typeId": typeID, "id": id}}
}
