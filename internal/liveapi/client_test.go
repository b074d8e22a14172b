package liveapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

func testSpec(dst string) Spec {
	start := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	return Spec{
		Region: "cn-shanghai", TaskName: "relay", StartTime: start, EndTime: start.Add(2 * time.Hour),
		SourceType: "live", SourceProtocol: "rtmp", SourceURLs: []string{"rtmp://src.example.com/app/s"},
		DstURL: dst, RetryCount: 3, RetryInterval: 60,
	}
}

func TestDescribeNotFoundWording(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 0, nil)
	_, err := c.Describe(context.Background(), "", "nope")
	want := "DescribeLivePullToPush failed for task nope: CodeTaskNotExist (HTTP 400, request ID rid-nx): Task does not exist."
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if !errors.Is(err, ErrNotFound) {
		t.Fatal("errors.Is(err, ErrNotFound) = false")
	}
	var api *APIError
	if !errors.As(err, &api) || api.Code != CodeTaskNotExist || api.HTTPStatus != 400 || api.RequestID != "rid-nx" {
		t.Fatalf("APIError = %+v", api)
	}
	if n := f.count(OpDescribe); n != 1 {
		t.Fatalf("Describe calls = %d, want 1", n)
	}
}

func TestCreateDescribeRoundTrip(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 0, nil)
	spec := testSpec("rtmp://dst.example.com/app/one")
	spec.SourceProtocol = "RTMP"
	spec.CallbackURL = "https://cb.example.com/hook"
	id, err := c.Create(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Describe(context.Background(), "cn-shanghai", id)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != id || got.Spec.SourceProtocol != "rtmp" || got.Spec.Region != "cn-shanghai" {
		t.Fatalf("got %+v", got)
	}
	if !SameSpec(spec, got.Spec) {
		t.Fatalf("read back spec differs:\n got  %+v\n want %+v", got.Spec, spec)
	}
	if f.count(OpCreate) != 1 || f.count(OpDescribe) != 1 {
		t.Fatalf("calls = %v", f.calls)
	}
}

func TestRetCodeIsAnError(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 0, nil)
	f.fault(OpDelete, "retcode")
	err := c.Delete(context.Background(), "", "task-9")
	want := "DeleteLivePullToPush failed for task task-9: RetCode1 (HTTP 200, request ID rid-retcode): Failed"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if n := f.count(OpDelete); n != 1 {
		t.Fatalf("Delete calls = %d, want 1", n)
	}
}

func TestRetryThrottlingThenSuccess(t *testing.T) {
	f := newFake(t)
	log := &recLogger{}
	c := newTestClient(t, f.endpoint(), 0, log)
	f.fault(OpList, "throttle", "503", "drop")
	if _, err := c.List(context.Background(), "", ListFilter{}); err != nil {
		t.Fatal(err)
	}
	if n := f.count(OpList); n != 4 {
		t.Fatalf("List calls = %d, want 4", n)
	}
	w := log.warnings()
	if len(w) != 3 {
		t.Fatalf("retry warnings = %d, want 3: %+v", len(w), w)
	}
	wantCodes := []string{"Throttling.User", "ServiceUnavailable", "transport:broken"}
	for i, e := range w {
		for _, k := range []string{"operation", "task_id", "attempt", "wait_ms", "error_code", "request_id"} {
			if _, ok := e.fields[k]; !ok {
				t.Errorf("warning %d lacks field %s: %v", i, k, e.fields)
			}
		}
		if e.fields["error_code"] != wantCodes[i] || e.fields["attempt"] != i+1 || e.fields["operation"] != OpList {
			t.Errorf("warning %d = %v", i, e.fields)
		}
	}
	if w[0].fields["request_id"] != "rid-Throttling.User" {
		t.Errorf("request_id = %v", w[0].fields["request_id"])
	}
}

