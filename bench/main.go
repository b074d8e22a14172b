// Command bench measures how the provider behaves at the service's rate
// limit: it starts the emulator in-process with its default throttling (10
// calls per second per operation), then for N tasks times terraform apply, a
// plan with no changes, an update of every task and destroy, with the
// client-side limiter on and off and with two -parallelism settings. It also
// measures the plan of one task in an account that holds 1,000 other tasks.
// Every scenario runs BENCH_RUNS times (default 3) and the median is
// reported. Results go to bench/results.json and a table on standard output;
// the exit status is 1 when a target of the issue is missed.
//
// The lower bound of a phase is N calls of the operation that binds it
// (Create, Update or Delete) at the emulator's 10 calls per second: N/10
// seconds. (A sliding one-second window would let the first 10 calls go at
// once, so the strict minimum is (N-10)/10 seconds plus one round trip; the
// issue's targets are stated against N/10, and so is the ratio here.)
//
// Run it through `make bench` (which builds the provider first); BENCH_N sets N.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// qps is the emulator's (and the service's) limit per operation.
const qps = emulator.DefaultQPS

// phase is one timed terraform command.
type phase struct {
	Scenario          string         `json:"scenario"`
	Phase             string         `json:"phase"`
	N                 int            `json:"n"`
	Parallelism       int            `json:"parallelism"`
	Limiter           bool           `json:"client_limiter"`
	WallSeconds       float64        `json:"wall_seconds"`
	LowerBoundSeconds float64        `json:"lower_bound_seconds"`
	Ratio             float64        `json:"ratio,omitempty"`
	Calls             map[string]int `json:"calls"`
	TotalCalls        int            `json:"total_calls"`
	Throttled         int            `json:"throttled"`
	Errors            int            `json:"errors"`
	ExitCode          int            `json:"exit_code"`
	// RunSeconds holds the wall time of every run; WallSeconds is their
	// median, and the counters are those of the median run, except
	// Throttled, Errors and ExitCode, which are the worst over all runs.
	RunSeconds []float64 `json:"run_seconds"`
}

// target is one goal of the benchmark and whether this run met it.
type target struct {
	Name   string `json:"name"`
	Met    bool   `json:"met"`
	Detail string `json:"detail"`
}

type results struct {
	GeneratedAt string   `json:"generated_at"`
	N           int      `json:"n"`
	Runs        int      `json:"runs"`
	QPS         int      `json:"emulator_qps"`
	Phases      []phase  `json:"phases"`
	Targets     []target `json:"targets"`
}

