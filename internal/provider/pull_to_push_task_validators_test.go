package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// newRFC3339Value wraps any string, valid or not.
func newRFC3339Value(s string) rfc3339Value {
	return rfc3339Value{RFC3339: timetypes.RFC3339{StringValue: types.StringValue(s)}}
}

// diagTexts renders diagnostics as "path: summary: detail" lines.
func diagTexts(diags diag.Diagnostics) []string {
	out := make([]string, 0, len(diags))
	for _, d := range diags {
		p := ""
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			p = wp.Path().String()
		}
		out = append(out, p+": "+d.Summary()+": "+d.Detail())
	}
	return out
}

func assertDiags(t *testing.T, got diag.Diagnostics, want ...string) {
	t.Helper()
	texts := diagTexts(got)
	if len(texts) != len(want) {
		t.Fatalf("got %d diagnostics, want %d:\n%s", len(texts), len(want), strings.Join(texts, "\n"))
	}
	for i := range want {
		if texts[i] != want[i] {
			t.Errorf("diagnostic %d:\n got: %s\nwant: %s", i, texts[i], want[i])
		}
	}
}

func runString(v validator.String, p path.Path, value types.String) diag.Diagnostics {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: p, ConfigValue: value}, resp)
	return resp.Diagnostics
}

func TestDstURLValidator(t *testing.T) {
	p := path.Root("dst_url")
	// One wording whichever part of the rule a value breaks: "an rtmp://", one parenthetical.
	rule := "dst_url: Invalid Attribute Value: Attribute dst_url must be an rtmp:// URL with a host and an optional " +
		"port from 1 to 65535, at most 2000 bytes, without spaces or control characters (the service pushes over " +
		"RTMP only), got: "
	long := "rtmp://push.example.com/app/" + strings.Repeat("a", 2000)
	cases := []struct {
		value string
		want  []string
	}{
		{"rtmp://push.example.com/app/stream?auth_key=1-0-0-abc", nil},
		{"rtmp://push.example.com:1935/app/stream", nil},
		{"rtmp://push.example.com:65535/app/stream", nil},
		// The scheme is case-insensitive (RFC 3986); the state keeps the spelling.
		{"RTMP://push.example.com/app/stream", nil},
		{"http://push.example.com/app/stream", []string{rule + `"http://push.example.com/app/stream".`}},
		{"rtmp:///app/stream", []string{rule + `"rtmp:///app/stream".`}},
		{"rtmp://push.example.com/app/my stream", []string{rule + `"rtmp://push.example.com/app/my stream".`}},
		{"", []string{rule + `"".`}},
		{"rtmp://push.example.com:99999/app/s", []string{rule + `"rtmp://push.example.com:99999/app/s".`}},
		{"rtmp://push.example.com:0/app/s", []string{rule + `"rtmp://push.example.com:0/app/s".`}},
		{long, []string{rule + `"rtmp://push.example.com/app/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"... (2028 characters).`}},
	}
	for _, c := range cases {
		assertDiags(t, runString(dstURLValidator(), p, types.StringValue(c.value)), c.want...)
	}
	assertDiags(t, runString(dstURLValidator(), p, types.StringNull()))
	assertDiags(t, runString(dstURLValidator(), p, types.StringUnknown()))
}

