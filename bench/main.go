// Command bench measures how the provider behaves at the service's rate
// limit. It starts the emulator in-process with its default throttling (10
// calls per second per operation) and runs scenarios through the real
// Terraform CLI:
//
//	n<N>[-p<P>][-nolimiter]  one workspace of N tasks: apply, a plan with no
//	                         changes, an update of every task's callback_url,
//	                         destroy
//	                         (-parallelism=P, default 10 up to 100 tasks and
//	                         20 above; -nolimiter sets rate_limit = 0)
//	k<K>x<T>[-noshare]       K workspaces of T tasks each in one account, run
//	                         at the same time: apply, plan, destroy; with
//	                         -noshare each process limits itself
//	                         (ALILIVE_SHARED_RATE_LIMIT=false), as on K hosts
//	among1000                the plan of 1 task in an account of 1,000
//
// BENCH_SCENARIOS selects them (default n100,n1000,k5x40,k5x40-noshare,
// among1000); every scenario runs BENCH_RUNS times (default 3), or as many
// times as a ":runs" suffix says (n1000:1), and medians are reported.
//
// The bound of a phase that writes N tasks is the same run's no-change
// plan time (Terraform's own work: start-up, refresh, diff) plus N/10
// seconds (N calls of the binding operation at 10 per second); the ratio
// is wall time over that bound. Results go to bench/results.json and a
// table on standard output, with throttled answers and calls per operation
// from the emulator's counters and the provider's peak resident memory
// (the largest of the provider processes Terraform started during the
// phase; the bench runs each one under a small wrapper that reads its
// rusage). The exit status is 1 when a target is missed.
//
// Run it through `make bench` (which builds the provider first).
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// qps is the emulator's (and the service's) limit per operation.
const qps = emulator.DefaultQPS

const defaultScenarios = "n100,n1000,k5x40,k5x40-noshare,among1000"

// phase is one timed terraform command (or K of them at once).
type phase struct {
	Scenario    string `json:"scenario"`
	Phase       string `json:"phase"`
	N           int    `json:"n"` // tasks written by the phase (all processes)
	Processes   int    `json:"processes"`
	Parallelism int    `json:"parallelism"`
	Limiter     bool   `json:"client_limiter"`
	Shared      bool   `json:"shared_limiter"`

	WallSeconds float64 `json:"wall_seconds"`
	// PlanSeconds is the same run's no-change plan; BoundSeconds is
	// PlanSeconds + N/10, and Ratio WallSeconds / BoundSeconds (phases
	// that write only).
	PlanSeconds  float64 `json:"plan_seconds,omitempty"`
	NOver10      float64 `json:"n_over_10,omitempty"`
	BoundSeconds float64 `json:"bound_seconds,omitempty"`
	Ratio        float64 `json:"ratio,omitempty"`
	// BusiestOp is the operation the phase called most, and BusiestRatio
	// the wall time over PlanSeconds + its calls/10: where a phase needs
	// more than N calls of one operation (an update reads each task twice
	// with Describe), the bound those calls set.
	BusiestOp    string  `json:"busiest_operation,omitempty"`
	BusiestRatio float64 `json:"busiest_ratio,omitempty"`

	Calls      map[string]int `json:"calls"`
	TotalCalls int            `json:"total_calls"`
	Throttled  int            `json:"throttled"`
	Errors     int            `json:"errors"`
	ExitCode   int            `json:"exit_code"`
	PeakRSSMB  float64        `json:"provider_peak_rss_mb,omitempty"`
	// ProviderCPUSeconds is the CPU time (user and system) of the
	// provider processes of the phase: what of the wall time the provider
	// itself computed, as opposed to Terraform and the waits of the limit.
	ProviderCPUSeconds float64 `json:"provider_cpu_seconds,omitempty"`
	Plugins            int     `json:"provider_processes,omitempty"`
	// FirstCallSeconds and LastCallSeconds are when the emulator saw the
	// phase's first and last API call, from the start of the phase: before
	// the first and after the last, the time is Terraform's own.
	FirstCallSeconds float64 `json:"first_call_seconds,omitempty"`
	LastCallSeconds  float64 `json:"last_call_seconds,omitempty"`
	// OpWindows is, per operation, when the emulator saw its first and
	// last call (seconds from the start of the phase): the window of the
	// binding operation shows how long the writes themselves took and how
	// much of the phase Terraform spent before the first of them.
	OpWindows map[string][2]float64 `json:"operation_windows,omitempty"`

	// Medians: WallSeconds, PlanSeconds and Ratio are medians over the
	// runs (each ratio from its own run's plan), the counters those of the
	// run with the median wall time, except Throttled, Errors, ExitCode
	// and PeakRSSMB, which are the worst of all runs.
	RunSeconds []float64 `json:"run_seconds"`
	RunRatios  []float64 `json:"run_ratios,omitempty"`
}

