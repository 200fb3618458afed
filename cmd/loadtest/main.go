// Command loadtest measures the processor: it builds and starts the commercetools emulator
// and the processor as separate processes on loopback, creates carts and sessions, then
// drives POST /payments (and, with -flow, gift-card balance + redeem, or captures) at a
// concurrency for a duration, and prints throughput, latency percentiles, errors,
// commercetools calls per flow (what the emulator served, less the driver's own calls),
// and the processor's CPU seconds per 1000 flows and its memory (from the kernel's
// accounting of its process). A warm-up is excluded; nothing is asserted. -runtime wasm
// measures the WebAssembly build under the Node.js launcher, as commercetools Connect runs
// it; -runtime floor measures cmd/loadtest/floor, the least a Go program on net/http spends
// on the payment flow's five commercetools calls, as a reference; -cpuprofile and
// -memprofile write the native processor's profiles for go tool pprof.
//
//	go run ./cmd/loadtest -duration 10s -concurrency 8 -latency 20ms -flow payments [-runtime wasm|floor] [-cpuprofile cpu.pprof]
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/checkout-connect/go-connector/commercetools"
	"github.com/checkout-connect/go-connector/internal/smoke"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

type options struct {
	duration, warmup, latency time.Duration
	concurrency, gomaxprocs   int
	gogc                      int
	godebug                   string
	flow, runtime             string
	command, addr             string
	starts                    int
	cpuProfile, memProfile    string
	pprofURL                  string // set when profiling
	tls, gzip                 bool
	env                       []string // what the processor gets beside the emulator's project
	extraEnv                  []string // -env
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	var o options
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long to drive the flows, warm-up excluded")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "how long to drive them before measuring")
	fs.DurationVar(&o.latency, "latency", 0, "latency the emulator adds to every commercetools call")
	fs.IntVar(&o.concurrency, "concurrency", 8, "requests in flight")
	fs.IntVar(&o.gomaxprocs, "gomaxprocs", smoke.ImageGOMAXPROCS, "GOMAXPROCS of a Go processor (native or floor), by default as the container image sets it; 0 leaves it to the Go runtime")
	fs.IntVar(&o.gogc, "gogc", smoke.ImageGOGC, "GOGC of a Go processor (native or floor), by default as the container image sets it; 0 leaves Go's default")
	fs.StringVar(&o.godebug, "godebug", smoke.ImageGODEBUG, "GODEBUG of a Go processor (native or floor), by default as the container image sets it; empty leaves Go's defaults")
	fs.StringVar(&o.flow, "flow", "payments", "payments, giftcards or captures")
	fs.StringVar(&o.runtime, "runtime", "native", "native (the Go binary), wasm (the WebAssembly build under the Node.js launcher) or floor (cmd/loadtest/floor, the payment flow's five commercetools calls and nothing else)")
	fs.StringVar(&o.command, "processor-cmd", "", "measure another processor instead, started by this command line (such as commercetools' template: node dist/main.js)")
	fs.IntVar(&o.starts, "starts", 0, "then start the processor this many more times, and print its start time and idle memory (300 ms after ready) over them")
	fs.StringVar(&o.addr, "processor-addr", "127.0.0.1:8080", "where the -processor-cmd processor listens")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write the native processor's CPU profile of the measured run to this file")
	fs.BoolVar(&o.gzip, "gzip", true, "the emulator gzips its answers for the clients that ask, as commercetools does")
	fs.BoolVar(&o.tls, "tls", false, "the emulator serves HTTPS (HTTP/2 offered, as commercetools does) with a certificate the processor trusts")
	fs.StringVar(&o.memProfile, "memprofile", "", "write the native processor's allocations profile (since its start) after the run to this file")
	fs.Func("env", "give the processor this KEY=VALUE as well (repeatable), after the settings above", func(v string) error {
		if !strings.Contains(v, "=") {
			return errors.New("want KEY=VALUE")
		}
		o.extraEnv = append(o.extraEnv, v)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return err
	}
	profiling := o.cpuProfile != "" || o.memProfile != ""
	if profiling && (o.command != "" || o.runtime != string(smoke.Native)) {
		return errors.New("-cpuprofile and -memprofile profile the native processor only")
	}
	dir, err := os.MkdirTemp("", "loadtest")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	rt := smoke.Runtime(o.runtime)
	var runtimes []smoke.Runtime
	switch {
	case o.command != "":
		rt = smoke.Runtime(o.command)
	case rt == floor:
		if o.flow != "payments" {
			return errors.New("-runtime floor makes payments only")
		}
	case !profiling: // a profiled processor is built below, with the pprof tag
		runtimes = append(runtimes, rt)
	}
	programs, err := smoke.Build(".", dir, runtimes...)
	if err != nil {
		return err
	}
	if rt == floor {
		// It reads the processor's environment and prints its listening line, so it starts
		// as the native processor does.
		programs.Processor = filepath.Join(dir, "floor")
		if err := smoke.BuildRelease(".", programs.Processor, "./cmd/loadtest/floor"); err != nil {
			return err
		}
	}
	var extra []string
	if profiling {
		// The processor built with the pprof tag serves its profiles on a second address.
		programs.Processor = filepath.Join(dir, "processor")
		if err := smoke.BuildProcessor(".", programs.Processor, "pprof"); err != nil {
			return err
		}
		addr, err := freeAddr()
		if err != nil {
			return err
		}
		o.pprofURL = "http://" + addr + "/debug/pprof/"
		extra = append(extra, "PROCESSOR_PPROF_ADDR="+addr)
	}
	if o.gomaxprocs > 0 && goProcessor(rt) {
		o.env = append(o.env, fmt.Sprintf("GOMAXPROCS=%d", o.gomaxprocs))
	}
	if o.godebug != "" && goProcessor(rt) {
		o.env = append(o.env, "GODEBUG="+o.godebug)
	}
	if o.gogc > 0 && goProcessor(rt) {
		o.env = append(o.env, fmt.Sprintf("GOGC=%d", o.gogc))
	}
	o.env = append(o.env, o.extraEnv...)
	const project = "loadtest"
	var emuFlags []string
	certFile := filepath.Join(dir, "emulator.pem")
	if o.tls {
		emuFlags = append(emuFlags, "-tls-cert", certFile)
	}
	if o.gzip {
		emuFlags = append(emuFlags, "-gzip")
	}
	emu, err := programs.StartEmulator(project, emuFlags...)
	if err != nil {
		return err
	}
	defer emu.Stop(5 * time.Second)
	emuURL := emu.Found
	if o.tls {
		if err := trust(certFile); err != nil {
			return err
		}
		o.env = append(o.env, "SSL_CERT_FILE="+certFile, "NODE_EXTRA_CA_CERTS="+certFile)
	}
	if o.latency > 0 {
		rule := fmt.Sprintf(`[{"path":"/","latencyMs":%d,"times":1000000000}]`, o.latency.Milliseconds())
		resp, err := http.Post(emuURL+"/emulator/faults", "application/json", strings.NewReader(rule))
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		if resp.StatusCode >= 300 {
			return fmt.Errorf("the emulator refused the latency rule: %s", resp.Status)
		}
	}
	proc, err := startProcessor(o, programs, rt, emuURL, project, extra...)
	if err != nil {
		return err
	}
	defer proc.Stop(20 * time.Second)
	base := "http://" + proc.Found
	tokenCache.url = emuURL
	ctx := context.Background()
	// The driver's own commercetools calls (carts, sessions, its token) are counted, so that
	// what the emulator served less them is what the processor asked.
	var own atomic.Int64
	ct, err := commercetools.New(commercetools.Config{ProjectKey: project, ClientID: "local", ClientSecret: "local", AuthURL: emuURL, APIURL: emuURL, SessionURL: emuURL,
		Transport: counting(&own, commercetools.NewNetTransport())}) // trust set its roots
	if err != nil {
		return err
	}
	idleUsage, err := proc.Usage()
	if err != nil {
		return err
	}

	work := func(stopAt time.Time, record func(time.Duration, bool)) {
		var wg sync.WaitGroup
		for range o.concurrency {
			wg.Go(func() {
				for time.Now().Before(stopAt) {
					d, ok := flow(ctx, ct, base, o.flow)
					record(d, ok)
				}
			})
		}
		wg.Wait()
	}
	work(time.Now().Add(o.warmup), func(time.Duration, bool) {})
	// snapshot reads the processor's accounting and the commercetools calls it has made.
	snapshot := func() (smoke.Usage, int64, error) {
		u, err := proc.Usage()
		if err != nil {
			return u, 0, err
		}
		n, err := served(emuURL)
		return u, n - own.Load(), err
	}
	before, calls0, err := snapshot()
	if err != nil {
		return err
	}
	// The native processor's Go runtime counts what it allocates (its /metrics).
	var heap0 heapCount
	if rt == smoke.Native {
		if heap0, err = heapCounters(base); err != nil {
			return err
		}
	}
	var mu sync.Mutex
	var lat []time.Duration
	var errs int
	measureStart := time.Now()
	cpuProfile := make(chan error, 1)
	if o.cpuProfile != "" {
		seconds := max(1, int(o.duration.Round(time.Second).Seconds()))
		go func() {
			cpuProfile <- fetchProfile(fmt.Sprintf("%sprofile?seconds=%d", o.pprofURL, seconds), o.cpuProfile)
		}()
	} else {
		cpuProfile <- nil
	}
	work(measureStart.Add(o.duration), func(d time.Duration, ok bool) {
		mu.Lock()
		if d != notTimed {
			lat = append(lat, d)
		}
		if !ok {
			errs++
		}
		mu.Unlock()
	})
	elapsed := time.Since(measureStart)
	after, calls1, err := snapshot()
	if err != nil {
		return err
	}
	var heap1 heapCount
	if rt == smoke.Native {
		if heap1, err = heapCounters(base); err != nil {
			return err
		}
	}
	if err := <-cpuProfile; err != nil {
		return err
	}
	if o.memProfile != "" {
		if err := fetchProfile(o.pprofURL+"allocs", o.memProfile); err != nil {
			return err
		}
	}
	slices.Sort(lat)
	n := len(lat)
	if n == 0 {
		return errors.New("no flow completed")
	}
	pct := func(p float64) time.Duration { return lat[min(int(float64(n)*p), n-1)] }
	scheme := "HTTP"
	if o.tls {
		scheme = "HTTPS"
	}
	fmt.Fprintf(out, "%s processor%s, flow %s, concurrency %d, emulator over %s, latency %s, %s measured after %s warm-up\n", rt, procs(o, rt), o.flow, o.concurrency, scheme, o.latency, o.duration, o.warmup)
	fmt.Fprintf(out, "processor ready %s after start; idle RSS %.1f MB (%.1f MB anonymous), peak RSS %.1f MB\n", proc.Ready.Round(time.Millisecond),
		float64(idleUsage.RSS)/1e6, float64(idleUsage.AnonRSS)/1e6, float64(after.PeakRSS)/1e6)
	fmt.Fprintf(out, "flows %d, %.1f/s, errors %d\n", n, float64(n)/elapsed.Seconds(), errs)
	fmt.Fprintf(out, "latency p50 %s, p95 %s, p99 %s\n", pct(0.50).Round(time.Microsecond), pct(0.95).Round(time.Microsecond), pct(0.99).Round(time.Microsecond))
	fmt.Fprintf(out, "commercetools calls per flow %.2f, processor CPU %.3f s per 1000 flows\n", float64(calls1-calls0)/float64(n), (after.CPU-before.CPU).Seconds()*1000/float64(n))
	if rt == smoke.Native {
		fmt.Fprintf(out, "processor heap allocations per flow %.0f, %.1f KB (its /metrics)\n",
			(heap1.mallocs-heap0.mallocs)/float64(n), (heap1.bytes-heap0.bytes)/float64(n)/1e3)
	}
	for _, written := range []string{o.cpuProfile, o.memProfile} {
		if written != "" {
			fmt.Fprintf(out, "profile written to %s (go tool pprof -top %s); profiling adds to the CPU figure\n", written, written)
		}
	}
	if o.starts > 0 {
		_ = proc.Stop(20 * time.Second) // its port is free again; how it exits is not measured
		return starts(out, o, programs, rt, emuURL, project)
	}
	return nil
}

// goProcessor says whether the runtime's processor is a Go program, which -gomaxprocs,
// -gogc and -godebug set.
func goProcessor(rt smoke.Runtime) bool { return rt == smoke.Native || rt == floor }

// procs says what GOMAXPROCS, GOGC and GODEBUG a Go processor of the runtime runs with.
func procs(o options, rt smoke.Runtime) string {
	if !goProcessor(rt) {
		return ""
	}
	threads := "GOMAXPROCS of the Go runtime"
	if o.gomaxprocs > 0 {
		threads = fmt.Sprintf("GOMAXPROCS=%d", o.gomaxprocs)
	}
	gc := "GOGC of the Go runtime"
	if o.gogc > 0 {
		gc = fmt.Sprintf("GOGC=%d", o.gogc)
	}
	debug := "no GODEBUG"
	if o.godebug != "" {
		debug = "GODEBUG=" + o.godebug
	}
	return " (" + threads + ", " + gc + ", " + debug + ")"
}

// floor is the -runtime of cmd/loadtest/floor.
const floor smoke.Runtime = "floor"

// startProcessor starts ours of the runtime, or the -processor-cmd one, without a reconciler.
func startProcessor(o options, programs *smoke.Programs, rt smoke.Runtime, emuURL, project string, extra ...string) (*smoke.Process, error) {
	if rt == floor {
		rt = smoke.Native
	}
	env := append(append([]string{"RECONCILE_INTERVAL=0"}, o.env...), extra...)
	if o.command == "" {
		return programs.StartProcessor(rt, emuURL, project, env...)
	}
	return smoke.StartCommand(strings.Fields(o.command), o.addr, emuURL, project, env...)
}

// trust makes this process's HTTP clients (the driver's commercetools client is a clone
// of the default transport) trust the certificate in file.
func trust(file string) error {
	pem, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return fmt.Errorf("no certificate in %s", file)
	}
	http.DefaultTransport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: pool}
	return nil
}

