package emulator

import (
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"time"
)

// Task statuses (TaskStatus on the wire).
const (
	StatusIdle       int32 = 0
	StatusRunning    int32 = 1
	StatusRecovering int32 = 2
	StatusStopped    int32 = 3
	StatusExited     int32 = -1
)

// Reasons used by the emulator.
const (
	ReasonPullStreamFailed  = "PullStreamFailed"
	ReasonPushStreamFailed  = "PushStreamFailed"
	ReasonUnknownError      = "UnknownError"
	ReasonTriggerByUser     = "TriggerByUser"
	ReasonRetryTimesOffline = "RetryTimesOffline"
	ReasonOverEndTime       = "OverEndTime"
)

// timeLayout is the only time format accepted and produced on the wire.
const timeLayout = "2006-01-02T15:04:05Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// parseWireTime accepts exactly yyyy-MM-ddTHH:mm:ssZ.
func parseWireTime(s string) (time.Time, bool) {
	if len(s) != len(timeLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil || t.Format(timeLayout) != s {
		return time.Time{}, false
	}
	return t, true
}

// task is one stored task. Fields are exported for the state file.
type task struct {
	ID               string    `json:"id"`
	Account          string    `json:"account"`
	Region           string    `json:"region"`
	Seq              uint64    `json:"seq"`
	Name             string    `json:"name"`
	Start            time.Time `json:"start"`
	End              time.Time `json:"end"`
	SourceType       string    `json:"sourceType"`
	SourceProtocol   string    `json:"sourceProtocol"`
	SourceUrls       []string  `json:"sourceUrls"`
	DstUrl           string    `json:"dstUrl"`
	CallbackURL      string    `json:"callbackUrl"`
	RepeatNumber     int32     `json:"repeatNumber"`
	FileIndex        int32     `json:"fileIndex"`
	Offset           int32     `json:"offset"`
	RetryCount       int32     `json:"retryCount"`
	RetryInterval    int32     `json:"retryInterval"`
	Status           int32     `json:"status"`
	InvalidReason    string    `json:"invalidReason"`
	CurrentFileIndex int32     `json:"currentFileIndex"`
	CurrentOffset    int32     `json:"currentOffset"`
	FailedAt         time.Time `json:"failedAt"`
	Created          time.Time `json:"created"`

	// ProtocolAsSent is SourceProtocol in the spelling it was created with.
	ProtocolAsSent string `json:"protocolAsSent,omitempty"`
	// ExitReason and ExitedAt describe an exited task (exited-visible), or
	// an exit reason set out of band.
	ExitReason string    `json:"exitReason,omitempty"`
	ExitedAt   time.Time `json:"exitedAt"`
	// Cause, NextRetry, Retries and RecoverTick drive a recovering task.
	Cause       string    `json:"cause,omitempty"`
	NextRetry   time.Time `json:"nextRetry"`
	Retries     int32     `json:"retries,omitempty"`
	RecoverTick int32     `json:"recoverTick,omitempty"`
	// FailAt is the next flaky failure of a running task; Failures counts them.
	FailAt   time.Time `json:"failAt"`
	Failures int       `json:"failures,omitempty"`
	// RunningSince is when the current playback began (flaky positions).
	RunningSince time.Time `json:"runningSince"`
	// Pending is the status a delayed Stop or Restart (async) sets at PendingAt.
	Pending   int32     `json:"pending,omitempty"`
	PendingAt time.Time `json:"pendingAt"`
}

// infoLocked is t's TaskInfo as the API shows it. s.mu must be held.
func (s *Server) infoLocked(t *task) TaskInfo {
	urls := make([]string, len(t.SourceUrls))
	copy(urls, t.SourceUrls)
	protocol := strings.ToUpper(t.SourceProtocol)
	if s.on(VariantProtocolAsSent) {
		protocol = t.SourceProtocol
		if t.ProtocolAsSent != "" {
			protocol = t.ProtocolAsSent
		}
	}
	return TaskInfo{
		TaskId:         t.ID,
		TaskName:       t.Name,
		StartTime:      formatTime(t.Start),
		EndTime:        formatTime(t.End),
		SourceType:     t.SourceType,
		SourceProtocol: protocol,
		SourceUrls:     urls,
		DstUrl:         t.DstUrl,
		CallbackURL:    t.CallbackURL,
		RepeatNumber:   t.RepeatNumber,
		FileIndex:      t.FileIndex,
		Offset:         t.Offset,
		RetryCount:     t.RetryCount,
		RetryInterval:  t.RetryInterval,
	}
}

// viewLocked is t in the Describe shape at now. s.mu must be held.
func (s *Server) viewLocked(t *task, now time.Time) Task {
	idx, off := s.positionLocked(t, now)
	v := Task{
		TaskId:            t.ID,
		Region:            t.Region,
		TaskStatus:        t.Status,
		TaskInvalidReason: t.InvalidReason,
		TaskExitReason:    t.ExitReason,
		CurrentFileIndex:  idx,
		CurrentOffset:     off,
		TaskInfo:          s.infoLocked(t),
	}
	if t.Status == StatusExited {
		v.TaskExitTime = int32(t.ExitedAt.Unix())
	}
	return v
}

// retryDeadline is when a recovering task gives up.
func (t *task) retryDeadline() time.Time {
	return t.FailedAt.Add(time.Duration(t.RetryCount) * time.Duration(t.RetryInterval) * time.Second)
}

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

// newTaskID returns a random UUID-shaped identifier (version 4 layout).
func newTaskID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// newRequestID returns an upper-case UUID-shaped request ID (not secret,
// so the fast non-cryptographic generator is enough).
func newRequestID() string {
	const digits = "0123456789ABCDEF"
	var out [36]byte
	hi, lo := mrand.Uint64(), mrand.Uint64()
	j := 0
	for i := range 32 {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			out[j] = '-'
			j++
		}
		var nib uint64
		if i < 16 {
			nib = hi >> (60 - 4*uint(i)) & 0xf
		} else {
			nib = lo >> (60 - 4*uint(i-16)) & 0xf
		}
		out[j] = digits[nib]
		j++
	}
	return string(out[:])
}

// event is a lifecycle change that produces a callback.
type event struct {
	url     string
	payload CallbackPayload
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
