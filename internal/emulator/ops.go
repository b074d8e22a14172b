// What the seven operations share: the bodies they answer with and the
// lookup of the task a call names. Each group of operations has its own
// file.

package emulator

import "net/url"

type okBody struct {
	RequestId   string `json:"RequestId"`
	RetCode     int32  `json:"RetCode"`
	Description string `json:"Description"`
}

type createBody struct {
	RequestId   string `json:"RequestId"`
	RetCode     int32  `json:"RetCode"`
	Description string `json:"Description"`
	TaskId      string `json:"TaskId"`
}

type taskIDBody struct {
	RequestId string `json:"RequestId"`
	TaskId    string `json:"TaskId"`
}

type describeBody struct {
	RequestId   string `json:"RequestId"`
	RetCode     int32  `json:"RetCode"`
	Description string `json:"Description"`
	wireTask
}

type listBody struct {
	RequestId  string     `json:"RequestId"`
	Total      int        `json:"Total"`
	PageNumber int        `json:"PageNumber"`
	PageSize   int        `json:"PageSize"`
	TaskList   []wireTask `json:"TaskList"`
}

// findTask validates Region and TaskId and looks the task up.
func (s *Server) findTaskLocked(account string, p url.Values) (*task, *apiError) {
	if _, e := required(p, "TaskId"); e != nil {
		return nil, e
	}
	region, e := validateRegion(p)
	if e != nil {
		return nil, e
	}
	s.nowLocked()
	t := s.lookupLocked(account, region, p.Get("TaskId"))
	if t == nil {
		return nil, errTaskNotExist()
	}
	return t, nil
}
