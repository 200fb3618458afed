package emulator

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// FaultHeader marks answers made by fault injection rather than by the emulator's
// commercetools behaviour.
const FaultHeader = "X-Emulator-Fault"

// fault is a rule of fault injection: matching requests are delayed and/or answered with
// an error status. Development and tests only.
type fault struct {
	// Method matches the request method; empty matches any.
	Method string `json:"method"`
	// Path is a prefix of the request path without the project key ("/payments",
	// "/carts/", "/oauth/token"); empty matches any.
	Path string `json:"path"`
	// Status is the status answered instead; 0 answers normally (latency only).
	Status int `json:"status"`
	// Times is how many matching requests are affected; 0 means every one.
	Times int `json:"times"`
	// Rate is the chance that a matching request is affected; 0 means always.
	Rate float64 `json:"rate"`
	// LatencyMs delays affected requests.
	LatencyMs int `json:"latencyMs"`
	// AfterWrite lets the request take effect before answering Status, the way a lost
	// answer looks to a client.
	AfterWrite bool `json:"afterWrite"`
	// Body replaces the JSON error body (to imitate a proxy's HTML page, say).
	Body string `json:"body,omitempty"`

	Hits int `json:"hits"`
}

func (f *fault) matches(r *http.Request, path string) bool {
	return (f.Method == "" || strings.EqualFold(f.Method, r.Method)) && strings.HasPrefix(path, f.Path)
}

func (e *Emulator) handleAddFaults(w http.ResponseWriter, r *http.Request) {
	var rules []*fault
	if err := decodeBody(r, &rules); err != nil {
		err.write(w)
		return
	}
	e.mu.Lock()
	e.faults = append(e.faults, rules...)
	e.mu.Unlock()
	writeJSON(w, http.StatusOK, rules)
}

func (e *Emulator) handleListFaults(w http.ResponseWriter, _ *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	writeJSON(w, http.StatusOK, e.faults)
}

func (e *Emulator) handleClearFaults(w http.ResponseWriter, _ *http.Request) {
	e.mu.Lock()
	e.faults = nil
	e.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// pickFault returns a copy of the fault that affects r, if any, counting the hit.
func (e *Emulator) pickFault(r *http.Request) (fault, bool) {
	if strings.HasPrefix(r.URL.Path, "/emulator/") {
		return fault{}, false
	}
	path := strings.TrimPrefix(r.URL.Path, "/"+e.opts.ProjectKey)
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, f := range e.faults {
		if !f.matches(r, path) || (f.Times > 0 && f.Hits >= f.Times) {
			continue
		}
		if f.Rate > 0 && rand.Float64() >= f.Rate {
			continue
		}
		f.Hits++
		return *f, true
	}
	return fault{}, false
}

// withFaults applies the fault rules before the emulator serves a request.
func (e *Emulator) withFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := e.pickFault(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if f.LatencyMs > 0 {
			t := time.NewTimer(time.Duration(f.LatencyMs) * time.Millisecond)
			select {
			case <-r.Context().Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		if f.Status == 0 {
			next.ServeHTTP(w, r)
			return
		}
		if f.AfterWrite {
			next.ServeHTTP(httptest.NewRecorder(), r)
		}
		w.Header().Set(FaultHeader, "injected")
		if f.Body != "" {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(f.Status)
			_, _ = w.Write([]byte(f.Body))
			return
		}
		switch f.Status {
		case http.StatusConflict:
			writeError(w, f.Status, "ConcurrentModification", "Object has a different version than expected (injected).", map[string]any{"currentVersion": 1})
		case http.StatusBadGateway:
			writeError(w, f.Status, "BadGateway", "Bad gateway (injected).", nil)
		default:
			writeError(w, f.Status, "General", http.StatusText(f.Status)+" (injected).", nil)
		}
	})
}
