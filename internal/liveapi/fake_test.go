package liveapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"
)

// fakeService is a minimal in-memory stand-in for the service, speaking
// the SDK's wire format without signature checks. Each operation can be
// given a queue of faults that the next calls consume.
type fakeService struct {
	mu sync.Mutex
	// tasks by ID, and their order of creation.
	tasks map[string]map[string]any
	order []string
	next  int
	calls map[string]int
	// faults[op] is consumed one per call: "" = behave, "500", "503",
	// "throttle", "drop" (close the connection without acting),
	// "commit-drop" (act, then close the connection), "commit-500" (act,
	// then answer 500), "retcode" (answer 200 with RetCode 1), "slow" (wait
	// 300 ms first), "empty" (an empty list page), "err:<status>:<code>[:<msg>]".
	faults map[string][]string
	srv    *httptest.Server
	// dupDst accepts a second task with a DstUrl in use (the variant where
	// the conflict shows at run time); newIDOnRestart gives a restarted
	// task a new ID (the variant where Restart answers "the new task ID").
	dupDst, newIDOnRestart bool
}

func newFake(t testing.TB) *fakeService {
	f := &fakeService{tasks: map[string]map[string]any{}, calls: map[string]int{}, faults: map[string][]string{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeService) endpoint() string { return strings.TrimPrefix(f.srv.URL, "http://") }

func (f *fakeService) fault(op string, kinds ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[op] = append(f.faults[op], kinds...)
}

func (f *fakeService) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

func (f *fakeService) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, v := range f.calls {
		n += v
	}
	return n
}

func (f *fakeService) resetCounts() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = map[string]int{}
}

func (f *fakeService) taskCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.tasks)
}

// addTask stores a task directly and returns its ID.
func (f *fakeService) addTask(info map[string]any) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addLocked(info)
}

func (f *fakeService) addLocked(info map[string]any) string {
	f.next++
	id := fmt.Sprintf("task-%04d", f.next)
	info["TaskId"] = id
	f.tasks[id] = map[string]any{"TaskId": id, "TaskStatus": 0, "TaskInfo": info}
	f.order = append(f.order, id)
	return id
}

