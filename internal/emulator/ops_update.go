package emulator

import (
	"net/url"
	"time"
)

// immutableOnUpdate are parameters UpdateLivePullToPush does not have.
var immutableOnUpdate = []string{"TaskName", "SourceType", "SourceProtocol", "DstUrl", "RetryCount", "RetryInterval"}

// runningRestricted are parameters a running or recovering task refuses.
var runningRestricted = []string{"StartTime", "EndTime", "SourceUrls", "FileIndex", "Offset"}

func (s *Server) opUpdate(account string, p url.Values, reqID string) (any, *apiError) {
	if _, e := required(p, "TaskId"); e != nil {
		return nil, e
	}
	if _, e := validateRegion(p); e != nil {
		return nil, e
	}
	for _, name := range immutableOnUpdate {
		if _, ok := lookupParam(p, name); ok {
			return nil, errInvalid("The parameter %s cannot be changed by UpdateLivePullToPush; create a new task instead.", name)
		}
	}
	var start, end time.Time
	startS, hasStart := lookupParam(p, "StartTime")
	endS, hasEnd := lookupParam(p, "EndTime")
	var e *apiError
	if hasStart {
		if start, e = parseTimeParam("StartTime", startS); e != nil {
			return nil, e
		}
	}
	if hasEnd {
		if end, e = parseTimeParam("EndTime", endS); e != nil {
			return nil, e
		}
	}
	urls, hasUrls, e := sourceUrlsParam(p)
	if e != nil {
		return nil, e
	}
	callback, hasCallback := lookupParam(p, "CallbackUrl")
	if e := validateCallbackURL(callback); e != nil {
		return nil, e
	}
	pb, e := readPlayback(p)
	if e != nil {
		return nil, e
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.findTaskLocked(account, p)
	if e != nil {
		return nil, e
	}
	now := s.nowLocked()
	ok := okBody{RequestId: reqID, RetCode: 0, Description: "OK"}
	if t.Status == StatusExited {
		return ok, nil // exited-visible: accepted, without effect
	}
	if t.Status == StatusRunning || t.Status == StatusRecovering {
		if name := s.runningRefusedLocked(p); name != "" {
			if s.on(VariantUpdateIgnored) {
				return ok, nil
			}
			if s.on(VariantEndTimeWhileRunning) {
				return nil, errInvalid("The parameter %s cannot be updated while the task is running (TaskStatus 1) or recovering (TaskStatus 2); only EndTime, CallbackUrl and RepeatNumber can.", name)
			}
			return nil, errInvalid("The parameter %s cannot be updated while the task is running (TaskStatus 1) or recovering (TaskStatus 2); only CallbackUrl and RepeatNumber can.", name)
		}
	}
	if hasCallback && callback == "" && s.on(VariantCallbackUnclearable) {
		hasCallback = false
	}
	// Merge and validate.
	mStart, mEnd, mURLs := t.Start, t.End, t.SourceUrls
	if hasStart {
		mStart = start
	}
	if hasEnd {
		mEnd = end
	}
	if hasUrls {
		if e := validateSourceUrls(t.SourceType, t.SourceProtocol, urls); e != nil {
			return nil, e
		}
		mURLs = urls
	}
	mRepeat, mFile, mOffset := t.RepeatNumber, t.FileIndex, t.Offset
	if pb.hasRepeat {
		mRepeat = pb.repeat
	}
	if pb.hasFileIndex {
		mFile = pb.fileIndex
	}
	if pb.hasOffset {
		mOffset = pb.offset
	}
	if pb.hasRepeat || pb.hasFileIndex || pb.hasOffset || hasUrls {
		if e := checkPlayback(t.SourceType, mRepeat, mFile, mOffset, mURLs); e != nil {
			return nil, e
		}
	}
	if hasStart || hasEnd {
		if e := validateWindow(mStart, mEnd, now); e != nil {
			return nil, e
		}
	}
	s.lagWriteLocked(t, now, false)
	t.Start, t.End, t.SourceUrls = mStart, mEnd, mURLs
	t.RepeatNumber, t.FileIndex, t.Offset = mRepeat, mFile, mOffset
	if hasCallback {
		t.CallbackURL = callback
	}
	s.recomputeDueLocked()
	s.applyLocked(now)
	s.saveLocked()
	return ok, nil
}

// runningRefusedLocked names the first Update parameter sent that a
// running task refuses ("" for none): StartTime, EndTime (except with
// endtime-while-running), SourceUrls, FileIndex and Offset.
func (s *Server) runningRefusedLocked(p url.Values) string {
	for _, name := range runningRestricted {
		if name == "EndTime" && s.on(VariantEndTimeWhileRunning) {
			continue
		}
		if _, ok := p[name]; ok {
			return name
		}
	}
	if _, ok := firstRepeatList(p); ok {
		return "SourceUrls"
	}
	return ""
}
