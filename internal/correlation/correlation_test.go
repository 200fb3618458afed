package correlation

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIDsTravelInTheContext(t *testing.T) {
	ctx := With(context.Background(), IDs{RequestID: "r", CorrelationID: "c"})
	assert.Equal(t, IDs{RequestID: "r", CorrelationID: "c"}, From(ctx))
	assert.Equal(t, IDs{}, From(context.Background()))
}

func TestUsable(t *testing.T) {
	cases := map[string]bool{
		"abc-123":                true,
		"6f1c1b0e-8f55-4a5c":     true,
		"":                       false,
		"with space":             false,
		"new\nline":              false,
		`quo"te`:                 false,
		"tab\t":                  false,
		"é":                      false,
		strings.Repeat("a", 128): true,
		strings.Repeat("a", 129): false,
	}
	for id, want := range cases {
		assert.Equal(t, want, Usable(id), "%q", id)
	}
	assert.True(t, Usable(NewID()))
	assert.NotEqual(t, NewID(), NewID())
}

func TestLogHandlerAddsTheIDs(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(NewLogHandler(slog.NewJSONHandler(&buf, nil))).With("component", "test")
	ctx := With(context.Background(), IDs{RequestID: "r-1", CorrelationID: "c-1"})
	log.InfoContext(ctx, "hello", "k", "v")
	log.Info("no ids")

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 2)
	var first, second map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &second))
	assert.Equal(t, "test", first["component"])
	assert.Equal(t, "r-1", first["request_id"])
	assert.Equal(t, "c-1", first["correlation_id"])
	assert.Equal(t, "v", first["k"])
	assert.NotContains(t, second, "request_id")
}

// LogAttrs writes what Logger.LogAttrs writes, ids included, and nothing below the
// handler's level.
func TestLogAttrsWritesWhatTheLoggerWrites(t *testing.T) {
	lines := func(write func(context.Context, *slog.Logger)) []map[string]any {
		var buf bytes.Buffer
		log := slog.New(NewLogHandler(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))).With("component", "test")
		write(With(context.Background(), IDs{RequestID: "r-1", CorrelationID: "c-1"}), log)
		var out []map[string]any
		for line := range strings.Lines(buf.String()) {
			var fields map[string]any
			require.NoError(t, json.Unmarshal([]byte(line), &fields))
			delete(fields, "time")
			out = append(out, fields)
		}
		return out
	}
	attrs := []slog.Attr{slog.String("route", "/payments"), slog.Int("status", 200), slog.Float64("duration_ms", 1.5),
		slog.String("a", "1"), slog.String("b", "2"), slog.String("c", "3")}
	want := lines(func(ctx context.Context, log *slog.Logger) {
		log.LogAttrs(ctx, slog.LevelError, "request", attrs...)
		log.LogAttrs(ctx, slog.LevelDebug, "hidden")
	})
	got := lines(func(ctx context.Context, log *slog.Logger) {
		LogAttrs(ctx, log, slog.LevelError, "request", attrs...)
		LogAttrs(ctx, log, slog.LevelDebug, "hidden")
	})
	require.Len(t, want, 1)
	assert.Equal(t, want, got)
	assert.Equal(t, "r-1", got[0]["request_id"])
}