// target is one goal of the benchmark and whether this run met it.
type target struct {
	Name   string `json:"name"`
	Met    bool   `json:"met"`
	Detail string `json:"detail"`
}

type results struct {
	GeneratedAt string   `json:"generated_at"`
	Scenarios   []string `json:"scenarios"`
	Runs        int      `json:"runs"` // BENCH_RUNS; each phase lists its own runs in run_seconds
	QPS         int      `json:"emulator_qps"`
	Phases      []phase  `json:"phases"`
	Targets     []target `json:"targets"`
}

// scenario is one parsed entry of BENCH_SCENARIOS.
type scenario struct {
	name        string
	runs        int // 0: BENCH_RUNS
	n           int // tasks per workspace
	k           int // workspaces at once (1 for n scenarios)
	parallelism int
	limiter     bool
	shared      bool
	among       bool
}

var (
	nRe = regexp.MustCompile(`^n(\d+)(?:-p(\d+))?(-nolimiter)?$`)
	kRe = regexp.MustCompile(`^k(\d+)x(\d+)(-noshare)?$`)
)

func parseScenario(s string) (scenario, error) {
	if name, runs, ok := strings.Cut(s, ":"); ok {
		n, err := strconv.Atoi(runs)
		if err != nil || n < 1 {
			return scenario{}, fmt.Errorf("scenario %q: runs must be a positive number", s)
		}
		sc, err := parseScenario(name)
		sc.runs = n
		return sc, err
	}
	if s == "among1000" {
		return scenario{name: s, n: 1, k: 1, parallelism: 10, limiter: true, shared: true, among: true}, nil
	}
	if m := nRe.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		p := 10
		if n > 100 {
			p = 20
		}
		if m[2] != "" {
			p, _ = strconv.Atoi(m[2])
		}
		return scenario{name: s, n: n, k: 1, parallelism: p, limiter: m[3] == "", shared: true}, nil
	}
	if m := kRe.FindStringSubmatch(s); m != nil {
		k, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		return scenario{name: s, n: n, k: k, parallelism: 10, limiter: true, shared: m[3] == ""}, nil
	}
	return scenario{}, fmt.Errorf("unknown scenario %q (n<N>[-p<P>][-nolimiter], k<K>x<T>[-noshare], among1000)", s)
}