func TestCallbackURLValidator(t *testing.T) {
	p := path.Root("callback_url")
	rule := `callback_url: Invalid Attribute Value: Attribute callback_url must be an http:// or https:// URL with a ` +
		`host and an optional port from 1 to 65535, at most 2000 bytes, without spaces or control characters, got: `
	assertDiags(t, runString(callbackURLValidator(), p, types.StringValue("https://hooks.example.com/live?x=1")))
	assertDiags(t, runString(callbackURLValidator(), p, types.StringValue("http://10.0.0.1:8080/cb")))
	assertDiags(t, runString(callbackURLValidator(), p, types.StringValue("HTTPS://hooks.example.com/cb")))
	assertDiags(t, runString(callbackURLValidator(), p, types.StringValue("ftp://hooks.example.com/")),
		rule+`"ftp://hooks.example.com/".`)
	assertDiags(t, runString(callbackURLValidator(), p, types.StringValue("hooks.example.com/cb")),
		rule+`"hooks.example.com/cb".`)
	assertDiags(t, runString(callbackURLValidator(), p, types.StringValue("http://h.example.com:70000/cb")),
		rule+`"http://h.example.com:70000/cb".`)
	// "" is not how to clear it: the message says what is.
	assertDiags(t, runString(callbackURLValidator(), p, types.StringValue("")),
		`callback_url: Invalid Attribute Value: Attribute callback_url must not be empty: to clear the callback URL, `+
			`remove the argument or set it to null, got: "".`)
}

func TestWholeSecondsValidator(t *testing.T) {
	p := path.Root("start_time")
	assertDiags(t, runString(wholeSecondsValidator{}, p, types.StringValue("2026-12-01T20:00:00+08:00")))
	assertDiags(t, runString(wholeSecondsValidator{}, p, types.StringValue("not a time"))) // the type reports it
	assertDiags(t, runString(wholeSecondsValidator{}, p, types.StringValue("2026-12-01T12:00:00.5Z")),
		`start_time: Invalid Attribute Value: Attribute start_time must be in whole seconds (the service keeps times to the second; remove the fractional part), got: "2026-12-01T12:00:00.5Z".`)
}

func TestRFC3339TypeMessage(t *testing.T) {
	ctx := context.Background()
	check := func(value string, want ...string) {
		t.Helper()
		resp := &xattr.ValidateAttributeResponse{}
		newRFC3339Value(value).ValidateAttribute(ctx, xattr.ValidateAttributeRequest{Path: path.Root("end_time")}, resp)
		assertDiags(t, resp.Diagnostics, want...)
	}
	rule := func(v string) string {
		return `end_time: Invalid Attribute Value: Attribute end_time must be an RFC 3339 timestamp with a UTC ` +
			`offset, such as 2026-12-01T10:00:00Z or 2026-12-01T18:00:00+08:00, got: ` + v + `.`
	}
	check("2026-12-01T18:00:00+08:00")
	check("2026-12-01T10:00:00.5Z") // whole seconds are wholeSecondsValidator's rule
	check("2026-12-01T10:00:00", rule(`"2026-12-01T10:00:00"`))
	check("2026-12-01 10:00:00", rule(`"2026-12-01 10:00:00"`))
	check("", rule(`""`))
	check("2026-11-26T10:00:00+25:00", rule(`"2026-11-26T10:00:00+25:00"`))

	// The wrapper keeps the library's semantics.
	a, b := rfc("2026-12-01T10:00:00Z"), rfc("2026-12-01T18:00:00+08:00")
	if eq, diags := a.StringSemanticEquals(ctx, rfc("2026-12-01T10:00:00+00:00")); !eq || diags.HasError() {
		t.Errorf("StringSemanticEquals(Z, +00:00) = %v, %v; want true", eq, diags)
	}
	if a.Equal(b) || !a.Equal(rfc("2026-12-01T10:00:00Z")) {
		t.Error("Equal compares the spelling")
	}
	if tm, diags := b.ValueRFC3339Time(); diags.HasError() || !tm.Equal(at("2026-12-01T10:00:00Z")) {
		t.Errorf("ValueRFC3339Time = %v, %v", tm, diags)
	}
	v, err := rfc3339Type{}.ValueFromTerraform(ctx, tftypes.NewValue(tftypes.String, "2026-12-01T10:00:00Z"))
	if err != nil || !v.Equal(a) {
		t.Errorf("ValueFromTerraform = %v, %v; want %v", v, err, a)
	}
}

