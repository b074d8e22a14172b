package provider

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestInterruptionWarning: a plan that changes a running relay in a way
// that needs a stop and a restart says so, naming what changes; other
// plans say nothing.
func TestInterruptionWarning(t *testing.T) {
	urls := func(v ...string) types.List {
		var vals []attr.Value
		for _, s := range v {
			vals = append(vals, types.StringValue(s))
		}
		return types.ListValueMust(types.StringType, vals)
	}
	base := func(status string) pullToPushTaskModel {
		return pullToPushTaskModel{
			ID: types.StringValue("t-1"), Region: types.StringValue("cn-shanghai"), TaskName: types.StringNull(),
			StartTime: newRFC3339("2026-12-03T10:00:00Z"), EndTime: newRFC3339("2026-12-03T12:00:00Z"),
			SourceType: types.StringValue("url"), SourceProtocol: types.StringNull(), SourceURLs: urls("https://m/a.mp4"),
			DstURL: types.StringValue("rtmp://push/app/s"), CallbackURL: types.StringNull(),
			RepeatNumber: types.Int64Value(0), FileIndex: types.Int64Value(0), Offset: types.Int64Value(0),
			RetryInterval: types.Int64Value(60), RetryCount: types.Int64Value(3), Enabled: types.BoolValue(true),
			Status: types.StringValue(status),
		}
	}
	for _, tc := range []struct {
		name   string
		status string
		change func(p *pullToPushTaskModel)
		want   []string
	}{
		{"end_time of a running task", statusRunning, func(p *pullToPushTaskModel) {
			p.EndTime = newRFC3339("2026-12-03T13:00:00Z")
		}, []string{"end_time"}},
		{"the same instant written differently", statusRunning, func(p *pullToPushTaskModel) {
			p.EndTime = newRFC3339("2026-12-03T20:00:00+08:00")
		}, nil},
		{"playlist and position of a recovering task", statusRecovering, func(p *pullToPushTaskModel) {
			p.SourceURLs, p.FileIndex, p.Offset = urls("https://m/a.mp4", "https://m/b.mp4"), types.Int64Value(1), types.Int64Value(30)
		}, []string{"source_urls", "file_index", "offset"}},
		{"an idle task", statusIdle, func(p *pullToPushTaskModel) {
			p.EndTime = newRFC3339("2026-12-03T13:00:00Z")
		}, nil},
		{"callback_url only", statusRunning, func(p *pullToPushTaskModel) {
			p.CallbackURL = types.StringValue("https://hooks/x")
		}, nil},
		{"a relay being stopped", statusRunning, func(p *pullToPushTaskModel) {
			p.EndTime, p.Enabled = newRFC3339("2026-12-03T13:00:00Z"), types.BoolValue(false)
		}, nil},
		{"a replacement", statusRunning, func(p *pullToPushTaskModel) {
			p.EndTime, p.DstURL = newRFC3339("2026-12-03T13:00:00Z"), types.StringValue("rtmp://push/app/t")
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state, plan := base(tc.status), base(tc.status)
			tc.change(&plan)
			got := interruptedAttrs(&plan, &state)
			if len(got) != len(tc.want) {
				t.Fatalf("interruptedAttrs = %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("interruptedAttrs = %q, want %q", got, tc.want)
				}
			}
		})
	}
	summary, detail := interruptionWarning("t-1", "running", "url", []string{"end_time", "source_urls"})
	if summary != "Pull-to-Push Task Will Be Interrupted" || detail != `Pull-to-push task "t-1" is running, and this plan `+
		`changes end_time and source_urls in place, which the service makes only on a task that does not run: the `+
		`apply stops the task, updates it and restarts it. The relay is interrupted for a moment, and the playlist `+
		`starts again from file_index and offset. To avoid that, make the change before start_time or after the event.` {
		t.Fatalf("interruptionWarning = %q, %q", summary, detail)
	}
	_, detail = interruptionWarning("t-2", "recovering", "live", []string{"end_time"})
	if detail != `Pull-to-push task "t-2" is recovering, and this plan changes end_time in place, which the service `+
		`makes only on a task that does not run: the apply stops the task, updates it and restarts it. The relay is `+
		`interrupted for a moment. To avoid that, make the change before start_time or after the event.` {
		t.Fatalf("interruptionWarning = %q", detail)
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

func TestPlanAssumptionBroken(t *testing.T) {
	moved := at("2026-12-01T11:00:00Z")
	described := func(status int32) *liveapi.Task {
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
		if got := planAssumptionBroken("t-1", &c.in, plan(c.enabled), described(c.status)); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", name, got, c.want)
		}
	}
}