// starts starts and stops the processor o.starts times and prints its start time and its
// idle RSS, all and anonymous, 300 ms after it is ready.
func starts(out io.Writer, o options, programs *smoke.Programs, rt smoke.Runtime, emuURL, project string) error {
	var ready []time.Duration
	var rss, anon []int64
	for range o.starts {
		proc, err := startProcessor(o, programs, rt, emuURL, project)
		if err != nil {
			return err
		}
		time.Sleep(300 * time.Millisecond) // settled: idle, not starting
		u, err := proc.Usage()
		_ = proc.Stop(20 * time.Second)
		if err != nil {
			return err
		}
		ready, rss, anon = append(ready, proc.Ready), append(rss, u.RSS), append(anon, u.AnonRSS)
	}
	slices.Sort(ready)
	slices.Sort(rss)
	slices.Sort(anon)
	n := len(ready)
	mb := func(b int64) float64 { return float64(b) / 1e6 }
	fmt.Fprintf(out, "%d starts: ready after %s median (%s to %s), idle RSS %.1f MB median (%.1f to %.1f), anonymous %.1f MB median (%.1f to %.1f)\n", n,
		ready[n/2].Round(100*time.Microsecond), ready[0].Round(100*time.Microsecond), ready[n-1].Round(100*time.Microsecond),
		mb(rss[n/2]), mb(rss[0]), mb(rss[n-1]), mb(anon[n/2]), mb(anon[0]), mb(anon[n-1]))
	return nil
}

