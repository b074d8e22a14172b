// Out-of-band access to the tasks, as a console user or another client
// would change them: no signature, no throttling.

package emulator

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Tasks lists every task of every account, in creation order.
func (s *Server) Tasks() []Task {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	out := make([]Task, 0, len(s.order))
	for _, t := range s.order {
		out = append(out, s.viewLocked(t, now))
	}
	return out
}

// Task returns one task.
func (s *Server) Task(id string) (Task, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	t, ok := s.tasks[id]
	if !ok {
		return Task{}, false
	}
	return s.viewLocked(t, now), true
}

// ErrNoTask is returned by the out-of-band methods for an unknown task ID.
var ErrNoTask = errors.New("emulator: no such task")

// TaskPatch changes a task out of band (as a console user would). Nil
// fields are left alone. Status may be set to any of 0, 1, 2, 3.
type TaskPatch struct {
	TaskName       *string
	StartTime      *time.Time
	EndTime        *time.Time
	SourceType     *string
	SourceProtocol *string
	SourceUrls     []string
	DstUrl         *string
	CallbackURL    *string
	RepeatNumber   *int32
	FileIndex      *int32
	Offset         *int32
	RetryCount     *int32
	RetryInterval  *int32
	TaskStatus     *int32
	// TaskExitReason sets the exit reason Describe reports, e.g. a task
	// stopped with OverEndTime as one variant of the documentation has it.
	TaskExitReason *string
}

// AddTask creates a task out of band (no signature, no throttling) in the
// default account and returns its ID. Its fields follow the API's rules
// for them (checkStored); the clock-dependent rules of a create do not apply.
// An empty region means cn-shanghai; an empty StartTime means now; an empty
// EndTime means StartTime plus 24 hours; RetryInterval 0 means 60; a
// non-empty info.TaskId is used as the ID when it is free. The task limit
// and the DstUrl rule are not applied.
func (s *Server) AddTask(region string, info TaskInfo) (string, error) {
	if region == "" {
		region = "cn-shanghai"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	start := now.Truncate(time.Second)
	if info.StartTime != "" {
		t, err := parseLooseTime(info.StartTime)
		if err != nil {
			return "", fmt.Errorf("emulator: StartTime: %w", err)
		}
		start = t
	}
	end := start.Add(24 * time.Hour)
	if info.EndTime != "" {
		t, err := parseLooseTime(info.EndTime)
		if err != nil {
			return "", fmt.Errorf("emulator: EndTime: %w", err)
		}
		end = t
	}
	id := info.TaskId
	if id == "" {
		id = newTaskID()
	} else if _, taken := s.tasks[id]; taken {
		return "", fmt.Errorf("emulator: task ID %s is already used", id)
	}
	ri := info.RetryInterval
	if ri == 0 {
		ri = 60
	}
	urls := append([]string{}, info.SourceUrls...)
	t := &task{
		ID: id, Account: "default", Region: region, Name: info.TaskName,
		Start: start, End: end, SourceType: info.SourceType,
		SourceProtocol: lowerASCII(info.SourceProtocol), ProtocolAsSent: info.SourceProtocol, SourceUrls: urls,
		DstUrl: info.DstUrl, CallbackURL: info.CallbackURL,
		RepeatNumber: info.RepeatNumber, FileIndex: info.FileIndex, Offset: info.Offset,
		RetryCount: info.RetryCount, RetryInterval: ri, Status: StatusIdle, Created: now,
	}
	if err := checkStored(t); err != nil {
		return "", err
	}
	s.insertLocked(t)
	s.applyLocked(now)
	s.saveLocked()
	return id, nil
}

// PatchTask changes a task out of band.
func (s *Server) PatchTask(id string, p TaskPatch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	t, ok := s.tasks[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNoTask, id)
	}
	if t.Status == StatusExited {
		return fmt.Errorf("emulator: task %s has exited (TaskStatus -1) and cannot be changed", id)
	}
	if p.TaskStatus != nil {
		switch *p.TaskStatus {
		case StatusIdle, StatusRunning, StatusRecovering, StatusStopped:
		default:
			return fmt.Errorf("emulator: TaskStatus must be 0, 1, 2 or 3, got %d", *p.TaskStatus)
		}
	}
	// The fields change together or not at all: a patch that would store
	// a value the API refuses changes nothing.
	next := *t
	t = &next
	if p.TaskName != nil {
		t.Name = *p.TaskName
	}
	if p.StartTime != nil {
		t.Start = p.StartTime.UTC().Truncate(time.Second)
	}
	if p.EndTime != nil {
		t.End = p.EndTime.UTC().Truncate(time.Second)
	}
	if p.SourceType != nil {
		t.SourceType = *p.SourceType
	}
	if p.SourceProtocol != nil {
		t.SourceProtocol = lowerASCII(*p.SourceProtocol)
		t.ProtocolAsSent = *p.SourceProtocol
	}
	if p.SourceUrls != nil {
		t.SourceUrls = append([]string{}, p.SourceUrls...)
	}
	if p.DstUrl != nil {
		t.DstUrl = *p.DstUrl
	}
	if p.CallbackURL != nil {
		t.CallbackURL = *p.CallbackURL
	}
	if p.RepeatNumber != nil {
		t.RepeatNumber = *p.RepeatNumber
	}
	if p.FileIndex != nil {
		t.FileIndex = *p.FileIndex
	}
	if p.Offset != nil {
		t.Offset = *p.Offset
	}
	if p.RetryCount != nil {
		t.RetryCount = *p.RetryCount
	}
	if p.RetryInterval != nil {
		t.RetryInterval = *p.RetryInterval
	}
	if err := checkStored(t); err != nil {
		return err
	}
	*s.tasks[id] = next
	t = s.tasks[id]
	if p.TaskStatus != nil && *p.TaskStatus != t.Status {
		t.Pending, t.PendingAt = 0, time.Time{}
		switch *p.TaskStatus {
		case StatusRecovering:
			reason := t.InvalidReason
			if reason == "" {
				reason = ReasonUnknownError
			}
			s.failLocked(t, now, reason, causeManual)
		case StatusRunning:
			s.runLocked(t, now, true)
		case StatusStopped:
			// As a console user sees it: offline, keeping any failure reason.
			reason := t.InvalidReason
			s.stopNowLocked(t, now)
			t.InvalidReason = reason
		case StatusIdle:
			s.freezePositionLocked(t, now)
			t.Status = StatusIdle
			t.InvalidReason, t.Cause = "", ""
			t.FailedAt, t.NextRetry, t.FailAt = time.Time{}, time.Time{}, time.Time{}
		}
	}
	if p.TaskExitReason != nil {
		t.ExitReason = *p.TaskExitReason
	}
	s.recomputeDueLocked()
	s.applyLocked(now)
	s.saveLocked()
	return nil
}

