package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// The action's logic against the emulator, without the terraform CLI:
// what it calls, the progress it reports and its exact messages.

// restartHarness is an emulator, a client on it and the action.
type restartHarness struct {
	t *testing.T
	e *emulator.Server
	a *pullToPushTaskRestartAction
}

func newRestartHarness(t *testing.T, vs ...emulator.Variant) *restartHarness {
	t.Helper()
	e, c := testEmulatorClient(t, emulator.Options{QPS: -1, Variants: vs})
	a := &pullToPushTaskRestartAction{}
	var resp action.ConfigureResponse
	a.Configure(context.Background(), action.ConfigureRequest{ProviderData: c}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return &restartHarness{t: t, e: e, a: a}
}

// testEmulatorClient starts an emulator with opts and returns it with a
// client on it (region cn-shanghai, no client-side limit, one retry).
func testEmulatorClient(t *testing.T, opts emulator.Options) (*emulator.Server, *liveapi.Client) {
	t.Helper()
	e, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e, emulatorTestClient(t, e, 1)
}

// add creates a task out of band that starts at once (unless info says
// otherwise) and returns its ID.
func (h *restartHarness) add(info emulator.TaskInfo) string {
	h.t.Helper()
	if info.RetryCount == 0 && info.TaskName != "no-retries" {
		info.RetryCount = 3
	}
	id, err := h.e.AddTask("cn-shanghai", info)
	if err != nil {
		h.t.Fatal(err)
	}
	h.e.ResetStats()
	return id
}

// urlTask is a url task with a three-entry playlist.
func urlTask(id string) emulator.TaskInfo {
	return emulator.TaskInfo{TaskId: id, SourceType: "url", DstUrl: "rtmp://push.example.com/live/" + id,
		SourceUrls: []string{"https://media.example.com/a.mp4", "https://media.example.com/b.mp4",
			"https://media.example.com/c.mp4"}}
}

// liveTask is a live task.
func liveTask(id string) emulator.TaskInfo {
	return emulator.TaskInfo{TaskId: id, SourceType: "live", SourceProtocol: "rtmp",
		DstUrl: "rtmp://push.example.com/live/" + id, SourceUrls: []string{"rtmp://origin.example.com/live/" + id}}
}

// config builds the action's configuration from attribute values (the
// rest null); "invoke" sets timeouts.invoke.
func (h *restartHarness) config(vals map[string]tftypes.Value) tfsdk.Config {
	h.t.Helper()
	ctx := context.Background()
	var sr action.SchemaResponse
	h.a.Schema(ctx, action.SchemaRequest{}, &sr)
	typ, ok := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		h.t.Fatalf("the schema's type is %T", sr.Schema.Type().TerraformType(ctx))
	}
	obj := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		obj[name] = tftypes.NewValue(at, nil)
	}
	for k, v := range vals {
		if k == "invoke" {
			tt := typ.AttributeTypes["timeouts"]
			obj["timeouts"] = tftypes.NewValue(tt, map[string]tftypes.Value{"invoke": v})
			continue
		}
		obj[k] = v
	}
	return tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, obj)}
}

