package emulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	live "github.com/alibabacloud-go/live-20161101/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// withVariants starts an emulator with a frozen clock and the variants.
func withVariants(t *testing.T, vs ...emulator.Variant) (*emulator.Server, *live.Client) {
	t.Helper()
	e := startEmulator(t, emulator.Options{QPS: -1, Variants: vs})
	return e, sdk(t, e)
}

// runningReq is a live Create request that started a minute ago.
func runningReq(now time.Time, dst string) *live.CreateLivePullToPushRequest {
	r := createReq(now, dst)
	r.StartTime = tea.String(fmtT(now.Add(-time.Minute)))
	return r
}

// urlReq is a url Create request for a three-file playlist that started a minute ago.
func urlReq(now time.Time, dst string) *live.CreateLivePullToPushRequest {
	r := runningReq(now, dst)
	r.SourceType, r.SourceProtocol = tea.String("url"), nil
	r.SourceUrls = []*string{tea.String("https://media.example.com/a.mp4"), tea.String("https://media.example.com/b.mp4"),
		tea.String("https://media.example.com/c.mp4")}
	return r
}

func restartID(t *testing.T, c *live.Client, id string) string {
	t.Helper()
	resp, err := c.RestartLivePullToPushWithContext(context.Background(), &live.RestartLivePullToPushRequest{
		Region: tea.String(region), TaskId: tea.String(id)}, rt)
	if err != nil {
		t.Fatalf("Restart: %v", err)
	}
	return tea.StringValue(resp.Body.TaskId)
}

func mustOK(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func listAll(t *testing.T, c *live.Client) []*live.DescribeLivePullToPushListResponseBodyTaskList {
	t.Helper()
	resp, err := c.DescribeLivePullToPushListWithContext(context.Background(), &live.DescribeLivePullToPushListRequest{
		Region: tea.String(region), PageSize: tea.Int32(100)}, rt)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	return resp.Body.TaskList
}

func TestParseVariants(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "",
		"default":               "",
		" Async , FLAKY,async ": "flaky,async",
		"async,exited-visible":  "exited-visible,async",
		"all": "exited-visible,update-ignored,endtime-while-running,callback-unclearable,dst-conflict-at-runtime," +
			"restart-new-id,stop-idle-noop,omit-empty,protocol-as-sent,flaky,async",
	} {
		vs, err := emulator.ParseVariants(in)
		if err != nil {
			t.Fatalf("ParseVariants(%q): %v", in, err)
		}
		got := make([]string, len(vs))
		for i, v := range vs {
			got[i] = string(v)
		}
		if strings.Join(got, ",") != want {
			t.Errorf("ParseVariants(%q) = %v, want %s", in, got, want)
		}
	}
	_, err := emulator.ParseVariants("async,later")
	want := `unknown variant "later"; known variants: exited-visible, update-ignored, endtime-while-running, callback-unclearable, ` +
		`dst-conflict-at-runtime, restart-new-id, stop-idle-noop, omit-empty, protocol-as-sent, flaky, async, or all`
	if err == nil || err.Error() != want {
		t.Fatalf("unknown name: %v", err)
	}
	if _, err := emulator.New(emulator.Options{Variants: []emulator.Variant{"later"}}); err == nil ||
		!strings.Contains(err.Error(), `emulator: unknown variant "later"`) {
		t.Fatalf("New with an unknown variant: %v", err)
	}
	e, _ := withVariants(t)
	if err := e.SetVariants([]emulator.Variant{emulator.VariantAsync, "x"}); err == nil || len(e.Variants()) != 0 {
		t.Fatalf("SetVariants with an unknown name: %v, variants %v", err, e.Variants())
	}
	mustOK(t, "SetVariants", e.SetVariants([]emulator.Variant{emulator.VariantAsync, emulator.VariantOmitEmpty}))
	if got := e.Variants(); !reflect.DeepEqual(got, []emulator.Variant{emulator.VariantOmitEmpty, emulator.VariantAsync}) {
		t.Fatalf("Variants() = %v", got)
	}
}

