// The lifecycle engine: the transitions of every task in time order, the
// callbacks they queue, and the task table they change.

package emulator

import (
	"fmt"
	"time"
)

// eventKind is the kind of a due lifecycle transition.
type eventKind int

const (
	evForget  eventKind = iota // an exited task's retention ends
	evEnd                      // EndTime
	evPending                  // a delayed Stop or Restart takes effect
	evStart                    // StartTime (plus the async delay)
	evRetry                    // a recovering task retries
	evFail                     // a flaky failure
)

// startAtLocked is when an idle task starts: StartTime, or its creation
// for a task created after StartTime, plus the async delay.
func (s *Server) startAtLocked(t *task) time.Time {
	at := t.Start
	if at.Before(t.Created) {
		at = t.Created
	}
	if s.on(VariantAsync) {
		at = at.Add(s.asyncDelay)
	}
	return at
}

// nextEventLocked is the earliest transition of t and its kind. On a tie
// the end of the window wins, then a delayed Stop or Restart.
func (s *Server) nextEventLocked(t *task) (time.Time, eventKind) {
	if t.Status == StatusExited {
		return t.ExitedAt.Add(s.exitRetention), evForget
	}
	next, kind := t.End, evEnd
	consider := func(at time.Time, k eventKind) {
		if !at.IsZero() && at.Before(next) {
			next, kind = at, k
		}
	}
	consider(t.PendingAt, evPending)
	switch t.Status {
	case StatusIdle:
		consider(s.startAtLocked(t), evStart)
	case StatusRecovering:
		consider(t.NextRetry, evRetry)
	case StatusRunning:
		consider(t.FailAt, evFail)
	}
	return next, kind
}

// applyLocked applies every lifecycle transition due at now, across all
// tasks in time order (a transition of one task can change another's: a
// destination freed by a stop heals a conflict). It returns whether
// anything changed. s.mu must be held.
func (s *Server) applyLocked(now time.Time) bool {
	if s.nextDue.IsZero() || now.Before(s.nextDue) {
		return false
	}
	changed := false
	for {
		var first *task
		var due time.Time
		var kind eventKind
		for _, t := range s.order {
			at, k := s.nextEventLocked(t)
			if !now.Before(at) && (first == nil || at.Before(due)) {
				first, due, kind = t, at, k
			}
		}
		if first == nil {
			break
		}
		changed = true
		s.stepLocked(first, due, kind)
	}
	s.recomputeDueLocked()
	return changed
}

// stepLocked applies one transition of t due at due. Every transition
// moves t's next event past due or removes t.
func (s *Server) stepLocked(t *task, due time.Time, kind eventKind) {
	switch kind {
	case evForget:
		s.removeLocked(t)
	case evEnd:
		s.exitLocked(t, ReasonOverEndTime, t.End)
	case evPending:
		p := t.Pending
		t.Pending, t.PendingAt = 0, time.Time{}
		if p == StatusStopped {
			s.stopNowLocked(t, due)
		} else {
			s.runLocked(t, due, true)
		}
	case evStart:
		s.runLocked(t, due, true)
	case evRetry:
		s.retryLocked(t, due)
	case evFail:
		reason, tick := s.flakyFailure(t)
		s.failLocked(t, due, reason, causeFlaky)
		t.RecoverTick = tick
	}
}

// runLocked makes t run from at: status 1, no reason, playback from
// FileIndex/Offset when reset (a start or restart) or on from where it
// stopped (a recovery). A task that cannot relay fails at once.
func (s *Server) runLocked(t *task, at time.Time, reset bool) {
	t.Status = StatusRunning
	t.InvalidReason, t.ExitReason, t.Cause = "", "", ""
	t.FailedAt, t.NextRetry, t.FailAt = time.Time{}, time.Time{}, time.Time{}
	t.Retries, t.RecoverTick = 0, 0
	if reset {
		t.CurrentFileIndex, t.CurrentOffset = t.FileIndex, t.Offset
	}
	t.RunningSince = at
	if s.on(VariantFlaky) {
		s.scheduleFailureLocked(t, at)
	}
	s.statusEventLocked(t, at, "")
	if reason, cause := s.startFailureLocked(t, at); reason != "" {
		s.failLocked(t, at, reason, cause)
	}
}

// failLocked makes a running task recover from a failure that happened at
// at: status 2 with the reason, a retry every RetryInterval seconds, and
// offline after RetryCount retries unless the cause heals first.
func (s *Server) failLocked(t *task, at time.Time, reason, cause string) {
	s.freezePositionLocked(t, at)
	t.Status = StatusRecovering
	t.InvalidReason, t.Cause = reason, cause
	t.FailedAt, t.FailAt = at, time.Time{}
	t.Retries, t.RecoverTick = 0, 0
	if cause == causeFlaky {
		t.Failures++
	}
	t.NextRetry = at
	if t.RetryCount > 0 {
		t.NextRetry = at.Add(time.Duration(t.RetryInterval) * time.Second)
	}
	s.statusEventLocked(t, at, "")
}

