package handlers

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequestAndCorrelationIDsAreEchoed(t *testing.T) {
	engine, logs := newTestEngine(t)
	req := httptest.NewRequest("GET", "/health", nil)
	req.Header.Set("X-Request-ID", "req-123")
	req.Header.Set("X-Correlation-ID", "corr-456")
	rec := serve(t, engine, req)

	assert.Equal(t, "req-123", rec.Header().Get("X-Request-ID"))
	assert.Equal(t, "corr-456", rec.Header().Get("X-Correlation-ID"))
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	var line map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &line), logs.String())
	assert.Equal(t, "req-123", line["request_id"])
	assert.Equal(t, "corr-456", line["correlation_id"])
	assert.Equal(t, "/health", line["route"])
	assert.EqualValues(t, 200, line["status"])
}

func TestMissingOrUnusableIDsAreGenerated(t *testing.T) {
	engine, _ := newTestEngine(t)
	for _, given := range []string{"", "has space", strings.Repeat("x", 500), "quote\"d"} {
		req := httptest.NewRequest("GET", "/health", nil)
		if given != "" {
			req.Header.Set("X-Correlation-ID", given)
			req.Header.Set("X-Request-ID", given)
		}
		rec := serve(t, engine, req)

		for _, h := range []string{"X-Request-ID", "X-Correlation-ID"} {
			got := rec.Header().Get(h)
			assert.Len(t, got, 36, "%s for %q", h, given)
			assert.NotEqual(t, given, got)
		}
		assert.NotEqual(t, rec.Header().Get("X-Request-ID"), rec.Header().Get("X-Correlation-ID"))
	}
}

func TestCORSPreflightAndHeaders(t *testing.T) {
	engine, _ := newTestEngine(t)
	req := httptest.NewRequest("OPTIONS", "/payments", nil)
	req.Header.Set("Origin", "https://shop.example.com")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "x-session-id, content-type")
	rec := httptest.NewRecorder()
	engine.ServeHTTP(rec, req)

	assert.Equal(t, http.StatusNoContent, rec.Code)
	assert.Equal(t, "*", rec.Header().Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "GET, HEAD, POST, DELETE", rec.Header().Get("Access-Control-Allow-Methods"))
	for _, h := range []string{"Content-Type", "Authorization", "X-Correlation-ID", "X-Request-ID", "X-Session-ID", "Idempotency-Key"} {
		assert.Contains(t, rec.Header().Get("Access-Control-Allow-Headers"), h)
	}
	assert.Empty(t, rec.Body.String())

	rec = serve(t, engine, httptest.NewRequest("GET", "/health", nil))
	assert.Equal(t, "*", rec.Header().Get("Access-Control-Allow-Origin"))
	assert.Contains(t, rec.Header().Get("Access-Control-Expose-Headers"), "X-Correlation-ID")
}

func TestUnknownRoutesAndMethodsAnswerInTheErrorShape(t *testing.T) {
	engine, _ := newTestEngine(t)

	rec := serve(t, engine, httptest.NewRequest("GET", "/nowhere", nil))
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "ResourceNotFound", decodeError(t, rec).Errors[0]["code"])

	rec = serve(t, engine, httptest.NewRequest("GET", "/payments/", nil))
	assert.Equal(t, http.StatusNotFound, rec.Code, "no redirect for a trailing slash")

	rec = serve(t, engine, httptest.NewRequest("PUT", "/health", nil))
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	assert.Equal(t, "MethodNotAllowed", decodeError(t, rec).Errors[0]["code"])
	assert.Equal(t, "GET", rec.Header().Get("Allow"))
}

func TestPanicsAnswerAGeneral500WithoutDetails(t *testing.T) {
	engine, logs := newTestEngine(t)
	engine.GET("/test-panic", func(*gin.Context) { panic("secret internal detail") })
	rec := httptest.NewRecorder()
	engine.ServeHTTP(rec, httptest.NewRequest("GET", "/test-panic", nil))

	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	got := decodeError(t, rec)
	assert.Equal(t, "General", got.Errors[0]["code"])
	assert.Equal(t, "Internal server error.", got.Message)
	assert.NotContains(t, rec.Body.String(), "secret")
	assert.Contains(t, logs.String(), "secret internal detail", "the cause is logged")
}