func TestTaskNameValidator(t *testing.T) {
	p := path.Root("task_name")
	// Anything the service accepts, so that console-made tasks can be imported.
	for _, v := range []string{"Relay 直播 1", "Evening news ", " leading", strings.Repeat("n", 140), "tab\there"} {
		assertDiags(t, runString(taskNameValidator(), p, types.StringValue(v)))
	}
	assertDiags(t, runString(taskNameValidator(), p, types.StringNull()))
	assertDiags(t, runString(taskNameValidator(), p, types.StringValue("")),
		`task_name: Invalid Attribute Value: Attribute task_name must not be empty: leave task_name out for a task without a name, got: "".`)
}

func TestListSizeValidator(t *testing.T) {
	p := path.Root("source_urls")
	run := func(n int) diag.Diagnostics {
		vals := make([]string, n)
		for i := range vals {
			vals[i] = fmt.Sprintf("m%d", i)
		}
		resp := &validator.ListResponse{}
		listSizeValidator{min: 1, max: 30}.ValidateList(context.Background(),
			validator.ListRequest{Path: p, ConfigValue: strList(vals...)}, resp)
		return resp.Diagnostics
	}
	assertDiags(t, run(1))
	assertDiags(t, run(30))
	assertDiags(t, run(0), "source_urls: Invalid Attribute Value: Attribute source_urls must hold 1 to 30 entries, got: 0.")
	assertDiags(t, run(31), "source_urls: Invalid Attribute Value: Attribute source_urls must hold 1 to 30 entries, got: 31.")
}

func TestSourceURLValidator(t *testing.T) {
	p := path.Root("source_urls").AtListIndex(2)
	want := func(v string) string {
		return "source_urls[2]: Invalid Attribute Value: Attribute source_urls[2] must be a non-empty URL or media ID of at most 2000 bytes without spaces or control characters, got: " + v + "."
	}
	assertDiags(t, runString(sourceURLValidator{}, p, types.StringValue("rtmp://a.example.com/app/s")))
	assertDiags(t, runString(sourceURLValidator{}, p, types.StringValue("")), want(`""`))
	assertDiags(t, runString(sourceURLValidator{}, p, types.StringValue(" http://a.example.com/x.mp4")), want(`" http://a.example.com/x.mp4"`))
}