func tfStr(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
func tfNum(n int64) tftypes.Value  { return tftypes.NewValue(tftypes.Number, n) }

// invoke runs the action and returns its diagnostics and progress messages.
func (h *restartHarness) invoke(vals map[string]tftypes.Value) (diag.Diagnostics, []string) {
	h.t.Helper()
	var msgs []string
	resp := action.InvokeResponse{SendProgress: func(ev action.InvokeProgressEvent) { msgs = append(msgs, ev.Message) }}
	h.a.Invoke(context.Background(), action.InvokeRequest{Config: h.config(vals)}, &resp)
	return resp.Diagnostics, msgs
}

// plan runs the action's ModifyPlan.
func (h *restartHarness) plan(vals map[string]tftypes.Value) diag.Diagnostics {
	h.t.Helper()
	var resp action.ModifyPlanResponse
	h.a.ModifyPlan(context.Background(), action.ModifyPlanRequest{Config: h.config(vals)}, &resp)
	return resp.Diagnostics
}

// calls checks the emulator's call counts per operation (all others 0).
func (h *restartHarness) calls(want map[string]int) {
	h.t.Helper()
	if got := nonZero(h.e.Stats().Calls); !reflect.DeepEqual(got, want) {
		h.t.Errorf("calls %v, want %v", got, want)
	}
}

// nonZero drops the operations that were not called.
func nonZero(calls map[string]int) map[string]int {
	out := map[string]int{}
	for op, n := range calls {
		if n != 0 {
			out[op] = n
		}
	}
	return out
}

// emulatorTask reads a task from the emulator.
func (h *restartHarness) emulatorTask(id string) emulator.Task {
	h.t.Helper()
	tk, ok := h.e.Task(id)
	if !ok {
		h.t.Fatalf("task %s does not exist", id)
	}
	return tk
}

// oneDiag checks that diags hold exactly one diagnostic with this
// severity, path (nil: none), summary and detail (a regexp when it starts
// with "^").
func oneDiag(t *testing.T, diags diag.Diagnostics, sev diag.Severity, at *path.Path, summary, detail string) {
	t.Helper()
	if len(diags) != 1 {
		t.Fatalf("diagnostics %v, want one %q", diags, summary)
	}
	d := diags[0]
	if d.Severity() != sev || d.Summary() != summary {
		t.Errorf("diagnostic %v %q, want %v %q", d.Severity(), d.Summary(), sev, summary)
	}
	if strings.HasPrefix(detail, "^") {
		if !regexp.MustCompile(detail).MatchString(d.Detail()) {
			t.Errorf("detail\n got %s\nwant match %s", d.Detail(), detail)
		}
	} else if d.Detail() != detail {
		t.Errorf("detail\n got %s\nwant %s", d.Detail(), detail)
	}
	wp, ok := d.(diag.DiagnosticWithPath)
	switch {
	case at == nil && ok:
		t.Errorf("diagnostic on %s, want none", wp.Path())
	case at != nil && (!ok || !wp.Path().Equal(*at)):
		t.Errorf("diagnostic %v, want one on %s", d, *at)
	}
}

func pathOf(name string) *path.Path { p := path.Root(name); return &p }

func TestRestartAction_running(t *testing.T) {
	h := newRestartHarness(t)
	id := h.add(urlTask("relay-1"))
	diags, msgs := h.invoke(map[string]tftypes.Value{"task_id": tfStr(id)})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	want := []string{
		`Restarting pull-to-push task "relay-1" in region "cn-shanghai" (status running).`,
		`Pull-to-push task "relay-1" is running.`,
	}
	if !reflect.DeepEqual(msgs, want) {
		t.Errorf("progress\n got %q\nwant %q", msgs, want)
	}
	h.calls(map[string]int{emulator.OpDescribe: 2, emulator.OpRestart: 1})
	if tk := h.emulatorTask(id); tk.TaskStatus != 1 || tk.TaskInfo.FileIndex != 0 {
		t.Errorf("task %+v, want running at file_index 0", tk)
	}
}

// A recovering task is restarted too; the region comes from the
// configuration.
func TestRestartAction_recoveringInRegion(t *testing.T) {
	h := newRestartHarness(t)
	info := liveTask("relay-2")
	info.RetryCount = 3
	id, err := h.e.AddTask("cn-beijing", info)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.e.FailTask(id, "PullStreamFailed"); err != nil {
		t.Fatal(err)
	}
	h.e.ResetStats()
	diags, msgs := h.invoke(map[string]tftypes.Value{"task_id": tfStr(id), "region": tfStr("cn-beijing")})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if msgs[0] != `Restarting pull-to-push task "relay-2" in region "cn-beijing" (status recovering).` {
		t.Errorf("progress %q", msgs)
	}
	h.calls(map[string]int{emulator.OpDescribe: 2, emulator.OpRestart: 1})
	if tk := h.emulatorTask(id); tk.TaskStatus != 1 || tk.TaskInvalidReason != "" {
		t.Errorf("task %+v, want running without a reason", tk)
	}
}

// With file_index the task is stopped, its position stored and it is
// restarted from there, with a warning about the resource's next plan.
func TestRestartAction_fileIndex(t *testing.T) {
	h := newRestartHarness(t)
	id := h.add(urlTask("relay-3"))
	diags, msgs := h.invoke(map[string]tftypes.Value{"task_id": tfStr(id), "file_index": tfNum(2), "offset": tfNum(30)})
	oneDiag(t, diags, diag.SeverityWarning, nil, "Pull-to-Push Task Playlist Position Changed",
		`Pull-to-push task "relay-3" now stores file_index 2 and offset 30 (it had 0 and 0): the service restarts `+
			`a playlist only from the position stored in the task. An alilive_pull_to_push_task that manages the `+
			`task shows file_index and offset changing back to its configuration in its next plan, and applying `+
			`that restarts the relay again; add them to its lifecycle ignore_changes to keep the position set here.`)
	want := []string{
		`Stopping pull-to-push task "relay-3" in region "cn-shanghai" (status running) to restart it from ` +
			`file_index 2, offset 30.`,
		`Setting file_index 2 and offset 30 of pull-to-push task "relay-3".`,
		`Restarting pull-to-push task "relay-3".`,
		`Pull-to-push task "relay-3" is running.`,
	}
	if !reflect.DeepEqual(msgs, want) {
		t.Errorf("progress\n got %q\nwant %q", msgs, want)
	}
	// Describe: the check, the stop's read-back, the wait.
	h.calls(map[string]int{emulator.OpDescribe: 3, emulator.OpStop: 1, emulator.OpUpdate: 1, emulator.OpRestart: 1})
	if tk := h.emulatorTask(id); tk.TaskStatus != 1 || tk.CurrentFileIndex != 2 || tk.CurrentOffset != 30 ||
		tk.TaskInfo.FileIndex != 2 || tk.TaskInfo.Offset != 30 {
		t.Errorf("task %+v, want running from file_index 2, offset 30", tk)
	}

	// The same position again: no warning. offset defaults to 0.
	h.e.ResetStats()
	diags, _ = h.invoke(map[string]tftypes.Value{"task_id": tfStr(id), "file_index": tfNum(1)})
	oneDiag(t, diags, diag.SeverityWarning, nil, "Pull-to-Push Task Playlist Position Changed",
		`^Pull-to-push task "relay-3" now stores file_index 1 and offset 0 \(it had 2 and 30\)`)
	diags, _ = h.invoke(map[string]tftypes.Value{"task_id": tfStr(id), "file_index": tfNum(1), "offset": tfNum(0)})
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", diags)
	}
}

// Under restart-new-id the action follows the task to its new ID and warns
// about the resource's state.
func TestRestartAction_newID(t *testing.T) {
	h := newRestartHarness(t, emulator.VariantRestartNewID)
	id := h.add(urlTask("relay-4"))
	diags, msgs := h.invoke(map[string]tftypes.Value{"task_id": tfStr(id)})
	if _, ok := h.e.Task(id); ok {
		t.Fatalf("task %s still exists under its old ID", id)
	}
	tasks := h.e.Tasks()
	if len(tasks) != 1 || tasks[0].TaskStatus != 1 {
		t.Fatalf("tasks %+v, want one running", tasks)
	}
	newID := tasks[0].TaskId
	oneDiag(t, diags, diag.SeverityWarning, nil, "Pull-to-Push Task Has a New ID", fmt.Sprintf(
		`The service gave pull-to-push task "relay-4" the new ID %[1]q when it restarted it (region "cn-shanghai"), `+
			`and no task has the old ID any more. An alilive_pull_to_push_task that manages the task still records `+
			`"relay-4": its next refresh finds no task under that ID and removes it from the state (warning `+
			`"Pull-to-Push Task No Longer Exists"). Import the task under its new ID then, with an import block or `+
			`terraform import (ID "cn-shanghai:%[1]s"); creating it again would fail while the restarted task holds `+
			`its dst_url.`, newID))
	want := []string{
		`Restarting pull-to-push task "relay-4" in region "cn-shanghai" (status running).`,
		fmt.Sprintf(`The service gave pull-to-push task "relay-4" the new ID %q on restart.`, newID),
		fmt.Sprintf(`Pull-to-push task %q is running.`, newID),
	}
	if !reflect.DeepEqual(msgs, want) {
		t.Errorf("progress\n got %q\nwant %q", msgs, want)
	}
	h.calls(map[string]int{emulator.OpDescribe: 2, emulator.OpRestart: 1})
}

