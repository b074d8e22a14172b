package liveapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// Transport failures that repeating cannot heal (a protocol mismatch, an
// untrusted certificate) fail at once with advice; endpoints that accept
// connections but never answer, and black holes, fail within seconds.
// The tests that measure the default timings run in parallel.

// productionClient is a client with the default timings (backoff, response
// timeout) and the provider's default of 8 retries.
func productionClient(t *testing.T, endpoint, protocol string, log Logger) *Client {
	t.Helper()
	c, err := New(Config{
		Credential: staticCred(t, testAK+"-"+t.Name(), testSecret), Region: "cn-shanghai",
		Endpoint: endpoint, Protocol: protocol, RateLimit: -1, MaxRetries: 8, Logger: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// silentListener accepts connections, reads what they send and never
// answers. It counts connections and the bytes it read.
type silentListener struct {
	l     net.Listener
	conns atomic.Int32
	mu    sync.Mutex
	read  []string // what each connection sent first
	held  []net.Conn
}

func newSilentListener(t *testing.T) *silentListener {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &silentListener{l: l}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			s.mu.Lock()
			s.held = append(s.held, c)
			s.mu.Unlock()
			go func() {
				buf := make([]byte, 4096)
				n, _ := c.Read(buf)
				s.mu.Lock()
				s.read = append(s.read, string(buf[:n]))
				s.mu.Unlock()
				_, _ = io.Copy(io.Discard, c)
			}()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, c := range s.held {
			_ = c.Close()
		}
	})
	return s
}

func (s *silentListener) addr() string { return s.l.Addr().String() }

// requests counts the connections that sent an HTTP request of op.
func (s *silentListener) requests(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.read {
		if strings.Contains(r, "x-acs-action: "+op) || strings.Contains(strings.ToLower(r), "x-acs-action: "+strings.ToLower(op)) {
			n++
		}
	}
	return n
}

func TestHTTPSClientToPlainHTTPEndpointFailsAtOnce(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Options{QPS: -1})
	log := &recLogger{}
	c := productionClient(t, e.Endpoint(), "https", log)
	want := fmt.Sprintf("DescribeLivePullToPushList failed: the API endpoint %s answers plain HTTP, not HTTPS (server "+
		"gave HTTP response to HTTPS client); set protocol = \"http\" (or ALILIVE_PROTOCOL=http) to use it, or point "+
		"the endpoint setting at an HTTPS server", e.Endpoint())
	start := time.Now()
	_, err := c.List(context.Background(), "", ListFilter{})
	elapsed := time.Since(start)
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if elapsed > 3*time.Second {
		t.Fatalf("took %v", elapsed)
	}
	if n := len(log.warnings()); n != 0 {
		t.Fatalf("retries = %d, want 0", n)
	}
	var te *TransportError
	if !errors.As(err, &te) || te.Attempts != 1 || te.Region != "cn-shanghai" {
		t.Fatalf("TransportError = %+v", te)
	}
	if got := Advice(err); got != `set protocol = "http" (or ALILIVE_PROTOCOL=http) to use it, or point the endpoint `+
		`setting at an HTTPS server` {
		t.Fatalf("Advice = %q", got)
	}
	// A create is not ambiguous: nothing reached the service, so there is
	// no lookup and no second attempt.
	_, err = c.Create(context.Background(), emulatorSpec(e, 1))
	want = strings.Replace(want, "DescribeLivePullToPushList", "CreateLivePullToPush", 1)
	if err == nil || err.Error() != want {
		t.Fatalf("create err = %v\nwant %s", err, want)
	}
	if n := len(log.warnings()); n != 0 {
		t.Fatalf("create retries = %d, want 0", n)
	}
	if n := e.Stats().TotalCalls(); n != 0 {
		t.Fatalf("the emulator saw %d calls", n)
	}
}