func strList(vals ...string) types.List {
	elems := make([]attr.Value, len(vals))
	for i, v := range vals {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}

func rfc(s string) rfc3339Value { return newRFC3339(s) }

func liveConfig() taskConfig {
	return taskConfig{
		StartTime:      rfc("2026-12-01T10:00:00Z"),
		EndTime:        rfc("2026-12-01T12:00:00Z"),
		SourceType:     types.StringValue("live"),
		SourceProtocol: types.StringValue("rtmp"),
		SourceURLs:     strList("rtmp://src.example.com/app/s"),
		RepeatNumber:   types.Int64Null(),
		FileIndex:      types.Int64Null(),
		Offset:         types.Int64Null(),
	}
}

func TestValidateTaskConfig(t *testing.T) {
	cases := map[string]struct {
		change func(*taskConfig)
		want   []string
	}{
		"live ok": {change: func(*taskConfig) {}},
		"live srt ok": {change: func(c *taskConfig) {
			c.SourceProtocol = types.StringValue("SRT")
			c.SourceURLs = strList("srt://src.example.com:9000?streamid=a")
		}},
		"live http-flv ok": {change: func(c *taskConfig) {
			c.SourceProtocol = types.StringValue("http-flv")
			c.SourceURLs = strList("https://src.example.com/app/s.flv")
		}},
		"vod ok": {change: func(c *taskConfig) {
			c.SourceType, c.SourceProtocol = types.StringValue("vod"), types.StringNull()
			c.SourceURLs = strList("0f2c4f6bb7e24a54a3c1e5e3a9d7c001", "media_2-b")
			c.FileIndex = types.Int64Value(1)
		}},
		"unknowns skipped": {change: func(c *taskConfig) {
			c.StartTime, c.SourceType, c.SourceURLs = newRFC3339Unknown(), types.StringUnknown(), types.ListUnknown(types.StringType)
		}},
		"end before start": {
			change: func(c *taskConfig) { c.EndTime = rfc("2026-12-01T09:00:00Z") },
			want:   []string{"end_time: Invalid Attribute Combination: Attribute end_time must be later than start_time, got: end_time 2026-12-01T09:00:00Z, start_time 2026-12-01T10:00:00Z."},
		},
		"equal across offsets": {
			change: func(c *taskConfig) { c.EndTime = rfc("2026-12-01T18:00:00+08:00") },
			want:   []string{"end_time: Invalid Attribute Combination: Attribute end_time must be later than start_time, got: end_time 2026-12-01T18:00:00+08:00, start_time 2026-12-01T10:00:00Z."},
		},
		"window too long": {
			change: func(c *taskConfig) { c.EndTime = rfc("2026-12-08T10:00:01Z") },
			want:   []string{"end_time: Invalid Attribute Combination: Attribute end_time must be at most 7 days (168h) after start_time, got a window of 168h0m1s (start_time 2026-12-01T10:00:00Z, end_time 2026-12-08T10:00:01Z)."},
		},
		"window exactly 7 days": {change: func(c *taskConfig) { c.EndTime = rfc("2026-12-08T10:00:00Z") }},
		"live without protocol": {
			change: func(c *taskConfig) { c.SourceProtocol = types.StringNull() },
			want:   []string{`source_protocol: Invalid Attribute Combination: Attribute source_protocol is required when source_type is "live": set one of rtmp, rtsp, srt, http-flv or flv.`},
		},
		"live with playlist arguments": {
			change: func(c *taskConfig) {
				c.RepeatNumber, c.FileIndex, c.Offset = types.Int64Value(0), types.Int64Value(0), types.Int64Unknown()
			},
			want: []string{
				`repeat_number: Invalid Attribute Combination: Attribute repeat_number can only be set when source_type is "vod" or "url", got source_type "live": remove it.`,
				`file_index: Invalid Attribute Combination: Attribute file_index can only be set when source_type is "vod" or "url", got source_type "live": remove it.`,
			},
		},
		"live two urls": {
			change: func(c *taskConfig) { c.SourceURLs = strList("rtmp://a.example.com/a/b", "rtmp://b.example.com/a/b") },
			want:   []string{`source_urls: Invalid Attribute Combination: Attribute source_urls must hold exactly 1 URL when source_type is "live", got: 2.`},
		},
		"live scheme mismatch": {
			change: func(c *taskConfig) { c.SourceURLs = strList("rtsp://cam.example.com/stream") },
			want:   []string{`source_urls[0]: Invalid Attribute Value: Attribute source_urls[0] must be an rtmp:// URL with a host and an optional port from 1 to 65535, without spaces or control characters when source_protocol is "rtmp", got: "rtsp://cam.example.com/stream".`},
		},
		"url with protocol": {
			change: func(c *taskConfig) {
				c.SourceType = types.StringValue("url")
				c.SourceURLs = strList("https://cdn.example.com/a.mp4")
			},
			want: []string{`source_protocol: Invalid Attribute Combination: Attribute source_protocol can only be set when source_type is "live", got source_type "url": remove it.`},
		},
		"url not http": {
			change: func(c *taskConfig) {
				c.SourceType, c.SourceProtocol = types.StringValue("url"), types.StringNull()
				c.SourceURLs = strList("https://cdn.example.com/a.mp4", "rtmp://cdn.example.com/b")
			},
			want: []string{`source_urls[1]: Invalid Attribute Value: Attribute source_urls[1] must be an http:// or https:// URL with a host and an optional port from 1 to 65535, without spaces or control characters when source_type is "url", got: "rtmp://cdn.example.com/b".`},
		},
		"vod url instead of media id": {
			change: func(c *taskConfig) {
				c.SourceType, c.SourceProtocol = types.StringValue("vod"), types.StringNull()
				c.SourceURLs = strList("https://cdn.example.com/a.mp4")
			},
			want: []string{`source_urls[0]: Invalid Attribute Value: Attribute source_urls[0] must be a VOD media ID (letters, digits, - and _, at most 64 characters, not a URL) when source_type is "vod", got: "https://cdn.example.com/a.mp4".`},
		},
		"file index outside playlist": {
			change: func(c *taskConfig) {
				c.SourceType, c.SourceProtocol = types.StringValue("url"), types.StringNull()
				c.SourceURLs = strList("https://cdn.example.com/a.mp4", "https://cdn.example.com/b.mp4")
				c.FileIndex = types.Int64Value(2)
			},
			want: []string{"file_index: Invalid Attribute Combination: Attribute file_index must point into source_urls (0 to 1), got: 2."},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := liveConfig()
			c.change(&cfg)
			assertDiags(t, validateTaskConfig(cfg), c.want...)
		})
	}
}

