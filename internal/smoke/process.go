package smoke

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Process is a program started by Start: the emulator or a processor.
type Process struct {
	cmd *exec.Cmd
	// Ready is how long the program took from its start to its ready line.
	Ready time.Duration
	// Found is the first group of the ready line's pattern (an address or URL).
	Found string

	done    chan struct{} // closed when the program has exited
	waitErr error

	mu  sync.Mutex
	out strings.Builder
}

// Start runs cmd and waits, at most timeout, for a line of its output matching pattern,
// whose first group becomes Found.
func Start(cmd *exec.Cmd, pattern string, timeout time.Duration) (*Process, error) {
	re := regexp.MustCompile(pattern)
	return start(cmd, timeout, func(line string) (string, bool) {
		if m := re.FindStringSubmatch(line); m != nil {
			return m[1], true
		}
		return "", false
	}, nil)
}

// StartAnswering runs cmd and waits, at most timeout, until url answers HTTP at all: for
// a program that prints no ready line of the processor's. Found is url.
func StartAnswering(cmd *exec.Cmd, url string, timeout time.Duration) (*Process, error) {
	client := &http.Client{Timeout: 500 * time.Millisecond}
	poll := func() (string, bool) {
		resp, err := client.Get(url)
		if err != nil {
			return "", false
		}
		_ = resp.Body.Close()
		return url, true
	}
	return start(cmd, timeout, nil, poll)
}

// start runs cmd until fromLine recognises a line of its output, or poll (tried every
// millisecond) says it is ready.
func start(cmd *exec.Cmd, timeout time.Duration, fromLine func(string) (string, bool), poll func() (string, bool)) (*Process, error) {
	r, w := io.Pipe()
	cmd.Stdout, cmd.Stderr = w, w
	// A child the program left holding the pipe does not keep Wait waiting.
	cmd.WaitDelay = 5 * time.Second
	p := &Process{cmd: cmd, done: make(chan struct{})}
	started := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	found := make(chan string, 1)
	scanned := make(chan struct{})
	report := func(v string) {
		select {
		case found <- v:
		default:
		}
	}
	go func() {
		defer close(scanned)
		s := bufio.NewScanner(r)
		s.Buffer(make([]byte, 64<<10), 1<<20)
		for s.Scan() {
			line := s.Text()
			p.mu.Lock()
			if p.out.Len() < 1<<20 {
				p.out.WriteString(line + "\n")
			}
			p.mu.Unlock()
			if fromLine != nil {
				if v, ok := fromLine(line); ok {
					report(v)
				}
			}
		}
		_, _ = io.Copy(io.Discard, r) // past an over-long line: keep the program writing
	}()
	go func() {
		p.waitErr = cmd.Wait()
		_ = w.Close()
		<-scanned // its last lines are in Output before anyone hears it exited
		close(p.done)
	}()
	var tick <-chan time.Time
	if poll != nil {
		ticker := time.NewTicker(time.Millisecond)
		defer ticker.Stop()
		tick = ticker.C
	}
	deadline := time.After(timeout)
	for {
		select {
		case v := <-found:
			p.Ready, p.Found = time.Since(started), v
			return p, nil
		case <-tick:
			if v, ok := poll(); ok {
				report(v)
			}
		case <-p.done:
			return nil, fmt.Errorf("%s exited before it was ready (%v): %s", cmd.Path, p.waitErr, p.Output())
		case <-deadline:
			_ = cmd.Process.Kill()
			<-p.done
			return nil, fmt.Errorf("%s was not ready after %s: %s", cmd.Path, timeout, p.Output())
		}
	}
}

// Output is what the program has printed so far (its first MiB).
func (p *Process) Output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// Stop sends SIGTERM and waits, at most timeout, for the program to exit; then kills it.
// It returns the program's exit error (nil for a clean exit).
func (p *Process) Stop(timeout time.Duration) error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.waitErr
	case <-time.After(timeout):
		_ = p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("%s did not stop within %s", p.cmd.Path, timeout)
	}
}

// Usage is what the kernel accounts for a running program.
type Usage struct {
	// CPU is the user and system time the program has used.
	CPU time.Duration
	// RSS and PeakRSS are its resident memory now and at its highest, in bytes.
	RSS, PeakRSS int64
	// AnonRSS is the part of RSS that is the program's own (its heap, stacks and written
	// data). The rest is files' pages, mostly its binary's: clean, shared by every process
	// running the same binary, and dropped by the kernel first when memory runs short.
	AnonRSS int64
}

// Usage reads the program's accounting from /proc (Linux).
func (p *Process) Usage() (Usage, error) {
	pid := p.cmd.Process.Pid
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return Usage{}, fmt.Errorf("usage: %w", err)
	}
	// The fields after the command name, which is in parentheses and may hold spaces:
	// utime and stime are the 12th and 13th of them, in clock ticks.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	if len(fields) < 13 {
		return Usage{}, fmt.Errorf("usage: short /proc/%d/stat", pid)
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	const ticksPerSecond = 100 // USER_HZ on Linux
	u := Usage{CPU: time.Duration(utime+stime) * time.Second / ticksPerSecond}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Usage{}, fmt.Errorf("usage: %w", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		switch name {
		case "VmRSS":
			u.RSS = kb << 10
		case "VmHWM":
			u.PeakRSS = kb << 10
		case "RssAnon":
			u.AnonRSS = kb << 10
		}
	}
	return u, nil
}
