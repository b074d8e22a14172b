package emulator_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// headerRecorder is the SDK's HTTP client that keeps the headers of the
// last answer, lower-cased as the SDK presents them.
type headerRecorder struct {
	*transport
	mu   sync.Mutex
	last map[string]*string
}

func (h *headerRecorder) Call(req *http.Request, tr *http.Transport) (*http.Response, error) {
	resp, err := h.transport.Call(req, tr)
	if err != nil {
		return nil, err
	}
	m := map[string]*string{}
	for k := range resp.Header {
		m[strings.ToLower(k)] = tea.String(resp.Header.Get(k))
	}
	h.mu.Lock()
	h.last = m
	h.mu.Unlock()
	return resp, nil
}

func (h *headerRecorder) headers() map[string]*string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.last
}

var rateLimitHeader = regexp.MustCompile(`^Limit:(\d+),Remain:0,TimeLeft:(\d+),Reset:(\d+)$`)

// TestThrottledAnswerCarriesTimeLeft: a throttled answer carries
// x-ratelimit-user-api as the gateway sends it; the official SDK's own
// parser reads its TimeLeft, and a call made that long later is admitted.
func TestThrottledAnswerCarriesTimeLeft(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: 2})
	rec := &headerRecorder{transport: newTransport()}
	cfg := config(e)
	cfg.HttpClient = rec
	c := newClient(t, cfg)

	sdkErr(t, describeMissing(c), 400, "CodeTaskNotExist")
	if h := rec.headers()["x-ratelimit-user-api"]; h != nil {
		t.Fatalf("an admitted call carries x-ratelimit-user-api: %q", *h)
	}
	sdkErr(t, describeMissing(c), 400, "CodeTaskNotExist")
	before := time.Now()
	sdkErr(t, describeMissing(c), 400, "Throttling.User")
	h := rec.headers()["x-ratelimit-user-api"]
	if h == nil {
		t.Fatal("the throttled answer has no x-ratelimit-user-api header")
	}
	m := rateLimitHeader.FindStringSubmatch(*h)
	if m == nil {
		t.Fatalf("x-ratelimit-user-api = %q, want Limit:..,Remain:0,TimeLeft:..,Reset:..", *h)
	}
	left := tea.Int64Value(openapiutil.GetThrottlingTimeLeft(rec.headers()))
	if strconv.FormatInt(left, 10) != m[2] || m[1] != "2" || left <= 0 || left > 1000 {
		t.Fatalf("header %q: the SDK reads TimeLeft %d ms", *h, left)
	}
	reset, _ := strconv.ParseInt(m[3], 10, 64)
	if d := time.UnixMilli(reset).Sub(before); d < time.Duration(left)*time.Millisecond-time.Millisecond || d > time.Duration(left)*time.Millisecond+time.Second {
		t.Fatalf("Reset %d is %v after the call, TimeLeft %d ms", reset, d, left)
	}
	time.Sleep(time.Duration(left) * time.Millisecond)
	sdkErr(t, describeMissing(c), 400, "CodeTaskNotExist")
}

// TestInjectedThrottleCarriesTimeLeft: a throttle injected by a fault
// plan, with room in the window, advises no wait.
func TestInjectedThrottleCarriesTimeLeft(t *testing.T) {
	e := startEmulator(t, emulator.Options{Faults: "op=describe,kinds=throttle,nth=1"})
	rec := &headerRecorder{transport: newTransport()}
	cfg := config(e)
	cfg.HttpClient = rec
	sdkErr(t, describeMissing(newClient(t, cfg)), 400, "Throttling.User")
	h := rec.headers()["x-ratelimit-user-api"]
	if h == nil || !regexp.MustCompile(`^Limit:10,Remain:0,TimeLeft:0,Reset:\d+$`).MatchString(*h) {
		t.Fatalf("x-ratelimit-user-api = %v", tea.StringValue(h))
	}
}