func TestPlanTimeRules(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	cases := map[string]struct {
		rules planTimeRules
		want  []string
	}{
		"create in the future": {rules: planTimeRules{Creating: true, StartTime: rfc("2026-12-01T11:00:00Z"), EndTime: rfc("2026-12-01T12:00:00Z"), Enabled: types.BoolValue(true)}},
		"create started":       {rules: planTimeRules{Creating: true, StartTime: rfc("2026-12-01T09:00:00Z"), EndTime: rfc("2026-12-01T12:00:00Z"), Enabled: types.BoolValue(false)}},
		"create window passed": {
			rules: planTimeRules{Creating: true, StartTime: rfc("2026-12-01T08:00:00Z"), EndTime: rfc("2026-12-01T17:00:00+08:00"), Enabled: types.BoolValue(true)},
			want:  []string{"end_time: Pull-to-Push Task Window Has Passed: The task cannot be created because its window has passed: end_time 2026-12-01T17:00:00+08:00 is not later than the current time 2026-12-01T10:00:00Z. Move start_time and end_time into the future, or remove the resource block if the relay is no longer needed."},
		},
		"unchanged end in the past": {rules: planTimeRules{StartTime: rfc("2026-12-01T08:00:00Z"), EndTime: rfc("2026-12-01T09:00:00Z"), PriorEnd: rfc("2026-12-01T17:00:00+08:00"), PriorState: statusRunning, Enabled: types.BoolValue(true)}},
		"changed end in the past": {
			rules: planTimeRules{StartTime: rfc("2026-12-01T08:00:00Z"), EndTime: rfc("2026-12-01T09:30:00Z"), PriorEnd: rfc("2026-12-01T11:00:00Z"), PriorState: statusRunning, Enabled: types.BoolValue(true)},
			want:  []string{"end_time: Invalid Attribute Value: Attribute end_time must lie in the future when it is changed, got: 2026-12-01T09:30:00Z (current time 2026-12-01T10:00:00Z)."},
		},
		"disabled before start": {
			rules: planTimeRules{Creating: true, StartTime: rfc("2026-12-01T11:00:00Z"), EndTime: rfc("2026-12-01T12:00:00Z"), Enabled: types.BoolValue(false)},
			want:  []string{"enabled: Invalid Attribute Combination: Attribute enabled cannot be false before the task has started: start_time 2026-12-01T11:00:00Z is later than the current time 2026-12-01T10:00:00Z and the service cannot stop a task that has not started. Move start_time to the current time or earlier, or set enabled = true."},
		},
		"disabled offline task": {rules: planTimeRules{StartTime: rfc("2026-12-01T11:00:00Z"), EndTime: rfc("2026-12-01T12:00:00Z"), PriorEnd: rfc("2026-12-01T12:00:00Z"), PriorState: statusOffline, Enabled: types.BoolValue(false)}},
		"unknowns skipped":      {rules: planTimeRules{Creating: true, StartTime: newRFC3339Unknown(), EndTime: newRFC3339Unknown(), Enabled: types.BoolUnknown()}},
		"enabled offline task before its start": {
			rules: planTimeRules{StartTime: rfc("2026-12-01T11:00:00Z"), EndTime: rfc("2026-12-01T12:00:00Z"), PriorEnd: rfc("2026-12-01T12:00:00Z"), PriorState: statusOffline, Enabled: types.BoolValue(true)},
			want:  []string{"enabled: Invalid Attribute Combination: Attribute enabled cannot be true while the task is stopped (status offline) and its start_time 2026-12-01T11:00:00Z is later than the current time 2026-12-01T10:00:00Z: enabled = true restarts the task, and the service cannot restart a task before its start time. Set enabled = false until then, or move start_time to the current time or earlier, which replaces the task."},
		},
		"enabled offline task after its start":    {rules: planTimeRules{StartTime: rfc("2026-12-01T09:00:00Z"), EndTime: rfc("2026-12-01T12:00:00Z"), PriorEnd: rfc("2026-12-01T12:00:00Z"), PriorState: statusOffline, Enabled: types.BoolValue(true)}},
		"enabled idle task before its start":      {rules: planTimeRules{StartTime: rfc("2026-12-01T11:00:00Z"), EndTime: rfc("2026-12-01T12:00:00Z"), PriorEnd: rfc("2026-12-01T12:00:00Z"), PriorState: statusIdle, Enabled: types.BoolValue(true)}},
		"replacing offline task before its start": {rules: planTimeRules{Creating: true, StartTime: rfc("2026-12-01T11:00:00Z"), EndTime: rfc("2026-12-01T12:00:00Z"), Enabled: types.BoolValue(true)}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			c.rules.Now = now
			assertDiags(t, c.rules.check(), c.want...)
		})
	}
}