func TestRetriesExhausted(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 0, nil) // MaxRetries 4
	f.fault(OpDescribe, "500", "500", "500", "500", "500", "500", "500")
	_, err := c.Describe(context.Background(), "", "task-1")
	want := "DescribeLivePullToPush failed for task task-1: InternalError (HTTP 500, request ID rid-InternalError): " +
		"The request processing has failed due to some unknown error."
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if n := f.count(OpDescribe); n != 5 {
		t.Fatalf("Describe calls = %d, want 5 (1 + MaxRetries)", n)
	}
}

func TestPermanentErrorsFailAtOnce(t *testing.T) {
	for _, code := range []string{"InvalidParameter", "MissingParameter", "InvalidParam.CodeIllegalDuration",
		"InvalidAccessKeyId.NotFound", "SignatureDoesNotMatch", "Forbidden.RAM", CodeNotEnoughResource,
		CodeTaskNotExist} {
		t.Run(code, func(t *testing.T) {
			f := newFake(t)
			c := newTestClient(t, f.endpoint(), 0, nil)
			status := 400
			if code == "InvalidAccessKeyId.NotFound" {
				status = 404
			}
			if strings.HasPrefix(code, "Forbidden") {
				status = 403
			}
			f.fault(OpStop, fmt.Sprintf("err:%d:%s:bad", status, code))
			err := c.Stop(context.Background(), "", "task-1")
			var api *APIError
			if !errors.As(err, &api) || api.Code != code || api.HTTPStatus != status {
				t.Fatalf("err = %v", err)
			}
			if n := f.count(OpStop); n != 1 {
				t.Fatalf("Stop calls = %d, want 1", n)
			}
		})
	}
}

func TestSecretNeverInError(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 0, nil)
	f.fault(OpDescribe, "err:400:SignatureDoesNotMatch:key "+testSecret+" mismatch. server string to sign is: GET&%2F&x")
	_, err := c.Describe(context.Background(), "", "task-1")
	want := "DescribeLivePullToPush failed for task task-1: SignatureDoesNotMatch (HTTP 400, request ID " +
		"rid-SignatureDoesNotMatch): key *** mismatch."
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
}

// closedPort returns a 127.0.0.1 address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestConnectionRefusedFailsFast(t *testing.T) {
	addr := closedPort(t)
	log := &recLogger{}
	c := newTestClient(t, addr, 0, log)
	c.maxRetries = 8
	c.backoffBase, c.backoffCap = 200*time.Millisecond, 5*time.Second
	start := time.Now()
	_, err := c.Describe(context.Background(), "", "task-1")
	elapsed := time.Since(start)
	want := fmt.Sprintf("DescribeLivePullToPush failed for task task-1: the API endpoint %s refused the connection; "+
		"check the provider's endpoint and protocol settings and that the service is running (gave up after 3 attempts)", addr)
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if elapsed > 3*time.Second {
		t.Fatalf("took %v", elapsed)
	}
	if n := len(log.warnings()); n != 2 {
		t.Fatalf("retries = %d, want 2", n)
	}
	var te *TransportError
	if !errors.As(err, &te) || te.Attempts != 3 {
		t.Fatalf("TransportError = %+v", te)
	}
}

func TestUnknownHostFailsAtOnce(t *testing.T) {
	log := &recLogger{}
	c := newTestClient(t, "alilive-no-such-host.invalid:443", 0, log)
	start := time.Now()
	_, err := c.Describe(context.Background(), "", "task-1")
	if time.Since(start) > 10*time.Second {
		t.Fatalf("took %v", time.Since(start))
	}
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) {
		t.Fatalf("err = %v, want a DNS error", err)
	}
	if !dnsErr.IsNotFound {
		t.Skipf("resolver answered %v instead of NXDOMAIN on this machine", dnsErr)
	}
	want := `DescribeLivePullToPush failed for task task-1: the API endpoint host "alilive-no-such-host.invalid" ` +
		`cannot be resolved (no such host); check the provider's endpoint setting`
	if err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if n := len(log.warnings()); n != 0 {
		t.Fatalf("retries = %d, want 0", n)
	}
}

