package emulator

import (
	"net/url"
	"time"
)

func (s *Server) opStop(account string, p url.Values, reqID string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.findTaskLocked(account, p)
	if e != nil {
		return nil, e
	}
	now := s.nowLocked()
	ok := taskIDBody{RequestId: reqID, TaskId: t.ID}
	switch {
	case t.Status == StatusExited:
		return ok, nil // exited-visible: accepted, without effect
	case t.Pending == StatusRunning && t.Status == StatusStopped:
		// async: a restart of a stopped task not yet in effect is called
		// off; the task stays stopped.
		t.Pending, t.PendingAt = 0, time.Time{}
		s.recomputeDueLocked()
		s.saveLocked()
		return ok, nil
	case t.Status == StatusStopped:
		return nil, errTaskHasStopped()
	case t.Status == StatusIdle && s.on(VariantStopIdleNoop):
		return ok, nil
	case t.Status == StatusIdle:
		return nil, errInvalid("The task cannot be stopped before its StartTime (TaskStatus 0); only a running (1) or recovering (2) task can be stopped.")
	}
	s.lagWriteLocked(t, now, false)
	if s.on(VariantAsync) {
		if t.Pending != StatusStopped {
			t.Pending, t.PendingAt = StatusStopped, now.Add(s.asyncDelay)
		}
	} else {
		s.stopNowLocked(t, now)
	}
	s.recomputeDueLocked()
	s.saveLocked()
	return ok, nil
}

func (s *Server) opRestart(account string, p url.Values, reqID string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.findTaskLocked(account, p)
	if e != nil {
		return nil, e
	}
	now := s.nowLocked()
	if t.Status == StatusExited {
		return taskIDBody{RequestId: reqID, TaskId: t.ID}, nil // exited-visible: accepted, without effect
	}
	if t.Status == StatusIdle || now.Before(t.Start) {
		return nil, errInvalid("The task cannot be restarted before its StartTime (%s).", formatTime(t.Start))
	}
	s.lagWriteLocked(t, now, false)
	if s.on(VariantRestartNewID) {
		s.rekeyLocked(t, newTaskID())
	}
	if s.on(VariantAsync) {
		t.Pending, t.PendingAt = StatusRunning, now.Add(s.asyncDelay)
	} else {
		s.runLocked(t, now, true)
	}
	s.recomputeDueLocked()
	s.saveLocked()
	return taskIDBody{RequestId: reqID, TaskId: t.ID}, nil
}

// rekeyLocked moves t to a new task ID; the old one no longer exists.
func (s *Server) rekeyLocked(t *task, id string) {
	delete(s.tasks, t.ID)
	t.ID = id
	s.tasks[id] = t
}

func (s *Server) opDelete(account string, p url.Values, reqID string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.findTaskLocked(account, p)
	if e != nil {
		return nil, e
	}
	now := s.nowLocked()
	if t.Status != StatusExited {
		s.exitLocked(t, ReasonTriggerByUser, now)
	}
	s.recomputeDueLocked()
	s.saveLocked()
	return okBody{RequestId: reqID, RetCode: 0, Description: "OK"}, nil
}
