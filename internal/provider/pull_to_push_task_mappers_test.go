package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func vodTask() *liveapi.Task {
	return &liveapi.Task{
		ID: "t-1", Status: liveapi.StatusRunning, CurrentFileIndex: 1, CurrentOffset: 42,
		Spec: liveapi.Spec{
			Region: "cn-shanghai", TaskName: "", StartTime: at("2026-12-01T10:00:00Z"), EndTime: at("2026-12-01T12:00:00Z"),
			SourceType: "vod", SourceURLs: []string{"m2", "m1"}, DstURL: "rtmp://push.example.com/app/s",
			RepeatNumber: -1, FileIndex: 1, Offset: 5, RetryCount: 3, RetryInterval: 60,
		},
	}
}

func TestFromTaskVOD(t *testing.T) {
	var m pullToPushTaskModel
	assertDiags(t, m.fromTask(vodTask(), nil))
	want := pullToPushTaskModel{
		ID: types.StringValue("t-1"), Region: types.StringValue("cn-shanghai"), TaskName: types.StringNull(),
		StartTime: rfc("2026-12-01T10:00:00Z"), EndTime: rfc("2026-12-01T12:00:00Z"),
		SourceType: types.StringValue("vod"), SourceProtocol: types.StringNull(), SourceURLs: strList("m2", "m1"),
		DstURL: types.StringValue("rtmp://push.example.com/app/s"), CallbackURL: types.StringNull(),
		RepeatNumber: types.Int64Value(-1), FileIndex: types.Int64Value(1), Offset: types.Int64Value(5),
		RetryInterval: types.Int64Value(60), RetryCount: types.Int64Value(3), Enabled: types.BoolValue(true),
		Status: types.StringValue("running"), InvalidReason: types.StringNull(),
		CurrentFileIndex: types.Int64Value(1), CurrentOffset: types.Int64Value(42),
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("fromTask:\n got %+v\nwant %+v", m, want)
	}
}

