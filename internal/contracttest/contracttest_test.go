package contracttest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// recordingTB captures failures instead of failing the test.
type recordingTB struct {
	testing.TB
	failures []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}
func (r *recordingTB) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recordingTB) Helper()                           {}

func TestCheckResponse(t *testing.T) {
	jsonHeader := http.Header{"Content-Type": []string{"application/json"}}
	cases := []struct {
		name   string
		method string
		path   string
		status int
		body   string
		ok     bool
	}{
		{"health as promised", "GET", "/health", 200, `{"status":"UP"}`, true},
		{"health with an unknown status", "GET", "/health", 200, `{"status":"MAYBE"}`, false},
		{"payment without its reference", "POST", "/payments", 200, `{}`, false},
		{"error in the common shape", "POST", "/payments", 400, `{"message":"m","statusCode":400,"errors":[{"code":"c","message":"m"}]}`, true},
		{"error without errors", "POST", "/payments", 400, `{"message":"m","statusCode":400}`, false},
		{"unmatched route with an error body", "GET", "/nowhere", 404, `{"message":"m","statusCode":404,"errors":[{"code":"c","message":"m"}]}`, true},
		{"unmatched route with another body", "GET", "/nowhere", 404, `{"msg":"not found"}`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordingTB{TB: t}
			CheckResponse(rec, httptest.NewRequest(tc.method, tc.path, nil), tc.status, jsonHeader, []byte(tc.body))
			assert.Equal(t, tc.ok, len(rec.failures) == 0, "failures: %v", rec.failures)
		})
	}
}
