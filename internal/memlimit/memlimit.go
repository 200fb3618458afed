// Package memlimit gives the Go runtime a soft memory limit just under the memory limit
// of the process's cgroup (its container's). The container image lets the heap grow to
// five times what is live between collections (GOGC=400), which spends less CPU on
// garbage collection; with the soft limit, the collector works harder as the process
// nears its container's limit, instead of the process being killed there.
package memlimit

import (
	"bufio"
	"bytes"
	"io/fs"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
)

// Apply sets the runtime's soft memory limit to nine tenths of the cgroup's limit, read
// from fsys (the root file system), and returns it. It sets nothing, and returns 0, when
// GOMEMLIMIT (read with getenv) sets a limit of its own or no cgroup limit applies.
func Apply(getenv func(string) string, fsys fs.FS) int64 {
	if getenv("GOMEMLIMIT") != "" {
		return 0
	}
	limit := Limit(fsys)
	if limit <= 0 {
		return 0
	}
	soft := limit / 10 * 9
	debug.SetMemoryLimit(soft)
	return soft
}

// unlimited is where cgroup v1 reports a limit no one set (a page-aligned maximum int64).
const unlimited = 1 << 62

// Limit returns the memory limit in bytes of the cgroup the process is in (cgroup v2,
// else v1), or 0 when there is none or it cannot be read.
func Limit(fsys fs.FS) int64 {
	groups, err := fs.ReadFile(fsys, "proc/self/cgroup")
	if err != nil {
		return 0
	}
	var v2, v1 string
	s := bufio.NewScanner(bytes.NewReader(groups))
	for s.Scan() {
		// hierarchy-id:controllers:path
		id, rest, ok := strings.Cut(s.Text(), ":")
		if !ok {
			continue
		}
		controllers, group, ok := strings.Cut(rest, ":")
		if !ok {
			continue
		}
		switch {
		case id == "0" && controllers == "":
			v2 = group
		case hasController(controllers, "memory"):
			v1 = group
		}
	}
	// The group's own file when the root file system shows the host's hierarchy, the
	// hierarchy's root when the container has a cgroup namespace of its own.
	var candidates []string
	if v2 != "" {
		candidates = append(candidates, path.Join("sys/fs/cgroup", v2, "memory.max"), "sys/fs/cgroup/memory.max")
	}
	if v1 != "" {
		candidates = append(candidates, path.Join("sys/fs/cgroup/memory", v1, "memory.limit_in_bytes"),
			"sys/fs/cgroup/memory/memory.limit_in_bytes")
	}
	for _, name := range candidates {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			continue
		}
		value := strings.TrimSpace(string(raw))
		if value == "max" {
			return 0
		}
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n <= 0 || n >= unlimited {
			return 0
		}
		return n
	}
	return 0
}

func hasController(list, name string) bool {
	for c := range strings.SplitSeq(list, ",") {
		if c == name {
			return true
		}
	}
	return false
}
