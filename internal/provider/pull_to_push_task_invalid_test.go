package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// invalidCase is one configuration the provider must reject at plan time.
type invalidCase struct {
	name string
	cfg  hcl
	want *regexp.Regexp
}

// invalidCases lists configurations that break one rule each, with the
// message that names the attribute and the rule.
func invalidCases(a *ptpAcc) []invalidCase {
	live := a.live("bad")
	url := a.url("bad")
	vod := url.with("source_type", q("vod"), "source_urls", list("m1", "m2"))
	notLive := func(got string) *regexp.Regexp {
		return alilivetest.MsgRegexp("Invalid Region", fmt.Sprintf(`region is %q, which is not a live center: set region to one of `+
			`ap-southeast-1, ap-southeast-5, cn-beijing, cn-shanghai, cn-shenzhen.`, got))
	}
	invalid := func(attr, rule, got string) *regexp.Regexp {
		return alilivetest.MsgRegexp("Invalid Attribute Value", fmt.Sprintf("Attribute %s %s, got: %s.", attr, rule, got))
	}
	combination := func(parts ...string) *regexp.Regexp {
		return alilivetest.MsgRegexp(append([]string{"Invalid Attribute Combination"}, parts...)...)
	}
	sourceRule := "must be a non-empty URL or media ID of at most 2000 bytes without spaces or control characters"
	dstRule := "must be an rtmp:// URL with a host and an optional port from 1 to 65535, at most 2000 bytes, " +
		"without spaces or control characters (the service pushes over RTMP only)"
	cbRule := "must be an http:// or https:// URL with a host and an optional port from 1 to 65535, at most 2000 " +
		"bytes, without spaces or control characters"
	timeRule := "must be an RFC 3339 timestamp with a UTC offset, such as 2026-12-01T10:00:00Z or 2026-12-01T18:00:00+08:00"
	liveRule := func(scheme string) string {
		return "must be an " + scheme + " URL with a host and an optional port from 1 to 65535, without spaces or control characters"
	}
	long := strings.Repeat("a", 2001)
	urls31 := make([]string, 31)
	for i := range urls31 {
		urls31[i] = fmt.Sprintf("https://media.example.com/%d.mp4", i)
	}
	start, end := a.At(-time.Minute), a.At(2*time.Hour)

	return []invalidCase{
		// Enumerations.
		{"region unknown", live.with("region", q("us-east-1")),
			notLive("us-east-1")},
		{"region empty", live.with("region", q("")),
			notLive("")},
		{"region upper case", live.with("region", q("CN-SHANGHAI")),
			notLive("CN-SHANGHAI")},
		{"source_type unknown", live.with("source_type", q("rtmp")),
			alilivetest.MsgRegexp(`Attribute source_type value must be one of: ["live" "vod" "url"], got: "rtmp"`)},
		{"source_type upper case", live.with("source_type", q("LIVE")),
			alilivetest.MsgRegexp(`Attribute source_type value must be one of: ["live" "vod" "url"], got: "LIVE"`)},
		{"source_protocol unknown", live.with("source_protocol", q("http")),
			alilivetest.MsgRegexp(`Attribute source_protocol value must be one of: ["rtmp" "rtsp" "srt" "http-flv" "flv"], got: "http"`)},

		// task_name: any name the service takes is valid (see TestAccPullToPushTask_importConsoleTaskName);
		// only "" is not, as it reads back as null.
		{"task_name empty", live.with("task_name", q("")),
			invalid("task_name", "must not be empty: leave task_name out for a task without a name", `""`)},

		// Times.
		{"start_time not RFC 3339", live.with("start_time", q("2026-12-01 10:00:00")),
			invalid("start_time", timeRule, `"2026-12-01 10:00:00"`)},
		{"start_time without offset", live.with("start_time", q("2026-12-01T10:00:00")),
			invalid("start_time", timeRule, `"2026-12-01T10:00:00"`)},
		{"start_time empty", live.with("start_time", q("")),
			invalid("start_time", timeRule, `""`)},
		{"end_time offset out of range", live.with("end_time", q("2026-11-26T10:00:00+25:00")),
			invalid("end_time", timeRule, `"2026-11-26T10:00:00+25:00"`)},
		{"start_time fractional seconds", live.with("start_time", q(strings.TrimSuffix(start, "Z")+".250Z")),
			invalid("start_time", "must be in whole seconds (the service keeps times to the second; remove the fractional part)",
				q(strings.TrimSuffix(start, "Z")+".250Z"))},
		{"end_time fractional seconds", live.with("end_time", q(strings.TrimSuffix(end, "Z")+".5+08:00")),
			invalid("end_time", "must be in whole seconds (the service keeps times to the second; remove the fractional part)",
				q(strings.TrimSuffix(end, "Z")+".5+08:00"))},
		{"end_time before start_time", live.with("end_time", q(a.At(-2*time.Minute))),
			combination(fmt.Sprintf("Attribute end_time must be later than start_time, got: end_time %s, start_time %s.", a.At(-2*time.Minute), start))},
		{"end_time equal to start_time in another offset", live.with("start_time", q(a.At(time.Hour)),
			"end_time", q(a.Now.Add(time.Hour).In(time.FixedZone("", 2*3600)).Format(time.RFC3339))),
			combination("Attribute end_time must be later than start_time")},
		{"window longer than 7 days", live.with("end_time", q(a.At(7*24*time.Hour))),
			combination(fmt.Sprintf("Attribute end_time must be at most 7 days (168h) after start_time, got a window of 168h1m0s (start_time %s, end_time %s).",
				start, a.At(7*24*time.Hour)))},
		{"window has passed", live.with("start_time", q(a.At(-3*time.Hour)), "end_time", q(a.At(-time.Hour))),
			alilivetest.MsgRegexp("Pull-to-Push Task Window Has Passed", "The task cannot be created because its window has passed: end_time "+a.At(-time.Hour),
				"Move start_time and end_time into the future, or remove the resource block")},
		{"enabled false before the start", live.with("start_time", q(a.At(time.Hour)), "enabled", "false"),
			combination(fmt.Sprintf("Attribute enabled cannot be false before the task has started: start_time %s is later than the current time", a.At(time.Hour)),
				"Move start_time to the current time or earlier, or set enabled = true.")},

		// What each source type needs.
		{"live without source_protocol", live.with("source_protocol", ""),
			combination(`Attribute source_protocol is required when source_type is "live": set one of rtmp, rtsp, srt, http-flv or flv.`)},
		{"vod with source_protocol", vod.with("source_protocol", q("rtmp")),
			combination(`Attribute source_protocol can only be set when source_type is "live", got source_type "vod": remove it.`)},
		{"url with source_protocol", url.with("source_protocol", q("flv")),
			combination(`Attribute source_protocol can only be set when source_type is "live", got source_type "url": remove it.`)},
		{"live with repeat_number", live.with("repeat_number", "0"),
			combination(`Attribute repeat_number can only be set when source_type is "vod" or "url", got source_type "live": remove it.`)},
		{"live with file_index", live.with("file_index", "0"),
			combination(`Attribute file_index can only be set when source_type is "vod" or "url", got source_type "live": remove it.`)},
		{"live with offset", live.with("offset", "10"),
			combination(`Attribute offset can only be set when source_type is "vod" or "url", got source_type "live": remove it.`)},

		// source_urls.
		{"source_urls empty", live.with("source_urls", "[]"),
			invalid("source_urls", "must hold 1 to 30 entries", "0")},
		{"url with 31 sources", url.with("source_urls", list(urls31...)),
			invalid("source_urls", "must hold 1 to 30 entries", "31")},
		{"live with 2 sources", live.with("source_urls", list("rtmp://a.example.com/a/s", "rtmp://b.example.com/a/s")),
			combination(`Attribute source_urls must hold exactly 1 URL when source_type is "live", got: 2.`)},
		{"source entry empty", url.with("source_urls", list("https://media.example.com/a.mp4", "")),
			invalid("source_urls[1]", sourceRule, `""`)},
		{"source entry with surrounding whitespace", url.with("source_urls", list(" https://media.example.com/a.mp4")),
			invalid("source_urls[0]", sourceRule, `" https://media.example.com/a.mp4"`)},
		{"source entry longer than 2000 bytes", url.with("source_urls", list("https://media.example.com/"+long)),
			invalid("source_urls[0]", sourceRule, `"https://media.example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"... (2027 characters)`)},
		{"rtmp protocol with an rtsp URL", live.with("source_urls", list("rtsp://cam.example.com/s")),
			invalid("source_urls[0]", liveRule("rtmp://")+` when source_protocol is "rtmp"`, `"rtsp://cam.example.com/s"`)},
		{"srt protocol with an rtmp URL", live.with("source_protocol", q("srt"), "source_urls", list("rtmp://a.example.com/a/s")),
			invalid("source_urls[0]", liveRule("srt://")+` when source_protocol is "srt"`, `"rtmp://a.example.com/a/s"`)},
		{"http-flv protocol with an rtmp URL", live.with("source_protocol", q("HTTP-FLV"), "source_urls", list("rtmp://a.example.com/a/s")),
			invalid("source_urls[0]", liveRule("http:// or https://")+` when source_protocol is "HTTP-FLV"`, `"rtmp://a.example.com/a/s"`)},
		{"live URL without host", live.with("source_urls", list("rtmp:///live/s")),
			invalid("source_urls[0]", liveRule("rtmp://")+` when source_protocol is "rtmp"`, `"rtmp:///live/s"`)},
		{"url type with an rtmp URL", url.with("source_urls", list("rtmp://media.example.com/a")),
			invalid("source_urls[0]", liveRule("http:// or https://")+` when source_type is "url"`, `"rtmp://media.example.com/a"`)},
		{"url type with a bare path", url.with("source_urls", list("media.example.com/a.mp4")),
			invalid("source_urls[0]", liveRule("http:// or https://")+` when source_type is "url"`, `"media.example.com/a.mp4"`)},
		{"vod with a URL", vod.with("source_urls", list("https://media.example.com/a.mp4")),
			invalid("source_urls[0]", `must be a VOD media ID (letters, digits, - and _, at most 64 characters, not a URL) when source_type is "vod"`, `"https://media.example.com/a.mp4"`)},
		{"vod media ID of unicode", vod.with("source_urls", list("媒体")),
			invalid("source_urls[0]", `must be a VOD media ID (letters, digits, - and _, at most 64 characters, not a URL) when source_type is "vod"`, `"媒体"`)},
		{"vod media ID of 65 characters", vod.with("source_urls", list(strings.Repeat("f", 65))),
			invalid("source_urls[0]", `must be a VOD media ID (letters, digits, - and _, at most 64 characters, not a URL) when source_type is "vod"`, q(strings.Repeat("f", 65)))},

		// dst_url and callback_url.
		{"dst_url http", live.with("dst_url", q("http://push.example.com/live/s")),
			invalid("dst_url", dstRule, `"http://push.example.com/live/s"`)},
		{"dst_url without host", live.with("dst_url", q("rtmp:///live/s")),
			invalid("dst_url", dstRule, `"rtmp:///live/s"`)},
		{"dst_url empty", live.with("dst_url", q("")),
			invalid("dst_url", dstRule, `""`)},
		{"dst_url with a space", live.with("dst_url", q("rtmp://push.example.com/live/my stream")),
			invalid("dst_url", dstRule, `"rtmp://push.example.com/live/my stream"`)},
		{"dst_url port out of range", live.with("dst_url", q("rtmp://push.example.com:99999/live/s")),
			invalid("dst_url", dstRule, `"rtmp://push.example.com:99999/live/s"`)},
		{"dst_url longer than 2000 bytes", live.with("dst_url", q("rtmp://push.example.com/"+long)),
			invalid("dst_url", dstRule, `"rtmp://push.example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"... (2025 characters)`)},
		{"callback_url ftp", live.with("callback_url", q("ftp://hooks.example.com/x")),
			invalid("callback_url", cbRule, `"ftp://hooks.example.com/x"`)},
		{"callback_url empty", live.with("callback_url", q("")),
			invalid("callback_url", "must not be empty: to clear the callback URL, remove the argument or set it to null", `""`)},
		{"callback_url longer than 2000 bytes", live.with("callback_url", q("https://hooks.example.com/"+long)),
			invalid("callback_url", cbRule, `"https://hooks.example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"... (2027 characters)`)},

		// Ranges.
		{"retry_interval below 60", live.with("retry_interval", "59"),
			alilivetest.MsgRegexp(`Attribute retry_interval value must be between 60 and 300, got: 59`)},
		{"retry_interval above 300", live.with("retry_interval", "301"),
			alilivetest.MsgRegexp(`Attribute retry_interval value must be between 60 and 300, got: 301`)},
		{"retry_count negative", live.with("retry_count", "-1"),
			alilivetest.MsgRegexp(`Attribute retry_count value must be between 0 and 2147483647, got: -1`)},
		{"retry_count beyond 32 bits", live.with("retry_count", "2147483648"),
			alilivetest.MsgRegexp(`Attribute retry_count value must be between 0 and 2147483647, got: 2147483648`)},
		{"repeat_number below -1", url.with("repeat_number", "-2"),
			alilivetest.MsgRegexp(`Attribute repeat_number value must be between -1 and 2147483647, got: -2`)},
		{"file_index negative", url.with("file_index", "-1"),
			alilivetest.MsgRegexp(`Attribute file_index value must be between 0 and 2147483647, got: -1`)},
		{"file_index outside the playlist", url.with("file_index", "2"),
			combination("Attribute file_index must point into source_urls (0 to 1), got: 2.")},
		{"offset negative", url.with("offset", "-1"),
			alilivetest.MsgRegexp(`Attribute offset value must be between 0 and 2147483647, got: -1`)},
	}
}

// TestAccPullToPushTask_invalidConfig plans every invalid configuration
// and checks that each fails with its message before any API call.
func TestAccPullToPushTask_invalidConfig(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	cases := invalidCases(a)
	if len(cases) < 40 {
		t.Fatalf("only %d invalid configurations", len(cases))
	}
	steps := make([]resource.TestStep, 0, len(cases)+1)
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      a.config(task(c.cfg)),
			PlanOnly:    true,
			ExpectError: c.want,
		})
	}
	steps = append(steps, resource.TestStep{
		// No configuration above reached the API.
		PreConfig: func() {
			if n := a.Emulator.Stats().TotalCalls(); n != 0 {
				t.Errorf("the invalid configurations made %d API calls (%v), want 0", n, a.Emulator.Stats().Calls)
			}
		},
		Config:             a.config(task(a.live("bad"))),
		PlanOnly:           true,
		ExpectNonEmptyPlan: true,
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
}