func main() {
	n := flag.Int("n", envInt("BENCH_N", 100), "number of tasks (BENCH_N)")
	providerDir := flag.String("provider-dir", "bin", "directory holding the built terraform-provider-alilive")
	out := flag.String("out", filepath.Join("bench", "results.json"), "where to write the results")
	others := flag.Int("others", 1000, "tasks already in the account for the single-task plan")
	runs := flag.Int("runs", envInt("BENCH_RUNS", 3), "runs of every scenario; medians are reported (BENCH_RUNS)")
	flag.Parse()
	log.SetFlags(0)

	dir, err := filepath.Abs(*providerDir)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "terraform-provider-alilive")); err != nil {
		log.Fatalf("bench: %v (run make build, or make bench)", err)
	}
	if _, err := exec.LookPath("terraform"); err != nil {
		log.Fatal("bench: the terraform CLI is not on PATH")
	}

	e, err := emulator.New(emulator.Options{MaxTasks: -1})
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start("127.0.0.1:0"); err != nil {
		log.Fatal(err)
	}
	defer e.Close()

	res := results{GeneratedAt: time.Now().UTC().Format(time.RFC3339), N: *n, Runs: *runs, QPS: qps}
	var all [][]phase
	for run := 1; run <= *runs; run++ {
		var phases []phase
		for _, sc := range []struct {
			limiter     bool
			parallelism int
		}{{true, 10}, {true, 50}, {false, 10}, {false, 50}} {
			e.Reset()
			ph, err := runScenario(e, dir, *n, sc.limiter, sc.parallelism)
			phases = append(phases, ph...)
			if err != nil {
				log.Printf("bench: run %d: %v", run, err)
			}
		}
		for _, p := range []int{10, 50} {
			e.Reset()
			ph, err := runOneAmongMany(e, dir, *others, p)
			phases = append(phases, ph...)
			if err != nil {
				log.Printf("bench: run %d: %v", run, err)
			}
		}
		all = append(all, phases)
	}
	res.Phases = medians(all)
	res.Targets = evaluate(res.Phases, *n, *others)

	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		log.Fatal(err)
	}
	buf, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(*out, append(buf, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	printTable(res)
	fmt.Printf("\nresults written to %s\n", *out)
	for _, t := range res.Targets {
		if !t.Met {
			os.Exit(1)
		}
	}
}

// workspace is a directory with a dev_overrides CLI configuration and the
// benchmark's configuration.
type workspace struct {
	dir string
	env []string
}

func newWorkspace(e *emulator.Server, providerDir string, limiter bool) (*workspace, error) {
	dir, err := os.MkdirTemp("", "alilive-bench-")
	if err != nil {
		return nil, err
	}
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"registry.terraform.io/alilive/alilive\" = %q\n  }\n  direct {}\n}\n", providerDir)
	if err := os.WriteFile(filepath.Join(dir, "terraformrc"), []byte(rc), 0o644); err != nil {
		return nil, err
	}
	rate := ""
	if !limiter {
		rate = "  rate_limit = 0\n"
	}
	start := e.Now().Add(time.Hour).UTC().Truncate(time.Second)
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
  task_name   = "bench-${count.index}"
  start_time  = %q
  end_time    = %q
  source_type = "url"
  source_urls = ["http://media.example.com/v${var.generation}/${count.index}.mp4"]
  dst_url     = "rtmp://push.example.com/live/bench-${count.index}"
}
`, e.Endpoint(), emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret, rate,
		start.Format(time.RFC3339), start.Add(2*time.Hour).Format(time.RFC3339))
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o644); err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+filepath.Join(dir, "terraformrc"),
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
	)
	return &workspace{dir: dir, env: env}, nil
}

// run times one terraform command and reads the emulator's counters for it.
func (w *workspace) run(e *emulator.Server, p phase, args ...string) (phase, error) {
	e.ResetStats()
	cmd := exec.CommandContext(context.Background(), "terraform", args...)
	cmd.Dir = w.dir
	cmd.Env = w.env
	var outBuf bytes.Buffer
	cmd.Stdout = &outBuf
	cmd.Stderr = &outBuf
	begin := time.Now()
	err := cmd.Run()
	p.WallSeconds = time.Since(begin).Seconds()
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		p.ExitCode = exitErr.ExitCode()
	case err != nil:
		return p, err
	}
	st := e.Stats()
	p.Calls = st.Calls
	p.TotalCalls = st.TotalCalls()
	for _, v := range st.Throttled {
		p.Throttled += v
	}
	for _, v := range st.Errors {
		p.Errors += v
	}
	if p.LowerBoundSeconds > 0 {
		p.Ratio = p.WallSeconds / p.LowerBoundSeconds
	}
	// Every phase must exit 0; for plan -detailed-exitcode that means "no changes".
	if p.ExitCode != 0 {
		tail := outBuf.String()
		if len(tail) > 4000 {
			tail = tail[len(tail)-4000:]
		}
		return p, fmt.Errorf("%s (%s): terraform %s exited %d:\n%s", p.Scenario, p.Phase, strings.Join(args, " "), p.ExitCode, tail)
	}
	return p, nil
}

func runScenario(e *emulator.Server, providerDir string, n int, limiter bool, parallelism int) ([]phase, error) {
	w, err := newWorkspace(e, providerDir, limiter)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(w.dir)
	name := fmt.Sprintf("%d tasks, limiter %s, -parallelism=%d", n, onOff(limiter), parallelism)
	par := "-parallelism=" + strconv.Itoa(parallelism)
	bound := float64(n) / qps
	base := phase{Scenario: name, N: n, Parallelism: parallelism, Limiter: limiter}
	steps := []struct {
		name  string
		bound float64
		args  []string
	}{
		{"apply", bound, []string{"apply", "-auto-approve", "-input=false", par, "-var", "n=" + strconv.Itoa(n), "-var", "generation=1"}},
		{"plan (no changes)", 0, []string{"plan", "-detailed-exitcode", "-input=false", par, "-var", "n=" + strconv.Itoa(n), "-var", "generation=1"}},
		{"update all", bound, []string{"apply", "-auto-approve", "-input=false", par, "-var", "n=" + strconv.Itoa(n), "-var", "generation=2"}},
		{"destroy", bound, []string{"destroy", "-auto-approve", "-input=false", par, "-var", "n=" + strconv.Itoa(n), "-var", "generation=2"}},
	}
	var out []phase
	for _, s := range steps {
		p := base
		p.Phase = s.name
		p.LowerBoundSeconds = s.bound
		log.Printf("bench: %s: %s", name, s.name)
		p, err := w.run(e, p, s.args...)
		out = append(out, p)
		if err != nil {
			return out, err
		}
	}
	if left := len(e.Tasks()); left != 0 {
		return out, fmt.Errorf("%s: %d tasks left in the emulator after destroy", name, left)
	}
	return out, nil
}

// runOneAmongMany plans one managed task in an account that holds others.
func runOneAmongMany(e *emulator.Server, providerDir string, others, parallelism int) ([]phase, error) {
	start := e.Now().Add(time.Hour).UTC().Truncate(time.Second)
	for i := range others {
		_, err := e.AddTask("cn-shanghai", emulator.TaskInfo{
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
	w, err := newWorkspace(e, providerDir, true)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(w.dir)
	name := fmt.Sprintf("1 task among %d others, -parallelism=%d", others, parallelism)
	par := "-parallelism=" + strconv.Itoa(parallelism)
	p := phase{Scenario: name, N: 1, Parallelism: parallelism, Limiter: true}
	p.Phase = "apply"
	p.LowerBoundSeconds = 1.0 / qps
	log.Printf("bench: %s: apply", name)
	if p, err = w.run(e, p, "apply", "-auto-approve", "-input=false", par, "-var", "n=1", "-var", "generation=1"); err != nil {
		return []phase{p}, err
	}
	out := []phase{p}
	q := phase{Scenario: name, N: 1, Parallelism: parallelism, Limiter: true, Phase: fmt.Sprintf("plan of 1 among %d", others)}
	log.Printf("bench: %s: plan", name)
	q, err = w.run(e, q, "plan", "-detailed-exitcode", "-input=false", par, "-var", "n=1", "-var", "generation=1")
	out = append(out, q)
	if err != nil {
		return out, err
	}
	d := phase{Scenario: name, N: 1, Parallelism: parallelism, Limiter: true, Phase: "destroy", LowerBoundSeconds: 1.0 / qps}
	d, err = w.run(e, d, "destroy", "-auto-approve", "-input=false", par, "-var", "n=1", "-var", "generation=1")
	return append(out, d), err
}

// medians folds the phases of several runs into one per scenario and
// phase: the median wall time (and the counters of that run), with the worst
// throttled, error and exit counts of any run.
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
		m := sorted[len(sorted)/2]
		if len(sorted)%2 == 0 {
			m = sorted[len(sorted)/2-1] // the lower middle: a real run, not an average
		}
		m.RunSeconds = nil
		for _, p := range ps {
			m.RunSeconds = append(m.RunSeconds, p.WallSeconds)
			m.Throttled = max(m.Throttled, p.Throttled)
			m.Errors = max(m.Errors, p.Errors)
			if p.ExitCode != 0 {
				m.ExitCode = p.ExitCode
			}
		}
		out = append(out, m)
	}
	return out
}

// evaluate checks the targets against the limiter-on phases.
func evaluate(phases []phase, n, others int) []target {
	var ts []target
	for _, p := range phases {
		if !p.Limiter {
			continue
		}
		switch {
		case p.N == n && (p.Phase == "apply" || p.Phase == "destroy"):
			met := p.ExitCode == 0 && p.Ratio <= 1.2 && p.Errors == 0 && p.Throttled == 0
			ts = append(ts, target{
				Name:   fmt.Sprintf("%s, -parallelism=%d: at most 1.2x the lower bound, no errors, no throttling", p.Phase, p.Parallelism),
				Met:    met,
				Detail: fmt.Sprintf("%.2fs / %.2fs = %.2fx, %d errors, %d throttled", p.WallSeconds, p.LowerBoundSeconds, p.Ratio, p.Errors, p.Throttled),
			})
		case p.N == n && p.Phase == "plan (no changes)":
			met := p.ExitCode == 0 && p.TotalCalls <= 5 && p.WallSeconds < 2
			ts = append(ts, target{
				Name:   fmt.Sprintf("plan with no changes, -parallelism=%d: at most 5 calls, under 2 s", p.Parallelism),
				Met:    met,
				Detail: fmt.Sprintf("%d calls, %.2fs", p.TotalCalls, p.WallSeconds),
			})
		case strings.HasPrefix(p.Phase, "plan of 1"):
			met := p.ExitCode == 0 && p.TotalCalls == 1
			ts = append(ts, target{
				Name:   fmt.Sprintf("plan of 1 task among %d, -parallelism=%d: 1 call", others, p.Parallelism),
				Met:    met,
				Detail: fmt.Sprintf("%d calls", p.TotalCalls),
			})
		}
	}
	return ts
}

func printTable(res results) {
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Printf("%d tasks, emulator limit %d calls/s per operation, median of %d runs (throttled, errors, exit: worst run)\n\n", res.N, res.QPS, res.Runs)
	fmt.Fprintln(tw, "scenario\tphase\twall s\tbound s\tratio\tcalls\tthrottled\terrors\texit\tcalls by operation")
	for _, p := range res.Phases {
		ratio := "-"
		if p.Ratio > 0 {
			ratio = fmt.Sprintf("%.2f", p.Ratio)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%.2f\t%s\t%d\t%d\t%d\t%d\t%s\n", p.Scenario, p.Phase, p.WallSeconds,
			p.LowerBoundSeconds, ratio, p.TotalCalls, p.Throttled, p.Errors, p.ExitCode, byOp(p.Calls))
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

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
