package emulator

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Variant names one variant of the service's documentation where the
// documentation contradicts itself or is silent. The default emulator
// implements the strictest reading; each variant switches one place to
// another documented reading, so that clients can be tested against every
// one of them. The package documentation lists where each comes from.
type Variant string

// The variants, in the order of the package documentation.
const (
	// VariantExitedVisible keeps an ended or deleted task visible with
	// TaskStatus -1, TaskExitReason and TaskExitTime for Options.ExitRetention.
	VariantExitedVisible Variant = "exited-visible"
	// VariantUpdateIgnored answers an Update of a field the task's status
	// does not allow with success and changes nothing.
	VariantUpdateIgnored Variant = "update-ignored"
	// VariantEndTimeWhileRunning lets EndTime change on a running task.
	VariantEndTimeWhileRunning Variant = "endtime-while-running"
	// VariantCallbackUnclearable ignores an empty CallbackUrl in Update.
	VariantCallbackUnclearable Variant = "callback-unclearable"
	// VariantDstConflictAtRuntime accepts a DstUrl already in use at Create;
	// the task that starts later fails with PushStreamFailed.
	VariantDstConflictAtRuntime Variant = "dst-conflict-at-runtime"
	// VariantRestartNewID gives a restarted task a new TaskId.
	VariantRestartNewID Variant = "restart-new-id"
	// VariantStopIdleNoop answers Stop of a task that has not started with
	// success and changes nothing.
	VariantStopIdleNoop Variant = "stop-idle-noop"
	// VariantOmitEmpty leaves empty optional fields out of Describe and List.
	VariantOmitEmpty Variant = "omit-empty"
	// VariantProtocolAsSent echoes SourceProtocol exactly as it was created.
	VariantProtocolAsSent Variant = "protocol-as-sent"
	// VariantFlaky makes running tasks fail and recover by themselves and
	// advances their playback position.
	VariantFlaky Variant = "flaky"
	// VariantAsync applies the start, Stop and Restart after Options.AsyncDelay.
	VariantAsync Variant = "async"
)

// AllVariants lists every variant, in the order of the package documentation.
var AllVariants = []Variant{
	VariantExitedVisible, VariantUpdateIgnored, VariantEndTimeWhileRunning, VariantCallbackUnclearable,
	VariantDstConflictAtRuntime, VariantRestartNewID, VariantStopIdleNoop, VariantOmitEmpty,
	VariantProtocolAsSent, VariantFlaky, VariantAsync,
}

// Defaults of the variants' Options.
const (
	DefaultExitRetention = 10 * time.Minute
	DefaultAsyncDelay    = time.Second
	DefaultFlakySeed     = 1
)

// ParseVariants reads the -variant syntax: names separated by commas,
// "all" for every variant, "" or "default" for none. Names are
// case-insensitive; repeats are ignored. The result keeps the order of
// AllVariants.
func ParseVariants(s string) ([]Variant, error) {
	set := map[Variant]bool{}
	for _, name := range strings.Split(s, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		switch name {
		case "", "default":
			continue
		case "all":
			for _, v := range AllVariants {
				set[v] = true
			}
			continue
		}
		if !slices.Contains(AllVariants, Variant(name)) {
			return nil, fmt.Errorf("unknown variant %q; known variants: %s, or all", name, variantList(AllVariants))
		}
		set[Variant(name)] = true
	}
	out := []Variant{}
	for _, v := range AllVariants {
		if set[v] {
			out = append(out, v)
		}
	}
	return out, nil
}

func variantList(vs []Variant) string {
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = string(v)
	}
	return strings.Join(names, ", ")
}

// variantSet is the set of active variants.
type variantSet map[Variant]bool

func newVariantSet(vs []Variant) (variantSet, error) {
	set := variantSet{}
	for _, v := range vs {
		if !slices.Contains(AllVariants, v) {
			return nil, fmt.Errorf("unknown variant %q; known variants: %s", v, variantList(AllVariants))
		}
		set[v] = true
	}
	return set, nil
}

func (vs variantSet) list() []Variant {
	out := []Variant{}
	for _, v := range AllVariants {
		if vs[v] {
			out = append(out, v)
		}
	}
	return out
}