// notTimed is the duration of a flow whose set-up failed: an error, not a latency.
const notTimed = time.Duration(-1)

// flow runs one flow on a new cart and session (set up outside the timing) and times it.
func flow(ctx context.Context, ct *commercetools.Client, base, kind string) (time.Duration, bool) {
	cart, err := ct.CreateCart(ctx, commercetools.CartDraft{Currency: "EUR", CustomLineItems: []commercetools.CustomLineItemDraft{
		{Name: map[string]string{"en": "x"}, Slug: "x", Quantity: 1, Money: commercetools.Money{CurrencyCode: "EUR", CentAmount: 5000}}}})
	if err != nil {
		return notTimed, false
	}
	session, err := ct.CreateSession(ctx, commercetools.NewSessionDraft(cart.ID, commercetools.SessionMetadata{}))
	if err != nil {
		return notTimed, false
	}
	post := func(path, body string, header ...string) (int, string) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("x-session-id", session.ID)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := driver.Do(req)
		if err != nil {
			return 0, ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	started := time.Now()
	switch kind {
	case "giftcards":
		if code, _ := post("/balance", `{"code":"Valid-3000-EUR"}`); code != 200 {
			return time.Since(started), false
		}
		code, _ := post("/redeem", `{"code":"Valid-3000-EUR","redeemAmount":{"centAmount":3000,"currencyCode":"EUR"}}`)
		return time.Since(started), code == 200
	case "captures":
		code, body := post("/payments", `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`)
		ref := regexp.MustCompile(`"paymentReference":"([^"]+)"`).FindStringSubmatch(body)
		if code != 200 || ref == nil {
			return time.Since(started), false
		}
		started = time.Now() // time the capture alone
		code, _ = post("/operations/payment-intents/"+ref[1], `{"actions":[{"action":"capturePayment","amount":{"centAmount":5000,"currencyCode":"EUR"}}]}`,
			"Authorization", "Bearer "+tokenCache.get())
		return time.Since(started), code == 200
	default:
		code, _ := post("/payments", `{"paymentMethod":{"type":"card"},"paymentOutcome":"Authorized"}`)
		return time.Since(started), code == 200
	}
}

// driver sends the flows' requests, keeping a connection per request in flight, as a
// load balancer in front of the processor does.
var driver = &http.Client{Transport: func() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 256
	return t
}()}

