package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The operations whose calls a phase pins (every one but the listing,
// whose count depends on how reads fall into listings and is only
// reported).
const (
	opCreate   = "CreateLivePullToPush"
	opDescribe = "DescribeLivePullToPush"
	opUpdate   = "UpdateLivePullToPush"
	opStop     = "StopLivePullToPush"
	opRestart  = "RestartLivePullToPush"
	opDelete   = "DeleteLivePullToPush"
)

// expectedCalls is how many calls of each operation but the listing a
// writing phase of one workspace makes, exactly: each task is written as
// its change needs and read once with DescribeLivePullToPush, after its
// last write; the reads before an update, where one is needed, come from
// listings. ok is false for a phase that pins nothing.
func expectedCalls(p phase) (want map[string]int, ok bool) {
	if p.Processes != 1 || p.N == 0 {
		return nil, false
	}
	n := p.N
	want = map[string]int{opCreate: 0, opDescribe: 0, opUpdate: 0, opStop: 0, opRestart: 0, opDelete: 0}
	switch p.Phase {
	case "apply":
		want[opCreate], want[opDescribe] = n, n
	case "update all":
		want[opUpdate], want[opDescribe] = n, n
		if p.Running && (p.Change == changeEndTime || p.Change == changePlaylist) {
			// The strictest reading: a running task takes neither change,
			// so each is stopped, updated and restarted.
			want[opStop], want[opRestart] = n, n
		}
	case "disable all":
		want[opStop], want[opDescribe] = n, n
	case "enable all":
		want[opRestart], want[opDescribe] = n, n
	case "destroy":
		want[opDelete] = n
	default:
		return nil, false
	}
	return want, true
}

// callsTarget checks a phase's calls against expectedCalls.
func callsTarget(p phase) (target, bool) {
	want, ok := expectedCalls(p)
	if !ok {
		return target{}, false
	}
	var wantText []string
	met := true
	for _, op := range slices.Sorted(maps.Keys(want)) {
		if want[op] > 0 {
			wantText = append(wantText, fmt.Sprintf("%s=%d", strings.Replace(op, "LivePullToPush", "", 1), want[op]))
		}
		met = met && p.Calls[op] == want[op]
	}
	return target{
		Name:   fmt.Sprintf("%s %s: exactly %s (listings not pinned)", p.Scenario, p.Phase, strings.Join(wantText, " ")),
		Met:    met && p.ExitCode == 0,
		Detail: byOp(p.Calls),
	}, true
}

// maxProviderMB is the most resident memory a provider process may take in
// any phase of a workspace of 1,000 tasks or more.
const maxProviderMB = 100

// memoryTarget checks the provider's peak memory in phase p of a
// one-workspace scenario of at least 1,000 tasks.
func memoryTarget(phases []phase, p phase) (target, bool) {
	if p.Processes != 1 || p.PeakRSSMB == 0 || phaseNamed(phases, p.Scenario, "apply").N < 1000 {
		return target{}, false
	}
	return target{
		Name:   fmt.Sprintf("%s %s: provider at most %d MB", p.Scenario, p.Phase, maxProviderMB),
		Met:    p.PeakRSSMB <= maxProviderMB,
		Detail: fmt.Sprintf("%.0f MB", p.PeakRSSMB),
	}, true
}