func TestControlVariants(t *testing.T) {
	e, _ := withVariants(t, emulator.VariantFlaky)
	for _, c := range []struct{ method, body, want string }{
		{"GET", "", `{"variants":["flaky"]}`},
		{"POST", `{"variants":"async, stop-idle-noop"}`, `{"variants":["stop-idle-noop","async"]}`},
		{"GET", "", `{"variants":["stop-idle-noop","async"]}`},
		{"POST", `{"variants":"nope"}`, `{"Code":"InvalidParameter","Message":"unknown variant \"nope\"; known variants: exited-visible, ` +
			`update-ignored, endtime-while-running, callback-unclearable, dst-conflict-at-runtime, restart-new-id, stop-idle-noop, ` +
			`omit-empty, protocol-as-sent, flaky, async, or all"}`},
		{"POST", `{}`, `{"Code":"InvalidParameter","Message":"The body must be JSON {\"variants\":\"<name>[,<name>...]\"}, \"all\" or \"\"."}`},
		{"POST", `{"variants":""}`, `{"variants":[]}`},
		{"PUT", `{"variants":"all"}`, `{"variants":["exited-visible","update-ignored","endtime-while-running","callback-unclearable",` +
			`"dst-conflict-at-runtime","restart-new-id","stop-idle-noop","omit-empty","protocol-as-sent","flaky","async"]}`},
	} {
		if _, body := control(t, e, c.method, "variants", c.body); body != c.want {
			t.Errorf("%s %s:\n got %s\nwant %s", c.method, c.body, body, c.want)
		}
	}
}

// TestInvalidHostsFail pins, for the default and under every variant, that
// a source or destination host in the reserved .invalid domain fails to
// pull or push: recovering with the matching reason, offline with it after
// RetryCount x RetryInterval.
func TestInvalidHostsFail(t *testing.T) {
	sets := [][]emulator.Variant{nil, emulator.AllVariants}
	for _, v := range emulator.AllVariants {
		sets = append(sets, []emulator.Variant{v})
	}
	for _, vs := range sets {
		t.Run(fmt.Sprint(vs), func(t *testing.T) {
			e, c := withVariants(t, vs...)
			now := e.Now()
			settle := func() { // the start, under async
				if slices.Contains(vs, emulator.VariantAsync) {
					e.Advance(emulator.DefaultAsyncDelay)
				}
			}
			src := runningReq(now, "rtmp://push.example.com/app/src")
			src.SourceUrls = []*string{tea.String("rtmp://origin.INVALID/live/s")}
			srcID := create(t, c, src)
			dst := urlReq(now, "rtmp://push.cdn.invalid/app/dst")
			dstID := create(t, c, dst)
			good := urlReq(now, "rtmp://push.example.com/app/vod")
			good.SourceType, good.SourceUrls = tea.String("vod"), []*string{tea.String("media-invalid")}
			goodID := create(t, c, good)
			settle()
			wantStatus(t, c, srcID, 2, "PullStreamFailed")
			wantStatus(t, c, dstID, 2, "PushStreamFailed")
			wantStatus(t, c, goodID, 1, "")
			e.Advance(3*time.Minute - time.Second)
			wantStatus(t, c, srcID, 2, "PullStreamFailed")
			e.Advance(time.Second)
			wantStatus(t, c, srcID, 3, "PullStreamFailed")
			wantStatus(t, c, dstID, 3, "PushStreamFailed")
			// Pointed at a host that resolves, a restart relays.
			mustOK(t, "Update", update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(srcID),
				SourceUrls: []*string{tea.String("rtmp://origin.example.com/live/s")}}))
			srcID = restartID(t, c, srcID)
			settle()
			wantStatus(t, c, srcID, 1, "")
		})
	}
}