// Under async the restart shows a moment later: the action reports the
// status while it waits.
func TestRestartAction_asyncProgress(t *testing.T) {
	defer func(p time.Duration) { restartPoll = p }(restartPoll)
	restartPoll = 200 * time.Millisecond
	h := newRestartHarness(t, emulator.VariantAsync)
	id := h.add(urlTask("relay-5"))
	h.e.Advance(2 * emulator.DefaultAsyncDelay) // it has started
	diags, msgs := h.invoke(map[string]tftypes.Value{"task_id": tfStr(id), "file_index": tfNum(1)})
	oneDiag(t, diags, diag.SeverityWarning, nil, "Pull-to-Push Task Playlist Position Changed",
		`^Pull-to-push task "relay-5" now stores file_index 1 and offset 0 `)
	waiting := regexp.MustCompile(`^Waiting for pull-to-push task "relay-5" to run: status offline after \ds\.$`)
	if len(msgs) != 5 || !waiting.MatchString(msgs[3]) || msgs[4] != `Pull-to-push task "relay-5" is running.` {
		t.Errorf("progress %q, want 3 steps, one wait for the offline task, then running", msgs)
	}
	if tk := h.emulatorTask(id); tk.TaskStatus != 1 || tk.CurrentFileIndex != 1 {
		t.Errorf("task %+v, want running from file_index 1", tk)
	}
}

// A task that does not run, or whose playlist does not fit, is refused
// before any change, at plan time and again when invoked.
func TestRestartAction_refused(t *testing.T) {
	h := newRestartHarness(t)
	offline := h.add(urlTask("relay-off"))
	if err := h.e.PatchTask(offline, emulator.TaskPatch{TaskStatus: ptr(int32(3))}); err != nil {
		t.Fatal(err)
	}
	idle := urlTask("relay-idle")
	idle.StartTime = "2099-01-01T00:00:00Z"
	idle.EndTime = "2099-01-02T00:00:00Z"
	h.add(idle)
	h.add(liveTask("relay-live"))
	h.add(urlTask("relay-url"))
	// One reading has a task past its end_time reported stopped with
	// TaskExitReason OverEndTime before it is deleted.
	ended := h.add(urlTask("relay-ended"))
	if err := h.e.PatchTask(ended, emulator.TaskPatch{TaskStatus: ptr(int32(3)),
		TaskExitReason: ptr(emulator.ReasonOverEndTime)}); err != nil {
		t.Fatal(err)
	}
	endTime := h.emulatorTask(ended).TaskInfo.EndTime
	cases := []struct {
		name    string
		vals    map[string]tftypes.Value
		at      string
		summary string
		detail  string
	}{
		{"offline", map[string]tftypes.Value{"task_id": tfStr(offline)}, "task_id", "Pull-to-Push Task Is Offline",
			`Pull-to-push task "relay-off" in region "cn-shanghai" is offline (stopped by StopLivePullToPush, or ` +
				`after its retries ran out). This action restarts only a task that runs or recovers, so that it never ` +
				`contradicts enabled = false of an alilive_pull_to_push_task that keeps the task stopped. To run it, ` +
				`set enabled = true on the resource that manages it and apply, which restarts it; a task no ` +
				`configuration manages can be imported first.`},
		{"idle", map[string]tftypes.Value{"task_id": tfStr("relay-idle")}, "task_id", "Pull-to-Push Task Has Not Started",
			`Pull-to-push task "relay-idle" in region "cn-shanghai" has not started yet: it starts by itself at its ` +
				`start_time 2099-01-01T00:00:00Z, and the service cannot restart a task before then. Invoke the ` +
				`action once the task runs.`},
		{"ended", map[string]tftypes.Value{"task_id": tfStr(ended)}, "task_id", "Pull-to-Push Task Has Ended",
			`Pull-to-push task "relay-ended" in region "cn-shanghai" has ended (it reached its end_time ` + endTime +
				`) and can never run again, so it cannot be restarted.`},
		{"missing", map[string]tftypes.Value{"task_id": tfStr("relay-none")}, "task_id", "",
			`^The DescribeLivePullToPush call \(reading pull-to-push task "relay-none" in region "cn-shanghai"\) ` +
				`failed with error code "CodeTaskNotExist" \(HTTP status 400, request ID "[0-9A-F-]{36}"\): Task does ` +
				`not exist\. (Nothing was changed\. )?Check task_id and region: the service deletes a task when it ` +
				`reaches its end_time, and a task made by the alilive_pull_to_push_task resource has the ID of that ` +
				`resource's id attribute\.$`},
		{"wrong region", map[string]tftypes.Value{"task_id": tfStr("relay-url"), "region": tfStr("cn-beijing")}, "task_id", "",
			`^The DescribeLivePullToPush call \(reading pull-to-push task "relay-url" in region "cn-beijing"\) ` +
				`failed with error code "CodeTaskNotExist"`},
		{"live with file_index", map[string]tftypes.Value{"task_id": tfStr("relay-live"), "file_index": tfNum(0)},
			"file_index", "Invalid Playlist Position",
			`file_index is 0, but pull-to-push task "relay-live" is a live task, which relays a live stream and has ` +
				`no playlist: file_index and offset apply only to vod and url tasks. Remove them to restart the task.`},
		{"file_index past the list", map[string]tftypes.Value{"task_id": tfStr("relay-url"), "file_index": tfNum(3)},
			"file_index", "Invalid Playlist Position",
			`file_index is 3, but pull-to-push task "relay-url" plays 3 source_urls entries: set file_index from ` +
				`0 to 2.`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h.e.ResetStats()
			planSummary, invokeSummary := c.summary, c.summary
			if c.summary == "" {
				planSummary, invokeSummary = "Unable to Plan Pull-to-Push Task Restart", restartSummary
			}
			planDetail, invokeDetail := c.detail, c.detail
			if !strings.HasPrefix(c.detail, "^") {
				invokeDetail += " Nothing was changed."
			}
			oneDiag(t, h.plan(c.vals), diag.SeverityError, pathOf(c.at), planSummary, planDetail)
			diags, msgs := h.invoke(c.vals)
			oneDiag(t, diags, diag.SeverityError, pathOf(c.at), invokeSummary, invokeDetail)
			if len(msgs) != 0 {
				t.Errorf("progress %q, want none", msgs)
			}
			h.calls(map[string]int{emulator.OpDescribe: 2})
		})
	}
}

// The plan reads nothing while task_id is unknown.
func TestRestartAction_planUnknownTaskID(t *testing.T) {
	h := newRestartHarness(t)
	diags := h.plan(map[string]tftypes.Value{"task_id": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)})
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	h.calls(map[string]int{})
}

