package memlimit

import (
	"math"
	"runtime/debug"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

func TestLimitReadsTheProcessCgroup(t *testing.T) {
	cases := map[string]struct {
		fs   fstest.MapFS
		want int64
	}{
		"v2, own namespace": {fstest.MapFS{
			"proc/self/cgroup":         file("0::/\n"),
			"sys/fs/cgroup/memory.max": file("268435456\n"),
		}, 256 << 20},
		"v2, the host's hierarchy": {fstest.MapFS{
			"proc/self/cgroup":                          file("0::/kubepods/pod1/c1\n"),
			"sys/fs/cgroup/kubepods/pod1/c1/memory.max": file("536870912\n"),
			"sys/fs/cgroup/memory.max":                  file("1\n"),
		}, 512 << 20},
		"v2, no limit": {fstest.MapFS{
			"proc/self/cgroup":         file("0::/\n"),
			"sys/fs/cgroup/memory.max": file("max\n"),
		}, 0},
		"v1 beside an empty v2 hierarchy": {fstest.MapFS{
			"proc/self/cgroup": file("5:devices:/\n4:memory:/docker/abc\n0::/\n"),
			"sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": file("134217728\n"),
		}, 128 << 20},
		"v1 with cpuacct,memory joined": {fstest.MapFS{
			"proc/self/cgroup":                           file("3:cpuacct,memory:/x\n"),
			"sys/fs/cgroup/memory/memory.limit_in_bytes": file("1073741824\n"),
		}, 1 << 30},
		"v1, no limit": {fstest.MapFS{
			"proc/self/cgroup":                           file("4:memory:/\n"),
			"sys/fs/cgroup/memory/memory.limit_in_bytes": file("9223372036854771712\n"),
		}, 0},
		"garbage": {fstest.MapFS{
			"proc/self/cgroup":         file("0::/\n"),
			"sys/fs/cgroup/memory.max": file("lots\n"),
		}, 0},
		"no cgroup file": {fstest.MapFS{}, 0},
	}
	for name, c := range cases {
		assert.Equal(t, c.want, Limit(c.fs), name)
	}
}

func TestApplySetsNineTenthsUnlessGOMEMLIMITIsSet(t *testing.T) {
	t.Cleanup(func() { debug.SetMemoryLimit(math.MaxInt64) })
	limited := fstest.MapFS{"proc/self/cgroup": file("0::/\n"), "sys/fs/cgroup/memory.max": file("1000000000\n")}
	none := func(string) string { return "" }

	debug.SetMemoryLimit(math.MaxInt64)
	assert.Equal(t, int64(900000000), Apply(none, limited))
	assert.Equal(t, int64(900000000), debug.SetMemoryLimit(-1), "the runtime's soft limit")

	debug.SetMemoryLimit(math.MaxInt64)
	own := func(name string) string {
		if name == "GOMEMLIMIT" {
			return "300MiB"
		}
		return ""
	}
	assert.Zero(t, Apply(own, limited))
	assert.Equal(t, int64(math.MaxInt64), debug.SetMemoryLimit(-1), "GOMEMLIMIT's limit stays")

	assert.Zero(t, Apply(none, fstest.MapFS{"proc/self/cgroup": file("0::/\n"), "sys/fs/cgroup/memory.max": file("max\n")}))
	assert.Equal(t, int64(math.MaxInt64), debug.SetMemoryLimit(-1))
}