func main() {
	if wrapped := os.Getenv("BENCH_WRAP_PROVIDER"); wrapped != "" {
		os.Exit(wrapProvider(wrapped, os.Getenv("BENCH_WRAP_OUT")))
	}
	providerDir := "bin"
	out := filepath.Join("bench", "results.json")
	runs := envInt("BENCH_RUNS", 3)
	list := os.Getenv("BENCH_SCENARIOS")
	if list == "" {
		list = defaultScenarios
	}
	log.SetFlags(0)

	var scenarios []scenario
	for _, s := range strings.Split(list, ",") {
		sc, err := parseScenario(strings.TrimSpace(s))
		if err != nil {
			log.Fatal(err)
		}
		scenarios = append(scenarios, sc)
	}
	dir, err := filepath.Abs(providerDir)
	if err != nil {
		log.Fatal(err)
	}
	provider := filepath.Join(dir, "terraform-provider-alilive")
	if _, err := os.Stat(provider); err != nil {
		log.Fatalf("bench: %v (run make build, or make bench)", err)
	}
	if _, err := exec.LookPath("terraform"); err != nil {
		log.Fatal("bench: the terraform CLI is not on PATH")
	}
	self, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}

	calls := &callTimes{}
	e, err := emulator.New(emulator.Options{MaxTasks: -1, Logger: slog.New(calls)})
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start("127.0.0.1:0"); err != nil {
		log.Fatal(err)
	}
	defer e.Close()

	b := &bench{e: e, provider: provider, self: self, calls: calls}
	res := results{GeneratedAt: time.Now().UTC().Format(time.RFC3339), Runs: runs, QPS: qps}
	for _, sc := range scenarios {
		res.Scenarios = append(res.Scenarios, fmt.Sprintf("%s:%d", sc.name, cmp.Or(sc.runs, runs)))
	}
	var all [][]phase
	maxRuns := runs
	for _, sc := range scenarios {
		maxRuns = max(maxRuns, sc.runs)
	}
	for run := 1; run <= maxRuns; run++ {
		var phases []phase
		for _, sc := range scenarios {
			if n := cmp.Or(sc.runs, runs); run > n {
				continue
			}
			e.Reset()
			var ph []phase
			var err error
			switch {
			case sc.among:
				ph, err = b.runOneAmongMany(sc, 1000)
			default:
				ph, err = b.runScenario(sc)
			}
			phases = append(phases, ph...)
			if err != nil {
				log.Printf("bench: run %d: %v", run, err)
			}
			// Results so far, so that a run cut short keeps what it measured.
			for _, p := range ph {
				log.Printf("bench: run %d: %s %s: %.1fs, %d calls (%s), %d throttled, exit %d", run, p.Scenario,
					p.Phase, p.WallSeconds, p.TotalCalls, byOp(p.Calls), p.Throttled, p.ExitCode)
			}
			res.Phases = medians(append(all[:len(all):len(all)], phases))
			res.Targets = evaluate(res.Phases)
			writeResults(out, res)
		}
		all = append(all, phases)
	}
	res.Phases = medians(all)
	res.Targets = evaluate(res.Phases)
	writeResults(out, res)
	printTable(res)
	fmt.Printf("\nresults written to %s\n", out)
	for _, t := range res.Targets {
		if !t.Met {
			os.Exit(1)
		}
	}
}

// writeResults writes res to out as JSON.
func writeResults(out string, res results) {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		log.Fatal(err)
	}
	buf, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(out, append(buf, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
}

type bench struct {
	e        *emulator.Server
	provider string // the built provider
	self     string // this program, which wraps the provider to measure it
	calls    *callTimes
}

// callTimes is a slog handler that keeps the time of the first and the
// last API call the emulator logs, overall and per operation.
type callTimes struct {
	mu          sync.Mutex
	first, last time.Time
	byOp        map[string]window
}

// window is the first and last call of one operation.
type window struct{ first, last time.Time }

func (c *callTimes) Enabled(context.Context, slog.Level) bool { return true }
func (c *callTimes) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c *callTimes) WithGroup(string) slog.Handler            { return c }
func (c *callTimes) Handle(_ context.Context, r slog.Record) error {
	op := ""
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "operation" {
			op = a.Value.String()
			return false
		}
		return true
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.first.IsZero() {
		c.first = r.Time
	}
	c.last = r.Time
	if op != "" {
		if c.byOp == nil {
			c.byOp = map[string]window{}
		}
		w := c.byOp[op]
		if w.first.IsZero() {
			w.first = r.Time
		}
		w.last = r.Time
		c.byOp[op] = w
	}
	return nil
}

// reset forgets the calls so far and returns the first and last, overall
// and per operation.
func (c *callTimes) reset() (first, last time.Time, byOp map[string]window) {
	c.mu.Lock()
	defer c.mu.Unlock()
	first, last, byOp = c.first, c.last, c.byOp
	c.first, c.last, c.byOp = time.Time{}, time.Time{}, nil
	return first, last, byOp
}