func TestHTTPClientToTLSEndpointFailsAtOnce(t *testing.T) {
	t.Parallel()
	var served atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { served.Add(1) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake errors are the point of the test
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ep := strings.TrimPrefix(srv.URL, "https://")
	rec := &recLogger{}
	c := productionClient(t, ep, "http", rec)
	start := time.Now()
	err := c.Delete(context.Background(), "", "task-1")
	want := fmt.Sprintf("DeleteLivePullToPush failed for task task-1: the API endpoint %s expects HTTPS, not plain "+
		"HTTP (HTTP 400: Client sent an HTTP request to an HTTPS server.); set protocol = \"https\" (or "+
		"ALILIVE_PROTOCOL=https), or leave protocol unset", ep)
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Fatalf("took %v", el)
	}
	if n := len(rec.warnings()); n != 0 {
		t.Fatalf("retries = %d, want 0", n)
	}
	if n := served.Load(); n != 0 {
		t.Fatalf("the TLS server served %d requests", n)
	}

	// The converse on the same server: https, but its certificate is
	// signed by no authority the client trusts.
	c = productionClient(t, ep, "https", rec)
	_, err = c.Describe(context.Background(), "", "task-1")
	want = fmt.Sprintf("DescribeLivePullToPush failed for task task-1: the API endpoint %s presented a TLS "+
		"certificate that cannot be trusted (x509: certificate signed by unknown authority); check that the "+
		"provider's endpoint setting names the API by the host name of its certificate, and that no proxy "+
		"intercepts TLS", ep)
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if n := len(rec.warnings()); n != 0 || served.Load() != 0 {
		t.Fatalf("retries = %d, served = %d; want 0 and 0", n, served.Load())
	}
}

// A TLS server that is not Go's answers a plain HTTP request with a TLS
// alert record.
func TestHTTPClientToTLSAlertFailsAtOnce(t *testing.T) {
	t.Parallel()
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	var conns atomic.Int32
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			_, _ = c.Read(make([]byte, 4096))
			_, _ = c.Write([]byte("\x15\x03\x01\x00\x02\x02\x46"))
			_ = c.Close()
		}
	}()
	log := &recLogger{}
	c := productionClient(t, l.Addr().String(), "http", log)
	_, err = c.List(context.Background(), "", ListFilter{})
	want := fmt.Sprintf("DescribeLivePullToPushList failed: the API endpoint %s expects HTTPS, not plain HTTP (the "+
		"answer is a TLS record); set protocol = \"https\" (or ALILIVE_PROTOCOL=https), or leave protocol unset",
		l.Addr())
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if n := len(log.warnings()); n != 0 || conns.Load() != 1 {
		t.Fatalf("retries = %d, connections = %d; want 0 and 1", n, conns.Load())
	}
}

// TestUnresponsiveEndpoints runs its cases concurrently (each waits on
// timers of the production timings, so they overlap in 10 s of wall time):
// an endpoint that accepts connections and never answers, over http and
// https, and a black hole (Linux only).
func TestUnresponsiveEndpoints(t *testing.T) {
	t.Parallel()
	type tcase struct {
		name, addr, protocol, want string
		conns                      func() int32
		requests                   func() int
	}
	silentHTTP, silentHTTPS := newSilentListener(t), newSilentListener(t)
	cases := []tcase{
		{"never answers http", silentHTTP.addr(), "http", "DescribeLivePullToPushList failed: the API endpoint %s " +
			"accepted the connection but sent no answer within 5s of the request; check that the provider's " +
			"endpoint setting names the API, and its protocol setting (gave up after 2 attempts)",
			silentHTTP.conns.Load, func() int { return silentHTTP.requests(OpList) }},
		{"never answers https", silentHTTPS.addr(), "https", "DescribeLivePullToPushList failed: the API endpoint " +
			"%s accepted the connection but did not answer the TLS handshake within 5s; check the provider's " +
			"endpoint setting; if the endpoint serves plain HTTP, set protocol = \"http\" (or " +
			"ALILIVE_PROTOCOL=http) (gave up after 2 attempts)", silentHTTPS.conns.Load, nil},
	}
	if addr, ok := blackHole(t); ok {
		cases = append(cases, tcase{"black hole", addr, "http", "DescribeLivePullToPushList failed: the API " +
			"endpoint %s did not accept a connection within 5s; check the provider's endpoint setting, and that " +
			"no firewall drops the traffic (gave up after 2 attempts)", nil, nil})
	}
	var wg sync.WaitGroup
	for _, tc := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(tc.name, func(t *testing.T) {
				log := &recLogger{}
				c := productionClient(t, tc.addr, tc.protocol, log)
				start := time.Now()
				_, err := c.List(context.Background(), "", ListFilter{})
				elapsed := time.Since(start)
				if want := fmt.Sprintf(tc.want, tc.addr); err == nil || err.Error() != want {
					t.Fatalf("err = %v\nwant %s", err, want)
				}
				// Two attempts of 5 s and one backoff of at most 200 ms.
				if elapsed < 10*time.Second || elapsed > 15*time.Second {
					t.Fatalf("took %v, want 10 s to 15 s", elapsed)
				}
				if tc.conns != nil {
					if n := tc.conns(); n != 2 {
						t.Fatalf("connections = %d, want 2", n)
					}
				}
				if tc.requests != nil {
					if n := tc.requests(); n != 2 {
						t.Fatalf("requests = %d, want 2", n)
					}
				}
				w := log.warnings()
				if len(w) != 1 || w[0].fields["error_code"] != "transport:silent" {
					t.Fatalf("retry warnings = %+v, want one transport:silent", w)
				}
				t.Logf("failed after %v", elapsed)
			})
		}()
	}
	wg.Wait()
}

