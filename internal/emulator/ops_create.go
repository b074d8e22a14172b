package emulator

import (
	"fmt"
	"math"
	"net/url"
)

func (s *Server) opCreate(account string, p url.Values, reqID string) (any, *apiError) {
	for _, name := range []string{"Region", "StartTime", "EndTime", "SourceType", "SourceUrls", "DstUrl"} {
		if name == "SourceUrls" {
			if _, repeat := firstRepeatList(p); repeat {
				continue
			}
		}
		if _, e := required(p, name); e != nil {
			return nil, e
		}
	}
	region, e := validateRegion(p)
	if e != nil {
		return nil, e
	}
	start, e := parseTimeParam("StartTime", p.Get("StartTime"))
	if e != nil {
		return nil, e
	}
	end, e := parseTimeParam("EndTime", p.Get("EndTime"))
	if e != nil {
		return nil, e
	}
	sourceType := p.Get("SourceType")
	if !contains(SourceTypes, sourceType) {
		return nil, errInvalid("%s", msgOneOf("SourceType", SourceTypes))
	}
	protocol, hasProtocol := lookupParam(p, "SourceProtocol")
	if sourceType == "live" && protocol == "" {
		return nil, errMissing("SourceProtocol")
	}
	if hasProtocol && protocol != "" && !contains(SourceProtocols, protocol) {
		return nil, errInvalid("%s", msgOneOf("SourceProtocol", SourceProtocols))
	}
	urls, _, e := sourceUrlsParam(p)
	if e != nil {
		return nil, e
	}
	if e := validateSourceUrls(sourceType, protocol, urls); e != nil {
		return nil, e
	}
	dst := p.Get("DstUrl")
	if e := validateDstURL(dst); e != nil {
		return nil, e
	}
	callback, _ := lookupParam(p, "CallbackUrl")
	if e := validateCallbackURL(callback); e != nil {
		return nil, e
	}
	retryCount, e := intWithDefault(p, "RetryCount", 3, 0, math.MaxInt32,
		"The parameter RetryCount must be an integer of at least 0.")
	if e != nil {
		return nil, e
	}
	retryInterval, e := intWithDefault(p, "RetryInterval", 60, minRetryInt, maxRetryInt,
		fmt.Sprintf("The parameter RetryInterval must be an integer from %d to %d (seconds).", minRetryInt, maxRetryInt))
	if e != nil {
		return nil, e
	}
	pb, e := readPlayback(p)
	if e != nil {
		return nil, e
	}
	if e := checkPlayback(sourceType, pb.repeat, pb.fileIndex, pb.offset, urls); e != nil {
		return nil, e
	}
	name, _ := lookupParam(p, "TaskName")

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	if e := validateWindow(start, end, now); e != nil {
		return nil, e
	}
	if s.maxTasks >= 0 && s.countLocked(account) >= s.maxTasks {
		return nil, errNotEnoughResource(s.maxTasks)
	}
	for _, o := range s.order {
		if o.Account == account && o.DstUrl == dst && o.Status != StatusExited && !s.on(VariantDstConflictAtRuntime) {
			return nil, errConfigExists(o.ID)
		}
	}
	t := &task{
		ID:             newTaskID(),
		Account:        account,
		Region:         region,
		Name:           name,
		Start:          start,
		End:            end,
		SourceType:     sourceType,
		SourceProtocol: protocol,
		ProtocolAsSent: protocol,
		SourceUrls:     urls,
		DstUrl:         dst,
		CallbackURL:    callback,
		RepeatNumber:   pb.repeat,
		FileIndex:      pb.fileIndex,
		Offset:         pb.offset,
		RetryCount:     retryCount,
		RetryInterval:  retryInterval,
		Status:         StatusIdle,
		Created:        now,
	}
	s.insertLocked(t)
	s.lagWriteLocked(t, now, true)
	s.applyLocked(now)
	s.saveLocked()
	return createBody{RequestId: reqID, RetCode: 0, Description: "OK", TaskId: t.ID}, nil
}