// workspace is a directory with a dev_overrides CLI configuration (through
// the measuring wrapper) and the benchmark's configuration.
type workspace struct {
	dir string
	env []string
	mem string // the wrapper's memory log
}

func (b *bench) newWorkspace(name string, limiter bool, env ...string) (*workspace, error) {
	dir, err := os.MkdirTemp("", "alilive-bench-")
	if err != nil {
		return nil, err
	}
	plugins := filepath.Join(dir, "plugins")
	if err := os.Mkdir(plugins, 0o755); err != nil {
		return nil, err
	}
	if err := os.Symlink(b.self, filepath.Join(plugins, "terraform-provider-alilive")); err != nil {
		return nil, err
	}
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"registry.terraform.io/alilive/alilive\" = %q\n  }\n  direct {}\n}\n", plugins)
	if err := os.WriteFile(filepath.Join(dir, "terraformrc"), []byte(rc), 0o644); err != nil {
		return nil, err
	}
	rate := ""
	if !limiter {
		rate = "  rate_limit = 0\n"
	}
	start := b.e.Now().Add(time.Hour).UTC().Truncate(time.Second)
	cfg := fmt.Sprintf(`terraform {
  required_providers {
    alilive = { source = "alilive/alilive" }
  }
}

provider "alilive" {
  region     = "cn-shanghai"
  endpoint   = %q
  protocol   = "http"
  access_key = %q
  secret_key = %q
%s}

variable "n" { type = number }
variable "generation" { type = number }

resource "alilive_pull_to_push_task" "relay" {
  count       = var.n
  task_name   = "%[5]s-${count.index}"
  start_time  = %[6]q
  end_time    = %[7]q
  source_type = "url"
  source_urls = ["http://media.example.com/${count.index}.mp4"]
  dst_url     = "rtmp://push.example.com/%[5]s/${count.index}"
  # The update phase changes the callback URL of every task, which the
  # service takes in any state: one Update and one read-back per task.
  callback_url = "https://hooks.example.com/v${var.generation}/%[5]s/${count.index}"
}
`, b.e.Endpoint(), emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret, rate, name,
		start.Format(time.RFC3339), start.Add(2*time.Hour).Format(time.RFC3339))
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o644); err != nil {
		return nil, err
	}
	w := &workspace{dir: dir, mem: filepath.Join(dir, "provider-rss.log")}
	w.env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+filepath.Join(dir, "terraformrc"),
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"BENCH_WRAP_PROVIDER="+b.provider,
		"BENCH_WRAP_OUT="+w.mem,
	)
	w.env = append(w.env, env...)
	return w, nil
}

// result of one terraform command.
type cmdResult struct {
	exit int
	out  string
	err  error
}

// terraform runs one command in w.
func (w *workspace) terraform(args ...string) cmdResult {
	cmd := exec.CommandContext(context.Background(), "terraform", args...)
	cmd.Dir = w.dir
	cmd.Env = w.env
	var outBuf bytes.Buffer
	cmd.Stdout = &outBuf
	cmd.Stderr = &outBuf
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		return cmdResult{exit: exitErr.ExitCode(), out: outBuf.String()}
	case err != nil:
		return cmdResult{exit: -1, err: err}
	}
	return cmdResult{out: outBuf.String()}
}

// providerUsage returns the largest peak resident memory (MB) the wrapper
// recorded since the log was last cleared, the CPU time (user and system)
// of all those provider processes, and how many there were; it clears the
// log.
func (w *workspace) providerUsage() (peakMB, cpuSeconds float64, n int) {
	data, _ := os.ReadFile(w.mem)
	_ = os.Remove(w.mem)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 {
			continue
		}
		kb, err1 := strconv.ParseFloat(fields[0], 64)
		cpu, err2 := strconv.ParseFloat(fields[1], 64)
		if err1 == nil && err2 == nil {
			peakMB = math.Max(peakMB, kb/1024)
			cpuSeconds += cpu
			n++
		}
	}
	return peakMB, cpuSeconds, n
}

