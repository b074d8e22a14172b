// The flaky variant's draws, and the playback position they advance.

package emulator

import (
	mrand "math/rand/v2"
	"time"
)

// Flaky timing on the emulator clock: a running task fails after a
// uniformly drawn 10 to 30 minutes; each file of a playlist plays for a
// nominal 10 minutes.
const (
	flakyMinRun    = 10 * time.Minute
	flakyMaxRun    = 30 * time.Minute
	nominalFileSec = 600
)

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
