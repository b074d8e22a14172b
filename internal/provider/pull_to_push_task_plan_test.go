package provider

import (
	"testing"

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