// timed runs the same command in every workspace at once and records the
// phase: wall time from the first start to the last end, the emulator's
// counters, the worst exit code and the largest provider.
func (b *bench) timed(p phase, ws []*workspace, args ...string) (phase, error) {
	b.e.ResetStats()
	_, _, _ = b.calls.reset()
	results := make([]cmdResult, len(ws))
	var wg sync.WaitGroup
	begin := time.Now()
	for i, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = w.terraform(args...)
		}()
	}
	wg.Wait()
	p.WallSeconds = time.Since(begin).Seconds()
	if first, last, byOp := b.calls.reset(); !first.IsZero() {
		p.FirstCallSeconds, p.LastCallSeconds = first.Sub(begin).Seconds(), last.Sub(begin).Seconds()
		p.OpWindows = map[string][2]float64{}
		for op, w := range byOp {
			p.OpWindows[op] = [2]float64{w.first.Sub(begin).Seconds(), w.last.Sub(begin).Seconds()}
		}
	}
	st := b.e.Stats()
	p.Calls = st.Calls
	p.TotalCalls = st.TotalCalls()
	for _, v := range st.Throttled {
		p.Throttled += v
	}
	for _, v := range st.Errors {
		p.Errors += v
	}
	for _, w := range ws {
		peak, cpu, n := w.providerUsage()
		p.PeakRSSMB = math.Max(p.PeakRSSMB, peak)
		p.ProviderCPUSeconds += cpu
		p.Plugins += n
	}
	var errs []error
	for _, r := range results {
		if r.err != nil {
			return p, r.err
		}
		// Every phase must exit 0; for plan -detailed-exitcode that means "no changes".
		if r.exit != 0 {
			p.ExitCode = r.exit
			tail := r.out
			if len(tail) > 3000 {
				tail = tail[len(tail)-3000:]
			}
			errs = append(errs, fmt.Errorf("%s (%s): terraform %s exited %d:\n%s", p.Scenario, p.Phase,
				strings.Join(args, " "), r.exit, tail))
		}
	}
	return p, errors.Join(errs...)
}

