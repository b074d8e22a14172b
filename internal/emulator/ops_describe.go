// DescribeLivePullToPush and DescribeLivePullToPushList.

package emulator

import (
	"fmt"
	"math"
	"net/url"
	"strings"
)

func (s *Server) opDescribe(account string, p url.Values, reqID string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.findTaskLocked(account, p)
	if e != nil {
		return nil, e
	}
	return s.answerLocked(describeBody{RequestId: reqID, RetCode: 0, Description: "OK", wireTask: s.wireLocked(t, s.nowLocked())})
}

func (s *Server) opList(account string, p url.Values, reqID string) (any, *apiError) {
	region, e := validateRegion(p)
	if e != nil {
		return nil, e
	}
	idFilter, _ := lookupParam(p, "TaskId")
	if len(idFilter) > maxTaskIDFilter || !taskIDFilterRe.MatchString(idFilter) {
		return nil, errInvalid("The parameter TaskId must be at most %d characters of letters, digits, '_' or '-'.", maxTaskIDFilter)
	}
	nameFilter, _ := lookupParam(p, "TaskName")
	dstFilter, _ := lookupParam(p, "DstUrl")
	page, e := intWithDefault(p, "PageNumber", 1, 1, math.MaxInt32,
		"The parameter PageNumber must be an integer of at least 1.")
	if e != nil {
		return nil, e
	}
	size, e := intWithDefault(p, "PageSize", defaultPageSize, 1, maxPageSize,
		fmt.Sprintf("The parameter PageSize must be an integer from 1 to %d.", maxPageSize))
	if e != nil {
		return nil, e
	}
	idFilter, nameFilter, dstFilter = strings.ToLower(idFilter), strings.ToLower(nameFilter), strings.ToLower(dstFilter)

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	s.pruneLagLocked(now)
	var matches []wireTask
	for _, t := range s.order {
		if t.Account != account || t.Region != region {
			continue
		}
		if idFilter != "" && !strings.Contains(strings.ToLower(t.ID), idFilter) {
			continue
		}
		if nameFilter != "" && !strings.Contains(strings.ToLower(t.Name), nameFilter) {
			continue
		}
		if dstFilter != "" && !strings.Contains(strings.ToLower(t.DstUrl), dstFilter) {
			continue
		}
		if w, listed := s.listViewLocked(t, now); listed {
			matches = append(matches, w)
		}
	}
	body := listBody{RequestId: reqID, Total: len(matches), PageNumber: int(page), PageSize: int(size), TaskList: []wireTask{}}
	from := (int64(page) - 1) * int64(size)
	for i := from; i < int64(len(matches)) && i < from+int64(size); i++ {
		body.TaskList = append(body.TaskList, matches[i])
	}
	return s.answerLocked(body)
}