func TestBackoffBounds(t *testing.T) {
	c := &Client{backoffBase: 200 * time.Millisecond, backoffCap: 5 * time.Second}
	c.jitter = func() float64 { return 0.999999 }
	wantCeilMS := []int{200, 400, 800, 1600, 3200, 5000, 5000, 5000}
	for i, ms := range wantCeilMS {
		w := time.Duration(ms) * time.Millisecond
		got := c.backoff(i+1, 0)
		if got > w || got < w*99/100 {
			t.Errorf("attempt %d: backoff %v, want just under %v", i+1, got, w)
		}
	}
	c.jitter = func() float64 { return 0 }
	if got := c.backoff(3, 0); got != 0 {
		t.Errorf("zero jitter: %v", got)
	}
	if got := c.backoff(1, 1500*time.Millisecond); got != 1500*time.Millisecond {
		t.Errorf("server advice not honoured: %v", got)
	}
	if got := c.backoff(1, time.Hour); got != 30*time.Second {
		t.Errorf("server advice not capped: %v", got)
	}
	if got := c.backoff(100, 0); got != 0 {
		t.Errorf("huge attempt: %v", got)
	}
}

func TestRetriesStopAtDeadline(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 0, nil)
	c.maxRetries = 100
	// Seconds apart, so that the answers' own latency on a loaded machine
	// (tens of milliseconds under the race detector) cannot move an attempt
	// across the deadline.
	c.backoffBase, c.backoffCap = 2*time.Second, 2*time.Second
	c.jitter = func() float64 { return 1 }
	for i := 0; i < 100; i++ {
		f.fault(OpDescribe, "throttle")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.Describe(ctx, "", "task-1")
	var api *APIError
	if !errors.As(err, &api) || api.Code != "Throttling.User" {
		t.Fatalf("err = %v", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("ran past the deadline: %v", el)
	}
	// Attempts at 0, 2 and 4 s; the wait before a fourth would pass the
	// deadline, so the call gives up at once instead of sleeping.
	if n := f.count(OpDescribe); n != 3 {
		t.Fatalf("Describe calls = %d, want 3", n)
	}
}

// assertWindow fails when more than n times fall within one second (an
// entry exactly one second old no longer counts, as at the service).
func assertWindow(t *testing.T, times []time.Time, n int) {
	t.Helper()
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for i := 0; i+n < len(times); i++ {
		if d := times[i+n].Sub(times[i]); d <= time.Second {
			t.Fatalf("calls %d..%d within %v: %d calls in one window", i, i+n, d, n+1)
		}
	}
}

func TestLimiterSpacingRealTime(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 20, nil) // 20 slots, window 1.105 s
	var mu sync.Mutex
	var times []time.Time
	var wg sync.WaitGroup
	for i := 0; i < 25; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := c.waitLimiter(context.Background(), OpDescribe)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			times = append(times, time.Now())
			mu.Unlock()
			p.Accepted()
		}()
	}
	wg.Wait()
	assertWindow(t, times, 20)
	if span := times[len(times)-1].Sub(times[0]); span > 3*time.Second {
		t.Fatalf("25 calls at 20/s took %v", span)
	}
}

func TestLimiterDeadline(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 1, nil)
	p, err := c.waitLimiter(context.Background(), OpDelete)
	if err != nil {
		t.Fatal(err)
	}
	p.Accepted()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = c.Delete(ctx, "", "task-1")
	want := "DeleteLivePullToPush failed for task task-1: the deadline would pass while waiting for the " +
		"client-side rate limit (1 calls per second): context deadline exceeded"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	var rle *RateLimitError
	if !errors.As(err, &rle) || rle.Rate != 1 || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %#v, want a *RateLimitError at 1 call per second that is a deadline", err)
	}
	if time.Since(start) > 50*time.Millisecond || f.count(OpDelete) != 0 {
		t.Fatalf("waited %v, %d calls", time.Since(start), f.count(OpDelete))
	}
}

