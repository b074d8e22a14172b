// Package emulator is a local, in-process or standalone emulation of the
// ApsaraVideo Live pull-to-push API (2016-11-01). See doc.go for the
// behaviour it implements and the assumptions it makes where the public
// documentation is silent.
//
// CONTRACT FILE: the exported API below is what the provider, the API client
// and the benchmarks are written against. Keep these names and signatures.
package emulator

import (
	"log/slog"
	"time"
)

// Defaults of the standalone program and of Options left zero.
const (
	DefaultAddr            = "127.0.0.1:9180"
	DefaultAccessKeyID     = "emulator-access-key-id"
	DefaultAccessKeySecret = "emulator-access-key-secret"
	// An STS credential that is always accepted alongside the static pair.
	DefaultSTSAccessKeyID     = "STS.emulator-access-key-id"
	DefaultSTSAccessKeySecret = "emulator-sts-access-key-secret"
	DefaultSTSSecurityToken   = "emulator-sts-security-token"
	DefaultQPS                = 10  // per account, per operation, sliding one-second window
	DefaultMaxTasks           = 100 // per account
)

// Credential is one access key the emulator accepts. Account groups keys
// that share throttling quotas and task limits ("" means "default").
type Credential struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string // non-empty for an STS credential: the request must carry it
	Account         string
}

// Options configure a Server. Zero values mean the documented default,
// except where noted.
type Options struct {
	// Credentials accepted. Nil means the default static pair and the
	// default STS triple, both in account "default".
	Credentials []Credential
	// QPS per account per operation; 0 means DefaultQPS; negative turns
	// throttling off.
	QPS int
	// MaxTasks per account; 0 means DefaultMaxTasks; negative means no limit.
	MaxTasks int
	// Faults is a fault plan in the -faults flag syntax ("" = none).
	Faults string
	// StateFile, when set, is loaded at start and written after every change.
	StateFile string
	// Now is the base clock (time.Now when nil). The emulator's clock is
	// Now() plus the total of Advance calls.
	Now func() time.Time
	// Logger receives one line per request (nil = discard).
	Logger *slog.Logger
}

// Stats counts calls per operation since start or the last ResetStats.
type Stats struct {
	Calls     map[string]int `json:"calls"`
	Errors    map[string]int `json:"errors"`    // answered with any error (incl. throttled and injected faults)
	Throttled map[string]int `json:"throttled"` // answered Throttling.User (real or injected)
}

// TotalCalls is the sum of Calls over all operations.
func (s Stats) TotalCalls() int {
	n := 0
	for _, v := range s.Calls {
		n += v
	}
	return n
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
}

// Server is a running emulator.
type Server struct { /* implementation */
}

// New builds a server; it does not listen yet.
func New(opts Options) (*Server, error) { panic("not implemented") }

// Start listens on addr ("127.0.0.1:0" for a free port) and serves in the background.
func (s *Server) Start(addr string) error { panic("not implemented") }

// Endpoint is host:port, as the SDK's Config.Endpoint wants it.
func (s *Server) Endpoint() string { panic("not implemented") }

// Close stops serving and waits for callbacks in flight.
func (s *Server) Close() error { panic("not implemented") }

// Now is the emulator's clock.
func (s *Server) Now() time.Time { panic("not implemented") }

// Advance moves the clock forward and applies every lifecycle transition due.
func (s *Server) Advance(d time.Duration) { panic("not implemented") }

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats { panic("not implemented") }

// ResetStats zeroes the counters.
func (s *Server) ResetStats() { panic("not implemented") }

// Tasks lists every task of every account, in creation order.
func (s *Server) Tasks() []Task { panic("not implemented") }

// Task returns one task.
func (s *Server) Task(id string) (Task, bool) { panic("not implemented") }

// AddTask creates a task out of band (no signature, no throttling, no
// validation beyond what storage needs) in the default account and returns its ID.
func (s *Server) AddTask(region string, info TaskInfo) (string, error) { panic("not implemented") }

// PatchTask changes a task out of band.
func (s *Server) PatchTask(id string, p TaskPatch) error { panic("not implemented") }

// DeleteTask removes a task out of band, as if it had been deleted elsewhere.
func (s *Server) DeleteTask(id string) error { panic("not implemented") }

// FailTask makes a running task fail: status 2 with the reason
// (PullStreamFailed or PushStreamFailed), then 3 after RetryCount x RetryInterval.
func (s *Server) FailTask(id, reason string) error { panic("not implemented") }

// SetFaults replaces the fault plan (flag syntax; "" clears it).
func (s *Server) SetFaults(plan string) error { panic("not implemented") }

// SetQPS changes the throttling limit (negative turns it off).
func (s *Server) SetQPS(qps int) { panic("not implemented") }

// Reset drops every task, counter, fault and used nonce.
func (s *Server) Reset() { panic("not implemented") }
