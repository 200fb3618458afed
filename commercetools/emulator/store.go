package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// resource is a stored commercetools resource.
type resource interface{ base() *meta }

// store keeps resources of one kind in creation order.
type store[T resource] struct {
	byID  map[string]T
	order []string
}

func newStore[T resource]() *store[T] { return &store[T]{byID: map[string]T{}} }

func (s *store[T]) get(id string) (T, bool) {
	r, ok := s.byID[id]
	return r, ok
}

func (s *store[T]) put(r T) {
	id := r.base().ID
	if _, exists := s.byID[id]; !exists {
		s.order = append(s.order, id)
	}
	s.byID[id] = r
}

func (s *store[T]) remove(id string) {
	delete(s.byID, id)
	for i, v := range s.order {
		if v == id {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
}

func (s *store[T]) all() []T {
	out := make([]T, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.byID[id])
	}
	return out
}

// find returns the first resource for which match holds.
func (s *store[T]) find(match func(T) bool) (T, bool) {
	for _, id := range s.order {
		if r := s.byID[id]; match(r) {
			return r, true
		}
	}
	var zero T
	return zero, false
}

// pagedQuery answers a query over items: where predicates (repeated ones are and-ed),
// sort on one top-level field ("createdAt asc", "id desc"), limit (default 20, at most
// 500), offset and withTotal, as commercetools does.
func pagedQuery[T any](w http.ResponseWriter, r *http.Request, items []T, expand func(T, []string) any) {
	q := r.URL.Query()
	var predicates []predicate
	for _, where := range q["where"] {
		p, err := parsePredicate(where)
		if err != nil {
			invalidInput("Malformed parameter: where: %s", err).write(w)
			return
		}
		predicates = append(predicates, p)
	}
	limit, offset := 20, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 500 {
			invalidInput("Malformed parameter: limit: must be a number from 0 to 500.").write(w)
			return
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 10000 {
			invalidInput("Malformed parameter: offset: must be a number from 0 to 10000.").write(w)
			return
		}
		offset = n
	}
	sortField, descending, err := parseSort(q.Get("sort"))
	if err != nil {
		invalidInput("Malformed parameter: sort: %s", err).write(w)
		return
	}
	matched := make([]any, 0)
	var keys []string
	for _, item := range items {
		doc, err := toDocument(item)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "General", "Internal error.", nil)
			return
		}
		ok := true
		for _, p := range predicates {
			if !p.eval(doc) {
				ok = false
				break
			}
		}
		if ok {
			matched = append(matched, item)
			keys = append(keys, fmt.Sprint(doc[sortField]))
		}
	}
	if sortField != "" {
		order := make([]int, len(matched))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool {
			if descending {
				return keys[order[a]] > keys[order[b]]
			}
			return keys[order[a]] < keys[order[b]]
		})
		sorted := make([]any, len(matched))
		for i, j := range order {
			sorted[i] = matched[j]
		}
		matched = sorted
	}
	page := matched[min(offset, len(matched)):]
	page = page[:min(limit, len(page))]
	if paths := q["expand"]; expand != nil && len(paths) > 0 {
		expanded := make([]any, len(page))
		for i, item := range page {
			expanded[i] = expand(item.(T), paths)
		}
		page = expanded
	}
	body := map[string]any{"limit": limit, "offset": offset, "count": len(page), "results": page}
	if q.Get("withTotal") != "false" {
		body["total"] = len(matched)
	}
	writeJSON(w, http.StatusOK, body)
}

// toDocument turns a resource into generic JSON for predicates.
func toDocument(v any) (map[string]any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	err = dec.Decode(&doc)
	return doc, err
}

// clone deep-copies a resource, so updates can be applied to a copy and dropped on error.
func clone[T any](v T) T {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out T
	if err := json.Unmarshal(data, &out); err != nil {
		panic(err)
	}
	return out
}

// updateRequest is the body of every update endpoint.
type updateRequest struct {
	Version *int64           `json:"version"`
	Actions []map[string]any `json:"actions"`
}

// applyUpdate checks the version and applies the actions to a copy of current, returning
// the updated copy, or an error that leaves current untouched. A version mismatch is a
// 409 even when the actions would change nothing. The version grows only when something
// changed.
func applyUpdate[T resource](current T, req updateRequest, now string, apply func(T, map[string]any) *apiError) (T, *apiError) {
	var zero T
	if req.Version == nil {
		return zero, requiredField("version")
	}
	m := current.base()
	if *req.Version != m.Version {
		return zero, conflict(*m, *req.Version)
	}
	if req.Actions == nil {
		return zero, requiredField("actions")
	}
	before, _ := json.Marshal(current)
	next := clone(current)
	for _, action := range req.Actions {
		if err := apply(next, action); err != nil {
			return zero, err
		}
	}
	after, _ := json.Marshal(next)
	if !bytes.Equal(before, after) {
		next.base().Version++
		next.base().LastModifiedAt = now
	}
	return next, nil
}

// actionName reads the action member of an update action.
func actionName(action map[string]any) string {
	name, _ := action["action"].(string)
	return name
}

// decodeAction decodes an update action into v.
func decodeAction(action map[string]any, v any) *apiError {
	data, err := json.Marshal(action)
	if err == nil {
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		return invalidInput("Malformed update action %s: %s", actionName(action), describeJSONError(err))
	}
	return nil
}

func unknownAction(action map[string]any) *apiError {
	return invalidInput("Request body does not contain valid JSON: unknown update action '%s'.", actionName(action))
}

// conflict is the 409 of a write at a version that is not the resource's.
func conflict(m meta, expected int64) *apiError {
	return &apiError{status: http.StatusConflict, code: "ConcurrentModification",
		message: "Object " + m.ID + " has a different version than expected. Expected: " + strconv.FormatInt(expected, 10) +
			" - Actual: " + strconv.FormatInt(m.Version, 10) + ".",
		extra: map[string]any{"currentVersion": m.Version}}
}

// parseSort reads a sort expression: a top-level field and an optional direction.
func parseSort(expr string) (field string, descending bool, err error) {
	parts := strings.Fields(expr)
	switch {
	case len(parts) == 0:
		return "", false, nil
	case len(parts) > 2 || !isIdentifier(parts[0]):
		return "", false, fmt.Errorf("%q is not a field with an optional asc or desc", expr)
	case len(parts) == 2 && parts[1] != "asc" && parts[1] != "desc":
		return "", false, fmt.Errorf("the direction must be asc or desc, not %q", parts[1])
	}
	return parts[0], len(parts) == 2 && parts[1] == "desc", nil
}