func (b *bench) runScenario(sc scenario) ([]phase, error) {
	limiterDir, err := os.MkdirTemp("", "alilive-bench-ratelimit-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(limiterDir)
	env := []string{"ALILIVE_RATE_LIMIT_DIR=" + limiterDir}
	if !sc.shared {
		env = append(env, "ALILIVE_SHARED_RATE_LIMIT=false")
	}
	ws := make([]*workspace, sc.k)
	for i := range ws {
		name := "bench"
		if sc.k > 1 {
			name = fmt.Sprintf("bench%d", i)
		}
		if ws[i], err = b.newWorkspace(name, sc.limiter, env...); err != nil {
			return nil, err
		}
		defer os.RemoveAll(ws[i].dir)
	}
	par := "-parallelism=" + strconv.Itoa(sc.parallelism)
	vars := func(gen int) []string {
		return []string{"-var", "n=" + strconv.Itoa(sc.n), "-var", "generation=" + strconv.Itoa(gen)}
	}
	total := sc.n * sc.k
	base := phase{Scenario: sc.name, N: total, Processes: sc.k, Parallelism: sc.parallelism, Limiter: sc.limiter, Shared: sc.shared}
	steps := []struct {
		name   string
		writes bool
		args   []string
	}{
		{"apply", true, append([]string{"apply", "-auto-approve", "-input=false", par}, vars(1)...)},
		{"plan (no changes)", false, append([]string{"plan", "-detailed-exitcode", "-input=false", par}, vars(1)...)},
		{"update all", true, append([]string{"apply", "-auto-approve", "-input=false", par}, vars(2)...)},
		{"destroy", true, append([]string{"destroy", "-auto-approve", "-input=false", par}, vars(2)...)},
	}
	var out []phase
	var runErr error
	for _, s := range steps {
		if sc.k > 1 && s.name == "update all" {
			continue // the K scenarios measure apply, plan and destroy
		}
		p := base
		p.Phase = s.name
		if !s.writes {
			p.N = 0
		}
		log.Printf("bench: %s: %s", sc.name, s.name)
		p, err := b.timed(p, ws, s.args...)
		out = append(out, p)
		if err != nil {
			runErr = err
			break
		}
	}
	addBounds(out)
	if runErr != nil {
		return out, runErr
	}
	if left := len(b.e.Tasks()); left != 0 {
		return out, fmt.Errorf("%s: %d tasks left in the emulator after destroy", sc.name, left)
	}
	return out, nil
}

// addBounds fills in the bound and ratio of the writing phases from the
// same run's no-change plan.
func addBounds(ps []phase) {
	plan := -1.0
	for _, p := range ps {
		if p.Phase == "plan (no changes)" && p.ExitCode == 0 {
			plan = p.WallSeconds
		}
	}
	if plan < 0 {
		return
	}
	for i := range ps {
		if ps[i].N == 0 {
			continue
		}
		ps[i].PlanSeconds = plan
		ps[i].NOver10 = float64(ps[i].N) / qps
		ps[i].BoundSeconds = plan + ps[i].NOver10
		ps[i].Ratio = ps[i].WallSeconds / ps[i].BoundSeconds
		most := 0
		for op, n := range ps[i].Calls {
			if n > most || (n == most && op < ps[i].BusiestOp) {
				most, ps[i].BusiestOp = n, op
			}
		}
		ps[i].BusiestRatio = ps[i].WallSeconds / (plan + float64(most)/qps)
	}
}

// runOneAmongMany plans one managed task in an account that holds others.
func (b *bench) runOneAmongMany(sc scenario, others int) ([]phase, error) {
	start := b.e.Now().Add(time.Hour).UTC().Truncate(time.Second)
	for i := range others {
		_, err := b.e.AddTask("cn-shanghai", emulator.TaskInfo{
			TaskName:      fmt.Sprintf("other-%d", i),
			StartTime:     start.Format(time.RFC3339),
			EndTime:       start.Add(time.Hour).Format(time.RFC3339),
			SourceType:    "url",
			SourceUrls:    []string{fmt.Sprintf("http://media.example.com/other/%d.mp4", i)},
			DstUrl:        fmt.Sprintf("rtmp://push.example.com/other/%d", i),
			RetryCount:    3,
			RetryInterval: 60,
		})
		if err != nil {
			return nil, fmt.Errorf("filling the account: %w", err)
		}
	}
	limiterDir, err := os.MkdirTemp("", "alilive-bench-ratelimit-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(limiterDir)
	w, err := b.newWorkspace("bench", true, "ALILIVE_RATE_LIMIT_DIR="+limiterDir)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(w.dir)
	args := func(cmd ...string) []string {
		return append(cmd, "-input=false", "-parallelism=10", "-var", "n=1", "-var", "generation=1")
	}
	base := phase{Scenario: sc.name, Processes: 1, Parallelism: 10, Limiter: true, Shared: true}
	var out []phase
	for _, s := range []struct {
		name string
		args []string
	}{
		{"apply", args("apply", "-auto-approve")},
		{fmt.Sprintf("plan of 1 among %d", others), args("plan", "-detailed-exitcode")},
		{"destroy", args("destroy", "-auto-approve")},
	} {
		p := base
		p.Phase = s.name
		log.Printf("bench: %s: %s", sc.name, s.name)
		p, err := b.timed(p, []*workspace{w}, s.args...)
		out = append(out, p)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// medians folds the phases of several runs into one per scenario and
// phase (see phase).
func medians(runs [][]phase) []phase {
	type key struct{ scenario, phase string }
	var order []key
	byKey := map[key][]phase{}
	for _, run := range runs {
		for _, p := range run {
			k := key{p.Scenario, p.Phase}
			if _, ok := byKey[k]; !ok {
				order = append(order, k)
			}
			byKey[k] = append(byKey[k], p)
		}
	}
	// Scenarios in the order they first ran, phases in the order they run
	// within one: a phase that only some runs reached keeps its place.
	scenarioRank := map[string]int{}
	for _, k := range order {
		if _, ok := scenarioRank[k.scenario]; !ok {
			scenarioRank[k.scenario] = len(scenarioRank)
		}
	}
	phaseRank := func(name string) int {
		for i, p := range []string{"apply", "plan (no changes)", "update all", "destroy"} {
			if p == name {
				return i
			}
		}
		return 1 // "plan of 1 among N" runs between apply and destroy
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if scenarioRank[a.scenario] != scenarioRank[b.scenario] {
			return scenarioRank[a.scenario] < scenarioRank[b.scenario]
		}
		return phaseRank(a.phase) < phaseRank(b.phase)
	})
	out := make([]phase, 0, len(order))
	for _, k := range order {
		ps := byKey[k]
		sorted := append([]phase(nil), ps...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i].WallSeconds < sorted[j].WallSeconds })
		m := sorted[(len(sorted)-1)/2] // the lower middle when even: a real run, not an average
		m.RunSeconds, m.RunRatios = nil, nil
		var plans, busiest []float64
		for _, p := range ps {
			m.RunSeconds = append(m.RunSeconds, p.WallSeconds)
			if p.Ratio > 0 {
				m.RunRatios = append(m.RunRatios, p.Ratio)
				plans = append(plans, p.PlanSeconds)
				busiest = append(busiest, p.BusiestRatio)
			}
			m.Throttled = max(m.Throttled, p.Throttled)
			m.Errors = max(m.Errors, p.Errors)
			m.PeakRSSMB = max(m.PeakRSSMB, p.PeakRSSMB)
			if p.ExitCode != 0 {
				m.ExitCode = p.ExitCode
			}
		}
		if len(m.RunRatios) > 0 {
			m.Ratio = median(m.RunRatios)
			m.BusiestRatio = median(busiest)
			m.PlanSeconds = median(plans)
			m.BoundSeconds = m.PlanSeconds + m.NOver10
		}
		out = append(out, m)
	}
	return out
}

// median is the lower middle value.
func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[(len(s)-1)/2]
}