// A create whose answer never comes may have committed: the client looks
// the task up by dst_url before anything else, and reports that the
// lookup failed too. Shortened response timeout.
func TestCreateToEndpointThatNeverAnswers(t *testing.T) {
	t.Parallel()
	s := newSilentListener(t)
	c := productionClient(t, s.addr(), "http", nil)
	c.respTimeout = 300 * time.Millisecond
	c.backoffBase, c.backoffCap = 5*time.Millisecond, 5*time.Millisecond
	spec := testSpec("rtmp://dst.example.com/app/silent")
	start := time.Now()
	_, err := c.Create(context.Background(), spec)
	elapsed := time.Since(start)
	// Each failure once, the advice once, then what to look for.
	want := fmt.Sprintf("CreateLivePullToPush failed: the API endpoint %[1]s accepted the connection but sent no "+
		"answer within 300ms of the request; the request may have created the task, and looking it up by dst_url "+
		"failed: DescribeLivePullToPushList failed: the API endpoint %[1]s accepted the connection but sent no "+
		"answer within 300ms of the request (gave up after 2 attempts); check that the provider's endpoint "+
		"setting names the API, and its protocol setting, then look for a task with dst_url "+
		"\"rtmp://dst.example.com/app/silent\" before applying again", s.addr())
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if elapsed > 3*time.Second {
		t.Fatalf("took %v", elapsed)
	}
	if got := Advice(err); got != "check that the provider's endpoint setting names the API, and its protocol "+
		"setting, then look for a task with dst_url \"rtmp://dst.example.com/app/silent\" before applying again" {
		t.Fatalf("Advice = %q", got)
	}
	var te *TransportError
	if !errors.As(err, &te) || te.Operation != OpCreate {
		t.Fatalf("the create's TransportError is not in the chain: %+v", te)
	}
	// Two attempts of the list before the create, one create, two of the lookup.
	if cr, ls := s.requests(OpCreate), s.requests(OpList); cr != 1 || ls != 4 {
		t.Fatalf("Create requests = %d, List requests = %d; want 1 and 4", cr, ls)
	}
}

// The silent-attempt budget is per call and counts only silent attempts:
// a 503 in between is retried as usual.
func TestSilentBudgetCountsOnlySilentAttempts(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1, 3:
			<-r.Context().Done() // never answers
		case 2:
			apiErr(w, 503, "ServiceUnavailable", "busy")
		case 4:
			time.Sleep(400 * time.Millisecond)
			writeJSON(w, 200, map[string]any{"RequestId": "rid-ok", "TaskList": []any{}, "Total": 0})
		default:
			writeJSON(w, 200, map[string]any{"RequestId": "rid-ok", "TaskList": []any{}, "Total": 0})
		}
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, strings.TrimPrefix(srv.URL, "http://"), 0, nil)
	c.respTimeout = 200 * time.Millisecond
	_, err := c.List(context.Background(), "", ListFilter{})
	want := fmt.Sprintf("DescribeLivePullToPushList failed: the API endpoint %s accepted the connection but sent no "+
		"answer within 200ms of the request; check that the provider's endpoint setting names the API, and its "+
		"protocol setting (gave up after 3 attempts)", strings.TrimPrefix(srv.URL, "http://"))
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if got := n.Load(); got != 3 {
		t.Fatalf("requests = %d, want 3", got)
	}
	// A slow answer within the response timeout is not silent.
	c.respTimeout = time.Second
	if _, err := c.List(context.Background(), "", ListFilter{}); err != nil {
		t.Fatal(err)
	}
	if got := n.Load(); got != 4 {
		t.Fatalf("requests = %d, want 4", got)
	}
}