func (f *fakeService) deleteLocked(id string) {
	delete(f.tasks, id)
	for i, v := range f.order {
		if v == id {
			f.order = append(f.order[:i], f.order[i+1:]...)
			break
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func apiErr(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"RequestId": "rid-" + code, "Code": code, "Message": msg,
		"HostId": "live.aliyuncs.com"})
}

func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("no hijacker")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

func (f *fakeService) serve(w http.ResponseWriter, r *http.Request) {
	op := r.Header.Get("x-acs-action")
	q := r.URL.Query()
	f.mu.Lock()
	f.calls[op]++
	fault := ""
	if l := f.faults[op]; len(l) > 0 {
		fault, f.faults[op] = l[0], l[1:]
	}
	f.mu.Unlock()
	switch fault {
	case "500":
		apiErr(w, 500, "InternalError", "The request processing has failed due to some unknown error.")
		return
	case "503":
		apiErr(w, 503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
		return
	case "throttle":
		apiErr(w, 400, "Throttling.User", "Request was denied due to user flow control.")
		return
	case "drop":
		drop(w)
		return
	case "retcode":
		writeJSON(w, 200, map[string]any{"RequestId": "rid-retcode", "RetCode": 1, "Description": "Failed"})
		return
	case "slow":
		time.Sleep(300 * time.Millisecond)
	case "empty":
		writeJSON(w, 200, map[string]any{"RequestId": "rid-empty", "Total": 0, "PageNumber": 1, "PageSize": 100,
			"TaskList": []any{}})
		return
	}
	if rest, isErr := strings.CutPrefix(fault, "err:"); isErr {
		// err:<status>:<code>[:<message>]
		parts := strings.SplitN(rest, ":", 3)
		msg := "injected"
		if len(parts) == 3 {
			msg = parts[2]
		}
		apiErr(w, atoi(parts[0], 400), parts[1], msg)
		return
	}
	status, body := f.handle(op, q)
	switch fault {
	case "commit-drop":
		drop(w)
		return
	case "commit-500":
		apiErr(w, 500, "InternalError", "The request processing has failed due to some unknown error.")
		return
	}
	writeJSON(w, status, body)
}

func (f *fakeService) handle(op string, q map[string][]string) (int, map[string]any) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	notExist := map[string]any{"RequestId": "rid-nx", "Code": CodeTaskNotExist, "Message": "Task does not exist."}
	f.mu.Lock()
	defer f.mu.Unlock()
	ok := map[string]any{"RequestId": "rid-" + op, "RetCode": 0, "Description": "OK"}
	switch op {
	case OpCreate:
		for _, id := range f.order {
			if !f.dupDst && infoOf(f.tasks[id])["DstUrl"] == get("DstUrl") {
				return 400, map[string]any{"RequestId": "rid-exists", "Code": CodeConfigAlreadyExists,
					"Message": "The config already exists."}
			}
		}
		var urls []string
		_ = json.Unmarshal([]byte(get("SourceUrls")), &urls)
		info := map[string]any{
			"TaskName": get("TaskName"), "StartTime": get("StartTime"), "EndTime": get("EndTime"),
			"SourceType": get("SourceType"), "SourceProtocol": strings.ToUpper(get("SourceProtocol")),
			"SourceUrls": urls, "DstUrl": get("DstUrl"), "CallbackURL": get("CallbackUrl"),
			"RepeatNumber": atoi(get("RepeatNumber"), 0), "FileIndex": atoi(get("FileIndex"), 0),
			"Offset": atoi(get("Offset"), 0), "RetryCount": atoi(get("RetryCount"), 3),
			"RetryInterval": atoi(get("RetryInterval"), 60),
		}
		id := f.addLocked(info)
		ok["TaskId"] = id
		return 200, ok
	case OpDescribe:
		t, found := f.tasks[get("TaskId")]
		if !found {
			return 400, notExist
		}
		out := map[string]any{"RequestId": "rid-d", "RetCode": 0, "Description": "OK"}
		for k, v := range t {
			out[k] = v
		}
		return 200, out
	case OpList:
		page, size := atoi(get("PageNumber"), 1), atoi(get("PageSize"), 10)
		var match []map[string]any
		ids := append([]string(nil), f.order...)
		sort.Strings(ids)
		for _, id := range ids {
			t := f.tasks[id]
			if d := get("DstUrl"); d != "" && !strings.Contains(fmt.Sprint(infoOf(t)["DstUrl"]), d) {
				continue
			}
			match = append(match, t)
		}
		lo, hi := min((page-1)*size, len(match)), min(page*size, len(match))
		return 200, map[string]any{"RequestId": "rid-l", "Total": len(match), "PageNumber": page,
			"PageSize": size, "TaskList": match[lo:hi]}
	case OpUpdate:
		t, found := f.tasks[get("TaskId")]
		if !found {
			return 400, notExist
		}
		info := infoOf(t)
		for _, k := range []string{"StartTime", "EndTime"} {
			if v := get(k); v != "" {
				info[k] = v
			}
		}
		if _, set := q["CallbackUrl"]; set {
			info["CallbackURL"] = get("CallbackUrl")
		}
		for _, k := range []string{"RepeatNumber", "FileIndex", "Offset"} {
			if v := get(k); v != "" {
				info[k] = atoi(v, 0)
			}
		}
		if v := get("SourceUrls"); v != "" {
			var urls []string
			_ = json.Unmarshal([]byte(v), &urls)
			info["SourceUrls"] = urls
		}
		return 200, ok
	case OpStop:
		t, found := f.tasks[get("TaskId")]
		if !found {
			return 400, notExist
		}
		if t["TaskStatus"] == 3 {
			return 400, map[string]any{"RequestId": "rid-s", "Code": CodeTaskHasStopped, "Message": "The task has been stopped."}
		}
		t["TaskStatus"] = 3
		return 200, map[string]any{"RequestId": "rid-s", "TaskId": get("TaskId")}
	case OpRestart:
		t, found := f.tasks[get("TaskId")]
		if !found {
			return 400, notExist
		}
		t["TaskStatus"] = 1
		id := get("TaskId")
		if f.newIDOnRestart {
			f.next++
			newID := fmt.Sprintf("task-%04d", f.next)
			f.deleteLocked(id)
			t["TaskId"], infoOf(t)["TaskId"] = newID, newID
			f.tasks[newID] = t
			f.order = append(f.order, newID)
			id = newID
		}
		return 200, map[string]any{"RequestId": "rid-r", "TaskId": id}
	case OpDelete:
		if _, found := f.tasks[get("TaskId")]; !found {
			return 400, notExist
		}
		f.deleteLocked(get("TaskId"))
		return 200, ok
	}
	return 400, map[string]any{"RequestId": "rid-x", "Code": "InvalidAction.NotFound", "Message": "unknown action " + op}
}

func infoOf(task map[string]any) map[string]any {
	info, _ := task["TaskInfo"].(map[string]any)
	return info
}

func atoi(s string, def int) int {
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}

// testCred is a static credential; its secret must never appear in output.
const (
	testAK     = "test-ak"
	testSecret = "test-secret-value-123"
)

func staticCred(t testing.TB, ak, secret string) credentials.Credential {
	t.Helper()
	c, err := credentials.NewCredential(new(credentials.Config).SetType("access_key").
		SetAccessKeyId(ak).SetAccessKeySecret(secret))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// recLogger records every log event.
type recLogger struct {
	mu     sync.Mutex
	events []logEvent
}

type logEvent struct {
	level, msg string
	fields     map[string]any
}

func (l *recLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.add("debug", msg, fields)
}

func (l *recLogger) Warn(_ context.Context, msg string, fields map[string]any) {
	l.add("warn", msg, fields)
}

func (l *recLogger) add(level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, logEvent{level, msg, fields})
}

func (l *recLogger) warnings() []logEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []logEvent
	for _, e := range l.events {
		if e.level == "warn" {
			out = append(out, e)
		}
	}
	return out
}

// newTestClient builds a client against endpoint with fast timings: the
// limiter off unless rate > 0, short backoff, deterministic jitter of 0.5.
func newTestClient(t testing.TB, endpoint string, rate float64, log Logger) *Client {
	t.Helper()
	if rate == 0 {
		rate = -1
	}
	c, err := New(Config{
		Credential: staticCred(t, testAK+"-"+t.Name(), testSecret), Region: "cn-shanghai",
		Endpoint: endpoint, Protocol: "http", RateLimit: rate, MaxRetries: 4, Logger: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	c.backoffBase = 5 * time.Millisecond
	c.backoffCap = 40 * time.Millisecond
	c.jitter = func() float64 { return 0.5 }
	return c
}