func TestParseImportID(t *testing.T) {
	usage := `Use "<task_id>" for a task in the provider's region or "<region>:<task_id>", where region is one of ap-southeast-1, ap-southeast-5, cn-beijing, cn-shanghai, cn-shenzhen and task_id consists of 1 to 55 letters, digits, - and _.`
	cases := []struct {
		id, def, region, task, err string
	}{
		{id: "fd245384-4067-4f91-9d75-9666a6bc9123", def: "cn-shanghai", region: "cn-shanghai", task: "fd245384-4067-4f91-9d75-9666a6bc9123"},
		{id: "cn-beijing:t_1", def: "cn-shanghai", region: "cn-beijing", task: "t_1"},
		{id: "", def: "cn-shanghai", err: `The import ID "" does not hold a valid task ID. ` + usage},
		{id: "cn-beijing:", def: "cn-shanghai", err: `The import ID "cn-beijing:" does not hold a valid task ID. ` + usage},
		{id: "a:b:c", def: "cn-shanghai", err: `The import ID "a:b:c" does not hold a valid task ID. ` + usage},
		{id: "us-east-1:t1", def: "cn-shanghai", err: `The import ID "us-east-1:t1" names the unknown region "us-east-1". ` + usage},
		{id: "t1", def: "", err: `The import ID "t1" names no region and the provider has no region configured. ` + usage},
	}
	for _, c := range cases {
		region, task, err := parseImportID(c.id, c.def)
		if c.err != "" {
			if err != c.err {
				t.Errorf("parseImportID(%q): problem %q, want %q", c.id, err, c.err)
			}
			continue
		}
		if err != "" || region != c.region || task != c.task {
			t.Errorf("parseImportID(%q) = %q, %q, %v; want %q, %q", c.id, region, task, err, c.region, c.task)
		}
	}
}
