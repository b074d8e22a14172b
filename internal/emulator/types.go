// The exported types in which a Server reports its counters and its
// tasks, and the wire form of a task that Describe and List answer with.

package emulator

// Stats counts calls per operation since start or the last ResetStats.
type Stats struct {
	Calls     map[string]int `json:"calls"`
	Errors    map[string]int `json:"errors"`    // answered with any error (incl. throttled and injected faults)
	Throttled map[string]int `json:"throttled"` // answered Throttling.User (real or injected)
	// STS counts the STS calls (AssumeRole, GetCallerIdentity), which are
	// not Live operations and are left out of Calls and TotalCalls.
	STS map[string]int `json:"sts,omitempty"`
	// Expired counts the calls answered InvalidSecurityToken.Expired.
	Expired int `json:"expired,omitempty"`
}

// TotalCalls is the sum of Calls over all operations.
func (s Stats) TotalCalls() int {
	n := 0
	for _, v := range s.Calls {
		n += v
	}
	return n
}

func newStats() Stats {
	return Stats{Calls: map[string]int{}, Errors: map[string]int{}, Throttled: map[string]int{}, STS: map[string]int{}}
}

// TaskInfo is the configuration of a task, with the JSON keys the service uses.
type TaskInfo struct {
	TaskId         string   `json:"TaskId"`
	TaskName       string   `json:"TaskName"`
	StartTime      string   `json:"StartTime"`
	EndTime        string   `json:"EndTime"`
	SourceType     string   `json:"SourceType"`
	SourceProtocol string   `json:"SourceProtocol"`
	SourceUrls     []string `json:"SourceUrls"`
	DstUrl         string   `json:"DstUrl"`
	CallbackURL    string   `json:"CallbackURL"`
	RepeatNumber   int32    `json:"RepeatNumber"`
	FileIndex      int32    `json:"FileIndex"`
	Offset         int32    `json:"Offset"`
	RetryCount     int32    `json:"RetryCount"`
	RetryInterval  int32    `json:"RetryInterval"`
}

// Task is one task in the Describe shape.
type Task struct {
	TaskId            string   `json:"TaskId"`
	Region            string   `json:"Region"`
	TaskStatus        int32    `json:"TaskStatus"`
	TaskInvalidReason string   `json:"TaskInvalidReason"`
	TaskExitReason    string   `json:"TaskExitReason"`
	TaskExitTime      int32    `json:"TaskExitTime"`
	CurrentFileIndex  int32    `json:"CurrentFileIndex"`
	CurrentOffset     int32    `json:"CurrentOffset"`
	TaskInfo          TaskInfo `json:"TaskInfo"`
}

// wireTask is a task as Describe and List show it (no Region key).
type wireTask struct {
	TaskId            string   `json:"TaskId"`
	TaskStatus        int32    `json:"TaskStatus"`
	TaskInvalidReason string   `json:"TaskInvalidReason"`
	TaskExitReason    string   `json:"TaskExitReason"`
	TaskExitTime      int32    `json:"TaskExitTime"`
	CurrentFileIndex  int32    `json:"CurrentFileIndex"`
	CurrentOffset     int32    `json:"CurrentOffset"`
	TaskInfo          TaskInfo `json:"TaskInfo"`
}
