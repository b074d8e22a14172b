// Command bench measures how the provider behaves at the service's rate
// limit. It starts the emulator in-process with its default throttling (10
// calls per second per operation) and runs scenarios through the real
// Terraform CLI:
//
//	n<N>[-p<P>][-nolimiter][-running][-endtime|-playlist|-toggle]
//	                         one workspace of N tasks: apply, a plan with no
//	                         changes (again with TF_LOG=INFO, then Terraform's
//	                         floor: the same plan of N terraform_data), an
//	                         update of every task's callback_url (-endtime:
//	                         end_time moved by an hour; -playlist: a new
//	                         source_urls list; -toggle: enabled = false,
//	                         then true again, two phases), destroy; the tasks
//	                         stay idle, or with -running start at once
//	                         (-parallelism=P, default 10 up to 100 tasks and
//	                         20 above; -nolimiter sets rate_limit = 0)
//	k<K>x<T>[-noshare|-role|-users]
//	                         K workspaces of T tasks each in one account, run
//	                         at the same time: apply, plan, destroy; with
//	                         -noshare each process limits itself
//	                         (ALILIVE_SHARED_RATE_LIMIT=false), as on K hosts;
//	                         with -role each assumes a role of the account
//	                         (its own temporary keys); with -users they
//	                         alternate between two RAM users' keys
//	among1000                the plan of 1 task in an account of 1,000
//
// BENCH_SCENARIOS selects them (default: defaultScenarios, every change at
// 100 and 1,000 tasks); every scenario runs BENCH_RUNS times (default 3), or as many
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
// rusage). Each writing phase of one workspace must also make exactly the
// calls expectedCalls names (one write of each kind the change needs and
// one DescribeLivePullToPush per task), and at 1,000 tasks or more the
// provider may take at most 100 MB in any phase. The exit status is 1 when
// a target is missed.
//
// Run it through `make bench` (which builds the provider first).
package main

import (
	"cmp"
	"fmt"
	"log"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

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
	e, err := emulator.New(emulator.Options{MaxTasks: -1, Logger: slog.New(calls), Credentials: []emulator.Credential{
		{AccessKeyID: emulator.DefaultAccessKeyID, AccessKeySecret: emulator.DefaultAccessKeySecret},
		{AccessKeyID: benchUserBKey, AccessKeySecret: benchUserBSecret, User: "pipeline-b"},
	}})
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

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