func TestVariantExitedVisible(t *testing.T) {
	e, c := withVariants(t, emulator.VariantExitedVisible)
	now := e.Now()
	ended := create(t, c, runningReq(now, "rtmp://push.example.com/app/ended"))
	deleted := create(t, c, runningReq(now, "rtmp://push.example.com/app/deleted"))
	e.Advance(2*time.Hour - 30*time.Second)
	mustOK(t, "Delete", del(c, deleted))
	e.Advance(30 * time.Second) // the window of "ended" closes
	end := now.Add(2 * time.Hour)

	checkExited := func(id, reason string, at time.Time) {
		t.Helper()
		b := describe(t, c, id)
		if tea.Int32Value(b.TaskStatus) != -1 || tea.StringValue(b.TaskExitReason) != reason ||
			tea.Int32Value(b.TaskExitTime) != int32(at.Unix()) || tea.StringValue(b.TaskInvalidReason) != "" {
			t.Fatalf("Describe of exited %s: %v", id, b)
		}
	}
	checkExited(ended, "OverEndTime", end)
	checkExited(deleted, "TriggerByUser", end.Add(-30*time.Second))
	list := listAll(t, c)
	if len(list) != 2 || tea.Int32Value(list[0].TaskStatus) != -1 || tea.StringValue(list[0].TaskExitReason) != "OverEndTime" ||
		tea.Int32Value(list[0].TaskExitTime) != int32(end.Unix()) || tea.StringValue(list[1].TaskExitReason) != "TriggerByUser" {
		t.Fatalf("List: %v", list)
	}
	// Every write answers success and changes nothing.
	mustOK(t, "Update", update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(ended), EndTime: tea.String(fmtT(now.Add(5 * time.Hour)))}))
	mustOK(t, "Stop", stop(c, ended))
	if got := restartID(t, c, ended); got != ended {
		t.Fatalf("Restart of an exited task answered TaskId %s", got)
	}
	mustOK(t, "Delete", del(c, ended))
	checkExited(ended, "OverEndTime", end)
	if got := tea.StringValue(describe(t, c, ended).TaskInfo.EndTime); got != fmtT(end) {
		t.Fatalf("EndTime after an Update of an exited task = %s", got)
	}
	// An exited task holds no destination.
	create(t, c, runningReq(e.Now(), "rtmp://push.example.com/app/ended"))

	// Ten minutes after it exited, a task is gone.
	e.Advance(10*time.Minute - time.Second)
	checkExited(ended, "OverEndTime", end)
	e.Advance(time.Second)
	sdkErrMsg(t, describeErr(c, ended), 400, "CodeTaskNotExist", "Task does not exist.")
	sdkErrMsg(t, describeErr(c, deleted), 400, "CodeTaskNotExist", "Task does not exist.")
	if n := len(listAll(t, c)); n != 1 {
		t.Fatalf("List after the retention holds %d tasks, want 1", n)
	}
}

func TestVariantExitedVisibleRetentionAndLimit(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, MaxTasks: 1, ExitRetention: time.Minute,
		Variants: []emulator.Variant{emulator.VariantExitedVisible}})
	c := sdk(t, e)
	id := create(t, c, runningReq(e.Now(), "rtmp://push.example.com/app/a"))
	mustOK(t, "Delete", del(c, id))
	// The exited task does not count against the limit.
	create(t, c, runningReq(e.Now(), "rtmp://push.example.com/app/b"))
	e.Advance(time.Minute - time.Second)
	if st, _ := status(t, c, id); st != -1 {
		t.Fatalf("status %d before the retention ended", st)
	}
	e.Advance(time.Second)
	sdkErr(t, describeErr(c, id), 400, "CodeTaskNotExist")
}