// evaluate checks the targets: for each scenario with the limiter on,
// apply/update/destroy within 1.05x (one workspace) or 1.1x (K at once)
// of their bound, the no-change plan within ceil(N/100)+1 calls, nothing
// throttled; with sharing off, at most 5% of calls throttled; every
// command exits 0.
func evaluate(phases []phase) []target {
	var ts []target
	type agg struct{ calls, throttled, failed int }
	byScenario := map[string]*agg{}
	var order []string
	for _, p := range phases {
		if !p.Limiter {
			continue
		}
		a := byScenario[p.Scenario]
		if a == nil {
			a = &agg{}
			byScenario[p.Scenario] = a
			order = append(order, p.Scenario)
		}
		a.calls += p.TotalCalls
		a.throttled += p.Throttled
		if p.ExitCode != 0 {
			a.failed++
		}
		limit := 1.05
		if p.Processes > 1 {
			limit = 1.1
		}
		switch {
		case p.Ratio > 0 && (p.Shared || p.Processes == 1):
			ts = append(ts, target{
				Name: fmt.Sprintf("%s %s: at most %.2fx (plan %.1fs + N/10 %.0fs)", p.Scenario, p.Phase, limit,
					p.PlanSeconds, p.NOver10),
				Met:    p.ExitCode == 0 && p.Ratio <= limit,
				Detail: fmt.Sprintf("%.1fs, %.3fx", p.WallSeconds, p.Ratio),
			})
		case p.Phase == "plan (no changes)" && p.Processes == 1:
			n := 0
			for _, q := range phases {
				if q.Scenario == p.Scenario && q.Phase == "apply" {
					n = q.N
				}
			}
			maxCalls := (n+99)/100 + 1
			ts = append(ts, target{
				Name:   fmt.Sprintf("%s plan with no changes: at most %d calls", p.Scenario, maxCalls),
				Met:    p.ExitCode == 0 && p.TotalCalls <= maxCalls,
				Detail: fmt.Sprintf("%d calls (%s), %.1fs", p.TotalCalls, byOp(p.Calls), p.WallSeconds),
			})
		case strings.HasPrefix(p.Phase, "plan of 1"):
			ts = append(ts, target{
				Name:   fmt.Sprintf("%s: 1 call", p.Phase),
				Met:    p.ExitCode == 0 && p.TotalCalls == 1,
				Detail: fmt.Sprintf("%d calls", p.TotalCalls),
			})
		}
	}
	for _, s := range order {
		a := byScenario[s]
		shared := true
		for _, p := range phases {
			if p.Scenario == s {
				shared = p.Shared
			}
		}
		if shared {
			ts = append(ts, target{Name: s + ": nothing throttled, every command exits 0", Met: a.throttled == 0 && a.failed == 0,
				Detail: fmt.Sprintf("%d throttled of %d calls, %d failed phases", a.throttled, a.calls, a.failed)})
		} else {
			frac := float64(a.throttled) / math.Max(1, float64(a.calls))
			ts = append(ts, target{Name: s + ": at most 5% of calls throttled, every command exits 0",
				Met:    frac <= 0.05 && a.failed == 0,
				Detail: fmt.Sprintf("%d throttled of %d calls (%.1f%%), %d failed phases", a.throttled, a.calls, 100*frac, a.failed)})
		}
	}
	return ts
}

