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