func TestVariantUpdateIgnored(t *testing.T) {
	e, c := withVariants(t, emulator.VariantUpdateIgnored)
	now := e.Now()
	id := create(t, c, urlReq(now, "rtmp://push.example.com/app/ign"))
	before := describe(t, c, id)
	// A field a running task refuses: success, and nothing changes, not even
	// the CallbackUrl sent with it.
	mustOK(t, "Update", update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id),
		EndTime: tea.String(fmtT(now.Add(5 * time.Hour))), CallbackUrl: tea.String("http://127.0.0.1:9/cb")}))
	for _, req := range []*live.UpdateLivePullToPushRequest{
		{StartTime: tea.String(fmtT(now.Add(time.Minute)))},
		{SourceUrls: []*string{tea.String("https://media.example.com/z.mp4")}},
		{FileIndex: tea.Int32(1)},
		{Offset: tea.Int32(9)},
	} {
		req.TaskId = tea.String(id)
		mustOK(t, "Update", update(c, req))
	}
	if after := describe(t, c, id); !reflect.DeepEqual(after.TaskInfo, before.TaskInfo) {
		t.Fatalf("an ignored update changed the task:\n%v\n%v", before.TaskInfo, after.TaskInfo)
	}
	// What a running task allows still applies.
	mustOK(t, "Update", update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), RepeatNumber: tea.Int32(2),
		CallbackUrl: tea.String("http://127.0.0.1:9/cb")}))
	if i := describe(t, c, id).TaskInfo; tea.Int32Value(i.RepeatNumber) != 2 || tea.StringValue(i.CallbackURL) != "http://127.0.0.1:9/cb" {
		t.Fatalf("allowed update not applied: %v", i)
	}
	// A stopped task takes every field.
	mustOK(t, "Stop", stop(c, id))
	mustOK(t, "Update", update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), EndTime: tea.String(fmtT(now.Add(5 * time.Hour)))}))
	if got := tea.StringValue(describe(t, c, id).TaskInfo.EndTime); got != fmtT(now.Add(5*time.Hour)) {
		t.Fatalf("EndTime of a stopped task = %s", got)
	}
	// Validation still answers errors.
	sdkErr(t, update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), EndTime: tea.String("tomorrow")}), 400, "InvalidParameter")
}

func TestVariantEndTimeWhileRunning(t *testing.T) {
	e, c := withVariants(t, emulator.VariantEndTimeWhileRunning)
	now := e.Now()
	id := create(t, c, runningReq(now, "rtmp://push.example.com/app/end"))
	mustOK(t, "Update", update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id),
		EndTime: tea.String(fmtT(now.Add(30 * time.Minute))), CallbackUrl: tea.String("http://127.0.0.1:9/cb")}))
	b := describe(t, c, id)
	if tea.Int32Value(b.TaskStatus) != 1 || tea.StringValue(b.TaskInfo.EndTime) != fmtT(now.Add(30*time.Minute)) ||
		tea.StringValue(b.TaskInfo.CallbackURL) != "http://127.0.0.1:9/cb" {
		t.Fatalf("after the update of a running task: %v", b)
	}
	sdkErrMsg(t, update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), StartTime: tea.String(fmtT(now))}), 400,
		"InvalidParameter", "The parameter StartTime cannot be updated while the task is running (TaskStatus 1) or recovering "+
			"(TaskStatus 2); only EndTime, CallbackUrl and RepeatNumber can.")
	sdkErr(t, update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), EndTime: tea.String(fmtT(now.Add(-time.Minute)))}),
		400, "InvalidParam.CodeIllegalDuration")
	e.Advance(30 * time.Minute)
	sdkErr(t, describeErr(c, id), 400, "CodeTaskNotExist")
}

func TestVariantCallbackUnclearable(t *testing.T) {
	e, c := withVariants(t, emulator.VariantCallbackUnclearable)
	req := runningReq(e.Now(), "rtmp://push.example.com/app/cb")
	req.CallbackUrl = tea.String("http://127.0.0.1:9/one")
	id := create(t, c, req)
	callback := func() string { return tea.StringValue(describe(t, c, id).TaskInfo.CallbackURL) }
	mustOK(t, "Update", update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), CallbackUrl: tea.String("")}))
	if got := callback(); got != "http://127.0.0.1:9/one" {
		t.Fatalf("CallbackURL after clearing = %q, want the old one", got)
	}
	mustOK(t, "Update", update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), CallbackUrl: tea.String("http://127.0.0.1:9/two")}))
	if got := callback(); got != "http://127.0.0.1:9/two" {
		t.Fatalf("CallbackURL after a change = %q", got)
	}
	// A stopped task keeps it too.
	mustOK(t, "Stop", stop(c, id))
	mustOK(t, "Update", update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), CallbackUrl: tea.String("")}))
	if got := callback(); got != "http://127.0.0.1:9/two" {
		t.Fatalf("CallbackURL of a stopped task after clearing = %q", got)
	}
}

