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

// invalidCase is one configuration the provider must reject at plan time:
// base with the attributes of change (HCL; "name = null" removes one), see
// alilivetest.Override.
type invalidCase struct {
	name   string
	base   string
	change string
	want   *regexp.Regexp
}

// The configurations the invalid cases change: a running live relay, a
// url playlist and a vod playlist.
const (
	invalidLive = `
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/bad"]
  dst_url         = "{{dst "bad"}}"
}
`
	invalidURL = `
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/bad/a.mp4", "https://media.example.com/bad/b.flv"]
  dst_url     = "{{dst "bad"}}"
}
`
	invalidVOD = `
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "vod"
  source_urls = ["m1", "m2"]
  dst_url     = "{{dst "bad"}}"
}
`
)

// config renders the case: the provider block, then base with change.
func (c invalidCase) config(t *testing.T, a *ptpAcc) string {
	t.Helper()
	cfg, err := alilivetest.Override(a.HCL(c.base), a.HCL(c.change))
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	return a.Provider + "\n" + cfg
}

// invalidCases lists configurations that break one rule each, with the
// message that names the attribute and the rule.
func invalidCases(a *ptpAcc) []invalidCase {
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
		urls31[i] = fmt.Sprintf(`"https://media.example.com/%d.mp4"`, i)
	}
	start, end := a.At(-time.Minute), a.At(2*time.Hour)

	return []invalidCase{
		// Enumerations.
		{"region unknown", invalidLive, `region = "us-east-1"`,
			notLive("us-east-1")},
		{"region empty", invalidLive, `region = ""`,
			notLive("")},
		{"region upper case", invalidLive, `region = "CN-SHANGHAI"`,
			notLive("CN-SHANGHAI")},
		{"source_type unknown", invalidLive, `source_type = "rtmp"`,
			alilivetest.MsgRegexp(`Attribute source_type value must be one of: ["live" "vod" "url"], got: "rtmp"`)},
		{"source_type upper case", invalidLive, `source_type = "LIVE"`,
			alilivetest.MsgRegexp(`Attribute source_type value must be one of: ["live" "vod" "url"], got: "LIVE"`)},
		{"source_protocol unknown", invalidLive, `source_protocol = "http"`,
			alilivetest.MsgRegexp(`Attribute source_protocol value must be one of: ["rtmp" "rtsp" "srt" "http-flv" "flv"], got: "http"`)},

		// task_name: any name the service takes is valid (see TestAccPullToPushTask_importConsoleTaskName);
		// only "" is not, as it reads back as null.
		{"task_name empty", invalidLive, `task_name = ""`,
			invalid("task_name", "must not be empty: leave task_name out for a task without a name", `""`)},

		// Times.
		{"start_time not RFC 3339", invalidLive, `start_time = "2026-12-01 10:00:00"`,
			invalid("start_time", timeRule, `"2026-12-01 10:00:00"`)},
		{"start_time without offset", invalidLive, `start_time = "2026-12-01T10:00:00"`,
			invalid("start_time", timeRule, `"2026-12-01T10:00:00"`)},
		{"start_time empty", invalidLive, `start_time = ""`,
			invalid("start_time", timeRule, `""`)},
		{"end_time offset out of range", invalidLive, `end_time = "2026-11-26T10:00:00+25:00"`,
			invalid("end_time", timeRule, `"2026-11-26T10:00:00+25:00"`)},
		{"start_time fractional seconds", invalidLive, "start_time = " + alilivetest.Quote(strings.TrimSuffix(start, "Z")+".250Z"),
			invalid("start_time", "must be in whole seconds (the service keeps times to the second; remove the fractional part)",
				alilivetest.Quote(strings.TrimSuffix(start, "Z")+".250Z"))},
		{"end_time fractional seconds", invalidLive, "end_time = " + alilivetest.Quote(strings.TrimSuffix(end, "Z")+".5+08:00"),
			invalid("end_time", "must be in whole seconds (the service keeps times to the second; remove the fractional part)",
				alilivetest.Quote(strings.TrimSuffix(end, "Z")+".5+08:00"))},
		{"end_time before start_time", invalidLive, `end_time = "{{at "-2m"}}"`,
			combination(fmt.Sprintf("Attribute end_time must be later than start_time, got: end_time %s, start_time %s.", a.At(-2*time.Minute), start))},
		{"end_time equal to start_time in another offset", invalidLive, `start_time = "{{at "1h"}}"
end_time = ` + alilivetest.Quote(a.Now.Add(time.Hour).In(time.FixedZone("", 2*3600)).Format(time.RFC3339)),
			combination("Attribute end_time must be later than start_time")},
		{"window longer than 7 days", invalidLive, `end_time = "{{at "168h"}}"`,
			combination(fmt.Sprintf("Attribute end_time must be at most 7 days (168h) after start_time, got a window of 168h1m0s (start_time %s, end_time %s).",
				start, a.At(7*24*time.Hour)))},
		{"window has passed", invalidLive, `start_time = "{{at "-3h"}}"
end_time = "{{at "-1h"}}"`,
			alilivetest.MsgRegexp("Pull-to-Push Task Window Has Passed", "The task cannot be created because its window has passed: end_time "+a.At(-time.Hour),
				"Move start_time and end_time into the future, or remove the resource block")},
		{"enabled false before the start", invalidLive, `start_time = "{{at "1h"}}"
enabled = false`,
			combination(fmt.Sprintf("Attribute enabled cannot be false before the task has started: start_time %s is later than the current time", a.At(time.Hour)),
				"Move start_time to the current time or earlier, or set enabled = true.")},

		// What each source type needs.
		{"live without source_protocol", invalidLive, `source_protocol = null`,
			combination(`Attribute source_protocol is required when source_type is "live": set one of rtmp, rtsp, srt, http-flv or flv.`)},
		{"vod with source_protocol", invalidVOD, `source_protocol = "rtmp"`,
			combination(`Attribute source_protocol can only be set when source_type is "live", got source_type "vod": remove it.`)},
		{"url with source_protocol", invalidURL, `source_protocol = "flv"`,
			combination(`Attribute source_protocol can only be set when source_type is "live", got source_type "url": remove it.`)},
		{"live with repeat_number", invalidLive, `repeat_number = 0`,
			combination(`Attribute repeat_number can only be set when source_type is "vod" or "url", got source_type "live": remove it.`)},
		{"live with file_index", invalidLive, `file_index = 0`,
			combination(`Attribute file_index can only be set when source_type is "vod" or "url", got source_type "live": remove it.`)},
		{"live with offset", invalidLive, `offset = 10`,
			combination(`Attribute offset can only be set when source_type is "vod" or "url", got source_type "live": remove it.`)},

		// source_urls.
		{"source_urls empty", invalidLive, `source_urls = []`,
			invalid("source_urls", "must hold 1 to 30 entries", "0")},
		{"url with 31 sources", invalidURL, "source_urls = [" + strings.Join(urls31, ", ") + "]",
			invalid("source_urls", "must hold 1 to 30 entries", "31")},
		{"live with 2 sources", invalidLive, `source_urls = ["rtmp://a.example.com/a/s", "rtmp://b.example.com/a/s"]`,
			combination(`Attribute source_urls must hold exactly 1 URL when source_type is "live", got: 2.`)},
		{"source entry empty", invalidURL, `source_urls = ["https://media.example.com/a.mp4", ""]`,
			invalid("source_urls[1]", sourceRule, `""`)},
		{"source entry with surrounding whitespace", invalidURL, `source_urls = [" https://media.example.com/a.mp4"]`,
			invalid("source_urls[0]", sourceRule, `" https://media.example.com/a.mp4"`)},
		{"source entry longer than 2000 bytes", invalidURL, `source_urls = ["https://media.example.com/` + long + `"]`,
			invalid("source_urls[0]", sourceRule, `"https://media.example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"... (2027 characters)`)},
		{"rtmp protocol with an rtsp URL", invalidLive, `source_urls = ["rtsp://cam.example.com/s"]`,
			invalid("source_urls[0]", liveRule("rtmp://")+` when source_protocol is "rtmp"`, `"rtsp://cam.example.com/s"`)},
		{"srt protocol with an rtmp URL", invalidLive, `source_protocol = "srt"
source_urls = ["rtmp://a.example.com/a/s"]`,
			invalid("source_urls[0]", liveRule("srt://")+` when source_protocol is "srt"`, `"rtmp://a.example.com/a/s"`)},
		{"http-flv protocol with an rtmp URL", invalidLive, `source_protocol = "HTTP-FLV"
source_urls = ["rtmp://a.example.com/a/s"]`,
			invalid("source_urls[0]", liveRule("http:// or https://")+` when source_protocol is "HTTP-FLV"`, `"rtmp://a.example.com/a/s"`)},
		{"live URL without host", invalidLive, `source_urls = ["rtmp:///live/s"]`,
			invalid("source_urls[0]", liveRule("rtmp://")+` when source_protocol is "rtmp"`, `"rtmp:///live/s"`)},
		{"url type with an rtmp URL", invalidURL, `source_urls = ["rtmp://media.example.com/a"]`,
			invalid("source_urls[0]", liveRule("http:// or https://")+` when source_type is "url"`, `"rtmp://media.example.com/a"`)},
		{"url type with a bare path", invalidURL, `source_urls = ["media.example.com/a.mp4"]`,
			invalid("source_urls[0]", liveRule("http:// or https://")+` when source_type is "url"`, `"media.example.com/a.mp4"`)},
		{"vod with a URL", invalidVOD, `source_urls = ["https://media.example.com/a.mp4"]`,
			invalid("source_urls[0]", `must be a VOD media ID (letters, digits, - and _, at most 64 characters, not a URL) when source_type is "vod"`, `"https://media.example.com/a.mp4"`)},
		{"vod media ID of unicode", invalidVOD, `source_urls = ["媒体"]`,
			invalid("source_urls[0]", `must be a VOD media ID (letters, digits, - and _, at most 64 characters, not a URL) when source_type is "vod"`, `"媒体"`)},
		{"vod media ID of 65 characters", invalidVOD, `source_urls = ["` + strings.Repeat("f", 65) + `"]`,
			invalid("source_urls[0]", `must be a VOD media ID (letters, digits, - and _, at most 64 characters, not a URL) when source_type is "vod"`, alilivetest.Quote(strings.Repeat("f", 65)))},

		// dst_url and callback_url.
		{"dst_url http", invalidLive, `dst_url = "http://push.example.com/live/s"`,
			invalid("dst_url", dstRule, `"http://push.example.com/live/s"`)},
		{"dst_url without host", invalidLive, `dst_url = "rtmp:///live/s"`,
			invalid("dst_url", dstRule, `"rtmp:///live/s"`)},
		{"dst_url empty", invalidLive, `dst_url = ""`,
			invalid("dst_url", dstRule, `""`)},
		{"dst_url with a space", invalidLive, `dst_url = "rtmp://push.example.com/live/my stream"`,
			invalid("dst_url", dstRule, `"rtmp://push.example.com/live/my stream"`)},
		{"dst_url port out of range", invalidLive, `dst_url = "rtmp://push.example.com:99999/live/s"`,
			invalid("dst_url", dstRule, `"rtmp://push.example.com:99999/live/s"`)},
		{"dst_url longer than 2000 bytes", invalidLive, `dst_url = "rtmp://push.example.com/` + long + `"`,
			invalid("dst_url", dstRule, `"rtmp://push.example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"... (2025 characters)`)},
		{"callback_url ftp", invalidLive, `callback_url = "ftp://hooks.example.com/x"`,
			invalid("callback_url", cbRule, `"ftp://hooks.example.com/x"`)},
		{"callback_url empty", invalidLive, `callback_url = ""`,
			invalid("callback_url", "must not be empty: to clear the callback URL, remove the argument or set it to null", `""`)},
		{"callback_url longer than 2000 bytes", invalidLive, `callback_url = "https://hooks.example.com/` + long + `"`,
			invalid("callback_url", cbRule, `"https://hooks.example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"... (2027 characters)`)},

		// Ranges.
		{"retry_interval below 60", invalidLive, `retry_interval = 59`,
			alilivetest.MsgRegexp(`Attribute retry_interval value must be between 60 and 300, got: 59`)},
		{"retry_interval above 300", invalidLive, `retry_interval = 301`,
			alilivetest.MsgRegexp(`Attribute retry_interval value must be between 60 and 300, got: 301`)},
		{"retry_count negative", invalidLive, `retry_count = -1`,
			alilivetest.MsgRegexp(`Attribute retry_count value must be between 0 and 2147483647, got: -1`)},
		{"retry_count beyond 32 bits", invalidLive, `retry_count = 2147483648`,
			alilivetest.MsgRegexp(`Attribute retry_count value must be between 0 and 2147483647, got: 2147483648`)},
		{"repeat_number below -1", invalidURL, `repeat_number = -2`,
			alilivetest.MsgRegexp(`Attribute repeat_number value must be between -1 and 2147483647, got: -2`)},
		{"file_index negative", invalidURL, `file_index = -1`,
			alilivetest.MsgRegexp(`Attribute file_index value must be between 0 and 2147483647, got: -1`)},
		{"file_index outside the playlist", invalidURL, `file_index = 2`,
			combination("Attribute file_index must point into source_urls (0 to 1), got: 2.")},
		{"offset negative", invalidURL, `offset = -1`,
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
			Config:      c.config(t, a),
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
		Config:             a.Config(invalidLive),
		PlanOnly:           true,
		ExpectNonEmptyPlan: true,
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
}
