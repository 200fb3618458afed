package metrics

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestResourceNamesTheKindNeverAnID(t *testing.T) {
	cases := map[string]string{
		"/oauth/token":                     "oauth",
		"/oauth/proj/anonymous/token":      "oauth",
		"/proj/payments":                   "payments",
		"/proj/payments/8f1c-id":           "payments",
		"/proj/carts/key=abc":              "carts",
		"/proj/sessions/secret-session-id": "sessions",
		"/proj":                            "other",
		"/":                                "other",
		"":                                 "other",
	}
	for path, want := range cases {
		assert.Equal(t, want, resource(path), path)
	}
}

func TestStatusClass(t *testing.T) {
	for code, want := range map[int]string{100: "1xx", 200: "2xx", 201: "2xx", 304: "3xx", 409: "4xx", 503: "5xx", 599: "5xx", 600: "6xx", 42: "0xx"} {
		assert.Equal(t, want, statusClass(code), code)
	}
}