func TestVariantDstConflictAtRuntime(t *testing.T) {
	e, c := withVariants(t, emulator.VariantDstConflictAtRuntime)
	now := e.Now()
	const dst = "rtmp://push.example.com/app/same"
	first := create(t, c, runningReq(now, dst))
	second := create(t, c, runningReq(now, dst)) // accepted
	wantStatus(t, c, first, 1, "")
	wantStatus(t, c, second, 2, "PushStreamFailed")
	// Once the first stops, the second relays at its next retry.
	mustOK(t, "Stop", stop(c, first))
	e.Advance(time.Minute - time.Second)
	wantStatus(t, c, second, 2, "PushStreamFailed")
	e.Advance(time.Second)
	wantStatus(t, c, second, 1, "")
	// Now the first starts later, so it is the one that fails, and goes
	// offline after its retries.
	first = restartID(t, c, first)
	wantStatus(t, c, first, 2, "PushStreamFailed")
	e.Advance(3 * time.Minute)
	wantStatus(t, c, first, 3, "PushStreamFailed")
	wantStatus(t, c, second, 1, "")
	// Two idle tasks that start together: the one created later fails.
	idleReq := createReq(e.Now(), "rtmp://push.example.com/app/pair")
	a, b := create(t, c, idleReq), create(t, c, idleReq)
	e.Advance(time.Hour)
	wantStatus(t, c, a, 1, "")
	wantStatus(t, c, b, 2, "PushStreamFailed")
}

func TestVariantRestartNewID(t *testing.T) {
	e, c := withVariants(t, emulator.VariantRestartNewID)
	id := create(t, c, runningReq(e.Now(), "rtmp://push.example.com/app/new"))
	resp, err := c.StopLivePullToPushWithContext(context.Background(), &live.StopLivePullToPushRequest{
		Region: tea.String(region), TaskId: tea.String(id)}, rt)
	if err != nil || tea.StringValue(resp.Body.TaskId) != id {
		t.Fatalf("Stop answered %v, %v; want the same TaskId", resp, err)
	}
	newID := restartID(t, c, id)
	if newID == id || newID == "" {
		t.Fatalf("Restart answered TaskId %q, want a new one", newID)
	}
	sdkErrMsg(t, describeErr(c, id), 400, "CodeTaskNotExist", "Task does not exist.")
	sdkErr(t, stop(c, id), 400, "CodeTaskNotExist")
	b := describe(t, c, newID)
	if tea.Int32Value(b.TaskStatus) != 1 || tea.StringValue(b.TaskId) != newID || tea.StringValue(b.TaskInfo.TaskId) != newID ||
		tea.StringValue(b.TaskInfo.DstUrl) != "rtmp://push.example.com/app/new" {
		t.Fatalf("Describe of the new ID: %v", b)
	}
	if list := listAll(t, c); len(list) != 1 || tea.StringValue(list[0].TaskId) != newID {
		t.Fatalf("List after the restart: %v", list)
	}
	if _, ok := e.Task(id); ok {
		t.Fatal("the old ID is still known out of band")
	}
}

func TestVariantStopIdleNoop(t *testing.T) {
	e, c := withVariants(t, emulator.VariantStopIdleNoop)
	now := e.Now()
	id := create(t, c, createReq(now, "rtmp://push.example.com/app/idle"))
	mustOK(t, "Stop of an idle task", stop(c, id))
	wantStatus(t, c, id, 0, "")
	e.Advance(time.Hour)
	wantStatus(t, c, id, 1, "")
	mustOK(t, "Stop", stop(c, id))
	wantStatus(t, c, id, 3, "")
	sdkErr(t, stop(c, id), 400, "CodeTaskHasStopped")
}

// rawTask calls Describe and List through the SDK and returns the raw JSON
// of the task and its first list entry.
func rawTask(t *testing.T, e *emulator.Server, id string) (map[string]any, map[string]any) {
	t.Helper()
	tr := newTransport()
	cfg := config(e)
	cfg.HttpClient = tr
	c := newClient(t, cfg)
	describe(t, c, id)
	var d map[string]any
	if err := json.Unmarshal(tr.last, &d); err != nil {
		t.Fatal(err)
	}
	listAll(t, c)
	var l struct{ TaskList []map[string]any }
	if err := json.Unmarshal(tr.last, &l); err != nil || len(l.TaskList) == 0 {
		t.Fatalf("list body %s: %v", tr.last, err)
	}
	return d, l.TaskList[0]
}