func TestLimiterSharedAcrossClients(t *testing.T) {
	f := newFake(t)
	mk := func(ak string) *Client {
		c, err := New(Config{Credential: staticCred(t, ak, testSecret), Region: "cn-shanghai",
			Endpoint: f.endpoint(), Protocol: "http"})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b, other := mk("shared-ak"), mk("shared-ak"), mk("other-ak")
	key := func(c *Client) limiterKey {
		id, err := c.identity()
		if err != nil {
			t.Fatal(err)
		}
		return limiterKey{identity: id, endpoint: c.endpoint, operation: OpCreate, perSecond: c.rateLimit}
	}
	la, _ := sharedLimiter(key(a))
	lb, _ := sharedLimiter(key(b))
	lo, _ := sharedLimiter(key(other))
	if la != lb {
		t.Fatal("two clients of one access key and endpoint have separate limiters")
	}
	if la == lo {
		t.Fatal("two access keys share a limiter")
	}
	if a.rateLimit != DefaultRateLimit {
		t.Fatalf("default rate = %v", a.rateLimit)
	}
}

func TestNewValidates(t *testing.T) {
	cred := staticCred(t, "ak", "sk")
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Region: "cn-shanghai"}, "liveapi: Config.Credential is required"},
		{Config{Credential: cred}, "liveapi: Config.Region is required"},
		{Config{Credential: cred, Region: "cn-shanghai", Protocol: "ftp"},
			`liveapi: Config.Protocol "ftp" is not supported: use "https" or "http"`},
		{Config{Credential: cred, Region: "cn-shanghai", Endpoint: "http://x"},
			`liveapi: Config.Endpoint "http://x" must be host[:port] without a scheme`},
	} {
		if _, err := New(tc.cfg); err == nil || err.Error() != tc.want {
			t.Errorf("New(%+v) = %v, want %s", tc.cfg, err, tc.want)
		}
	}
	c, err := New(Config{Credential: cred, Region: "cn-beijing"})
	if err != nil {
		t.Fatal(err)
	}
	if c.endpoint != "live.aliyuncs.com" || c.Region() != "cn-beijing" || c.maxRetries != 0 {
		t.Fatalf("defaults: endpoint %q region %q retries %d", c.endpoint, c.Region(), c.maxRetries)
	}
}

func TestNilClient(t *testing.T) {
	var c *Client
	ctx := context.Background()
	if c.Region() != "" {
		t.Fatal("Region of a nil client")
	}
	_, err1 := c.Create(ctx, Spec{})
	_, err2 := c.Describe(ctx, "", "x")
	_, err3 := c.List(ctx, "", ListFilter{})
	for i, err := range []error{err1, err2, err3, c.Update(ctx, UpdateInput{}), c.Stop(ctx, "", "x"),
		c.Restart(ctx, "", "x"), c.Delete(ctx, "", "x")} {
		if !errors.Is(err, ErrNotConfigured) {
			t.Errorf("method %d: %v", i, err)
		}
	}
}

// TestWireShape checks what reaches the server: GETs without a body or
// chunked encoding, the Create POST with Content-Length 0.
func TestWireShape(t *testing.T) {
	type seen struct {
		method string
		te     []string
		cl     int64
	}
	var mu sync.Mutex
	var got []seen
	f := newFake(t)
	inner := f.srv.Config.Handler
	f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, seen{r.Method, r.TransferEncoding, r.ContentLength})
		mu.Unlock()
		inner.ServeHTTP(w, r)
	})
	c := newTestClient(t, f.endpoint(), 0, nil)
	id, err := c.Create(context.Background(), testSpec("rtmp://d.example.com/a/wire"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(context.Background(), "", id); err != nil {
		t.Fatal(err)
	}
	// The list before the create (GET), the create (POST), the delete (GET).
	want := []seen{{"GET", nil, 0}, {"POST", nil, 0}, {"GET", nil, 0}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("requests = %v, want %v", got, want)
	}
}
