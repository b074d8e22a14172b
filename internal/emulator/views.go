// How the API shows a stored task: its TaskInfo, the Describe shape, the
// wire form, and the bodies without empty keys under omit-empty.

package emulator

import (
	"encoding/json"
	"strings"
	"time"
)

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

func (s *Server) wireLocked(t *task, now time.Time) wireTask {
	v := s.viewLocked(t, now)
	return wireTask{
		TaskId:            v.TaskId,
		TaskStatus:        v.TaskStatus,
		TaskInvalidReason: v.TaskInvalidReason,
		TaskExitReason:    v.TaskExitReason,
		TaskExitTime:      v.TaskExitTime,
		CurrentFileIndex:  v.CurrentFileIndex,
		CurrentOffset:     v.CurrentOffset,
		TaskInfo:          v.TaskInfo,
	}
}

// answerLocked is a Describe or List body, without its empty optional
// keys under omit-empty.
func (s *Server) answerLocked(body any) (any, *apiError) {
	if !s.on(VariantOmitEmpty) {
		return body, nil
	}
	m, err := omitEmpty(body)
	if err != nil {
		return nil, errInternal()
	}
	return m, nil
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
