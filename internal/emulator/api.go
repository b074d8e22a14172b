// The exported API in this file is what the provider, the API client and
// the benchmarks are written against; its names and signatures are stable.
// The package documentation is in doc.go.

package emulator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
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
	// CallbackTransport sends the callbacks (nil = http.DefaultTransport).
	// Tests may use it to capture callbacks without a receiver.
	CallbackTransport http.RoundTripper
	// ListLag is how long DescribeLivePullToPushList lags behind each
	// write through the API (0: none; see SetListLag).
	ListLag time.Duration
	// Variants are the readings of the documentation to emulate instead of
	// the default ones (see AllVariants and ParseVariants; nil = none).
	Variants []Variant
	// ExitRetention is how long an exited task stays visible under
	// exited-visible (0 = DefaultExitRetention), on the emulator clock.
	ExitRetention time.Duration
	// AsyncDelay is how long the start, Stop and Restart take to show
	// under async (0 = DefaultAsyncDelay), on the emulator clock.
	AsyncDelay time.Duration
	// FlakySeed seeds the flaky variant's draws (0 = DefaultFlakySeed).
	FlakySeed int64
	// Deny maps an access key ID to the operations its RAM policy does not
	// allow (full names or the short names of a fault plan; "*" for all).
	// Such calls are answered 403 Forbidden.RAM (see access.go).
	Deny map[string][]string
	// AccountConditions puts accounts ("" means "default") into a condition
	// the service reports on its own: AccountNoLiveDomain or
	// AccountLimitReached.
	AccountConditions map[string]AccountCondition
	// PushAuthKeys maps a destination host name to the ingest key of its
	// URL signing settings: a task whose DstUrl has that host and no valid,
	// unexpired type A auth_key fails at its start with PushStreamFailed
	// (see pushauth.go).
	PushAuthKeys map[string]string
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
	// TaskExitReason sets the exit reason Describe reports, e.g. a task
	// stopped with OverEndTime as one reading of the documentation has it.
	TaskExitReason *string
}

// Server is a running emulator.
type Server struct {
	opts      Options
	creds     map[string]Credential
	logger    *slog.Logger
	cb        *dispatcher
	stateFile string

	mu        sync.Mutex
	offset    time.Duration
	tasks     map[string]*task
	order     []*task
	seq       uint64
	nextDue   time.Time
	qps       int
	maxTasks  int
	windows   map[string]*window
	nonces    map[string]time.Time
	nonceAdds int
	stats     Stats
	faults    *faultPlan
	saveErr   error
	listLag   listLag
	access    accessRules       // guarded by mu
	pushAuth  map[string]string // ingest key by destination host; guarded by mu
	variants  variantSet

	exitRetention time.Duration
	asyncDelay    time.Duration
	flakySeed     int64

	lnMu     sync.Mutex
	ln       net.Listener
	httpSrv  *http.Server
	serveErr chan error
	stopTick chan struct{}
	tickDone chan struct{}
	closed   bool
}