// A restarted task that keeps failing is reported when the timeout passes,
// with its reason and what to do.
func TestRestartAction_timeout(t *testing.T) {
	defer func(p, e time.Duration) { restartPoll, restartProgressEvery = p, e }(restartPoll, restartProgressEvery)
	restartPoll, restartProgressEvery = 200*time.Millisecond, 500*time.Millisecond
	h := newRestartHarness(t)
	info := urlTask("relay-6")
	info.SourceUrls = []string{"https://media.invalid/a.mp4"}
	id := h.add(info)
	if tk := h.emulatorTask(id); tk.TaskStatus != 2 {
		t.Fatalf("task %+v, want recovering", tk)
	}
	start := time.Now()
	diags, msgs := h.invoke(map[string]tftypes.Value{"task_id": tfStr(id), "invoke": tfStr("2s")})
	if d := time.Since(start); d < 2*time.Second || d > 10*time.Second {
		t.Errorf("the invocation took %v, want about its timeout of 2s", d)
	}
	oneDiag(t, diags, diag.SeverityError, nil, "Pull-to-Push Task Not Running After Restart",
		`The service accepted RestartLivePullToPush for pull-to-push task "relay-6" in region "cn-shanghai", but `+
			`within the timeout of 2s it did not run: it shows status recovering (PullStreamFailed). The service `+
			`cannot pull the source: check source_urls and that the source is live. The task keeps retrying by `+
			`itself every 60 seconds (retry_interval), up to 3 times (retry_count); raise timeouts.invoke to wait longer.`)
	first := `Waiting for pull-to-push task "relay-6" to run: status recovering (PullStreamFailed) after 0s.`
	if len(msgs) < 3 || msgs[1] != first || !strings.HasPrefix(msgs[len(msgs)-1], `Waiting for pull-to-push task "relay-6"`) {
		t.Errorf("progress %q, want a restart, %q, and repeats while waiting", msgs, first)
	}
	if st := h.e.Stats(); st.Calls[emulator.OpRestart] != 1 {
		t.Errorf("restarts %d, want 1", st.Calls[emulator.OpRestart])
	}
}

// A restarted task that keeps failing until its retries run out is
// reported when it goes offline, not at the timeout.
func TestRestartAction_retriesRunOut(t *testing.T) {
	defer func(p time.Duration) { restartPoll = p }(restartPoll)
	restartPoll = 100 * time.Millisecond
	h := newRestartHarness(t)
	info := urlTask("relay-9")
	info.SourceUrls = []string{"https://media.invalid/a.mp4"}
	info.RetryCount = 2
	id := h.add(info)
	done := make(chan struct{})
	go func() {
		// Once the restart shows (recovering again), let the emulator's
		// clock run past both retries.
		defer close(done)
		for i := 0; i < 100; i++ {
			if st := h.e.Stats().Calls; st[emulator.OpRestart] == 1 && st[emulator.OpDescribe] >= 2 {
				h.e.Advance(121 * time.Second)
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	start := time.Now()
	diags, _ := h.invoke(map[string]tftypes.Value{"task_id": tfStr(id), "invoke": tfStr("1m")})
	<-done
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("the invocation took %v, want it to end when the task went offline", d)
	}
	oneDiag(t, diags, diag.SeverityError, nil, "Pull-to-Push Task Not Running After Restart",
		`The service accepted RestartLivePullToPush for pull-to-push task "relay-9" in region "cn-shanghai", but `+
			`the task failed and went offline (PullStreamFailed) after its 2 retries (retry_count) ran out. The `+
			`service cannot pull the source: check source_urls and that the source is live.`)
	if tk := h.emulatorTask(id); tk.TaskStatus != 3 {
		t.Errorf("task %+v, want offline", tk)
	}
}

// A restarted task without retries that fails at once is reported at once.
func TestRestartAction_failsAtOnce(t *testing.T) {
	h := newRestartHarness(t)
	info := liveTask("relay-7")
	info.TaskName = "no-retries"
	id := h.add(info)
	if err := h.e.PatchTask(id, emulator.TaskPatch{DstUrl: ptr("rtmp://push.invalid/live/relay-7")}); err != nil {
		t.Fatal(err)
	}
	h.e.ResetStats()
	diags, _ := h.invoke(map[string]tftypes.Value{"task_id": tfStr(id)})
	oneDiag(t, diags, diag.SeverityError, nil, "Pull-to-Push Task Not Running After Restart",
		`The service accepted RestartLivePullToPush for pull-to-push task "relay-7" in region "cn-shanghai", but `+
			`the task failed at once and went offline (PushStreamFailed) (it has retry_count 0, so it does not retry). `+
			`The service cannot push to dst_url: check the destination, its auth_key and that no other task pushes to it.`)
	h.calls(map[string]int{emulator.OpDescribe: 2, emulator.OpRestart: 1})
}

// A position the service refuses leaves the task running where it was.
func TestRestartAction_updateRefused(t *testing.T) {
	h := newRestartHarness(t)
	id := h.add(urlTask("relay-8"))
	if err := h.e.SetFaults("op=update,kinds=internal,every=1"); err != nil {
		t.Fatal(err)
	}
	diags, _ := h.invoke(map[string]tftypes.Value{"task_id": tfStr(id), "file_index": tfNum(1)})
	oneDiag(t, diags, diag.SeverityError, pathOf("file_index"), restartSummary,
		`^The UpdateLivePullToPush call \(setting file_index and offset of pull-to-push task "relay-8" in region `+
			`"cn-shanghai"\) failed with error code "InternalError" .* The task was stopped for the change and has `+
			`been restarted from its previous position\. Check file_index and offset against the task's source_urls\.$`)
	// Update: the client's two attempts, each followed by a read-back (the
	// 500 may have committed); Describe: the check, the stop's read-back
	// and those two.
	h.calls(map[string]int{emulator.OpDescribe: 4, emulator.OpStop: 1, emulator.OpUpdate: 2, emulator.OpRestart: 1})
	if tk := h.emulatorTask(id); tk.TaskStatus != 1 || tk.TaskInfo.FileIndex != 0 {
		t.Errorf("task %+v, want running at file_index 0", tk)
	}
}

// Acceptance tests with the terraform CLI: actions need Terraform 1.14.

// restartActionVersionChecks skip a test on a CLI without actions.
var restartActionVersionChecks = []tfversion.TerraformVersionCheck{
	alilivetest.NotOnOpenTofu(openTofuNoActions), tfversion.SkipBelow(tfversion.Version1_14_0)}

// openTofuNoActions says why the action tests skip under OpenTofu.
const openTofuNoActions = "OpenTofu has no actions (checked with 1.11.0 and 1.12.6)"

// testAccRestartActionConfig_trigger is a url task that ignores the
// playlist position the action stores, and an action that restarts it
// from its second file, triggered by an update of terraform_data.
func testAccRestartActionConfig_trigger(a *ptpAcc, revision string) string {
	return a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/restart/a.mp4", "https://media.example.com/restart/b.flv"]
  dst_url     = "{{dst "restart"}}"

  lifecycle {
    ignore_changes = [file_index, offset]
  }
}

action "alilive_pull_to_push_task_restart" "test" {
  config {
    task_id    = alilive_pull_to_push_task.test.id
    file_index = 1
    offset     = 5
  }
}

resource "terraform_data" "revision" {
  input = {{quote .revision}}

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.alilive_pull_to_push_task_restart.test]
    }
  }
}
`, alilivetest.Vars{"revision": revision})
}

// checkExactCalls checks every call counter of the emulator since the last reset.
func (a *ptpAcc) checkExactCalls(want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := nonZero(a.Emulator.Stats().Calls); !reflect.DeepEqual(got, want) {
			return fmt.Errorf("emulator calls %v, want %v", got, want)
		}
		return nil
	}
}

// An update of the triggering resource restarts the task from the given
// position, once per update; the resource that manages the task ignores
// the position the action stores, so its plan stays empty.
func TestAccPullToPushTaskRestartAction_trigger(t *testing.T) {
	t.Parallel()
	a := newPtpAccWith(t, emulator.Options{})
	position := func(fi, off int32) resource.TestCheckFunc {
		return a.CheckTask(func(tk emulator.Task) error {
			if tk.TaskStatus != 1 || tk.TaskInfo.FileIndex != fi || tk.TaskInfo.Offset != off ||
				tk.CurrentFileIndex != fi || tk.CurrentOffset != off {
				return fmt.Errorf("task %+v, want running from file_index %d, offset %d", tk, fi, off)
			}
			return nil
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   restartActionVersionChecks,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				// Created: after_create is not an event of the trigger.
				Config: testAccRestartActionConfig_trigger(a, "1"),
				Check: resource.ComposeTestCheckFunc(position(0, 0),
					a.CheckCalls(map[string]int{emulator.OpRestart: 0, emulator.OpStop: 0})),
			},
			{
				PreConfig: a.ResetStats,
				Config:    testAccRestartActionConfig_trigger(a, "2"),
				// Describe: the refresh, the plan's check of the action, and
				// the invocation's check, the stop's read-back and the wait.
				Check: resource.ComposeTestCheckFunc(position(1, 5), a.checkExactCalls(map[string]int{
					emulator.OpDescribe: 5, emulator.OpRestart: 1, emulator.OpStop: 1, emulator.OpUpdate: 1})),
			},
			{
				// Nothing changed: the refresh alone, no restart.
				PreConfig: a.ResetStats,
				Config:    testAccRestartActionConfig_trigger(a, "2"),
				Check:     a.checkExactCalls(map[string]int{emulator.OpDescribe: 1}),
			},
		},
	})
}

// testAccRestartActionConfig_self is a live task whose own updates trigger
// an action on it.
func testAccRestartActionConfig_self(a *ptpAcc) string {
	return a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/self"]
  dst_url         = "{{dst "self"}}"

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.alilive_pull_to_push_task_restart.test]
    }
  }
}

action "alilive_pull_to_push_task_restart" "test" {
  config {
    task_id = alilive_pull_to_push_task.test.id
  }
}
`)
}

