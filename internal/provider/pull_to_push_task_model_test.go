package provider

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/hashicorp/terraform-plugin-framework/types"
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
