package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alibabacloud-go/tea/tea"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// control calls the control surface with plain net/http.
func control(t *testing.T, e *emulator.Server, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, "http://"+e.Endpoint()+"/_emulator/"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(data))
}

func TestControlSurface(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := sdk(t, e)
	now := e.Now()
	id := create(t, c, createReq(now, "rtmp://push.example.com/app/c"))
	sdkErr(t, describeErr(c, "missing"), 400, "CodeTaskNotExist")

	if code, body := control(t, e, "GET", "stats", ""); code != 200 ||
		body != `{"calls":{"CreateLivePullToPush":1,"DescribeLivePullToPush":1},"errors":{"DescribeLivePullToPush":1},"throttled":{}}` {
		t.Fatalf("stats: %d %s", code, body)
	}
	if code, body := control(t, e, "POST", "stats/reset", ""); code != 200 || body != `{"calls":{},"errors":{},"throttled":{}}` {
		t.Fatalf("stats/reset: %d %s", code, body)
	}
	code, body := control(t, e, "GET", "tasks", "")
	var tasks []emulator.Task
	if code != 200 || json.Unmarshal([]byte(body), &tasks) != nil || len(tasks) != 1 || tasks[0].TaskId != id || tasks[0].TaskInfo.SourceProtocol != "RTMP" {
		t.Fatalf("tasks: %d %s", code, body)
	}
	if !strings.Contains(body, `"TaskInfo":{"TaskId":"`+id+`"`) || !strings.Contains(body, `"CallbackURL":""`) {
		t.Fatalf("tasks shape: %s", body)
	}
	if code, body := control(t, e, "GET", "clock", ""); code != 200 || body != `{"now":"`+fmtT(now)+`"}` {
		t.Fatalf("clock: %d %s", code, body)
	}
	if code, body := control(t, e, "POST", "clock", `{"advance":"1h"}`); code != 200 || body != `{"now":"`+fmtT(now.Add(time.Hour))+`"}` {
		t.Fatalf("advance: %d %s", code, body)
	}
	wantStatus(t, c, id, 1, "")
	if code, body := control(t, e, "POST", "clock", `{"advance":"soon"}`); code != 400 || !strings.Contains(body, `"Code":"InvalidParameter"`) {
		t.Fatalf("bad advance: %d %s", code, body)
	}
	if code, body := control(t, e, "POST", "tasks/"+id+"/fail", `{"reason":"PullStreamFailed"}`); code != 200 || !strings.Contains(body, `"TaskStatus":2,"TaskInvalidReason":"PullStreamFailed"`) {
		t.Fatalf("fail: %d %s", code, body)
	}
	if code, body := control(t, e, "POST", "tasks/"+id+"/fail", `{"reason":"PullStreamFailed"}`); code != 409 || !strings.Contains(body, "is not running") {
		t.Fatalf("fail again: %d %s", code, body)
	}
	if code, body := control(t, e, "PATCH", "tasks/"+id, `{"TaskName":"drifted","TaskStatus":1,"StartTime":"`+now.Add(-time.Minute).Format(time.RFC3339)+`"}`); code != 200 ||
		!strings.Contains(body, `"TaskStatus":1`) || !strings.Contains(body, `"TaskName":"drifted"`) {
		t.Fatalf("patch: %d %s", code, body)
	}
	if code, body := control(t, e, "PATCH", "tasks/"+id, `{"Colour":"red"}`); code != 400 {
		t.Fatalf("patch unknown field: %d %s", code, body)
	}
	if code, body := control(t, e, "GET", "tasks/"+id, ""); code != 200 || !strings.Contains(body, `"TaskName":"drifted"`) {
		t.Fatalf("get task: %d %s", code, body)
	}
	if code, _ := control(t, e, "DELETE", "tasks/"+id, ""); code != 204 {
		t.Fatalf("delete: %d", code)
	}
	if code, body := control(t, e, "DELETE", "tasks/"+id, ""); code != 404 || body != `{"Code":"CodeTaskNotExist","Message":"Task does not exist."}` {
		t.Fatalf("delete again: %d %s", code, body)
	}
	sdkErr(t, describeErr(c, id), 400, "CodeTaskNotExist")
	if code, body := control(t, e, "POST", "tasks", `{"Region":"cn-shanghai","TaskInfo":{"TaskId":"added","DstUrl":"rtmp://a.example.com/b","SourceType":"live","SourceProtocol":"rtmp","SourceUrls":["rtmp://s.example.com/a"]}}`); code != 200 || !strings.Contains(body, `"TaskId":"added"`) {
		t.Fatalf("add: %d %s", code, body)
	}
	describe(t, c, "added")
	if code, body := control(t, e, "POST", "faults", `{"plan":"rate=2"}`); code != 400 || !strings.Contains(body, "rate must be a number from 0 to 1") {
		t.Fatalf("bad faults: %d %s", code, body)
	}
	if code, body := control(t, e, "POST", "faults", `{"plan":"op=Describe,kinds=internal,every=1"}`); code != 200 || body != `{"plan":"op=Describe,kinds=internal,every=1"}` {
		t.Fatalf("faults: %d %s", code, body)
	}
	if code, body := control(t, e, "GET", "faults", ""); code != 200 || body != `{"plan":"op=Describe,kinds=internal,every=1"}` {
		t.Fatalf("get faults: %d %s", code, body)
	}
	sdkErr(t, describeErr(c, "added"), 500, "InternalError")
	if code, _ := control(t, e, "POST", "faults", `{"plan":""}`); code != 200 {
		t.Fatal("clear faults")
	}
	if code, body := control(t, e, "POST", "qps", `{"qps":1}`); code != 200 || body != `{"qps":1}` {
		t.Fatalf("qps: %d %s", code, body)
	}
	describe(t, c, "added")
	sdkErr(t, describeErr(c, "added"), 400, "Throttling.User")
	if code, body := control(t, e, "POST", "reset", ""); code != 200 || body != `{"status":"reset"}` {
		t.Fatalf("reset: %d %s", code, body)
	}
	if code, body := control(t, e, "GET", "tasks", ""); code != 200 || body != `[]` {
		t.Fatalf("tasks after reset: %d %s", code, body)
	}
	if code, body := control(t, e, "GET", "nothing", ""); code != 404 || body != `{"Code":"NotFound","Message":"No control endpoint GET /_emulator/nothing."}` {
		t.Fatalf("unknown: %d %s", code, body)
	}
	// Loopback only.
	rec := httptest.NewRecorder()
	req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/_emulator/stats", nil)
	req.RemoteAddr = "192.0.2.7:4000"
	e.ServeHTTP(rec, req)
	if rec.Code != 403 || strings.TrimSpace(rec.Body.String()) != `{"Code":"Forbidden","Message":"The control surface answers loopback callers only."}` {
		t.Fatalf("remote: %d %s", rec.Code, rec.Body.String())
	}
}