// DeleteTask removes a task out of band, as if it had been deleted elsewhere.
// The exit callback (TriggerByUser) is sent as for DeleteLivePullToPush.
// Under exited-visible the task then stays visible as exited; DeleteTask of
// an exited task forgets it at once.
func (s *Server) DeleteTask(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	t, ok := s.tasks[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNoTask, id)
	}
	if t.Status == StatusExited {
		s.removeLocked(t)
	} else {
		s.exitLocked(t, ReasonTriggerByUser, now)
	}
	s.recomputeDueLocked()
	s.saveLocked()
	return nil
}

// FailTask makes a running task fail: status 2 with the reason
// (PullStreamFailed or PushStreamFailed), then 3 after RetryCount x RetryInterval.
// An empty reason means UnknownError. Only a running task (status 1) can
// be made to fail.
func (s *Server) FailTask(id, reason string) error {
	if reason == "" {
		reason = ReasonUnknownError
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	t, ok := s.tasks[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNoTask, id)
	}
	if t.Status != StatusRunning {
		return fmt.Errorf("emulator: task %s is not running (TaskStatus %d); only a running task can fail", id, t.Status)
	}
	s.failLocked(t, now, reason, causeManual)
	s.recomputeDueLocked()
	s.applyLocked(now)
	s.saveLocked()
	return nil
}

// parseLooseTime accepts the wire format and any RFC 3339 time.
func parseLooseTime(s string) (time.Time, error) {
	if t, ok := parseWireTime(s); ok {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not yyyy-MM-ddTHH:mm:ssZ or RFC 3339", s)
	}
	return t.UTC().Truncate(time.Second), nil
}

func lowerASCII(s string) string { return strings.ToLower(s) }
