package emulator_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	live "github.com/alibabacloud-go/live-20161101/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// noReuse is an SDK HttpClient that opens a new connection per call, so
// net/http never silently retries a request whose connection was dropped.
type noReuse struct{ c *http.Client }

func (n noReuse) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	return n.c.Do(req)
}

func newNoReuse() noReuse {
	return noReuse{c: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}}
}

// classify names the outcome of one call.
func classify(err error) string {
	if err == nil {
		return "ok"
	}
	var se *tea.SDKError
	if errors.As(err, &se) {
		return tea.StringValue(se.Code)
	}
	return "conn"
}

func TestFaultsRateSeed(t *testing.T) {
	const plan = "rate=0.3,seed=7,latency=40ms"
	e := startEmulator(t, emulator.Options{QPS: -1})
	cfg := config(e)
	cfg.HttpClient = newNoReuse()
	c := newClient(t, cfg)
	id := create(t, c, createReq(e.Now(), "rtmp://push.example.com/app/f"))
	if err := e.SetFaults(plan); err != nil {
		t.Fatal(err)
	}
	e.ResetStats()
	const n = 60
	want, err := emulator.FaultSchedule(plan, emulator.OpDescribe, n)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for i := range n {
		start := time.Now()
		_, err := c.DescribeLivePullToPushWithContext(context.Background(), &live.DescribeLivePullToPushRequest{Region: tea.String(region), TaskId: tea.String(id)}, rt)
		took := time.Since(start)
		got := classify(err)
		expect := map[emulator.FaultKind]string{"": "ok", "latency": "ok", "internal": "InternalError", "unavailable": "ServiceUnavailable", "throttle": "Throttling.User", "drop": "conn"}[want[i]]
		if got != expect {
			t.Fatalf("call %d: got %s, want %s (%s)", i+1, got, expect, want[i])
		}
		if want[i] == emulator.FaultLatency && took < 40*time.Millisecond {
			t.Fatalf("call %d: latency fault took %v", i+1, took)
		}
		counts[string(want[i])]++
	}
	// Pinned: seed 7 gives this spread over 60 calls; a change means the
	// schedule of every user's seed changed.
	pinned := map[string]int{"": 40, "internal": 3, "unavailable": 3, "throttle": 7, "latency": 6, "drop": 1}
	for k, v := range pinned {
		if counts[k] != v {
			t.Errorf("kind %q: %d calls, pinned %d (all: %v)", k, counts[k], v, counts)
		}
	}
	st := e.Stats()
	faults := counts["internal"] + counts["unavailable"] + counts["throttle"] + counts["drop"]
	if st.Calls[emulator.OpDescribe] != n || st.Errors[emulator.OpDescribe] != faults || st.Throttled[emulator.OpDescribe] != counts["throttle"] {
		t.Fatalf("stats %+v, want %d calls, %d errors, %d throttled", st, n, faults, counts["throttle"])
	}
	// Every operation is covered by a rule without op=.
	sched, _ := emulator.FaultSchedule(plan, emulator.OpCreate, n)
	if strings.Count(kindsString(sched), "x") == 0 {
		t.Fatal("no faults for Create")
	}
}

func kindsString(ks []emulator.FaultKind) string {
	var b strings.Builder
	for _, k := range ks {
		if k == "" {
			b.WriteByte('.')
		} else {
			b.WriteByte('x')
		}
	}
	return b.String()
}

func TestFaultsDropCommitsCreate(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, Faults: "op=CreateLivePullToPush,kinds=drop,every=2"})
	c := sdk(t, e)
	now := e.Now()
	var outcomes []string
	for i := range 4 {
		_, err := c.CreateLivePullToPushWithContext(context.Background(), createReq(now, "rtmp://push.example.com/app/drop"+string(rune('0'+i))), rt)
		outcomes = append(outcomes, classify(err))
	}
	if got := strings.Join(outcomes, ","); got != "ok,conn,ok,conn" {
		t.Fatalf("outcomes %s", got)
	}
	// The dropped creates were applied.
	if n := len(e.Tasks()); n != 4 {
		t.Fatalf("%d tasks, want 4", n)
	}
	st := e.Stats()
	if st.Calls[emulator.OpCreate] != 4 || st.Errors[emulator.OpCreate] != 2 {
		t.Fatalf("stats %+v", st)
	}
	// Describe is not covered by the rule.
	describe(t, c, e.Tasks()[1].TaskId)
}