// receiver collects callback payloads.
type receiver struct {
	mu       sync.Mutex
	payloads []map[string]any
	status   int
	delay    time.Duration
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var m map[string]any
	_ = json.NewDecoder(req.Body).Decode(&m)
	if req.Method != http.MethodPost || req.Header.Get("Content-Type") != "application/json" {
		m = map[string]any{"bad request": req.Method}
	}
	r.mu.Lock()
	r.payloads = append(r.payloads, m)
	status, delay := r.status, r.delay
	r.mu.Unlock()
	time.Sleep(delay)
	if status == 0 {
		status = 200
	}
	w.WriteHeader(status)
}

func (r *receiver) events() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, p := range r.payloads {
		s := fmt.Sprint(p["Event"]) + "/" + jsonNum(p["TaskStatus"])
		if v, ok := p["TaskInvalidReason"]; ok {
			s += "/" + fmt.Sprint(v)
		}
		if v, ok := p["TaskExitReason"]; ok {
			s += "/" + fmt.Sprint(v)
		}
		out = append(out, s)
	}
	return out
}

func jsonNum(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestCallbacks(t *testing.T) {
	rcv := &receiver{}
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := sdk(t, e)
	now := e.Now()
	req := createReq(now, "rtmp://push.example.com/app/cb")
	req.CallbackUrl = tea.String(hook.URL + "/hook")
	id := create(t, c, req)
	e.Advance(time.Hour) // start
	if err := e.FailTask(id, "PullStreamFailed"); err != nil {
		t.Fatal(err)
	}
	e.Advance(3 * time.Minute) // retries exhausted
	if err := restart(c, id); err != nil {
		t.Fatal(err)
	}
	if err := stop(c, id); err != nil {
		t.Fatal(err)
	}
	if err := del(c, id); err != nil {
		t.Fatal(err)
	}
	e.WaitCallbacks()
	want := []string{
		"LivePullToPushRunning/1",
		"LivePullToPushRunning/2/PullStreamFailed",
		"LivePullToPushRunning/3/RetryTimesOffline",
		"LivePullToPushRunning/1",
		"LivePullToPushRunning/3/TriggerByUser",
		"LivePullToPushExit/-1/TriggerByUser",
	}
	if got := strings.Join(rcv.events(), " "); got != strings.Join(want, " ") {
		t.Fatalf("events:\n got %s\nwant %s", got, strings.Join(want, " "))
	}
	first := rcv.payloads[0]
	if first["TaskId"] != id || first["EventTime"] != jsonStr(now.Add(time.Hour).Unix()) {
		t.Fatalf("first payload %v", first)
	}
	info, _ := first["TaskInfo"].(map[string]any)
	if info["TaskId"] != id || info["CallbackURL"] != hook.URL+"/hook" || info["SourceProtocol"] != "RTMP" {
		t.Fatalf("TaskInfo %v", info)
	}
	// Expiry: exit with OverEndTime at EndTime.
	rcv.mu.Lock()
	rcv.payloads = nil
	rcv.mu.Unlock()
	req = createReq(e.Now(), "rtmp://push.example.com/app/cb2")
	req.CallbackUrl = tea.String(hook.URL + "/hook")
	id2 := create(t, c, req)
	e.Advance(3 * time.Hour)
	e.WaitCallbacks()
	if got := strings.Join(rcv.events(), " "); got != "LivePullToPushRunning/1 LivePullToPushExit/-1/OverEndTime" {
		t.Fatalf("expiry events %s", got)
	}
	exit := rcv.payloads[1]
	end := e.Now().Add(-3 * time.Hour).Add(2 * time.Hour).Unix()
	if exit["TaskId"] != id2 || exit["TaskExitTime"] != float64(end) || exit["EventTime"] != jsonStr(end) {
		t.Fatalf("exit payload %v", exit)
	}
}

func jsonStr(n int64) string { return strings.Trim(jsonNum(n), `"`) }

func TestCallbacksNeverBlockAndFailuresChangeNothing(t *testing.T) {
	rcv := &receiver{status: 500, delay: 300 * time.Millisecond}
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	var logs bytes.Buffer
	var logMu sync.Mutex
	e := startEmulator(t, emulator.Options{QPS: -1, Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &logMu}, nil))})
	c := sdk(t, e)
	req := createReq(e.Now(), "rtmp://push.example.com/app/slow")
	req.StartTime = tea.String(fmtT(e.Now()))
	req.CallbackUrl = tea.String(hook.URL)
	id := create(t, c, req)
	start := time.Now()
	for range 3 {
		if err := restart(c, id); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(start); took > 250*time.Millisecond {
		t.Fatalf("API calls waited for callbacks: %v", took)
	}
	e.WaitCallbacks()
	wantStatus(t, c, id, 1, "")
	if n := len(rcv.events()); n != 4 {
		t.Fatalf("%d callbacks, want 4", n)
	}
	logMu.Lock()
	defer logMu.Unlock()
	if got := strings.Count(logs.String(), `msg="callback rejected"`); got != 4 {
		t.Fatalf("%d rejected-callback log lines:\n%s", got, logs.String())
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestRequestLog(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	e := startEmulator(t, emulator.Options{Logger: slog.New(slog.NewJSONHandler(&lockedWriter{w: &logs, mu: &mu}, nil))})
	c := newClient(t, stsConfig(e, emulator.DefaultSTSSecurityToken))
	id := create(t, c, createReq(e.Now(), "rtmp://push.example.com/app/log"))
	sdkErr(t, describeErr(c, "nope"), 400, "CodeTaskNotExist")
	bad := config(e)
	bad.AccessKeySecret = tea.String("wrong")
	sdkErr(t, describeErr(newClient(t, bad), id), 400, "SignatureDoesNotMatch")
	mu.Lock()
	defer mu.Unlock()
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d log lines:\n%s", len(lines), logs.String())
	}
	want := []struct {
		op, code string
		status   float64
	}{{"CreateLivePullToPush", "", 200}, {"DescribeLivePullToPush", "CodeTaskNotExist", 400}, {"DescribeLivePullToPush", "SignatureDoesNotMatch", 400}}
	for i, line := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		if m["msg"] != "request" || m["operation"] != want[i].op || m["code"] != want[i].code || m["status"] != want[i].status {
			t.Fatalf("line %d: %s", i, line)
		}
		if _, ok := m["latency"]; !ok {
			t.Fatalf("line %d has no latency: %s", i, line)
		}
	}
	for _, secret := range []string{emulator.DefaultAccessKeySecret, emulator.DefaultSTSAccessKeySecret, emulator.DefaultSTSSecurityToken, "wrong"} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("log contains a secret %q", secret)
		}
	}
}

func TestStateFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	clock := frozenClock()
	e1 := startEmulator(t, emulator.Options{QPS: -1, StateFile: path, Now: clock})
	c := sdk(t, e1)
	id1 := create(t, c, createReq(e1.Now(), "rtmp://push.example.com/app/s1"))
	req := createReq(e1.Now(), "rtmp://push.example.com/app/s2")
	req.StartTime = tea.String(fmtT(e1.Now()))
	req.TaskName = tea.String("second")
	id2 := create(t, c, req)
	if err := e1.FailTask(id2, "PushStreamFailed"); err != nil {
		t.Fatal(err)
	}
	before := e1.Tasks()
	if err := e1.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || !json.Valid(data) {
		t.Fatalf("state file: %v %s", err, data)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".state.json.tmp-*")); len(leftovers) != 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}
	e2 := startEmulator(t, emulator.Options{QPS: -1, StateFile: path, Now: clock})
	after := e2.Tasks()
	bj, _ := json.Marshal(before)
	aj, _ := json.Marshal(after)
	if string(bj) != string(aj) {
		t.Fatalf("round trip:\n before %s\n after  %s", bj, aj)
	}
	c2 := sdk(t, e2)
	describe(t, c2, id1)
	// The recovering task still gives up on time after the restart.
	e2.Advance(3 * time.Minute)
	wantStatus(t, c2, id2, 3, "PushStreamFailed")
	// A new task continues the creation order.
	id3 := create(t, c2, createReq(e2.Now(), "rtmp://push.example.com/app/s3"))
	if ts := e2.Tasks(); len(ts) != 3 || ts[2].TaskId != id3 {
		t.Fatalf("order after reload: %v", ts)
	}
	// A broken state file is refused.
	if err := os.WriteFile(path, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := emulator.New(emulator.Options{StateFile: path}); err == nil || !strings.Contains(err.Error(), "is not valid JSON") {
		t.Fatalf("broken state file: %v", err)
	}
}