func printTable(res results) {
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Printf("emulator limit %d calls/s per operation; medians of %s (throttled, errors, exit, peak memory: worst run)\n\n",
		res.QPS, strings.Join(res.Scenarios, " "))
	fmt.Fprintln(tw, "scenario\tphase\twall s\tplan s\tN/10 s\tratio\tratio (busiest op)\tAPI calls from-to s\tbusiest op from-to s\tcalls\tthrottled\terrors\texit\tprovider MB\tprovider CPU s\tcalls by operation")
	for _, p := range res.Phases {
		plan, nOver, ratio, busiest, busyWindow := "-", "-", "-", "-", "-"
		if p.Ratio > 0 {
			plan, nOver, ratio = fmt.Sprintf("%.1f", p.PlanSeconds), fmt.Sprintf("%.0f", p.NOver10), fmt.Sprintf("%.3f", p.Ratio)
			busiest = fmt.Sprintf("%.3f (%s)", p.BusiestRatio, strings.Replace(p.BusiestOp, "LivePullToPush", "", 1))
			if w, ok := p.OpWindows[p.BusiestOp]; ok {
				busyWindow = fmt.Sprintf("%.1f-%.1f", w[0], w[1])
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%.1f\t%s\t%s\t%s\t%s\t%.1f-%.1f\t%s\t%d\t%d\t%d\t%d\t%.0f\t%.1f\t%s\n", p.Scenario, p.Phase,
			p.WallSeconds, plan, nOver, ratio, busiest, p.FirstCallSeconds, p.LastCallSeconds, busyWindow, p.TotalCalls, p.Throttled,
			p.Errors, p.ExitCode, p.PeakRSSMB, p.ProviderCPUSeconds, byOp(p.Calls))
	}
	tw.Flush()
	fmt.Println()
	for _, t := range res.Targets {
		mark := "MET   "
		if !t.Met {
			mark = "MISSED"
		}
		fmt.Printf("%s %s (%s)\n", mark, t.Name, t.Detail)
	}
}

func byOp(calls map[string]int) string {
	ops := make([]string, 0, len(calls))
	for op, c := range calls {
		if c > 0 {
			ops = append(ops, fmt.Sprintf("%s=%d", strings.Replace(op, "LivePullToPush", "", 1), c))
		}
	}
	sort.Strings(ops)
	return strings.Join(ops, " ")
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// wrapProvider runs the real provider as Terraform would (same arguments,
// environment and standard streams), passes signals on, and appends the
// provider's peak resident memory in KiB to out when it exits.
func wrapProvider(provider, out string) int {
	cmd := exec.CommandContext(context.Background(), provider, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = os.Environ()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "bench wrapper:", err)
		return 1
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	if kib := maxRSSKiB(cmd.ProcessState); kib > 0 && out != "" {
		if f, ferr := os.OpenFile(out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); ferr == nil {
			cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			fmt.Fprintf(f, "%d %.3f\n", kib, cpu.Seconds())
			_ = f.Close()
		}
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return exitErr.ExitCode()
	}
	return 0
}
