package main

import (
	"cmp"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// defaultScenarios are every change at 100 tasks (BENCH_RUNS times) and at
// 1,000 (once each), five workspaces at once four ways, and one task among
// 1,000: about an hour on two cores.
const defaultScenarios = "n100,n100-endtime,n100-running-endtime,n100-running-playlist,n100-running-toggle," +
	"n1000:1,n1000-endtime:1,n1000-running-endtime:1,n1000-running-playlist:1,n1000-running-toggle:1," +
	"k5x40,k5x40-noshare,k5x40-role,k5x40-users,among1000"

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
	// auth is how the k workspaces authenticate: "" the emulator's default
	// key in every one; "role" assume_role with that key as source (each
	// process gets its own temporary keys of one account); "users" two RAM
	// users' keys of one account, alternating.
	auth string
	// running starts every task at once (start_time a minute before the
	// apply), so the changes are made to running relays; otherwise every
	// task stays idle (start_time an hour ahead).
	running bool
	// change is what the update phase changes in every task: changeCallback
	// (callback_url, which the service takes in any state), changeEndTime
	// (end_time moved by an hour: stop, update, restart of a running task
	// under the strictest reading), changePlaylist (a new source_urls list:
	// the same for a running task) or changeToggle (enabled = false, then
	// true again: two phases; running tasks only).
	change string
}

// The changes of an update phase (scenario.change).
const (
	changeCallback = "callback"
	changeEndTime  = "endtime"
	changePlaylist = "playlist"
	changeToggle   = "toggle"
)

var (
	nRe = regexp.MustCompile(`^n(\d+)(?:-p(\d+))?(-nolimiter)?(-running)?(?:-(endtime|playlist|toggle))?$`)
	kRe = regexp.MustCompile(`^k(\d+)x(\d+)(-noshare|-role|-users)?$`)
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
		sc := scenario{name: s, n: n, k: 1, parallelism: p, limiter: m[3] == "", shared: true, running: m[4] != "",
			change: cmp.Or(m[5], changeCallback)}
		if sc.change == changeToggle && !sc.running {
			return scenario{}, fmt.Errorf("scenario %q: -toggle needs -running (the service cannot stop a task before it starts)", s)
		}
		return sc, nil
	}
	if m := kRe.FindStringSubmatch(s); m != nil {
		k, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		return scenario{name: s, n: n, k: k, parallelism: 10, limiter: true, shared: m[3] != "-noshare",
			auth: strings.TrimPrefix(m[3], "-")}, nil
	}
	return scenario{}, fmt.Errorf("unknown scenario %q (n<N>[-p<P>][-nolimiter][-running][-endtime|-playlist|-toggle], k<K>x<T>[-noshare|-role|-users], among1000)", s)
}
