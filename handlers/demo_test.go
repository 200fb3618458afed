package handlers

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/enabler"
)

func TestTheEnablerIsServedFromTheBinary(t *testing.T) {
	engine, _ := newTestEngine(t)
	for _, file := range []string{"connector-enabler.js", "giftcard-enabler.js"} {
		rec := serve(t, engine, httptest.NewRequest("GET", "/enabler/"+file, nil))
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Equal(t, "text/javascript", rec.Header().Get("Content-Type"))
		want, err := fs.ReadFile(enabler.Files, "dist/"+file)
		require.NoError(t, err)
		assert.Equal(t, want, rec.Body.Bytes())
	}
	assert.Equal(t, http.StatusBadRequest, serve(t, engine, httptest.NewRequest("GET", "/enabler/other.js", nil)).Code, "only the bundles")
}

func TestTheDemoIsLocalModeOnly(t *testing.T) {
	engine, _ := newTestEngine(t)
	assert.Equal(t, http.StatusNotFound, serve(t, engine, httptest.NewRequest("GET", "/", nil)).Code)
	assert.Equal(t, http.StatusNotFound, serve(t, engine, httptest.NewRequest("GET", "/demo/checkout", nil)).Code)
	assert.Equal(t, http.StatusNotFound, serve(t, engine, httptest.NewRequest("POST", "/demo/checkout", nil)).Code)
}