func keys(m any) string {
	mm, _ := m.(map[string]any)
	out := make([]string, 0, len(mm))
	for k := range mm {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func TestVariantOmitEmpty(t *testing.T) {
	e, c := withVariants(t, emulator.VariantOmitEmpty)
	id := create(t, c, createReq(e.Now(), "rtmp://push.example.com/app/omit"))
	d, l := rawTask(t, e, id)
	if got, want := keys(d), "Description,RequestId,RetCode,TaskId,TaskInfo,TaskStatus"; got != want {
		t.Errorf("Describe keys %s, want %s", got, want)
	}
	if got, want := keys(l), "TaskId,TaskInfo,TaskStatus"; got != want {
		t.Errorf("List entry keys %s, want %s", got, want)
	}
	want := "DstUrl,EndTime,RetryCount,RetryInterval,SourceProtocol,SourceType,SourceUrls,StartTime,TaskId"
	for name, m := range map[string]map[string]any{"Describe": d, "List": l} {
		if got := keys(m["TaskInfo"]); got != want {
			t.Errorf("%s TaskInfo keys %s, want %s", name, got, want)
		}
	}
	// The SDK reads absent fields as nil.
	b := describe(t, c, id)
	if b.TaskInvalidReason != nil || b.CurrentOffset != nil || b.TaskInfo.TaskName != nil || b.TaskInfo.CallbackURL != nil ||
		b.TaskInfo.RepeatNumber != nil || tea.Int32Value(b.TaskStatus) != 0 {
		t.Fatalf("SDK body: %v", b)
	}
	// Non-empty values are sent.
	req := urlReq(e.Now(), "rtmp://push.example.com/app/full")
	req.TaskName, req.CallbackUrl, req.FileIndex, req.Offset, req.RetryCount = tea.String("n"), tea.String("http://127.0.0.1:9/c"),
		tea.Int32(1), tea.Int32(5), tea.Int32(0)
	id = create(t, c, req)
	mustOK(t, "FailTask", e.FailTask(id, "PullStreamFailed"))
	d, _ = rawTask(t, e, id)
	if got, want := keys(d), "CurrentFileIndex,CurrentOffset,Description,RequestId,RetCode,TaskId,TaskInfo,TaskInvalidReason,TaskStatus"; got != want {
		t.Errorf("Describe keys of a stopped task %s, want %s", got, want)
	}
	if got, want := keys(d["TaskInfo"]), "CallbackURL,DstUrl,EndTime,FileIndex,Offset,RetryInterval,SourceType,SourceUrls,StartTime,TaskId,TaskName"; got != want {
		t.Errorf("TaskInfo keys %s, want %s", got, want)
	}
	// Without the variant every key is sent.
	mustOK(t, "SetVariants", e.SetVariants(nil))
	d, _ = rawTask(t, e, id)
	if got := keys(d); !strings.Contains(got, "TaskExitReason,TaskExitTime") {
		t.Errorf("default Describe keys %s", got)
	}
}

func TestVariantProtocolAsSent(t *testing.T) {
	e, c := withVariants(t, emulator.VariantProtocolAsSent)
	req := runningReq(e.Now(), "rtmp://push.example.com/app/p")
	req.SourceProtocol, req.SourceUrls = tea.String("http-flv"), []*string{tea.String("https://origin.example.com/live/s.flv")}
	id := create(t, c, req)
	console, err := e.AddTask(region, emulator.TaskInfo{SourceType: "live", SourceProtocol: "RTMP",
		SourceUrls: []string{"rtmp://origin.example.com/live/c"}, DstUrl: "rtmp://push.example.com/app/c"})
	mustOK(t, "AddTask", err)
	for id, want := range map[string]string{id: "http-flv", console: "RTMP"} {
		if got := tea.StringValue(describe(t, c, id).TaskInfo.SourceProtocol); got != want {
			t.Errorf("SourceProtocol of %s = %q, want %q", id, got, want)
		}
	}
	if got := tea.StringValue(listAll(t, c)[0].TaskInfo.SourceProtocol); got != "http-flv" {
		t.Errorf("List SourceProtocol = %q", got)
	}
	mustOK(t, "SetVariants", e.SetVariants(nil))
	if got := tea.StringValue(describe(t, c, id).TaskInfo.SourceProtocol); got != "HTTP-FLV" {
		t.Errorf("default SourceProtocol = %q, want HTTP-FLV", got)
	}
}

// flakyRun records a flaky task minute by minute for two hours.
func flakyRun(t *testing.T, seed int64) []string {
	t.Helper()
	e := startEmulator(t, emulator.Options{QPS: -1, FlakySeed: seed, Variants: []emulator.Variant{emulator.VariantFlaky}})
	c := sdk(t, e)
	req := urlReq(e.Now(), "rtmp://push.example.com/app/flaky")
	req.StartTime, req.EndTime = tea.String(fmtT(e.Now())), tea.String(fmtT(e.Now().Add(3*time.Hour)))
	id := create(t, c, req)
	var out []string
	for range 120 {
		e.Advance(time.Minute)
		st, reason := status(t, c, id)
		if st == 3 {
			mustOK(t, "Restart", restart(c, id))
		}
		out = append(out, fmt.Sprintf("%d%s", st, reason))
	}
	return out
}

func TestVariantFlaky(t *testing.T) {
	a, b := flakyRun(t, 1), flakyRun(t, 1)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("two runs with seed 1 differ:\n%v\n%v", a, b)
	}
	if reflect.DeepEqual(a, flakyRun(t, 2)) {
		t.Fatal("seeds 1 and 2 gave the same run")
	}
	// The first failure comes 10 to 30 minutes after the start; every
	// failure names a reason; the task recovers or goes offline.
	first := -1
	seen := map[string]bool{}
	for i, s := range a {
		seen[s[:1]] = true
		if s[0] == '2' && first < 0 {
			first = i + 1
		}
		if s[0] == '2' && s != "2PullStreamFailed" && s != "2PushStreamFailed" {
			t.Fatalf("minute %d: %s", i+1, s)
		}
	}
	if first < 10 || first > 30 {
		t.Fatalf("first failure after %d minutes: %v", first, a)
	}
	if !seen["1"] || !seen["2"] {
		t.Fatalf("two hours without both running and recovering: %v", a)
	}
}

func TestVariantFlakyPlayback(t *testing.T) {
	e, c := withVariants(t, emulator.VariantFlaky)
	now := e.Now()
	req := urlReq(now, "rtmp://push.example.com/app/play")
	req.StartTime, req.Offset = tea.String(fmtT(now)), tea.Int32(590)
	id := create(t, c, req)
	pos := func() string {
		b := describe(t, c, id)
		return fmt.Sprintf("%d/%d", tea.Int32Value(b.CurrentFileIndex), tea.Int32Value(b.CurrentOffset))
	}
	steps := []struct {
		d    time.Duration
		want string
	}{{0, "0/590"}, {9 * time.Second, "0/599"}, {time.Second, "1/0"}, {10 * time.Minute, "2/0"}, {10*time.Minute + 5*time.Second, "0/5"}}
	for _, s := range steps {
		e.Advance(s.d)
		if got := pos(); got != s.want {
			t.Fatalf("after %v more: position %s, want %s", s.d, got, s.want)
		}
	}
	// A stopped task keeps its position; a restart plays from FileIndex/Offset.
	mustOK(t, "Stop", stop(c, id))
	e.Advance(time.Minute)
	if got := pos(); got != "0/5" {
		t.Fatalf("stopped position %s", got)
	}
	mustOK(t, "Restart", restart(c, id))
	if got := pos(); got != "0/590" {
		t.Fatalf("position after restart %s", got)
	}
	// Without the variant the position does not move.
	mustOK(t, "SetVariants", e.SetVariants(nil))
	e.Advance(time.Minute)
	if got := pos(); got != "0/590" {
		t.Fatalf("default position %s", got)
	}
}

func TestVariantAsync(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, AsyncDelay: 2 * time.Second, Variants: []emulator.Variant{emulator.VariantAsync}})
	c := sdk(t, e)
	id := create(t, c, runningReq(e.Now(), "rtmp://push.example.com/app/async"))
	step := func(d time.Duration, want int32) {
		t.Helper()
		e.Advance(d)
		wantStatus(t, c, id, want, "")
	}
	step(0, 0) // the start shows after the delay
	step(2*time.Second-time.Nanosecond, 0)
	step(time.Nanosecond, 1)
	mustOK(t, "Stop", stop(c, id))
	step(0, 1)
	// A running task refuses restricted updates until the stop shows.
	sdkErr(t, update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), EndTime: tea.String(fmtT(e.Now().Add(3 * time.Hour)))}),
		400, "InvalidParameter")
	mustOK(t, "a second Stop", stop(c, id))
	step(2*time.Second, 3)
	mustOK(t, "Restart", restart(c, id))
	step(time.Second, 3)
	step(time.Second, 1)
	// A Stop, then a Restart before the stop shows: running.
	mustOK(t, "Stop", stop(c, id))
	mustOK(t, "Restart", restart(c, id))
	step(5*time.Second, 1)
	// A Stop, a Restart that replaces it, then a Stop again before either
	// shows: stopped, as the last call asked.
	mustOK(t, "Stop", stop(c, id))
	mustOK(t, "Restart", restart(c, id))
	mustOK(t, "Stop", stop(c, id))
	step(0, 1)
	step(2*time.Second, 3)
	mustOK(t, "Restart", restart(c, id))
	step(2*time.Second, 1)
	// A Restart of a stopped task called off by a Stop: stopped.
	mustOK(t, "Stop", stop(c, id))
	step(2*time.Second, 3)
	mustOK(t, "Restart", restart(c, id))
	mustOK(t, "Stop", stop(c, id))
	step(5*time.Second, 3)
	sdkErr(t, stop(c, id), 400, "CodeTaskHasStopped")
}

