package main

import (
	"reflect"
	"testing"
)

func TestParseScenario(t *testing.T) {
	cases := []struct {
		in   string
		want scenario
	}{
		{"n100", scenario{name: "n100", n: 100, k: 1, parallelism: 10, limiter: true, shared: true, change: changeCallback}},
		{"n100-endtime", scenario{name: "n100-endtime", n: 100, k: 1, parallelism: 10, limiter: true, shared: true, change: changeEndTime}},
		{"n1000-running-playlist:1", scenario{name: "n1000-running-playlist", runs: 1, n: 1000, k: 1, parallelism: 20, limiter: true,
			shared: true, running: true, change: changePlaylist}},
		{"n100-p5-running-toggle", scenario{name: "n100-p5-running-toggle", n: 100, k: 1, parallelism: 5, limiter: true, shared: true,
			running: true, change: changeToggle}},
	}
	for _, c := range cases {
		got, err := parseScenario(c.in)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("parseScenario(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	for in, want := range map[string]string{
		"n100-toggle": `scenario "n100-toggle": -toggle needs -running (the service cannot stop a task before it starts)`,
		"n100-playlist-running": `unknown scenario "n100-playlist-running" (n<N>[-p<P>][-nolimiter][-running][-endtime|-playlist|-toggle], ` +
			`k<K>x<T>[-noshare|-role|-users], among1000)`,
	} {
		if _, err := parseScenario(in); err == nil || err.Error() != want {
			t.Errorf("parseScenario(%q) error = %v, want %q", in, err, want)
		}
	}
}

func TestCallsTarget(t *testing.T) {
	p := phase{Scenario: "n100-running-endtime", Phase: "update all", N: 100, Processes: 1, Running: true, Change: changeEndTime,
		Calls: map[string]int{opStop: 100, opUpdate: 100, opRestart: 100, opDescribe: 100, "DescribeLivePullToPushList": 3}}
	got, ok := callsTarget(p)
	want := target{Name: "n100-running-endtime update all: exactly Describe=100 Restart=100 Stop=100 Update=100 (listings not pinned)",
		Met: true, Detail: "Describe=100 DescribeList=3 Restart=100 Stop=100 Update=100"}
	if !ok || got != want {
		t.Errorf("callsTarget = %+v, %v; want %+v", got, ok, want)
	}
	// A second read of each task misses the target.
	p.Calls[opDescribe] = 200
	if got, _ := callsTarget(p); got.Met {
		t.Errorf("callsTarget with 200 Describe calls is met: %+v", got)
	}
	// Idle tasks take end_time without a stop.
	idle := phase{Scenario: "n100-endtime", Phase: "update all", N: 100, Processes: 1, Change: changeEndTime}
	if want, _ := expectedCalls(idle); !reflect.DeepEqual(want, map[string]int{opCreate: 0, opDescribe: 100, opUpdate: 100,
		opStop: 0, opRestart: 0, opDelete: 0}) {
		t.Errorf("expectedCalls(idle end_time) = %v", want)
	}
	// Several workspaces at once and phases that write nothing pin nothing.
	for _, p := range []phase{{Phase: "apply", N: 200, Processes: 5}, {Phase: "plan (no changes)", Processes: 1}} {
		if _, ok := callsTarget(p); ok {
			t.Errorf("callsTarget(%+v) pins calls", p)
		}
	}
}

func TestMemoryTarget(t *testing.T) {
	phases := []phase{
		{Scenario: "n1000", Phase: "apply", N: 1000, Processes: 1, PeakRSSMB: 56},
		{Scenario: "n1000", Phase: "plan (no changes)", Processes: 1, PeakRSSMB: 101},
		{Scenario: "n100", Phase: "apply", N: 100, Processes: 1, PeakRSSMB: 150},
	}
	got, ok := memoryTarget(phases, phases[0])
	if want := (target{Name: "n1000 apply: provider at most 100 MB", Met: true, Detail: "56 MB"}); !ok || got != want {
		t.Errorf("memoryTarget(apply) = %+v, %v; want %+v", got, ok, want)
	}
	if got, ok := memoryTarget(phases, phases[1]); !ok || got.Met || got.Detail != "101 MB" {
		t.Errorf("memoryTarget(plan of 101 MB) = %+v, %v; want missed", got, ok)
	}
	if _, ok := memoryTarget(phases, phases[2]); ok {
		t.Error("memoryTarget pins a scenario of 100 tasks")
	}
}
