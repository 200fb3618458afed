package emulator

import (
	"net/http"
	"strings"
)

// The handlers every resource kind shares: read one, query, update, delete.

// finder finds a resource by the {id} path segment, which may be key=... for kinds with keys.
type finder[T resource] func(idOrKey string) (T, bool)

// byIDOrKey finds resources of s by id, or by key through keyOf for a "key=" segment.
func byIDOrKey[T resource](s *store[T], keyOf func(T) string) finder[T] {
	return func(idOrKey string) (T, bool) {
		if key, ok := strings.CutPrefix(idOrKey, "key="); ok && keyOf != nil {
			return s.find(func(r T) bool { return keyOf(r) == key })
		}
		return s.get(idOrKey)
	}
}

// getter answers one resource; expand, when set, returns the view for the request's
// expand parameters.
func getter[T resource](e *Emulator, find finder[T], expand func(T, []string) any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		defer e.mu.Unlock()
		res, ok := find(r.PathValue("id"))
		if !ok {
			notFound(r.PathValue("id")).write(w)
			return
		}
		if paths := r.URL.Query()["expand"]; expand != nil && len(paths) > 0 {
			writeJSON(w, http.StatusOK, expand(res, paths))
			return
		}
		writeJSON(w, http.StatusOK, res)
	}
}

// querier answers queries of the store; expand, when set, serves expand parameters.
func querier[T resource](e *Emulator, s *store[T], expand func(T, []string) any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		defer e.mu.Unlock()
		pagedQuery(w, r, s.all(), expand)
	}
}

func updater[T resource](e *Emulator, s *store[T], find finder[T], apply func(T, map[string]any) *apiError) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req updateRequest
		if err := decodeBody(r, &req); err != nil {
			err.write(w)
			return
		}
		e.mu.Lock()
		defer e.mu.Unlock()
		res, ok := find(r.PathValue("id"))
		if !ok {
			notFound(r.PathValue("id")).write(w)
			return
		}
		updated, err := applyUpdate(res, req, e.now(), apply)
		if err != nil {
			err.write(w)
			return
		}
		s.put(updated)
		writeJSON(w, http.StatusOK, updated)
	}
}

// deleter deletes at the version given; inUse, when set, may refuse the deletion.
func deleter[T resource](e *Emulator, s *store[T], find finder[T], inUse func(T) *apiError) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		defer e.mu.Unlock()
		res, ok := find(r.PathValue("id"))
		if !ok {
			notFound(r.PathValue("id")).write(w)
			return
		}
		if err := checkDeleteVersion(r, *res.base()); err != nil {
			err.write(w)
			return
		}
		if inUse != nil {
			if err := inUse(res); err != nil {
				err.write(w)
				return
			}
		}
		s.remove(res.base().ID)
		writeJSON(w, http.StatusOK, res)
	}
}
