// The exported API (New, the methods of Server and the types they take
// and return) is what the provider, the API client and the benchmarks are
// written against; its names and signatures are stable. The package
// documentation is in doc.go.

package emulator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

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

// ServeHTTP serves the API on every path except /_emulator/, which is the
// control surface. It lets the emulator be mounted in any http.Server or
// driven through httptest.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		s.serveControl(w, r)
		return
	}
	s.serveAPI(w, r)
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