// New builds a server; it does not listen yet. It fails on a bad fault
// plan or an unreadable state file.
func New(opts Options) (*Server, error) {
	s := &Server{
		opts:      opts,
		creds:     map[string]Credential{},
		logger:    opts.Logger,
		stateFile: opts.StateFile,
		tasks:     map[string]*task{},
		windows:   map[string]*window{},
		nonces:    map[string]time.Time{},
		stats:     newStats(),
	}
	creds := opts.Credentials
	if creds == nil {
		creds = []Credential{
			{AccessKeyID: DefaultAccessKeyID, AccessKeySecret: DefaultAccessKeySecret, Account: "default"},
			{AccessKeyID: DefaultSTSAccessKeyID, AccessKeySecret: DefaultSTSAccessKeySecret, SecurityToken: DefaultSTSSecurityToken, Account: "default"},
		}
	}
	for _, c := range creds {
		if c.AccessKeyID == "" || c.AccessKeySecret == "" {
			return nil, errors.New("emulator: every credential needs an AccessKeyID and an AccessKeySecret")
		}
		if c.Account == "" {
			c.Account = "default"
		}
		s.creds[c.AccessKeyID] = c
	}
	s.qps = normQPS(opts.QPS)
	s.listLag.lag = max(opts.ListLag, 0)
	s.maxTasks = opts.MaxTasks
	if s.maxTasks == 0 {
		s.maxTasks = DefaultMaxTasks
	}
	plan, err := parseFaultPlan(opts.Faults)
	if err != nil {
		return nil, fmt.Errorf("emulator: faults: %w", err)
	}
	if s.access, err = newAccessRules(opts.Deny, opts.AccountConditions); err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	s.faults = plan
	if s.pushAuth, err = newPushAuthKeys(opts.PushAuthKeys); err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	if s.variants, err = newVariantSet(opts.Variants); err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	s.exitRetention, s.asyncDelay, s.flakySeed = opts.ExitRetention, opts.AsyncDelay, opts.FlakySeed
	if s.exitRetention <= 0 {
		s.exitRetention = DefaultExitRetention
	}
	if s.asyncDelay <= 0 {
		s.asyncDelay = DefaultAsyncDelay
	}
	if s.flakySeed == 0 {
		s.flakySeed = DefaultFlakySeed
	}
	logger := s.logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s.cb = newDispatcher(logger, opts.CallbackTransport)
	if s.stateFile != "" {
		if err := s.load(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func newStats() Stats {
	return Stats{Calls: map[string]int{}, Errors: map[string]int{}, Throttled: map[string]int{}}
}

func normQPS(q int) int {
	if q == 0 {
		return DefaultQPS
	}
	if q < 0 {
		return -1
	}
	return q
}

// tickInterval is how often the background ticker applies transitions in
// real time (so callbacks fire without API calls).
const tickInterval = 250 * time.Millisecond

// Start listens on addr ("127.0.0.1:0" for a free port) and serves in the background.
func (s *Server) Start(addr string) error {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	if s.ln != nil {
		return errors.New("emulator: already started")
	}
	if s.closed {
		return errors.New("emulator: closed")
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", addr)
	if err != nil {
		return fmt.Errorf("emulator: listen on %s: %w", addr, err)
	}
	s.ln = ln
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.serveErr = make(chan error, 1)
	go func() { s.serveErr <- s.httpSrv.Serve(ln) }()
	s.stopTick = make(chan struct{})
	s.tickDone = make(chan struct{})
	go s.ticker()
	return nil
}

func (s *Server) ticker() {
	defer close(s.tickDone)
	t := time.NewTicker(tickInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stopTick:
			return
		case <-t.C:
			s.tick()
		}
	}
}

// Endpoint is host:port, as the SDK's Config.Endpoint wants it.
func (s *Server) Endpoint() string {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Close stops serving and waits for callbacks in flight.
func (s *Server) Close() error {
	s.lnMu.Lock()
	if s.closed {
		s.lnMu.Unlock()
		return nil
	}
	s.closed = true
	srv, stop, done := s.httpSrv, s.stopTick, s.tickDone
	s.lnMu.Unlock()
	var err error
	if srv != nil {
		// Connections that stay busy (or were opened and never used) are
		// closed forcibly after a grace period.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		if serr := srv.Shutdown(ctx); serr != nil {
			_ = srv.Close()
		}
		cancel()
		close(stop)
		<-done
	}
	s.cb.close()
	s.mu.Lock()
	if s.saveErr != nil && err == nil {
		err = s.saveErr
	}
	s.mu.Unlock()
	return err
}

// baseNow is Options.Now (or time.Now), without Advance.
func (s *Server) baseNow() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now()
	}
	return time.Now()
}

// nowLocked reads the clock and applies the transitions due.
func (s *Server) nowLocked() time.Time {
	now := s.baseNow().Add(s.offset)
	if s.applyLocked(now) {
		s.saveLocked()
	}
	return now
}

// Now is the emulator's clock.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nowLocked()
}

// Advance moves the clock forward and applies every lifecycle transition due.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d > 0 {
		s.offset += d
	}
	s.nowLocked()
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := newStats()
	for k, v := range s.stats.Calls {
		out.Calls[k] = v
	}
	for k, v := range s.stats.Errors {
		out.Errors[k] = v
	}
	for k, v := range s.stats.Throttled {
		out.Throttled[k] = v
	}
	return out
}

// ResetStats zeroes the counters.
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = newStats()
}

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

// SetFaults replaces the fault plan (flag syntax; "" clears it).
func (s *Server) SetFaults(plan string) error {
	p, err := parseFaultPlan(plan)
	if err != nil {
		return fmt.Errorf("emulator: faults: %w", err)
	}
	s.mu.Lock()
	s.faults = p
	s.mu.Unlock()
	return nil
}

// Faults returns the current fault plan text.
func (s *Server) Faults() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.text
}

// SetQPS changes the throttling limit (negative turns it off, 0 means
// DefaultQPS) and clears the throttling windows.
func (s *Server) SetQPS(qps int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.qps = normQPS(qps)
	s.windows = map[string]*window{}
}

// Reset drops every task, counter, fault and used nonce. Throttling windows
// and writes pending for the listing are cleared too; the clock and the
// list lag are left as they are. No callbacks are sent.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tasks = map[string]*task{}
	s.order = nil
	s.nextDue = time.Time{}
	s.stats = newStats()
	s.faults = &faultPlan{}
	s.nonces = map[string]time.Time{}
	s.windows = map[string]*window{}
	s.listLag.pending = nil
	s.saveLocked()
}

// WaitCallbacks blocks until every callback queued so far has been
// attempted. Tests use it before asserting on a receiver.
func (s *Server) WaitCallbacks() { s.cb.wait() }
