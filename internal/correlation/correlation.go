// Package correlation carries a request's ids through its context: the request id, unique
// to one HTTP request, and the correlation id, shared by every call made on behalf of one
// shopper action (propagated as X-Correlation-ID to commercetools and the providers).
package correlation

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"
)

// Header names, as commercetools and the templates spell them.
const (
	RequestIDHeader     = "X-Request-ID"
	CorrelationIDHeader = "X-Correlation-ID"
)

// IDs are the ids of one request.
type IDs struct {
	RequestID     string
	CorrelationID string
}

type contextKey struct{}

// With returns a context carrying ids.
func With(ctx context.Context, ids IDs) context.Context {
	return context.WithValue(ctx, contextKey{}, ids)
}

// From returns the ids carried by ctx, empty when there are none.
func From(ctx context.Context) IDs {
	ids, _ := ctx.Value(contextKey{}).(IDs)
	return ids
}

// NewID returns a fresh random id (a UUID v4).
func NewID() string { return uuid.NewString() }

// maxIDLength bounds ids accepted from callers.
const maxIDLength = 128

// Usable reports whether an id received from a caller may be kept: non-empty, at most 128
// characters, printable ASCII without spaces or quotes, so it can go into logs and headers
// unchanged.
func Usable(id string) bool {
	if id == "" || len(id) > maxIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c <= ' ' || c > '~' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// LogHandler adds the ids of the record's context to every log record as request_id and
// correlation_id, so code only has to log with the request's context.
type LogHandler struct {
	slog.Handler
}

// NewLogHandler wraps h.
func NewLogHandler(h slog.Handler) *LogHandler { return &LogHandler{Handler: h} }

// Handle adds the ids, when the context has them, and passes the record on.
func (h *LogHandler) Handle(ctx context.Context, r slog.Record) error {
	if ids := From(ctx); ids != (IDs{}) {
		r.AddAttrs(slog.String("request_id", ids.RequestID), slog.String("correlation_id", ids.CorrelationID))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs keeps the wrapper around the derived handler.
func (h *LogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &LogHandler{Handler: h.Handler.WithAttrs(attrs)}
}

// WithGroup keeps the wrapper around the derived handler.
func (h *LogHandler) WithGroup(name string) slog.Handler {
	return &LogHandler{Handler: h.Handler.WithGroup(name)}
}

// LogAttrs logs as log.LogAttrs does, without the caller's program counter: slog.Logger
// looks it up on every record with runtime.Callers, for handlers that report the source
// line, and the processor's handler does not. The access line and the settlement line,
// written for every payment, go through here.
func LogAttrs(ctx context.Context, log *slog.Logger, level slog.Level, msg string, attrs ...slog.Attr) {
	h := log.Handler()
	if !h.Enabled(ctx, level) {
		return
	}
	r := slog.NewRecord(time.Now(), level, msg, 0)
	r.AddAttrs(attrs...)
	_ = h.Handle(ctx, r)
}
