package emulator

import (
	"compress/gzip"
	"net/http"
	"strings"
	"sync"
)

// gzipped compresses the answers of next for requests whose Accept-Encoding names gzip.
func gzipped(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if !acceptsGzip(r.Header.Get("Accept-Encoding")) {
			next.ServeHTTP(w, r)
			return
		}
		zw := &gzipWriter{ResponseWriter: w}
		defer zw.close()
		next.ServeHTTP(zw, r)
	})
}

// acceptsGzip says whether an Accept-Encoding value accepts gzip (not with q=0).
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// gzipWriters are reused across answers.
var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

// gzipWriter compresses what is written to it once the status is known to carry a body.
type gzipWriter struct {
	http.ResponseWriter
	zw      *gzip.Writer
	started bool
}

func (g *gzipWriter) WriteHeader(status int) {
	if g.started {
		return
	}
	g.started = true
	if status != http.StatusNoContent && status != http.StatusNotModified && status >= 200 {
		h := g.Header()
		h.Del("Content-Length")
		h.Set("Content-Encoding", "gzip")
		g.zw = gzipWriters.Get().(*gzip.Writer)
		g.zw.Reset(g.ResponseWriter)
	}
	g.ResponseWriter.WriteHeader(status)
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if !g.started {
		g.WriteHeader(http.StatusOK)
	}
	if g.zw == nil {
		return g.ResponseWriter.Write(b)
	}
	return g.zw.Write(b)
}

// close ends the compressed stream, if one was started.
func (g *gzipWriter) close() {
	if g.zw != nil {
		_ = g.zw.Close()
		gzipWriters.Put(g.zw)
	}
}
