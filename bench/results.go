package main

import (
	"encoding/json"
	"log"
	"os"
	"path/filepath"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// phase is one timed terraform command (or K of them at once).
type phase struct {
	Scenario    string `json:"scenario"`
	Phase       string `json:"phase"`
	N           int    `json:"n"` // tasks written by the phase (all processes)
	Processes   int    `json:"processes"`
	Parallelism int    `json:"parallelism"`
	Limiter     bool   `json:"client_limiter"`
	Shared      bool   `json:"shared_limiter"`
	// Running and Change are the scenario's (scenario.running,
	// scenario.change): whether the relays ran, and what the update
	// phases change.
	Running bool   `json:"running,omitempty"`
	Change  string `json:"change,omitempty"`

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

// qps is the emulator's (and the service's) limit per operation.
const qps = emulator.DefaultQPS