// testAccRestartActionConfig_selfCallback is testAccRestartActionConfig_self
// with a callback URL.
func testAccRestartActionConfig_selfCallback(a *ptpAcc) string {
	return a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/self"]
  dst_url         = "{{dst "self"}}"
  callback_url    = "https://hooks.example.com/alilive"

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.alilive_pull_to_push_task_restart.test]
    }
  }
}

action "alilive_pull_to_push_task_restart" "test" {
  config {
    task_id = alilive_pull_to_push_task.test.id
  }
}
`)
}

// testAccRestartActionConfig_selfDisabled is
// testAccRestartActionConfig_selfCallback with enabled = false.
func testAccRestartActionConfig_selfDisabled(a *ptpAcc) string {
	return a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/self"]
  dst_url         = "{{dst "self"}}"
  callback_url    = "https://hooks.example.com/alilive"
  enabled         = false

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.alilive_pull_to_push_task_restart.test]
    }
  }
}

action "alilive_pull_to_push_task_restart" "test" {
  config {
    task_id = alilive_pull_to_push_task.test.id
  }
}
`)
}

// An update of the resource itself triggers the restart; an update that
// sets enabled = false stops the task, and the action it triggers then
// refuses to start it again rather than contradict enabled = false.
func TestAccPullToPushTaskRestartAction_selfTrigger(t *testing.T) {
	t.Parallel()
	a := newPtpAccWith(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// Terraform 1.16 refuses the trigger (selfTriggerRefused).
		TerraformVersionChecks: append(restartActionVersionChecks[:len(restartActionVersionChecks):len(restartActionVersionChecks)],
			tfversion.SkipAbove(version.Must(version.NewVersion("1.15.99")))),
		CheckDestroy: a.CheckDestroyed,
		Steps: []resource.TestStep{
			{Config: testAccRestartActionConfig_self(a), Check: a.CheckCalls(map[string]int{emulator.OpRestart: 0})},
			{
				PreConfig: a.ResetStats,
				Config:    testAccRestartActionConfig_selfCallback(a),
				Check: resource.ComposeTestCheckFunc(a.CheckStatus(1),
					a.CheckCalls(map[string]int{emulator.OpRestart: 1, emulator.OpUpdate: 1})),
			},
			{
				PreConfig: a.ResetStats,
				Config:    testAccRestartActionConfig_selfDisabled(a),
				// The plan saw the task running; the invocation reads it
				// again after the update stopped it.
				ExpectError: alilivetest.MsgRegexp(`Error: Error when invoking action`, `Pull-to-Push Task Is Offline: Pull-to-push task`,
					`is offline (stopped by StopLivePullToPush,`, `so that it never contradicts enabled = false`,
					`Nothing was changed.`),
			},
			{
				// The task stays stopped, as configured.
				Config:   testAccRestartActionConfig_selfDisabled(a),
				PlanOnly: true,
				PreConfig: func() {
					if st := a.Emulator.Stats().Calls; st[emulator.OpStop] != 1 || st[emulator.OpRestart] != 0 {
						t.Errorf("calls of the update to enabled = false: %v, want one stop and no restart", st)
					}
					if tasks := a.LiveTasks(); len(tasks) != 1 || tasks[0].TaskStatus != 3 {
						t.Errorf("tasks %+v, want one offline", tasks)
					}
				},
			},
		},
	})
}

