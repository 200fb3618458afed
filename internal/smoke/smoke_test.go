package smoke

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The same suite passes against the native binary and against the WebAssembly build under
// Node 22, each a separate program against the emulator; both stop cleanly on SIGTERM.
// Start time, a request's round trip and peak memory of each are logged.
func TestSuiteOnBothRuntimes(t *testing.T) {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	programs, err := Build(root, t.TempDir(), Native, Wasm)
	require.NoError(t, err)

	for _, rt := range []Runtime{Native, Wasm} {
		t.Run(string(rt), func(t *testing.T) {
			const project = "smoke"
			emu, err := programs.StartEmulator(project)
			require.NoError(t, err)
			t.Cleanup(func() { _ = emu.Stop(5 * time.Second) })
			env := []string{"RECONCILE_INTERVAL=0", "GOGC=150"}
			if rt == Native { // as the container image runs it
				env = append(env, fmt.Sprintf("GOMAXPROCS=%d", ImageGOMAXPROCS), "GODEBUG="+ImageGODEBUG)
			}
			proc, err := programs.StartProcessor(rt, emu.Found, project, env...)
			require.NoError(t, err)
			stopped := false
			t.Cleanup(func() {
				if !stopped {
					_ = proc.Stop(5 * time.Second)
				}
			})
			base := "http://" + proc.Found

			require.NoError(t, Suite(context.Background(), Target{Processor: base, Emulator: emu.Found, Project: project}), proc.Output())

			if rt == Native {
				// The collector is held off while the processor starts; it has its setting back
				// once requests are accepted.
				gogc := regexp.MustCompile(`\ngo_gc_gogc_percent (\S+)\n`).FindStringSubmatch(getText(t, base+"/metrics"))
				require.NotNil(t, gogc, "no go_gc_gogc_percent in the metrics")
				assert.Equal(t, "150", gogc[1], "GOGC after start")
			}

			roundTrip := medianRoundTrip(t, base+"/health", 200)
			usage, err := proc.Usage()
			require.NoError(t, err)
			t.Logf("%s: ready %s after start, GET /health round trip %s (median of 200), peak RSS %.1f MB, CPU %s",
				rt, proc.Ready.Round(time.Millisecond), roundTrip.Round(time.Microsecond), float64(usage.PeakRSS)/1e6, usage.CPU)
			assert.Less(t, usage.PeakRSS, int64(512<<20), "Connect gives a service 512 MB")
			assert.Positive(t, usage.AnonRSS, "the anonymous part of the RSS is read")
			assert.Less(t, usage.AnonRSS, usage.RSS, "the binary's pages are the rest")

			stopped = true
			require.NoError(t, proc.Stop(20*time.Second), proc.Output())
			assert.Contains(t, proc.Output(), `"msg":"stopped"`)
		})
	}
}

// getText GETs url and returns its body, which must come with 200.
func getText(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	return string(body)
}

// medianRoundTrip times n sequential GETs of url.
func medianRoundTrip(t *testing.T, url string, n int) time.Duration {
	t.Helper()
	times := make([]time.Duration, 0, n)
	for range n {
		started := time.Now()
		resp, err := http.Get(url)
		require.NoError(t, err)
		_ = resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		times = append(times, time.Since(started))
	}
	slices.Sort(times)
	return times[n/2]
}

// A launcher without a commercetools project refuses to start, saying why.
func TestWasmRefusesLocalMode(t *testing.T) {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	programs, err := Build(root, t.TempDir(), Wasm)
	require.NoError(t, err)
	_, err = programs.StartProcessor(Wasm, "http://127.0.0.1:9", "smoke", "CTP_CLIENT_ID=", "CTP_CLIENT_SECRET=")
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "local mode needs the native processor"), err.Error())
}

// The processor measured here is the one that ships: the Dockerfile builds it with
// ReleaseFlags, statically, and the WebAssembly build with them too.
func TestReleaseBuildsUseTheMeasuredFlags(t *testing.T) {
	dockerfile, err := os.ReadFile("../../Dockerfile")
	require.NoError(t, err)
	var build string
	for _, line := range strings.Split(string(dockerfile), "\n") {
		if strings.Contains(line, "go build") {
			build = line
		}
	}
	require.NotEmpty(t, build, "the Dockerfile builds nothing")
	assert.Contains(t, string(dockerfile), fmt.Sprintf("\nENV GOMAXPROCS=%d\n", ImageGOMAXPROCS))
	assert.Contains(t, string(dockerfile), "\nENV GODEBUG="+ImageGODEBUG+"\n")
	assert.Contains(t, string(dockerfile), fmt.Sprintf("\nENV GOGC=%d\n", ImageGOGC))
	assert.Contains(t, build, "CGO_ENABLED=0")
	for _, flag := range ReleaseFlags {
		assert.Contains(t, strings.ReplaceAll(build, `"`, ""), flag)
	}
	launcherBuild, err := os.ReadFile("../../processor/build.mjs")
	require.NoError(t, err)
	for _, flag := range ReleaseFlags {
		assert.Contains(t, string(launcherBuild), `"`+flag+`"`, "processor/build.mjs")
	}
}

// The release processor links no server or codec it never uses, since every package linked
// costs resident memory at start: gin 1.11 and later link a QUIC server and a BSON codec
// (3.1 MB of binary, 1.4 MB of idle RSS), the nomsgpack tag leaves gin's msgpack codec out,
// and the typed client, which decodes the contract's YAML with go.yaml.in/yaml, is a
// package of its own (0.4 MB of idle RSS).
func TestReleaseLinksNoUnusedCodecs(t *testing.T) {
	tags := ReleaseFlags[slices.Index(ReleaseFlags, "-tags")+1]
	cmd := exec.Command("go", "list", "-deps", "-tags", tags, "./cmd/processor")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	require.NoError(t, err)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/gin-gonic/gin", "the listing is of the processor")
	for _, unused := range []string{"github.com/quic-go/", "go.mongodb.org/", "github.com/ugorji/",
		"go.yaml.in/yaml/", "github.com/checkout-connect/go-connector/generated/client"} {
		for _, dep := range deps {
			assert.False(t, strings.HasPrefix(dep, unused), "the processor links %s", dep)
		}
	}
}

// The processor's main goroutine gets its stack (internal/earlystack) before the libraries
// whose initialisation runs deep: Go initialises packages in import path order, as soon as
// what each imports is initialised.
func TestStackGrowsBeforeTheLibrariesInitialise(t *testing.T) {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	processor := filepath.Join(t.TempDir(), "processor")
	require.NoError(t, BuildProcessor(root, processor))
	cmd := exec.Command(processor)
	// A project key it refuses: it exits once the packages are initialised.
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1", "CTP_PROJECT_KEY=x")
	out, _ := cmd.CombinedOutput()
	var order []string
	for _, line := range strings.Split(string(out), "\n") {
		if fields := strings.Fields(line); len(fields) > 1 && fields[0] == "init" {
			order = append(order, fields[1])
		}
	}
	early := slices.Index(order, "github.com/checkout-connect/go-connector/internal/earlystack")
	require.GreaterOrEqual(t, early, 0, "internal/earlystack does not initialise:\n%s", out)
	for _, deep := range []string{"github.com/santhosh-tekuri/jsonschema/v6", "github.com/go-playground/validator/v10",
		"github.com/getkin/kin-openapi/openapi3", "github.com/gin-gonic/gin"} {
		i := slices.Index(order, deep)
		require.GreaterOrEqual(t, i, 0, "%s does not initialise", deep)
		assert.Less(t, early, i, "internal/earlystack initialises after %s", deep)
	}
}
