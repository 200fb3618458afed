package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestRefusesWhatItCannotReconcile(t *testing.T) {
	var out, logs bytes.Buffer
	err := run(context.Background(), env(nil), &out, &logs)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "CTP_CLIENT_ID", "local mode reconciles inside the processor")

	project := map[string]string{"CTP_CLIENT_ID": "id", "CTP_CLIENT_SECRET": "secret"}
	err = run(context.Background(), env(project), &out, &logs)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "memory", "the mock providers cannot be looked up from another process")

	project["PSP"] = "nonesuch"
	err = run(context.Background(), env(project), &out, &logs)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `PSP "nonesuch" is not known; known: mock, stripe`)
	assert.Empty(t, out.String(), "no report without a pass")
}