func TestFromTaskLiveKeepsSpellings(t *testing.T) {
	task := &liveapi.Task{
		ID: "t-2", Status: liveapi.StatusOffline, InvalidReason: "PullStreamFailed",
		Spec: liveapi.Spec{
			Region: "cn-beijing", TaskName: "evening", StartTime: at("2026-12-01T10:00:00Z"), EndTime: at("2026-12-01T12:00:00Z"),
			SourceType: "live", SourceProtocol: "RTMP", SourceURLs: []string{"rtmp://a.example.com/a/s"},
			DstURL: "rtmp://b.example.com/a/s", CallbackURL: "https://cb.example.com/x", RetryCount: 0, RetryInterval: 300,
		},
	}
	prior := pullToPushTaskModel{
		StartTime: rfc("2026-12-01T18:00:00+08:00"), EndTime: rfc("2026-12-01T13:00:00+08:00"),
		SourceProtocol: types.StringValue("rtmp"), Region: types.StringValue("cn-beijing"),
	}
	var m pullToPushTaskModel
	assertDiags(t, m.fromTask(task, &prior))
	checks := map[string][2]string{
		"start_time (same instant keeps prior)":    {m.StartTime.ValueString(), "2026-12-01T18:00:00+08:00"},
		"end_time (other instant is written in Z)": {m.EndTime.ValueString(), "2026-12-01T12:00:00Z"},
		"source_protocol (case kept)":              {m.SourceProtocol.ValueString(), "rtmp"},
		"task_name":                                {m.TaskName.ValueString(), "evening"},
		"callback_url":                             {m.CallbackURL.ValueString(), "https://cb.example.com/x"},
		"status":                                   {m.Status.ValueString(), "offline"},
		"invalid_reason":                           {m.InvalidReason.ValueString(), "PullStreamFailed"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	if m.Enabled.ValueBool() {
		t.Error("enabled = true for an offline task, want false")
	}
	if !m.RepeatNumber.IsNull() || !m.FileIndex.IsNull() || !m.Offset.IsNull() {
		t.Errorf("playlist arguments of a live task = %v %v %v, want null", m.RepeatNumber, m.FileIndex, m.Offset)
	}
	if m.RetryCount.ValueInt64() != 0 || m.RetryInterval.ValueInt64() != 300 {
		t.Errorf("retries = %v/%v, want 0/300", m.RetryCount, m.RetryInterval)
	}

	// Without a prior value the service's spelling is stored.
	var fresh pullToPushTaskModel
	assertDiags(t, fresh.fromTask(task, nil))
	if fresh.SourceProtocol.ValueString() != "RTMP" {
		t.Errorf("source_protocol without prior = %q, want RTMP", fresh.SourceProtocol.ValueString())
	}
	// A protocol that really changed is not masked by the prior value.
	prior.SourceProtocol = types.StringValue("srt")
	assertDiags(t, fresh.fromTask(task, &prior))
	if fresh.SourceProtocol.ValueString() != "RTMP" {
		t.Errorf("source_protocol after drift = %q, want RTMP", fresh.SourceProtocol.ValueString())
	}
}

func TestStatusMapping(t *testing.T) {
	cases := []struct {
		status  int32
		name    string
		enabled bool
	}{
		{liveapi.StatusIdle, "idle", true},
		{liveapi.StatusRunning, "running", true},
		{liveapi.StatusRecovering, "recovering", true},
		{liveapi.StatusOffline, "offline", false},
		{liveapi.StatusExited, "exited", false},
		{7, "unknown(7)", false},
	}
	for _, c := range cases {
		if got := statusName(c.status); got != c.name {
			t.Errorf("statusName(%d) = %q, want %q", c.status, got, c.name)
		}
		if got := statusEnabled(c.status); got != c.enabled {
			t.Errorf("statusEnabled(%d) = %v, want %v", c.status, got, c.enabled)
		}
	}
}

func TestToSpec(t *testing.T) {
	m := pullToPushTaskModel{
		Region: types.StringValue("cn-shanghai"), TaskName: types.StringNull(),
		StartTime: rfc("2026-12-01T18:00:00+08:00"), EndTime: rfc("2026-12-01T12:00:00Z"),
		SourceType: types.StringValue("live"), SourceProtocol: types.StringValue("HTTP-FLV"),
		SourceURLs: strList("https://a.example.com/a/s.flv"), DstURL: types.StringValue("rtmp://b.example.com/a/s"),
		CallbackURL: types.StringNull(), RepeatNumber: types.Int64Null(), FileIndex: types.Int64Null(), Offset: types.Int64Null(),
		RetryInterval: types.Int64Value(120), RetryCount: types.Int64Value(5),
	}
	spec, diags := m.toSpec(context.Background())
	assertDiags(t, diags)
	want := liveapi.Spec{
		Region: "cn-shanghai", StartTime: at("2026-12-01T10:00:00Z"), EndTime: at("2026-12-01T12:00:00Z"),
		SourceType: "live", SourceProtocol: "http-flv", SourceURLs: []string{"https://a.example.com/a/s.flv"},
		DstURL: "rtmp://b.example.com/a/s", RetryInterval: 120, RetryCount: 5,
	}
	if !reflect.DeepEqual(spec, want) {
		t.Errorf("toSpec:\n got %+v\nwant %+v", spec, want)
	}
	if spec.StartTime.Location() != time.UTC {
		t.Errorf("start time location = %v, want UTC", spec.StartTime.Location())
	}
}

func TestUpdateInput(t *testing.T) {
	state := pullToPushTaskModel{
		StartTime: rfc("2026-12-01T10:00:00Z"), EndTime: rfc("2026-12-01T12:00:00Z"), SourceURLs: strList("a", "b"),
		RepeatNumber: types.Int64Value(0), FileIndex: types.Int64Value(0), Offset: types.Int64Value(0),
		CallbackURL: types.StringValue("https://cb.example.com/"),
	}
	// Nothing but spellings changed: nothing to send.
	plan := state
	plan.StartTime = rfc("2026-12-01T18:00:00+08:00")
	in, restricted, diags := updateInput(context.Background(), &plan, &state)
	assertDiags(t, diags)
	if restricted || !reflect.DeepEqual(in, liveapi.UpdateInput{}) {
		t.Errorf("spelling change: %+v restricted=%v, want nothing", in, restricted)
	}

	// callback_url removed and repeat_number changed: in place, not restricted.
	plan = state
	plan.CallbackURL, plan.RepeatNumber = types.StringNull(), types.Int64Value(-1)
	in, restricted, _ = updateInput(context.Background(), &plan, &state)
	if restricted || in.CallbackURL == nil || *in.CallbackURL != "" || in.RepeatNumber == nil || *in.RepeatNumber != -1 {
		t.Errorf("callback/repeat change: %+v restricted=%v", in, restricted)
	}

	// Restricted fields.
	plan = state
	plan.EndTime, plan.SourceURLs, plan.FileIndex, plan.Offset = rfc("2026-12-01T21:00:00+08:00"), strList("b", "a"), types.Int64Value(1), types.Int64Value(9)
	in, restricted, _ = updateInput(context.Background(), &plan, &state)
	end := at("2026-12-01T13:00:00Z")
	if !restricted || in.EndTime == nil || !in.EndTime.Equal(end) || in.EndTime.Location() != time.UTC ||
		!reflect.DeepEqual(in.SourceURLs, []string{"b", "a"}) || *in.FileIndex != 1 || *in.Offset != 9 ||
		in.StartTime != nil || in.CallbackURL != nil || in.RepeatNumber != nil {
		t.Errorf("restricted change: %+v restricted=%v", in, restricted)
	}
}

func TestPlansReplacement(t *testing.T) {
	base := pullToPushTaskModel{
		Region: types.StringValue("cn-shanghai"), TaskName: types.StringNull(), SourceType: types.StringValue("live"),
		SourceProtocol: types.StringValue("rtmp"), DstURL: types.StringValue("rtmp://a/b"), RetryInterval: types.Int64Value(60),
		RetryCount: types.Int64Value(3), StartTime: rfc("2026-12-01T10:00:00Z"), Status: types.StringValue("idle"),
	}
	cases := map[string]struct {
		change func(p, s *pullToPushTaskModel)
		want   bool
	}{
		"nothing":            {func(p, s *pullToPushTaskModel) {}, false},
		"start of idle task": {func(p, s *pullToPushTaskModel) { p.StartTime = rfc("2026-12-01T11:00:00Z") }, false},
		"start of running task": {func(p, s *pullToPushTaskModel) {
			p.StartTime = rfc("2026-12-01T11:00:00Z")
			s.Status = types.StringValue("running")
		}, true},
		"dst_url":                               {func(p, s *pullToPushTaskModel) { p.DstURL = types.StringValue("rtmp://a/c") }, true},
		"retry_count":                           {func(p, s *pullToPushTaskModel) { p.RetryCount = types.Int64Value(4) }, true},
		"task_name unknown":                     {func(p, s *pullToPushTaskModel) { p.TaskName = types.StringUnknown() }, true},
		"region":                                {func(p, s *pullToPushTaskModel) { p.Region = types.StringValue("cn-beijing") }, true},
		"retry_interval":                        {func(p, s *pullToPushTaskModel) { p.RetryInterval = types.Int64Value(61) }, true},
		"source_type":                           {func(p, s *pullToPushTaskModel) { p.SourceType = types.StringValue("url") }, true},
		"source_protocol (after case modifier)": {func(p, s *pullToPushTaskModel) { p.SourceProtocol = types.StringValue("srt") }, true},
	}
	for name, c := range cases {
		p, s := base, base
		c.change(&p, &s)
		if got := plansReplacement(&p, &s); got != c.want {
			t.Errorf("%s: plansReplacement = %v, want %v", name, got, c.want)
		}
	}
}

func TestFilterTasks(t *testing.T) {
	mk := func(id, name, dst string, status int32) liveapi.Task {
		return liveapi.Task{ID: id, Status: status, Spec: liveapi.Spec{TaskName: name, DstURL: dst}}
	}
	tasks := []liveapi.Task{
		mk("c", "relay", "rtmp://h/app/s1", liveapi.StatusRunning),
		mk("a", "relay-2", "rtmp://h/app/s1", liveapi.StatusIdle),
		mk("b", "relay", "rtmp://h/app/s10", liveapi.StatusOffline),
		mk("d", "relay", "rtmp://h/app/s1", liveapi.StatusExited),
		{ID: "e", Status: liveapi.StatusOffline, ExitReason: "OverEndTime", Spec: liveapi.Spec{TaskName: "relay", DstURL: "rtmp://h/app/s1"}},
	}
	ids := func(ts []liveapi.Task) []string {
		out := []string{}
		for _, t := range ts {
			out = append(out, t.ID)
		}
		return out
	}
	cases := []struct {
		f      liveapi.ListFilter
		status string
		want   []string
	}{
		{liveapi.ListFilter{}, "", []string{"a", "b", "c"}},
		{liveapi.ListFilter{TaskName: "relay"}, "", []string{"b", "c"}},
		{liveapi.ListFilter{DstURL: "rtmp://h/app/s1"}, "", []string{"a", "c"}},
		{liveapi.ListFilter{TaskName: "relay", DstURL: "rtmp://h/app/s1"}, "", []string{"c"}},
		{liveapi.ListFilter{}, "offline", []string{"b"}},
		{liveapi.ListFilter{}, "recovering", []string{}},
	}
	for _, c := range cases {
		if got := ids(filterTasks(tasks, c.f, c.status)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("filterTasks(%+v, %q) = %v, want %v", c.f, c.status, got, c.want)
		}
	}
}

func TestAPIErrorDetail(t *testing.T) {
	apiErr := fmt.Errorf("wrapped: %w", &liveapi.APIError{
		Operation: "UpdateLivePullToPush", TaskID: "t-1", Code: "InvalidParameter",
		Message: "EndTime is invalid.", RequestID: "REQ-1", HTTPStatus: 400,
	})
	got := apiErrorDetail(taskCall("UpdateLivePullToPush", "updating", "t-1", "cn-shanghai"), apiErr, "",
		"Correct the arguments and apply again.")
	want := `The UpdateLivePullToPush call (updating pull-to-push task "t-1" in region "cn-shanghai") failed with ` +
		`error code "InvalidParameter" (HTTP status 400, request ID "REQ-1"): EndTime is invalid. Correct the ` +
		`arguments and apply again.`
	if got != want {
		t.Errorf("API error detail:\n got %s\nwant %s", got, want)
	}

	// A call that names no task says what it was doing instead.
	list := apiCall{op: "DescribeLivePullToPushList", doing: `listing tasks in region "cn-beijing"`, region: "cn-beijing"}
	got = apiErrorDetail(list, &liveapi.APIError{Code: "SignatureDoesNotMatch", Message: "Bad signature.", RequestID: "R", HTTPStatus: 400},
		"", "Correct the cause (credentials, permissions) and try again.")
	want = `The DescribeLivePullToPushList call (listing tasks in region "cn-beijing") failed with error code ` +
		`"SignatureDoesNotMatch" (HTTP status 400, request ID "R"): Bad signature. Correct the cause (credentials, ` +
		`permissions) and try again.`
	if got != want {
		t.Errorf("list error detail:\n got %s\nwant %s", got, want)
	}
	if strings.Contains(got, "new pull-to-push task") {
		t.Errorf("list error detail speaks of a new task: %s", got)
	}

	// An error that is neither an API nor a transport error keeps the fix.
	got = apiErrorDetail(list, errors.New("something odd"), "Nothing was changed.", "Try again.")
	want = `The DescribeLivePullToPushList call (listing tasks in region "cn-beijing") failed without an answer from ` +
		`the service, so there is no error code or request ID: something odd. Nothing was changed. Try again.`
	if got != want {
		t.Errorf("other error detail:\n got %s\nwant %s", got, want)
	}
}

func TestAPIErrorDetailTransport(t *testing.T) {
	list := apiCall{op: "DescribeLivePullToPushList", doing: `listing tasks in region "cn-shanghai"`, region: "cn-shanghai"}
	// No advice in the client's text: the provider's replaces the generic fix.
	te := &liveapi.TransportError{Operation: "DescribeLivePullToPushList", Endpoint: "127.0.0.1:1", Attempts: 3,
		Err: io.ErrUnexpectedEOF}
	if adv := liveapi.Advice(te); adv != "" {
		t.Fatalf("test premise: the client now advises on a broken answer (%q); pick another error", adv)
	}
	got := apiErrorDetail(list, te, "The state was left unchanged.", "Correct the cause (credentials, permissions) and try again.")
	want := `The DescribeLivePullToPushList call (listing tasks in region "cn-shanghai") failed without an answer from ` +
		`the service, so there is no error code or request ID: ` + strings.TrimSuffix(te.Error(), ".") +
		`. The state was left unchanged. Check the provider's endpoint and protocol settings (endpoint and ` +
		`protocol, or ALILIVE_ENDPOINT and ALILIVE_PROTOCOL) and the network, then try again.`
	if got != want {
		t.Errorf("transport error detail:\n got %s\nwant %s", got, want)
	}
	// Advice in the client's text (a refused connection): given once only.
	te = &liveapi.TransportError{Operation: "DescribeLivePullToPushList", Endpoint: "127.0.0.1:1", Attempts: 3,
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	got = apiErrorDetail(list, te, "Nothing was changed.", "Correct the cause (credentials, permissions) and try again.")
	want = `The DescribeLivePullToPushList call (listing tasks in region "cn-shanghai") failed without an answer from ` +
		`the service, so there is no error code or request ID: ` + strings.TrimSuffix(te.Error(), ".") +
		`. Nothing was changed.`
	if liveapi.Advice(te) == "" || got != want {
		t.Errorf("refused connection: want the client's advice only:\n got %s\nwant %s", got, want)
	}
}

func TestAPIErrorDetailConflict(t *testing.T) {
	create := apiCall{op: "CreateLivePullToPush", doing: `creating a pull-to-push task in region "cn-shanghai"`, region: "cn-shanghai"}
	cbd := ` If this apply replaces a task of this resource under lifecycle create_before_destroy, the task being ` +
		`replaced still holds dst_url: the service allows one live task per destination URL, so ` +
		`create_before_destroy works only when dst_url changes too.`
	generic := "Correct the cause (arguments, permissions, quota) and apply again."
	ce := &liveapi.ConflictError{DstURL: "rtmp://push.example.com/live/s", TaskID: "t-9", Err: &liveapi.APIError{
		Code: liveapi.CodeConfigAlreadyExists, HTTPStatus: 400, RequestID: "R-1", Message: "DstUrl is used by t-9."}}
	got := apiErrorDetail(create, fmt.Errorf("wrapped: %w", ce), "Nothing was recorded in the Terraform state.", generic)
	want := `The CreateLivePullToPush call (creating a pull-to-push task in region "cn-shanghai") failed because ` +
		`dst_url "rtmp://push.example.com/live/s" is already used by pull-to-push task "t-9" (error code ` +
		`"CodeConfigAlreadyExists", HTTP status 400, request ID "R-1"). Nothing was recorded in the Terraform state. ` +
		`Change dst_url, or adopt that task with an import block or terraform import (ID "cn-shanghai:t-9").` + cbd
	if got != want {
		t.Errorf("conflict detail:\n got %s\nwant %s", got, want)
	}

	// Found by the client's own lookup (no answer from the service), same configuration.
	got = apiErrorDetail(create, &liveapi.ConflictError{DstURL: "rtmp://a/b", TaskID: "t-8", SameConfig: true}, "", generic)
	want = `The CreateLivePullToPush call (creating a pull-to-push task in region "cn-shanghai") failed because ` +
		`dst_url "rtmp://a/b" is already used by pull-to-push task "t-8". That task has exactly this configuration: ` +
		`adopt it with an import block or terraform import (ID "cn-shanghai:t-8") instead of creating it again.` + cbd
	if got != want {
		t.Errorf("same-configuration conflict detail:\n got %s\nwant %s", got, want)
	}

	// The service's code without a task to name.
	got = apiErrorDetail(create, &liveapi.APIError{Code: liveapi.CodeConfigAlreadyExists, HTTPStatus: 400, RequestID: "R-2",
		Message: "DstUrl exists."}, "", generic)
	want = `The CreateLivePullToPush call (creating a pull-to-push task in region "cn-shanghai") failed with error ` +
		`code "CodeConfigAlreadyExists" (HTTP status 400, request ID "R-2"): DstUrl exists. Change dst_url, or ` +
		`adopt the task that uses it with an import block or terraform import.` + cbd
	if got != want {
		t.Errorf("service conflict detail:\n got %s\nwant %s", got, want)
	}
}

func TestPlanAssumptionBroken(t *testing.T) {
	moved := at("2026-12-01T11:00:00Z")
	task := func(status int32) *liveapi.Task {
		return &liveapi.Task{ID: "t-1", Status: status, Spec: liveapi.Spec{StartTime: at("2026-12-01T10:10:00Z")}}
	}
	plan := func(enabled bool) *pullToPushTaskResourceModel {
		p := &pullToPushTaskResourceModel{}
		p.Enabled = types.BoolValue(enabled)
		return p
	}
	startWas := `The plan moves start_time of pull-to-push task "t-1" in place from 2026-12-01T10:10:00Z to ` +
		`2026-12-01T11:00:00Z, which the service allows only before the task starts. The task was idle when the ` +
		`plan was made, but it has started since then and is now %q. Nothing was changed, and the state now ` +
		`records the task as it is. Run terraform plan again: the start time of a task that has started cannot ` +
		`change, so the new plan replaces the task.`
	disabled := `The plan sets enabled = false for pull-to-push task "t-1", which stops the task, but the task has ` +
		`not started yet (status "idle", start_time 2026-12-01T10:10:00Z) and the service cannot stop a task ` +
		`before it starts. Nothing was changed. Run terraform plan again once the task has started, or keep ` +
		`enabled = true until then.`
	cases := map[string]struct {
		in      liveapi.UpdateInput
		enabled bool
		status  int32
		want    string
	}{
		"start_time, still idle":     {liveapi.UpdateInput{StartTime: &moved}, true, liveapi.StatusIdle, ""},
		"start_time, now running":    {liveapi.UpdateInput{StartTime: &moved}, true, liveapi.StatusRunning, fmt.Sprintf(startWas, "running")},
		"start_time, now recovering": {liveapi.UpdateInput{StartTime: &moved}, true, liveapi.StatusRecovering, fmt.Sprintf(startWas, "recovering")},
		"start_time, now offline":    {liveapi.UpdateInput{StartTime: &moved}, true, liveapi.StatusOffline, fmt.Sprintf(startWas, "offline")},
		"disable, started":           {liveapi.UpdateInput{}, false, liveapi.StatusRunning, ""},
		"disable, not started":       {liveapi.UpdateInput{}, false, liveapi.StatusIdle, disabled},
		"enabled, now offline":       {liveapi.UpdateInput{}, true, liveapi.StatusOffline, ""},
		"end_time, now running":      {liveapi.UpdateInput{EndTime: &moved}, true, liveapi.StatusRunning, ""},
	}
	for name, c := range cases {
		if got := planAssumptionBroken("t-1", &c.in, plan(c.enabled), task(c.status)); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", name, got, c.want)
		}
	}
}

func TestGoneDetail(t *testing.T) {
	state := pullToPushTaskResourceModel{}
	state.EndTime = rfc("2026-12-01T20:00:00+08:00")
	got := goneDetail("t-1", "cn-shanghai", &state, nil)
	want := `The pull-to-push task "t-1" in region "cn-shanghai" no longer exists: either it reached its end time ` +
		`and the service deleted it automatically, or it was deleted outside Terraform. It was scheduled to end at ` +
		`2026-12-01T20:00:00+08:00. It is removed from the refreshed Terraform state (an apply or refresh saves that; ` +
		`a plan only shows it). If the configuration still declares it, Terraform plans to create it again; move ` +
		`start_time and end_time into the future for that, or remove the resource block.`
	if got != want {
		t.Errorf("goneDetail:\n got %s\nwant %s", got, want)
	}
	got = goneDetail("t-1", "cn-shanghai", &pullToPushTaskResourceModel{}, &liveapi.Task{ExitReason: "OverEndTime"})
	want = `The pull-to-push task "t-1" in region "cn-shanghai" no longer exists: it reached its end time and the ` +
		`service ended it. It is removed from the refreshed Terraform state (an apply or refresh saves that; a plan ` +
		`only shows it). If the configuration still declares it, Terraform plans to create it again; move start_time ` +
		`and end_time into the future for that, or remove the resource block.`
	if got != want {
		t.Errorf("goneDetail exited:\n got %s\nwant %s", got, want)
	}
}

func TestPlanModifiers(t *testing.T) {
	ctx := context.Background()
	run := func(m planmodifier.String, state, config types.String) types.String {
		req := planmodifier.StringRequest{StateValue: state, ConfigValue: config, PlanValue: config}
		resp := &planmodifier.StringResponse{PlanValue: config}
		m.PlanModifyString(ctx, req, resp)
		return resp.PlanValue
	}
	s := types.StringValue
	cases := []struct {
		name                  string
		m                     planmodifier.String
		state, config, wanted types.String
	}{
		{"same instant keeps state", sameInstantModifier{}, s("2026-12-01T12:00:00Z"), s("2026-12-01T20:00:00+08:00"), s("2026-12-01T12:00:00Z")},
		{"other instant is planned", sameInstantModifier{}, s("2026-12-01T12:00:00Z"), s("2026-12-01T20:00:01+08:00"), s("2026-12-01T20:00:01+08:00")},
		{"no state", sameInstantModifier{}, types.StringNull(), s("2026-12-01T12:00:00Z"), s("2026-12-01T12:00:00Z")},
		{"unknown config", sameInstantModifier{}, s("2026-12-01T12:00:00Z"), types.StringUnknown(), types.StringUnknown()},
		{"case only keeps state", caseInsensitiveModifier{}, s("RTMP"), s("rtmp"), s("RTMP")},
		{"other protocol is planned", caseInsensitiveModifier{}, s("rtmp"), s("srt"), s("srt")},
	}
	for _, c := range cases {
		if got := run(c.m, c.state, c.config); !got.Equal(c.wanted) {
			t.Errorf("%s: planned %v, want %v", c.name, got, c.wanted)
		}
	}
}

func TestSchemasAreValid(t *testing.T) {
	ctx := context.Background()
	rresp := &resource.SchemaResponse{}
	NewPullToPushTaskResource().Schema(ctx, resource.SchemaRequest{}, rresp)
	assertDiags(t, rresp.Diagnostics)
	assertDiags(t, rresp.Schema.ValidateImplementation(ctx))
	for name, a := range rresp.Schema.Attributes {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("resource attribute %s has no MarkdownDescription", name)
		}
	}
	for _, ds := range []datasource.DataSource{NewPullToPushTaskDataSource(), NewPullToPushTasksDataSource()} {
		dresp := &datasource.SchemaResponse{}
		ds.Schema(ctx, datasource.SchemaRequest{}, dresp)
		assertDiags(t, dresp.Diagnostics)
		assertDiags(t, dresp.Schema.ValidateImplementation(ctx))
		for name, a := range dresp.Schema.Attributes {
			if a.GetMarkdownDescription() == "" {
				t.Errorf("data source attribute %s has no MarkdownDescription", name)
			}
		}
	}
	// The data sources describe every attribute the resource has.
	dresp := &datasource.SchemaResponse{}
	NewPullToPushTaskDataSource().Schema(ctx, datasource.SchemaRequest{}, dresp)
	for name := range rresp.Schema.Attributes {
		if _, ok := dresp.Schema.Attributes[name]; !ok {
			t.Errorf("data source lacks the resource attribute %s", name)
		}
	}
}

// A create that the service carried out but whose answer was dropped, and
// whose lookup by dst_url failed as well, is reported as a task that may
// exist, not as the create's own failure with "Nothing was recorded" alone.
func TestAPIErrorDetailUnresolvedCreate(t *testing.T) {
	e, c := testEmulatorClient(t, emulator.Options{QPS: -1,
		Faults: "op=create,kinds=drop,nth=1;op=list,kinds=internal,every=1"})
	start := e.Now().Add(time.Hour).UTC().Truncate(time.Second)
	_, err := c.Create(context.Background(), liveapi.Spec{Region: "cn-shanghai", StartTime: start,
		EndTime: start.Add(time.Hour), SourceType: "url", SourceURLs: []string{"https://media.example.com/a.mp4"},
		DstURL: "rtmp://push.example.com/live/unresolved", RetryCount: 3, RetryInterval: 60})
	if !liveapi.MayHaveCreated(err) {
		t.Fatalf("Create: %v; want an unresolved create", err)
	}
	if n := len(e.Tasks()); n != 1 {
		t.Fatalf("the emulator holds %d tasks, want 1 (the dropped create was carried out)", n)
	}
	create := apiCall{op: "CreateLivePullToPush", doing: `creating a pull-to-push task in region "cn-shanghai"`, region: "cn-shanghai"}
	got := apiErrorDetail(create, err, "Nothing was recorded in the Terraform state.",
		"Correct the cause (arguments, permissions, quota) and apply again.")
	prefix := `The CreateLivePullToPush call (creating a pull-to-push task in region "cn-shanghai") may have created ` +
		`the task: its answer was lost, and looking the task up by dst_url failed as well: CreateLivePullToPush failed`
	suffix := `look for a task with dst_url "rtmp://push.example.com/live/unresolved" before applying again. ` +
		`Nothing was recorded in the Terraform state, but the task may exist on the service.`
	if !strings.HasPrefix(got, prefix) || !strings.HasSuffix(got, suffix) {
		t.Fatalf("detail:\n got %s\nwant %s ... %s", got, prefix, suffix)
	}
	if strings.Contains(got, "Correct the cause") {
		t.Fatalf("detail carries the generic advice: %s", got)
	}
}
