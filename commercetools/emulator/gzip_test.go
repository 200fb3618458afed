package emulator_test

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/checkout-connect/go-connector/commercetools/emulator"
)

// With Gzip the emulator compresses its answers for the requests that accept gzip, and
// only for those, as commercetools does; without it, it never compresses.
func TestAnswersAreGzippedForClientsThatAcceptIt(t *testing.T) {
	for _, compress := range []bool{true, false} {
		emu, err := emulator.New(emulator.Options{ProjectKey: "p", Gzip: compress})
		require.NoError(t, err)
		srv := httptest.NewServer(emu.Handler())
		t.Cleanup(srv.Close)
		// Go's transport would undo the compression it asked for; this one asks for nothing.
		raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}
		for _, accept := range []string{"gzip", "deflate, gzip;q=1.0", "gzip;q=0", "identity", ""} {
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/oauth/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth("local", "local")
			if accept != "" {
				req.Header.Set("Accept-Encoding", accept)
			}
			resp, err := raw.Do(req)
			require.NoError(t, err)
			body := io.Reader(resp.Body)
			wantGzip := compress && (accept == "gzip" || accept == "deflate, gzip;q=1.0")
			if assert.Equal(t, wantGzip, resp.Header.Get("Content-Encoding") == "gzip", "Gzip %v, Accept-Encoding %q", compress, accept) && wantGzip {
				zr, err := gzip.NewReader(resp.Body)
				require.NoError(t, err)
				body = zr
			}
			var token struct {
				AccessToken string `json:"access_token"`
			}
			require.NoError(t, json.NewDecoder(body).Decode(&token), "Gzip %v, Accept-Encoding %q", compress, accept)
			assert.NotEmpty(t, token.AccessToken)
			_ = resp.Body.Close()
		}
	}
}