func TestFaultsDropOfReusedGETIsRetriedByNetHTTP(t *testing.T) {
	// Go's transport resends an idempotent request (the SDK's GETs) once
	// when a reused connection closes before any response. The resent
	// request carries the same signature nonce, so the SDK caller sees
	// SignatureNonceUsed although the Delete was applied: an ambiguous
	// failure clients must resolve by reading the task back.
	e := startEmulator(t, emulator.Options{QPS: -1, Faults: "op=Delete,kinds=drop,nth=1"})
	c := sdk(t, e)
	id := create(t, c, createReq(e.Now(), "rtmp://push.example.com/app/retry"))
	sdkErr(t, del(c, id), 400, "SignatureNonceUsed")
	if _, ok := e.Task(id); ok {
		t.Fatal("dropped Delete was not applied")
	}
	if st := e.Stats(); st.Calls[emulator.OpDelete] != 2 || st.Errors[emulator.OpDelete] != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestFaultsScheduleForms(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	cfg := config(e)
	cfg.HttpClient = newNoReuse()
	c := newClient(t, cfg)
	id := create(t, c, createReq(e.Now(), "rtmp://push.example.com/app/s"))
	if err := e.SetFaults("op=DescribeLivePullToPush,kinds=internal,nth=1,3; op=update|stop,kinds=throttle,every=1,max=2"); err != nil {
		t.Fatal(err)
	}
	var got []string
	for range 4 {
		got = append(got, classify(describeErr(c, id)))
	}
	for range 3 {
		got = append(got, classify(update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), RepeatNumber: tea.Int32(0)})))
	}
	if s := strings.Join(got, ","); s != "InternalError,ok,InternalError,ok,Throttling.User,Throttling.User,ok" {
		t.Fatalf("outcomes %s", s)
	}
	// 503 with its message.
	if err := e.SetFaults("op=Describe,kinds=unavailable,every=1"); err != nil {
		t.Fatal(err)
	}
	sdkErrMsg(t, describeErr(c, id), 503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
	if err := e.SetFaults("op=Describe,kinds=500,every=1"); err != nil {
		t.Fatal(err)
	}
	sdkErrMsg(t, describeErr(c, id), 500, "InternalError", "The request processing has failed due to some unknown error.")
	if err := e.SetFaults(""); err != nil {
		t.Fatal(err)
	}
	describe(t, c, id)
}

func TestFaultPlanErrors(t *testing.T) {
	for plan, want := range map[string]string{
		"rate=1.5":             `fault rule 1 ("rate=1.5"): rate must be a number from 0 to 1, got "1.5"`,
		"every=0":              `fault rule 1 ("every=0"): every must be an integer of at least 1, got "0"`,
		"nth=0":                `fault rule 1 ("nth=0"): nth must list integers of at least 1, got "0"`,
		"op=Nope,every=1":      `fault rule 1 ("op=Nope,every=1"): op "Nope" is not one of the seven operations (or *)`,
		"kinds=boom,every=1":   `fault rule 1 ("kinds=boom,every=1"): kind "boom" is not one of internal, unavailable, throttle, latency, drop`,
		"kinds=drop":           `fault rule 1 ("kinds=drop"): a rule needs rate=, every= or nth=`,
		"every=1;color=red":    `fault rule 2 ("color=red"): unknown key "color" (keys: op, kinds, rate, every, nth, max, latency, seed)`,
		"every=1,latency=fast": `fault rule 1 ("every=1,latency=fast"): latency must be a non-negative Go duration such as 300ms or 2s, got "fast"`,
		"every=1,seed=-1":      `fault rule 1 ("every=1,seed=-1"): seed must be a non-negative integer, got "-1"`,
		"every=1,max=x":        `fault rule 1 ("every=1,max=x"): max must be an integer of at least 0, got "x"`,
		"rate=0.1,stray":       `fault rule 1 ("rate=0.1,stray"): "stray" is not key=value (keys: op, kinds, rate, every, nth, max, latency, seed)`,
	} {
		err := emulator.ParseFaults(plan)
		if err == nil || err.Error() != want {
			t.Errorf("%s:\n got %v\nwant %s", plan, err, want)
		}
	}
	for _, ok := range []string{"", "rate=0.3,seed=7", "op=*,kinds=drop|latency,rate=0.5", "op=create,update,kinds=drop,latency,every=3,latency=2s"} {
		if err := emulator.ParseFaults(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}
