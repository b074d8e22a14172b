package emulator

import (
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Variant names one reading of the service's documentation where the
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

// Flaky timing on the emulator clock: a running task fails after a
// uniformly drawn 10 to 30 minutes; each file of a playlist plays for a
// nominal 10 minutes.
const (
	flakyMinRun    = 10 * time.Minute
	flakyMaxRun    = 30 * time.Minute
	nominalFileSec = 600
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

// SetVariants replaces the active variants (nil or empty: the default
// reading). It fails on an unknown name and then changes nothing.
// Tasks keep their status; the new readings apply from the next
// transition or call on.
func (s *Server) SetVariants(vs []Variant) error {
	set, err := newVariantSet(vs)
	if err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	s.variants = set
	for _, t := range s.order {
		if t.Status == StatusRunning && set[VariantFlaky] && t.FailAt.IsZero() {
			s.scheduleFailureLocked(t, now)
		}
		if !set[VariantFlaky] {
			t.FailAt = time.Time{}
		}
	}
	s.recomputeDueLocked()
	return nil
}

// Variants returns the active variants in the order of AllVariants.
func (s *Server) Variants() []Variant {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.variants.list()
}

// on reports whether a variant is active. s.mu must be held.
func (s *Server) on(v Variant) bool { return s.variants[v] }

// Causes of a recovering task's failure: they decide whether it heals.
const (
	causeManual      = ""            // FailTask or PatchTask: goes offline after its retries
	causeSource      = "source"      // a source host under .invalid
	causeDestination = "destination" // the destination host under .invalid
	causeConflict    = "conflict"    // another running task pushes to DstUrl
	causeFlaky       = "flaky"       // drawn by the flaky variant
	causePushAuth    = "push-auth"   // the destination host's ingest key rejects DstUrl
)

// invalidHost reports whether raw is a URL whose host lies in the
// reserved .invalid domain (RFC 2606), which never resolves.
func invalidHost(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	return h == "invalid" || strings.HasSuffix(h, ".invalid")
}

// startFailureLocked says why t cannot relay when it starts running at
// at: a source or destination host under .invalid, a destination host
// with an ingest key and no valid auth_key in DstUrl, or, with
// dst-conflict-at-runtime, another running task pushing to its DstUrl.
func (s *Server) startFailureLocked(t *task, at time.Time) (reason, cause string) {
	for _, u := range t.SourceUrls {
		if invalidHost(u) {
			return ReasonPullStreamFailed, causeSource
		}
	}
	if invalidHost(t.DstUrl) {
		return ReasonPushStreamFailed, causeDestination
	}
	if s.pushAuthRejectsLocked(t, at) {
		return ReasonPushStreamFailed, causePushAuth
	}
	if s.on(VariantDstConflictAtRuntime) && s.dstTakenLocked(t) {
		return ReasonPushStreamFailed, causeConflict
	}
	return "", ""
}

// dstTakenLocked reports whether another running task of t's account
// pushes to t's DstUrl.
func (s *Server) dstTakenLocked(t *task) bool {
	for _, o := range s.order {
		if o != t && o.Account == t.Account && o.Status == StatusRunning && o.DstUrl == t.DstUrl {
			return true
		}
	}
	return false
}

// healedLocked reports whether the cause of a recovering task's failure
// is gone at its current retry, at.
func (s *Server) healedLocked(t *task, at time.Time) bool {
	switch t.Cause {
	case causeSource, causeDestination, causePushAuth:
		reason, _ := s.startFailureLocked(t, at)
		return reason == ""
	case causeConflict:
		return !s.dstTakenLocked(t)
	case causeFlaky:
		return t.RecoverTick > 0 && t.Retries == t.RecoverTick
	}
	return false
}

// rng is the flaky variant's random source for one draw about t: a pure
// function of the seed, the task's creation number and how often it failed,
// so a run replays exactly.
func (s *Server) rng(t *task, salt uint64) *mrand.Rand {
	return mrand.New(mrand.NewPCG(uint64(s.flakySeed), t.Seq<<20|uint64(t.Failures)<<4|salt))
}

// scheduleFailureLocked draws when a task that runs from at fails next.
func (s *Server) scheduleFailureLocked(t *task, at time.Time) {
	span := int64((flakyMaxRun - flakyMinRun) / time.Second)
	t.FailAt = at.Add(flakyMinRun + time.Duration(s.rng(t, 1).Int64N(span+1))*time.Second)
}

// flakyFailure draws the reason of a flaky failure and the retry at which
// the task recovers (RetryCount+1: it does not, and goes offline).
func (s *Server) flakyFailure(t *task) (reason string, recoverTick int32) {
	r := s.rng(t, 2)
	reason = ReasonPullStreamFailed
	if r.IntN(2) == 1 {
		reason = ReasonPushStreamFailed
	}
	return reason, 1 + int32(r.Int64N(int64(max(t.RetryCount, 0))+1))
}

// positionLocked is the playback position of t at now: with the flaky
// variant a running vod or url task moves on by one second per second,
// each file playing for a nominal 10 minutes (the first from Offset) and
// the list starting over after its last file; otherwise the stored values.
func (s *Server) positionLocked(t *task, now time.Time) (fileIndex, offset int32) {
	if !s.on(VariantFlaky) || t.Status != StatusRunning || t.SourceType == "live" || len(t.SourceUrls) == 0 ||
		t.RunningSince.IsZero() || !now.After(t.RunningSince) {
		return t.CurrentFileIndex, t.CurrentOffset
	}
	elapsed := int64(now.Sub(t.RunningSince) / time.Second)
	idx, off := int64(t.CurrentFileIndex), int64(t.CurrentOffset)
	rest := int64(nominalFileSec) - off
	if rest <= 0 {
		rest = nominalFileSec
	}
	if elapsed < rest {
		return int32(idx), int32(off + elapsed)
	}
	elapsed -= rest
	n := int64(len(t.SourceUrls))
	idx = (idx + 1 + elapsed/nominalFileSec) % n
	return int32(idx), int32(elapsed % nominalFileSec)
}

// freezePositionLocked stores the playback position when t stops playing.
func (s *Server) freezePositionLocked(t *task, at time.Time) {
	t.CurrentFileIndex, t.CurrentOffset = s.positionLocked(t, at)
	t.RunningSince = time.Time{}
}

// omitEmpty re-encodes a response body without the optional keys that are
// empty ("" or 0), as the omit-empty variant answers. keep lists the keys
// that stay whatever their value; TaskInfo objects (also inside TaskList)
// are pruned the same way.
func omitEmpty(body any) (map[string]any, error) {
	data, err := marshal(body)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	pruneTask(m)
	if list, ok := m["TaskList"].([]any); ok {
		for _, e := range list {
			if tm, ok := e.(map[string]any); ok {
				pruneTask(tm)
			}
		}
	}
	return m, nil
}

// optionalTaskKeys are the keys of a task and of its TaskInfo that the
// documentation marks as returned only in some states, or that carry an
// optional request parameter.
var optionalTaskKeys = []string{
	"TaskInvalidReason", "TaskExitReason", "TaskExitTime", "CurrentFileIndex", "CurrentOffset",
	"TaskName", "SourceProtocol", "CallbackURL", "RepeatNumber", "FileIndex", "Offset", "RetryCount",
}

func pruneTask(m map[string]any) {
	prune := func(obj map[string]any) {
		for _, k := range optionalTaskKeys {
			switch v := obj[k].(type) {
			case string:
				if v == "" {
					delete(obj, k)
				}
			case float64:
				if v == 0 {
					delete(obj, k)
				}
			}
		}
	}
	if _, isTask := m["TaskStatus"]; isTask {
		prune(m)
	}
	if info, ok := m["TaskInfo"].(map[string]any); ok {
		prune(info)
	}
}
