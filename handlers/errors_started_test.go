package handlers

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
)

// An error after the response has started is logged, never appended to the body sent.
func TestAnErrorAfterTheResponseStartedIsOnlyLogged(t *testing.T) {
	var logged bytes.Buffer
	errs := errorWriter{log: slog.New(slog.NewTextHandler(&logged, nil))}
	engine := gin.New()
	engine.Use(recoverPanics(errs))
	engine.GET("/write-fails", func(c *gin.Context) {
		c.String(http.StatusOK, "partial")
		errs.write(c, errors.New("write response: connection reset"))
	})
	engine.GET("/panics", func(c *gin.Context) {
		c.String(http.StatusOK, "partial")
		panic("late")
	})
	engine.GET("/fails", func(c *gin.Context) {
		errs.write(c, errors.New("boom"))
	})
	for _, path := range []string{"/write-fails", "/panics"} {
		logged.Reset()
		rec := httptest.NewRecorder()
		engine.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		assert.Equal(t, http.StatusOK, rec.Code, path)
		assert.Equal(t, "partial", rec.Body.String(), path)
		assert.Contains(t, logged.String(), "failed after the response started", path)
	}
	rec := httptest.NewRecorder()
	engine.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/fails", nil))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.JSONEq(t, `{"message":"Internal server error.","statusCode":500,"errors":[{"code":"General","message":"Internal server error."}]}`, rec.Body.String())
}