// Terraform 1.16 refuses an action_trigger of the relay resource that
// runs an action on that same relay: the action's config refers to the
// resource, which Terraform 1.16 calls a cycle. The docs say to trigger
// it from another resource (terraform_data).
func TestAccPullToPushTaskRestartAction_selfTriggerRefused(t *testing.T) {
	t.Parallel()
	a := newPtpAccWith(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{alilivetest.NotOnOpenTofu(openTofuNoActions),
			tfversion.SkipBelow(version.Must(version.NewVersion("1.16.0")))},
		Steps: []resource.TestStep{{
			Config: testAccRestartActionConfig_self(a),
			ExpectError: alilivetest.MsgRegexp(`Error: action reference cycle involving ` +
				`action.alilive_pull_to_push_task_restart.test and alilive_pull_to_push_task.test`),
		}},
	})
	if n := a.Emulator.Stats().TotalCalls(); n != 0 {
		t.Fatalf("%d API calls, want 0", n)
	}
}

// Where a restart gives the task a new ID, the resource still records the
// old one: its next refresh removes it from the state, and creating it
// again fails while the restarted task holds dst_url, with an error that
// names the task to import. (The action's own warning is pinned in
// TestRestartAction_newID.)
func TestAccPullToPushTaskRestartAction_newID(t *testing.T) {
	t.Parallel()
	a := newPtpAccWith(t, emulator.Options{Variants: []emulator.Variant{emulator.VariantRestartNewID}})
	cfg := func(revision string) string {
		return a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/renamed"]
  dst_url         = "{{dst "renamed"}}"
}

action "alilive_pull_to_push_task_restart" "test" {
  config {
    task_id = alilive_pull_to_push_task.test.id
  }
}

resource "terraform_data" "revision" {
  input = {{quote .revision}}

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.alilive_pull_to_push_task_restart.test]
    }
  }
}
`, alilivetest.Vars{"revision": revision})
	}
	var oldID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   restartActionVersionChecks,
		Steps: []resource.TestStep{
			{Config: cfg("1"), Check: alilivetest.CaptureID(&oldID)},
			{
				// The restart moves the task: the refresh after the apply
				// finds no task under the old ID and plans to create it.
				Config:             cfg("2"),
				ExpectNonEmptyPlan: true,
				Check: func(*terraform.State) error {
					tasks := a.LiveTasks()
					if _, ok := a.Emulator.Task(oldID); ok || len(tasks) != 1 || tasks[0].TaskStatus != 1 {
						return fmt.Errorf("tasks %+v, want one running under a new ID instead of %s", tasks, oldID)
					}
					return nil
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionCreate),
				}},
			},
			{
				Config: cfg("2"),
				ExpectError: alilivetest.MsgRegexp(`Error: Unable to Create Pull-to-Push Task`, `is already used by pull-to-push task`,
					`"CodeConfigAlreadyExists"`, `That task has exactly this configuration: adopt it with an import `+
						`block or terraform import (ID "cn-shanghai:`),
			},
		},
		CheckDestroy: func(*terraform.State) error {
			// The moved task is no longer managed: delete it here.
			for _, tk := range a.LiveTasks() {
				if err := a.Emulator.DeleteTask(tk.TaskId); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

// testAccRestartActionConfig_plan is an action on a task made out of band,
// triggered when terraform_data is created, so that planning it plans the
// action.
func testAccRestartActionConfig_plan(a *ptpAcc, taskID string) string {
	return a.Config(`
action "alilive_pull_to_push_task_restart" "test" {
  config {
    task_id = {{quote .task_id}}
  }
}

resource "terraform_data" "trigger" {
  input = "1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.alilive_pull_to_push_task_restart.test]
    }
  }
}
`, alilivetest.Vars{"task_id": taskID})
}

// testAccRestartActionConfig_planFileIndex is testAccRestartActionConfig_plan
// with file_index.
func testAccRestartActionConfig_planFileIndex(a *ptpAcc, taskID string, fileIndex int) string {
	return a.Config(`
action "alilive_pull_to_push_task_restart" "test" {
  config {
    task_id    = {{quote .task_id}}
    file_index = {{.file_index}}
  }
}

resource "terraform_data" "trigger" {
  input = "1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.alilive_pull_to_push_task_restart.test]
    }
  }
}
`, alilivetest.Vars{"task_id": taskID, "file_index": fileIndex})
}

// testAccRestartActionConfig_planOffset is testAccRestartActionConfig_plan
// with offset alone.
func testAccRestartActionConfig_planOffset(a *ptpAcc, taskID string, offset int) string {
	return a.Config(`
action "alilive_pull_to_push_task_restart" "test" {
  config {
    task_id = {{quote .task_id}}
    offset  = {{.offset}}
  }
}

resource "terraform_data" "trigger" {
  input = "1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.alilive_pull_to_push_task_restart.test]
    }
  }
}
`, alilivetest.Vars{"task_id": taskID, "offset": offset})
}

// testAccRestartActionConfig_planRegion is testAccRestartActionConfig_plan
// with region.
func testAccRestartActionConfig_planRegion(a *ptpAcc, taskID, region string) string {
	return a.Config(`
action "alilive_pull_to_push_task_restart" "test" {
  config {
    task_id = {{quote .task_id}}
    region  = {{quote .region}}
  }
}

resource "terraform_data" "trigger" {
  input = "1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.alilive_pull_to_push_task_restart.test]
    }
  }
}
`, alilivetest.Vars{"task_id": taskID, "region": region})
}

// Bad input fails the plan with an error naming the attribute; a task the
// action cannot restart fails the plan after one read, before any change.
func TestAccPullToPushTaskRestartAction_planErrors(t *testing.T) {
	t.Parallel()
	a := newPtpAccWith(t, emulator.Options{})
	add := func(info emulator.TaskInfo) string {
		id, err := a.Emulator.AddTask("cn-shanghai", info)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	offline := add(urlTask("relay-offline"))
	if err := a.Emulator.PatchTask(offline, emulator.TaskPatch{TaskStatus: ptr(int32(3))}); err != nil {
		t.Fatal(err)
	}
	running := add(urlTask("relay-running"))
	live := add(liveTask("relay-live"))
	// Each step's calls are checked when the next one starts (a step that
	// fails as expected runs no Check), the last one's after the test.
	var checkPrev func()
	step := func(cfg string, want *regexp.Regexp, describes int) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() {
				if checkPrev != nil {
					checkPrev()
				}
				a.ResetStats()
				checkPrev = func() {
					t.Helper()
					got, wantCalls := nonZero(a.Emulator.Stats().Calls), map[string]int{}
					if describes > 0 {
						wantCalls[emulator.OpDescribe] = describes
					}
					if !reflect.DeepEqual(got, wantCalls) {
						t.Errorf("step expecting %s: calls %v, want %v", want, got, wantCalls)
					}
				}
			},
			Config: cfg, ExpectError: want,
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   restartActionVersionChecks,
		Steps: []resource.TestStep{
			step(testAccRestartActionConfig_planOffset(a, running, 5),
				alilivetest.MsgRegexp(`Attribute "file_index" must be specified when "offset" is specified`), 0),
			step(testAccRestartActionConfig_planFileIndex(a, running, -1),
				alilivetest.MsgRegexp(`Attribute file_index value must be between 0 and 2147483647, got: -1`), 0),
			step(testAccRestartActionConfig_plan(a, "relay 1"),
				alilivetest.MsgRegexp(`Attribute task_id must consist of 1 to 55 letters, digits, - and _, got: relay 1`), 0),
			step(testAccRestartActionConfig_planRegion(a, running, "us-east-1"),
				alilivetest.MsgRegexp(`Invalid Region`, `region is "us-east-1", which is not a live center: set region to one of `+
					`ap-southeast-1, ap-southeast-5, cn-beijing, cn-shanghai, cn-shenzhen.`), 0),
			step(testAccRestartActionConfig_plan(a, offline), alilivetest.MsgRegexp(`Pull-to-Push Task Is Offline`,
				`Pull-to-push task "relay-offline" in region "cn-shanghai" is offline (stopped by StopLivePullToPush,`,
				`This action restarts only a task that runs or recovers`), 1),
			step(testAccRestartActionConfig_planFileIndex(a, live, 0), alilivetest.MsgRegexp(`Invalid Playlist Position`,
				`file_index is 0, but pull-to-push task "relay-live" is a live task`), 1),
			step(testAccRestartActionConfig_planFileIndex(a, running, 3), alilivetest.MsgRegexp(`Invalid Playlist Position`,
				`file_index is 3, but pull-to-push task "relay-running" plays 3 source_urls entries: set file_index`,
				`from 0 to 2.`), 1),
			step(testAccRestartActionConfig_plan(a, "relay-none"), alilivetest.MsgRegexp(`Unable to Plan Pull-to-Push Task Restart`,
				`The DescribeLivePullToPush call (reading pull-to-push task "relay-none" in region "cn-shanghai")`,
				`failed with error code "CodeTaskNotExist"`, `Check task_id and region`), 1),
		},
	})
	if checkPrev != nil {
		checkPrev()
	}
}

// testAccCLI runs the terraform CLI of the acceptance tests in a working
// directory against this provider served in-process (plugin-testing has no
// step for terraform apply -invoke).
type testAccCLI struct {
	t   *testing.T
	bin string
	dir string
	env []string
}

// newTestAccCLI serves the provider for the CLI and prepares dir, or
// skips the test on a CLI older than minVersion.
func newTestAccCLI(t *testing.T, minVersion *version.Version) *testAccCLI {
	t.Helper()
	testAccPreCheck(t)
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.CommandContext(context.Background(), bin, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version: %v", bin, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v", bin, err)
	}
	if got, err := version.NewVersion(v.Version); err != nil || got.LessThan(minVersion) {
		t.Skipf("Terraform CLI version %s is below minimum version %s: skipping test", v.Version, minVersion)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cfgCh := make(chan *plugin.ReattachConfig)
	closeCh := make(chan struct{})
	go func() {
		err := tf6server.Serve(testAccProviderAddr, providerserver.NewProtocol6(New("test")()),
			tf6server.WithDebug(ctx, cfgCh, closeCh), tf6server.WithLoggingSink(t),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
		if err != nil {
			t.Errorf("serving the provider: %v", err)
		}
	}()
	cfg := <-cfgCh
	t.Cleanup(func() { cancel(); <-closeCh })
	reattach, err := json.Marshal(map[string]any{testAccProviderAddr: map[string]any{
		"Protocol": string(cfg.Protocol), "ProtocolVersion": cfg.ProtocolVersion, "Pid": cfg.Pid, "Test": true,
		"Addr": map[string]string{"Network": cfg.Addr.Network(), "String": cfg.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rc := filepath.Join(dir, "empty.tfrc") // no provider installation settings of the host
	if err := os.WriteFile(rc, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_REATTACH_PROVIDERS="+string(reattach), "TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+rc)
	return &testAccCLI{t: t, bin: bin, dir: dir, env: env}
}

// testAccProviderAddr is the provider's address for the CLI.
const testAccProviderAddr = "registry.terraform.io/alilive/alilive"

// write writes main.tf: the required_providers block and cfg.
func (c *testAccCLI) write(cfg string) {
	c.t.Helper()
	body := fmt.Sprintf("terraform {\n  required_providers {\n    alilive = { source = %q }\n  }\n}\n%s",
		testAccProviderAddr, cfg)
	if err := os.WriteFile(filepath.Join(c.dir, "main.tf"), []byte(body), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// run runs terraform with args and returns its output (stdout and stderr)
// and whether it succeeded.
func (c *testAccCLI) run(args ...string) (string, bool) {
	c.t.Helper()
	cmd := exec.CommandContext(context.Background(), c.bin, args...)
	cmd.Dir, cmd.Env = c.dir, c.env
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

// terraform apply -invoke runs the action alone: it restarts the task
// with the CLI showing the progress messages, and refuses a task that is
// offline before any change.
func TestAccPullToPushTaskRestartAction_invoke(t *testing.T) {
	t.Parallel()
	c := newTestAccCLI(t, tfversion.Version1_14_0)
	e := alilivetest.StartEmulator(t, emulator.Options{QPS: -1})
	id, err := e.AddTask("cn-shanghai", urlTask("relay-cli"))
	if err != nil {
		t.Fatal(err)
	}
	c.write(alilivetest.ProviderBlock(e) + `
action "alilive_pull_to_push_task_restart" "cli" {
  config {
    task_id    = "relay-cli"
    file_index = 2
  }
}
`)
	if out, ok := c.run("init", "-input=false", "-no-color"); !ok {
		t.Fatalf("terraform init failed:\n%s", out)
	}
	e.ResetStats()
	out, ok := c.run("apply", "-auto-approve", "-input=false", "-no-color",
		"-invoke=action.alilive_pull_to_push_task_restart.cli")
	if !ok {
		t.Fatalf("terraform apply -invoke failed:\n%s", out)
	}
	// The progress messages, in order, as the CLI shows them.
	prefix := "Action action.alilive_pull_to_push_task_restart.cli (triggered by CLI): "
	var progress []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, prefix) {
			progress = append(progress, strings.TrimPrefix(line, prefix))
		}
	}
	wantProgress := []string{
		`Stopping pull-to-push task "relay-cli" in region "cn-shanghai" (status running) to restart it from file_index 2, offset 0.`,
		`Setting file_index 2 and offset 0 of pull-to-push task "relay-cli".`,
		`Restarting pull-to-push task "relay-cli".`,
		`Pull-to-push task "relay-cli" is running.`,
	}
	if !reflect.DeepEqual(progress, wantProgress) {
		t.Errorf("progress\n got %q\nwant %q", progress, wantProgress)
	}
	// Terraform 1.14 wraps the action's warning in its own; 1.16 shows it
	// as it is, with the action's address.
	before116 := alilivetest.MsgRegexp(`Warning: Warning when invoking action`, `Pull-to-Push Task Playlist Position Changed: `+
		`Pull-to-push task "relay-cli" now stores file_index 2 and offset 0 (it had 0 and 0)`, `Actions: 1 invoked.`)
	from116 := alilivetest.MsgRegexp(`Warning: Pull-to-Push Task Playlist Position Changed`,
		`with action.alilive_pull_to_push_task_restart.cli,`,
		`Pull-to-push task "relay-cli" now stores file_index 2 and offset 0 (it had 0 and 0)`, `Actions: 1 invoked.`)
	if !before116.MatchString(out) && !from116.MatchString(out) {
		t.Errorf("the output lacks the warning or the summary:\n%s", out)
	}
	if tk, _ := e.Task(id); tk.TaskStatus != 1 || tk.CurrentFileIndex != 2 {
		t.Errorf("task %+v, want running from file_index 2", tk)
	}
	// Describe: the plan's check, then the invocation's check, the stop's
	// read-back and the wait (the apply does not plan the action again).
	wantCalls := map[string]int{emulator.OpDescribe: 4, emulator.OpStop: 1, emulator.OpUpdate: 1, emulator.OpRestart: 1}
	if st := nonZero(e.Stats().Calls); !reflect.DeepEqual(st, wantCalls) {
		t.Errorf("calls %v, want %v", st, wantCalls)
	}

	// Offline: refused at plan time.
	if err := e.PatchTask(id, emulator.TaskPatch{TaskStatus: ptr(int32(3))}); err != nil {
		t.Fatal(err)
	}
	e.ResetStats()
	out, ok = c.run("apply", "-auto-approve", "-input=false", "-no-color",
		"-invoke=action.alilive_pull_to_push_task_restart.cli")
	if ok || !alilivetest.MsgRegexp(`Error: Pull-to-Push Task Is Offline`, `Pull-to-push task "relay-cli" in region "cn-shanghai" is offline`).MatchString(out) {
		t.Errorf("terraform apply -invoke of an offline task: success %v, output:\n%s", ok, out)
	}
	if st := nonZero(e.Stats().Calls); !reflect.DeepEqual(st, map[string]int{emulator.OpDescribe: 1}) {
		t.Errorf("calls %v, want the plan's one Describe", st)
	}
}

// invokeCtx runs the action on ctx and returns its diagnostics.
func (h *restartHarness) invokeCtx(ctx context.Context, vals map[string]tftypes.Value) diag.Diagnostics {
	h.t.Helper()
	resp := action.InvokeResponse{SendProgress: func(action.InvokeProgressEvent) {}}
	h.a.Invoke(ctx, action.InvokeRequest{Config: h.config(vals)}, &resp)
	return resp.Diagnostics
}

// A restart of a running task whose first attempt gets a server error:
// the task runs afterwards as it ran before, which proves nothing, so the
// restart is sent again rather than reported as done.
func TestRestartAction_runningTaskServerErrorIsRepeated(t *testing.T) {
	h := newRestartHarness(t)
	id := h.add(urlTask("relay-5xx"))
	if err := h.e.SetFaults("op=restart,kinds=internal,nth=1"); err != nil {
		t.Fatal(err)
	}
	diags, msgs := h.invoke(map[string]tftypes.Value{"task_id": tfStr(id)})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if last := msgs[len(msgs)-1]; last != `Pull-to-push task "relay-5xx" is running.` {
		t.Errorf("last progress %q", last)
	}
	h.calls(map[string]int{emulator.OpDescribe: 3, emulator.OpRestart: 2})
}

// When every attempt fails after one whose answer was lost, the action
// says the outcome is unknown instead of "not restarted".
func TestRestartAction_runningTaskOutcomeUnknown(t *testing.T) {
	h := newRestartHarness(t)
	id := h.add(urlTask("relay-unknown"))
	if err := h.e.SetFaults("op=restart,kinds=internal,every=1"); err != nil {
		t.Fatal(err)
	}
	diags, _ := h.invoke(map[string]tftypes.Value{"task_id": tfStr(id)})
	oneDiag(t, diags, diag.SeverityError, nil, restartSummary, `^The RestartLivePullToPush call \(restarting `+
		`pull-to-push task "relay-unknown" in region "cn-shanghai"\) failed with error code "InternalError" .*`+
		`Whether the task restarted is unknown: an attempt got no clear answer and the attempts after it failed\. `+
		`Read the task's status \(the alilive_pull_to_push_task data source, or a refresh of the resource that `+
		`manages it\) before invoking the action again\. Invoke the action again once the cause is fixed\.$`)
	h.calls(map[string]int{emulator.OpDescribe: 3, emulator.OpRestart: 2})
}

// An invocation with file_index that is interrupted after the action
// stopped the relay restarts it all the same and says it was interrupted,
// however soon after the stop the interruption comes.
func TestRestartAction_interruptedAfterStopRestarts(t *testing.T) {
	h := newRestartHarness(t)
	if err := h.e.SetFaults("op=update,kinds=latency,latency=200ms,every=1"); err != nil {
		t.Fatal(err)
	}
	detail := regexp.MustCompile(`^The operation was interrupted after pull-to-push task "relay-int-\d+" had been ` +
		`stopped (to change its playlist position; the position was not changed|and given its new playlist ` +
		`position)\. The task was restarted; it is running now\.$`)
	for i := range 20 {
		id := h.add(urlTask(fmt.Sprintf("relay-int-%d", i)))
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			for h.e.Stats().Calls[emulator.OpStop] == 0 {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(time.Duration(i*10) * time.Millisecond)
			cancel()
		}()
		diags := h.invokeCtx(ctx, map[string]tftypes.Value{"task_id": tfStr(id), "file_index": tfNum(1)})
		cancel()
		if len(diags) != 1 || diags[0].Summary() != "Pull-to-Push Task Restart Interrupted" ||
			!detail.MatchString(diags[0].Detail()) {
			t.Errorf("run %d: diagnostics %v", i, diags)
		}
		if tk := h.emulatorTask(id); tk.TaskStatus != emulator.StatusRunning {
			t.Errorf("run %d: task status %d after the interrupted invocation, want running", i, tk.TaskStatus)
		}
	}
}