// TestVariantsAll checks readings that meet: under every variant a restart
// answers a new ID at once and shows running after the delay, and a
// deleted task stays visible as exited.
func TestVariantsAll(t *testing.T) {
	e, c := withVariants(t, emulator.AllVariants...)
	id := create(t, c, runningReq(e.Now(), "rtmp://push.example.com/app/all"))
	e.Advance(emulator.DefaultAsyncDelay)
	wantStatus(t, c, id, 1, "")
	mustOK(t, "Stop", stop(c, id))
	e.Advance(emulator.DefaultAsyncDelay)
	wantStatus(t, c, id, 3, "")
	newID := restartID(t, c, id)
	sdkErr(t, describeErr(c, id), 400, "CodeTaskNotExist")
	wantStatus(t, c, newID, 3, "")
	e.Advance(emulator.DefaultAsyncDelay)
	wantStatus(t, c, newID, 1, "")
	mustOK(t, "Delete", del(c, newID))
	if st, _ := status(t, c, newID); st != -1 {
		t.Fatalf("status after Delete = %d, want -1", st)
	}
}

// TestVariantOutOfBand pins the control methods around variants: a task
// stopped with TaskExitReason OverEndTime (another reading of the exit
// fields), and PatchTask of an exited task.
func TestVariantOutOfBand(t *testing.T) {
	e, c := withVariants(t, emulator.VariantExitedVisible)
	id := create(t, c, runningReq(e.Now(), "rtmp://push.example.com/app/oob"))
	stopped, reason := int32(3), "OverEndTime"
	mustOK(t, "PatchTask", e.PatchTask(id, emulator.TaskPatch{TaskStatus: &stopped, TaskExitReason: &reason}))
	b := describe(t, c, id)
	if tea.Int32Value(b.TaskStatus) != 3 || tea.StringValue(b.TaskExitReason) != "OverEndTime" {
		t.Fatalf("Describe of a task stopped with OverEndTime: %v", b)
	}
	mustOK(t, "Delete", del(c, id))
	if err := e.PatchTask(id, emulator.TaskPatch{TaskStatus: &stopped}); err == nil ||
		err.Error() != "emulator: task "+id+" has exited (TaskStatus -1) and cannot be changed" {
		t.Fatalf("PatchTask of an exited task: %v", err)
	}
	mustOK(t, "DeleteTask", e.DeleteTask(id))
	if _, ok := e.Task(id); ok {
		t.Fatal("DeleteTask did not forget the exited task")
	}
}
