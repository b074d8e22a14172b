package main

import (
	"errors"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

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
		if ws[i], err = b.newWorkspace(name, sc.limiter, credentialLines(sc.auth, i), sc, env...); err != nil {
			return nil, err
		}
		defer os.RemoveAll(ws[i].dir)
	}
	total := sc.n * sc.k
	base := phase{Scenario: sc.name, N: total, Processes: sc.k, Parallelism: sc.parallelism, Limiter: sc.limiter, Shared: sc.shared,
		Running: sc.running, Change: sc.change}
	// command is the arguments of a terraform command (verb and its flags)
	// on the scenario's n tasks with generation gen.
	command := func(gen int, verb ...string) []string {
		return append(verb, "-input=false", "-parallelism="+strconv.Itoa(sc.parallelism),
			"-var", "n="+strconv.Itoa(sc.n), "-var", "generation="+strconv.Itoa(gen))
	}
	applyArgs := command(1, "apply", "-auto-approve")
	planArgs := command(1, "plan", "-detailed-exitcode")
	steps := []step{
		{"apply", true, applyArgs, nil},
		{"plan (no changes)", false, planArgs, nil},
		// A debugging run: the same plan with TF_LOG=INFO, its log in a file.
		{planLogPhase, false, planArgs, []string{"TF_LOG=INFO", "TF_LOG_PATH=" + filepath.Join(limiterDir, "tf.log")}},
	}
	// The updates: one phase, or with changeToggle two (disable, enable).
	updates := []string{"update all"}
	if sc.change == changeToggle {
		updates = []string{"disable all", "enable all"}
	}
	gen := 1
	for _, name := range updates {
		gen++
		steps = append(steps, step{name, true, command(gen, "apply", "-auto-approve"), nil})
	}
	steps = append(steps, step{"destroy", true, command(gen, "destroy", "-auto-approve"), nil})
	var out []phase
	var runErr error
	for _, s := range steps {
		if sc.k > 1 && (slices.Contains(updates, s.name) || s.name == planLogPhase) {
			continue // the K scenarios measure apply, plan and destroy
		}
		p := base
		p.Phase = s.name
		if !s.writes {
			p.N = 0
		}
		log.Printf("bench: %s: %s", sc.name, s.name)
		for _, w := range ws {
			w.env = append(w.env, s.env...)
		}
		p, err := b.timed(p, ws, s.args...)
		for _, w := range ws {
			w.env = w.env[:len(w.env)-len(s.env)]
		}
		out = append(out, p)
		if err != nil {
			runErr = err
			break
		}
		if s.name == planLogPhase {
			// Terraform's floor for the same plan, measured right after it.
			f, err := b.runFloor(base, applyArgs, planArgs)
			out = append(out, f)
			if err != nil {
				runErr = err
				break
			}
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

// step is one timed command of a scenario: the phase's name, whether it
// writes every task (its bound then counts N/10), its arguments and the
// environment it adds.
type step struct {
	name   string
	writes bool
	args   []string
	env    []string
}

// planLogPhase is the no-change plan again with TF_LOG=INFO.
const planLogPhase = "plan (no changes, TF_LOG=INFO)"

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
	start := b.windowStart()
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
	w, err := b.newWorkspace("bench", true, credentialLines("", 0), sc, "ALILIVE_RATE_LIMIT_DIR="+limiterDir)
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
