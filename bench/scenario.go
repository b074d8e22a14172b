package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

const defaultScenarios = "n100,n1000,k5x40,k5x40-noshare,k5x40-role,k5x40-users,among1000"

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
	// endTime makes the update phase move every task's end_time by an hour
	// (an update that relies on the task's status) instead of changing its
	// callback_url.
	endTime bool
}

var (
	nRe = regexp.MustCompile(`^n(\d+)(?:-p(\d+))?(-nolimiter)?(-endtime)?$`)
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
		return scenario{name: s, n: n, k: 1, parallelism: p, limiter: m[3] == "", shared: true, endTime: m[4] != ""}, nil
	}
	if m := kRe.FindStringSubmatch(s); m != nil {
		k, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		return scenario{name: s, n: n, k: k, parallelism: 10, limiter: true, shared: m[3] != "-noshare",
			auth: strings.TrimPrefix(m[3], "-")}, nil
	}
	return scenario{}, fmt.Errorf("unknown scenario %q (n<N>[-p<P>][-nolimiter][-endtime], k<K>x<T>[-noshare|-role|-users], among1000)", s)
}
