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
}

func (t *task) info() TaskInfo {
	urls := make([]string, len(t.SourceUrls))
	copy(urls, t.SourceUrls)
	return TaskInfo{
		TaskId:         t.ID,
		TaskName:       t.Name,
		StartTime:      formatTime(t.Start),
		EndTime:        formatTime(t.End),
		SourceType:     t.SourceType,
		SourceProtocol: strings.ToUpper(t.SourceProtocol),
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

func (t *task) view() Task {
	return Task{
		TaskId:            t.ID,
		Region:            t.Region,
		TaskStatus:        t.Status,
		TaskInvalidReason: t.InvalidReason,
		CurrentFileIndex:  t.CurrentFileIndex,
		CurrentOffset:     t.CurrentOffset,
		TaskInfo:          t.info(),
	}
}

// retryDeadline is when a recovering task gives up.
func (t *task) retryDeadline() time.Time {
	return t.FailedAt.Add(time.Duration(t.RetryCount) * time.Duration(t.RetryInterval) * time.Second)
}

// nextEvent is the earliest time at which a transition of t is due.
func (t *task) nextEvent() time.Time {
	next := t.End
	if t.Status == StatusIdle && t.Start.Before(next) {
		next = t.Start
	}
	if t.Status == StatusRecovering {
		if d := t.retryDeadline(); d.Before(next) {
			next = d
		}
	}
	return next
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

// applyLocked applies every lifecycle transition due at now. It returns
// whether anything changed. s.mu must be held.
func (s *Server) applyLocked(now time.Time) bool {
	if s.nextDue.IsZero() || now.Before(s.nextDue) {
		return false
	}
	changed := false
	for i := 0; i < len(s.order); {
		t := s.order[i]
		removed := false
		for {
			due := t.nextEvent()
			if now.Before(due) {
				break
			}
			changed = true
			switch {
			case !due.Before(t.End):
				s.exitLocked(t, ReasonOverEndTime, t.End)
				removed = true
			case t.Status == StatusIdle:
				t.Status = StatusRunning
				t.InvalidReason = ""
				t.CurrentFileIndex, t.CurrentOffset = t.FileIndex, t.Offset
				// A task created after its StartTime starts when it is created.
				at := due
				if at.Before(t.Created) {
					at = t.Created
				}
				s.statusEventLocked(t, at, "")
			case t.Status == StatusRecovering:
				t.Status = StatusStopped
				s.statusEventLocked(t, due, ReasonRetryTimesOffline)
			}
			if removed {
				break
			}
		}
		if !removed {
			i++
		}
	}
	s.recomputeDueLocked()
	return changed
}

// recomputeDueLocked refreshes the earliest pending transition.
func (s *Server) recomputeDueLocked() {
	var next time.Time
	for _, t := range s.order {
		if e := t.nextEvent(); next.IsZero() || e.Before(next) {
			next = e
		}
	}
	s.nextDue = next
}

// exitLocked removes t and queues its exit callback.
func (s *Server) exitLocked(t *task, reason string, at time.Time) {
	delete(s.tasks, t.ID)
	for i, o := range s.order {
		if o == t {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
	if t.CallbackURL != "" {
		info := t.info()
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
}

// statusEventLocked queues a status-change callback for t's current status.
// offlineReason is the callback's TaskInvalidReason for status 3.
func (s *Server) statusEventLocked(t *task, at time.Time, offlineReason string) {
	if t.CallbackURL == "" {
		return
	}
	info := t.info()
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
	if e := t.nextEvent(); s.nextDue.IsZero() || e.Before(s.nextDue) {
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

// countLocked is the number of tasks of an account.
func (s *Server) countLocked(account string) int {
	n := 0
	for _, t := range s.order {
		if t.Account == account {
			n++
		}
	}
	return n
}