// captureTransport records callback bodies instead of sending them.
type captureTransport struct {
	mu     sync.Mutex
	bodies []string
}

func (c *captureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	data, _ := io.ReadAll(r.Body)
	_ = r.Body.Close()
	c.mu.Lock()
	c.bodies = append(c.bodies, r.URL.String()+" "+string(data))
	c.mu.Unlock()
	return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
}

func TestCallbackTransport(t *testing.T) {
	ct := &captureTransport{}
	e := startEmulator(t, emulator.Options{QPS: -1, CallbackTransport: ct})
	now := e.Now()
	id, err := e.AddTask("", emulator.TaskInfo{TaskId: "cb-task", DstUrl: "rtmp://a.example.com/b", CallbackURL: "https://hooks.example.com/live",
		StartTime: fmtT(now), EndTime: fmtT(now.Add(time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.DeleteTask(id); err != nil {
		t.Fatal(err)
	}
	e.WaitCallbacks()
	ct.mu.Lock()
	defer ct.mu.Unlock()
	want := []string{
		`https://hooks.example.com/live {"Event":"LivePullToPushRunning","EventTime":"` + jsonStr(now.Unix()) + `","TaskId":"cb-task","TaskStatus":1,"TaskInfo":{"TaskId":"cb-task","TaskName":"","StartTime":"` + fmtT(now) + `","EndTime":"` + fmtT(now.Add(time.Hour)) + `","SourceType":"","SourceProtocol":"","SourceUrls":[],"DstUrl":"rtmp://a.example.com/b","CallbackURL":"https://hooks.example.com/live","RepeatNumber":0,"FileIndex":0,"Offset":0,"RetryCount":0,"RetryInterval":60}}`,
		`https://hooks.example.com/live {"Event":"LivePullToPushExit","EventTime":"` + jsonStr(now.Unix()) + `","TaskId":"cb-task","TaskStatus":-1,"TaskInfo":{"TaskId":"cb-task","TaskName":"","StartTime":"` + fmtT(now) + `","EndTime":"` + fmtT(now.Add(time.Hour)) + `","SourceType":"","SourceProtocol":"","SourceUrls":[],"DstUrl":"rtmp://a.example.com/b","CallbackURL":"https://hooks.example.com/live","RepeatNumber":0,"FileIndex":0,"Offset":0,"RetryCount":0,"RetryInterval":60},"TaskExitReason":"TriggerByUser","TaskExitTime":` + jsonNum(now.Unix()) + `}`,
	}
	if strings.Join(ct.bodies, "\n") != strings.Join(want, "\n") {
		t.Fatalf("callbacks:\n got %s\nwant %s", strings.Join(ct.bodies, "\n"), strings.Join(want, "\n"))
	}
}