// retryLocked is one retry of a recovering task: it runs again when the
// cause is gone, goes offline (keeping its reason) after the last retry,
// and otherwise waits for the next one.
func (s *Server) retryLocked(t *task, at time.Time) {
	if t.RetryCount > 0 {
		t.Retries++
	}
	switch {
	case s.healedLocked(t, at):
		s.runLocked(t, at, false)
	case !at.Before(t.retryDeadline()):
		t.Status = StatusStopped
		t.NextRetry, t.Cause = time.Time{}, ""
		s.statusEventLocked(t, at, ReasonRetryTimesOffline)
	default:
		t.NextRetry = at.Add(time.Duration(t.RetryInterval) * time.Second)
	}
}

// stopNowLocked stops t at at (a Stop by the user).
func (s *Server) stopNowLocked(t *task, at time.Time) {
	s.freezePositionLocked(t, at)
	t.Status = StatusStopped
	t.InvalidReason, t.Cause = "", ""
	t.FailedAt, t.NextRetry, t.FailAt = time.Time{}, time.Time{}, time.Time{}
	s.statusEventLocked(t, at, ReasonTriggerByUser)
}

// recomputeDueLocked refreshes the earliest pending transition.
func (s *Server) recomputeDueLocked() {
	var next time.Time
	for _, t := range s.order {
		if e, _ := s.nextEventLocked(t); next.IsZero() || e.Before(next) {
			next = e
		}
	}
	s.nextDue = next
}

// exitLocked ends t (EndTime passed, or deleted) and queues its exit
// callback. With exited-visible it stays visible with status -1 for the
// retention period; otherwise it is removed at once.
func (s *Server) exitLocked(t *task, reason string, at time.Time) {
	if t.CallbackURL != "" {
		info := s.infoLocked(t)
		s.queueCallbackLocked(t.ID, t.CallbackURL, CallbackPayload{
			Event:          EventExit,
			EventTime:      fmt.Sprint(at.Unix()),
			TaskId:         t.ID,
			TaskStatus:     StatusExited,
			TaskInfo:       &info,
			TaskExitReason: reason,
			TaskExitTime:   at.Unix(),
		})
	}
	if !s.on(VariantExitedVisible) {
		s.removeLocked(t)
		return
	}
	s.freezePositionLocked(t, at)
	t.Status = StatusExited
	t.ExitReason, t.ExitedAt = reason, at
	t.InvalidReason, t.Cause = "", ""
	t.FailedAt, t.NextRetry, t.FailAt = time.Time{}, time.Time{}, time.Time{}
	t.Pending, t.PendingAt = 0, time.Time{}
}

// removeLocked forgets t.
func (s *Server) removeLocked(t *task) {
	delete(s.tasks, t.ID)
	for i, o := range s.order {
		if o == t {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
}

// statusEventLocked queues a status-change callback for t's current status.
// offlineReason is the callback's TaskInvalidReason for status 3.
func (s *Server) statusEventLocked(t *task, at time.Time, offlineReason string) {
	if t.CallbackURL == "" {
		return
	}
	info := s.infoLocked(t)
	p := CallbackPayload{
		Event:      EventRunning,
		EventTime:  fmt.Sprint(at.Unix()),
		TaskId:     t.ID,
		TaskStatus: t.Status,
		TaskInfo:   &info,
	}
	switch t.Status {
	case StatusRecovering:
		p.TaskInvalidReason = t.InvalidReason
	case StatusStopped:
		p.TaskInvalidReason = offlineReason
	}
	s.queueCallbackLocked(t.ID, t.CallbackURL, p)
}

// queueCallbackLocked hands a callback to the dispatcher.
func (s *Server) queueCallbackLocked(taskID, url string, p CallbackPayload) {
	s.cb.enqueue(taskID, event{url: url, payload: p})
}

// insertLocked stores a new task.
func (s *Server) insertLocked(t *task) {
	s.seq++
	t.Seq = s.seq
	s.tasks[t.ID] = t
	s.order = append(s.order, t)
	if e, _ := s.nextEventLocked(t); s.nextDue.IsZero() || e.Before(s.nextDue) {
		s.nextDue = e
	}
}

// lookupLocked finds a task of account in region.
func (s *Server) lookupLocked(account, region, id string) *task {
	t, ok := s.tasks[id]
	if !ok || t.Account != account || t.Region != region {
		return nil
	}
	return t
}

// countLocked is the number of tasks of an account that have not exited.
func (s *Server) countLocked(account string) int {
	n := 0
	for _, t := range s.order {
		if t.Account == account && t.Status != StatusExited {
			n++
		}
	}
	return n
}