// cachedToken is an access token for the operations, minted once by the emulator at url.
type cachedToken struct {
	once sync.Once
	url  string
	val  string
}

var tokenCache = &cachedToken{}

// get mints the token on first use.
func (c *cachedToken) get() string {
	c.once.Do(func() {
		resp, err := http.Post(c.url+"/emulator/tokens", "application/json", strings.NewReader(`{"scope":"manage_project:loadtest","expiresIn":3600}`))
		if err != nil {
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if m := regexp.MustCompile(`"access_token":"([^"]+)"`).FindStringSubmatch(string(b)); m != nil {
			c.val = m[1]
		}
	})
	return c.val
}

// fetchProfile saves the profile the processor serves at url into the file path.
func fetchProfile(url, path string) error {
	resp, err := http.Get(url)
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("profile %s: %s", url, resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		_ = f.Close()
		return fmt.Errorf("profile %s: %w", url, err)
	}
	return f.Close()
}

// freeAddr is a loopback address with a port free at the time of asking.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// heapCount is what a Go processor's runtime has allocated since it started.
type heapCount struct{ mallocs, bytes float64 }

// heapCounters reads the processor's allocation counters from its /metrics.
func heapCounters(base string) (heapCount, error) {
	var h heapCount
	text, err := getText(base + "/metrics")
	if err != nil {
		return h, fmt.Errorf("processor metrics: %w", err)
	}
	found := 0
	for _, line := range strings.Split(text, "\n") {
		name, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		var into *float64
		switch name {
		case "go_memstats_mallocs_total":
			into = &h.mallocs
		case "go_memstats_alloc_bytes_total":
			into = &h.bytes
		default:
			continue
		}
		if _, err := fmt.Sscan(value, into); err != nil {
			return h, fmt.Errorf("processor metrics: %s: %w", name, err)
		}
		found++
	}
	if found != 2 {
		return h, errors.New("processor metrics: no allocation counters")
	}
	return h, nil
}

// getText GETs url and returns its body, refusing other answers than 200.
func getText(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s", url, resp.Status)
	}
	return string(body), nil
}

// served is how many requests the emulator has served, its own endpoints excepted.
func served(emuURL string) (int64, error) {
	resp, err := http.Get(emuURL + "/emulator/requests")
	if err != nil {
		return 0, fmt.Errorf("emulator request count: %w", err)
	}
	defer resp.Body.Close()
	var body struct {
		Count *int64 `json:"count"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.Count == nil {
		return 0, fmt.Errorf("emulator request count: %s, %v", resp.Status, err)
	}
	return *body.Count, nil
}

// roundTripper adapts a function to http.RoundTripper.
type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// counting counts the requests base carries.
func counting(n *atomic.Int64, base http.RoundTripper) http.RoundTripper {
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		n.Add(1)
		return base.RoundTrip(r)
	})
}
