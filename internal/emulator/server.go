// The Server and the state it holds. Its methods are grouped by concern in
// the other files.

package emulator

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server is a running emulator.
type Server struct {
	opts      Options
	credMu    sync.RWMutex // guards creds, which AssumeRole adds to
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

// window is a sliding one-second log of accepted calls.
type window struct {
	times []time.Time
}

// listLag makes DescribeLivePullToPushList lag behind writes, as a service
// whose listing is served from a read side that catches up with writes
// later. DescribeLivePullToPush always shows the task as it is.
//
// A write through the API (Create, Update, Stop, Restart) made while the
// lag is d is shown by List only d after the write, by the emulator's
// clock; until then List shows the task as it was just before the first
// of the writes still pending, and a task created within the lag is not
// listed at all. Deleted tasks leave the listing at once, and lifecycle
// transitions (the start, a failure, the end) and out-of-band changes are
// not lagged. Setting the lag to 0 (SetListLag, or Reset) makes every
// pending write visible at once.
type listLag struct {
	lag     time.Duration
	pending map[string]laggedView // task ID -> what List shows for now
}

// laggedView is what List shows of a task until until.
type laggedView struct {
	view  *wireTask // nil: the task is not listed yet
	until time.Time
}

// on reports whether a variant is active. s.mu must be held.
func (s *Server) on(v Variant) bool { return s.variants[v] }
