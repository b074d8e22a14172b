// Command soak runs seeded random sequences of ordinary changes, faults,
// interrupts and clock advances through the real Terraform CLI against the
// emulator, and checks after every step the invariants a team that hands
// its relays to the provider relies on:
//
//   - no two live tasks share a destination URL;
//   - no output shows "inconsistent result", "unexpected new value",
//     "Provider produced invalid", a panic or a crashed plugin;
//   - no output shows the access key secret, the ingest key or any part of
//     an auth_key the configuration signed;
//   - a step without faults or interrupts succeeds.
//
// After the last step the faults stop and the workspace must converge:
// applies succeed within a bounded number of runs, the plan is empty, the
// live tasks are exactly those in the state, and destroy leaves none.
//
// Each seed draws, from its own random source, the variants of the service
// (emulator variants; sometimes all at once) and for each step one change
// of the configuration (add or remove a relay, change its callback, end
// time, playlist order, enabled or dst_url, sign or unsign its dst_url,
// toggle create_before_destroy, apply with -replace, a relay that fails on
// the service's side), then possibly a fault plan on random operations and
// kinds, a clock advance, and an interrupt: Ctrl-C once, twice, or kill -9
// at a random moment, with the writes slowed so that it lands while a call
// is in flight.
//
// Crashes. Ctrl-C twice and kill -9 end Terraform without writing the
// state; a task whose create was in flight is then unknown to the state
// (Terraform documents this for both). The next step after such a crash
// runs the same apply again, as an operator does, and follows the
// provider's advice when it names a task to import; where the resource
// already manages another task (a replacement the crash cut short), the
// operator deletes the crash's task in the console instead. Tasks the
// crash left that no resource claims are reported as crash leftovers and
// excluded from the checks; they are the only exception, and a Ctrl-C once
// must never leave one.
//
// A seed fixes the sequence and the draws, not the timing of the machine:
// a replay (make soak SEEDS=<n> STEPS=<m>) runs the same steps, and an
// interrupt lands at the same offset from the command's start.
//
// Run it through make soak, which builds the provider first; the CLI is the
// terraform on PATH (scripts/with-cli.sh provides it).
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	seedsFlag := flag.String("seeds", "1-50", "seeds to run: N, N-M, or a comma-separated list of both")
	steps := flag.Int("steps", 12, "steps per seed")
	parallel := flag.Int("parallel", 2, "seeds run at the same time")
	keep := flag.Bool("keep", false, "keep every seed's working folder (a failing seed's is always kept)")
	flag.Parse()
	log.SetFlags(0)

	seeds, err := parseSeeds(*seedsFlag)
	if err != nil {
		log.Fatalf("soak: -seeds: %v", err)
	}
	if *steps < 1 || *parallel < 1 {
		log.Fatal("soak: -steps and -parallel must be at least 1")
	}
	provider, err := filepath.Abs(filepath.Join("bin", "terraform-provider-alilive"))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := os.Stat(provider); err != nil {
		log.Fatalf("soak: %v (run make build, or make soak)", err)
	}
	if _, err := exec.LookPath("terraform"); err != nil {
		log.Fatal("soak: no terraform on PATH (run make soak, which provides one)")
	}

	start := time.Now()
	results := make([]result, len(seeds))
	var wg sync.WaitGroup
	sem := make(chan struct{}, *parallel)
	for i, seed := range seeds {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = runSeed(seed, *steps, filepath.Dir(provider), *keep)
			r := results[i]
			if r.failure != "" {
				log.Printf("seed %d: FAILED at %s: %s\n  replay: make soak SEEDS=%d STEPS=%d\n  folder: %s",
					seed, r.at, r.failure, seed, *steps, r.dir)
			} else {
				log.Printf("seed %d: clean: %d steps, %d commands, %d interrupted (%d landed, %d crashes), %d with faults, %d imports, %d deleted, %d crash leftovers; variants %s (%.0fs)",
					seed, r.steps, r.commands, r.interrupts, r.landed, r.crashes, r.faulted, r.imports, r.deleted, r.leftovers, r.variants, r.seconds)
			}
		}()
	}
	wg.Wait()

	var failed []string
	total := result{}
	for _, r := range results {
		total.steps += r.steps
		total.commands += r.commands
		total.interrupts += r.interrupts
		total.crashes += r.crashes
		total.landed += r.landed
		total.imports += r.imports
		total.deleted += r.deleted
		total.faulted += r.faulted
		total.leftovers += r.leftovers
		if r.failure != "" {
			failed = append(failed, strconv.FormatInt(r.seed, 10))
		}
	}
	fmt.Printf("soak: %d seeds x %d steps in %s: %d clean, %d failed; %d steps, %d terraform commands, %d interrupted (%d landed while Terraform ran, %d crashes), %d with faults, %d imports and %d deletions after crashes, %d crash leftovers\n",
		len(seeds), *steps, time.Since(start).Round(time.Second), len(seeds)-len(failed), len(failed),
		total.steps, total.commands, total.interrupts, total.landed, total.crashes, total.faulted, total.imports, total.deleted, total.leftovers)
	if len(failed) > 0 {
		fmt.Printf("soak: failed seeds: %s; replay: make soak SEEDS=%s STEPS=%d\n",
			strings.Join(failed, ","), strings.Join(failed, ","), *steps)
		os.Exit(1)
	}
}

// parseSeeds reads "3", "1-50" and "1-5,9,12-14".
func parseSeeds(s string) ([]int64, error) {
	var out []int64
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.ParseInt(lo, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a seed or a range of seeds", part)
		}
		b := a
		if isRange {
			if b, err = strconv.ParseInt(hi, 10, 64); err != nil || b < a {
				return nil, fmt.Errorf("%q is not a range of seeds (N-M with N <= M)", part)
			}
		}
		for v := a; v <= b; v++ {
			out = append(out, v)
		}
	}
	return out, nil
}

// result is what one seed did.
type result struct {
	seed                                 int64
	variants                             string
	steps, commands, interrupts, crashes int
	landed                               int // interrupts sent while Terraform ran
	imports                              int // imports the provider's advice asked for after a crash
	deleted                              int // tasks a crash left that the driver deleted as an operator would
	faulted, leftovers                   int
	failure, at, dir                     string
	seconds                              float64
}
