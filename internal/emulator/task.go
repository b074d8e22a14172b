// The stored task: its statuses, the reasons it reports, the fields the
// lifecycle keeps, and the layout of the state file that holds the tasks.

package emulator

import "time"

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

// retryDeadline is when a recovering task gives up.
func (t *task) retryDeadline() time.Time {
	return t.FailedAt.Add(time.Duration(t.RetryCount) * time.Duration(t.RetryInterval) * time.Second)
}

// stateVersion identifies the state file layout.
const stateVersion = 1

// stateFile is the JSON layout of Options.StateFile.
type stateFile struct {
	Version int     `json:"version"`
	Seq     uint64  `json:"seq"`
	Tasks   []*task `json:"tasks"`
}
