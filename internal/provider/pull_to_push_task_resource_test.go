package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// expect is a shorthand for statecheck.ExpectKnownValue on the test resource.
func expect(attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(alilivetest.Resource, tfjsonpath.New(attr), v)
}

func str(s string) knownvalue.Check { return knownvalue.StringExact(s) }
func num(n int64) knownvalue.Check  { return knownvalue.Int64Exact(n) }
func strs(v ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(v))
	for i, s := range v {
		checks[i] = knownvalue.StringExact(s)
	}
	return knownvalue.ListExact(checks)
}

func TestAccPullToPushTask_basic(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, false)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{{
			Config: a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/basic"]
  dst_url         = "{{dst "basic"}}"
}
`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionCreate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				expect("id", knownvalue.StringRegexp(regexp.MustCompile(`^[A-Za-z0-9_-]+$`))),
				expect("region", str("cn-shanghai")),
				expect("task_name", knownvalue.Null()),
				expect("start_time", str(a.At(-time.Minute))),
				expect("end_time", str(a.At(2*time.Hour))),
				expect("source_type", str("live")),
				expect("source_protocol", str("rtmp")),
				expect("source_urls", strs("rtmp://origin.example.com/live/basic")),
				expect("dst_url", str(a.Dst("basic"))),
				expect("callback_url", knownvalue.Null()),
				expect("repeat_number", knownvalue.Null()),
				expect("file_index", knownvalue.Null()),
				expect("offset", knownvalue.Null()),
				expect("retry_interval", num(60)),
				expect("retry_count", num(3)),
				expect("enabled", knownvalue.Bool(true)),
				expect("status", str("running")),
				expect("invalid_reason", knownvalue.Null()),
				expect("current_file_index", num(0)),
				expect("current_offset", num(0)),
			},
			Check: resource.ComposeTestCheckFunc(
				a.CheckStatus(1),
				a.CheckTask(func(tk emulator.Task) error {
					i := tk.TaskInfo
					if tk.Region != "cn-shanghai" || i.StartTime != a.At(-time.Minute) || i.EndTime != a.At(2*time.Hour) ||
						!strings.EqualFold(i.SourceProtocol, "rtmp") || i.RetryCount != 3 || i.RetryInterval != 60 || i.TaskName != "" ||
						i.CallbackURL != "" || len(i.SourceUrls) != 1 {
						return fmt.Errorf("emulator task differs from the configuration: %+v", tk)
					}
					return nil
				}),
			),
		}},
	})
}

func TestAccPullToPushTask_live(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, false)
	start := a.Now.Add(-time.Minute).In(time.FixedZone("CST", 8*3600)).Format(time.RFC3339)
	// Every argument set; start_time and source_protocol vary in spelling.
	const all = `
resource "alilive_pull_to_push_task" "test" {
  region          = "cn-beijing"
  task_name       = "Live relay 直播 #1"
  start_time      = "{{.start_time}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "{{.source_protocol}}"
  source_urls     = ["rtmp://origin.example.com/live/all?token=a&b=c"]
  dst_url         = "{{dst "all"}}?auth_key=1767225600-0-0-abc"
  callback_url    = "http://127.0.0.1:9/hooks/live?x=1"
  retry_interval  = 120
  retry_count     = 5
  enabled         = true

  timeouts {
    create = "2m"
    read   = "1m"
    update = "3m"
    delete = "4m"
  }
}
`
	written := a.Config(all, alilivetest.Vars{"start_time": start, "source_protocol": "RTMP"})
	checks := []statecheck.StateCheck{
		expect("region", str("cn-beijing")),
		expect("task_name", str("Live relay 直播 #1")),
		expect("start_time", str(start)),
		expect("end_time", str(a.At(2*time.Hour))),
		expect("source_type", str("live")),
		expect("source_protocol", str("RTMP")),
		expect("source_urls", strs("rtmp://origin.example.com/live/all?token=a&b=c")),
		expect("dst_url", str(a.Dst("all")+"?auth_key=1767225600-0-0-abc")),
		expect("callback_url", str("http://127.0.0.1:9/hooks/live?x=1")),
		expect("retry_interval", num(120)),
		expect("retry_count", num(5)),
		expect("enabled", knownvalue.Bool(true)),
		expect("repeat_number", knownvalue.Null()),
		expect("status", str("running")),
		expect("timeouts", knownvalue.ObjectExact(map[string]knownvalue.Check{
			"create": str("2m"), "read": str("1m"), "update": str("3m"), "delete": str("4m"),
		})),
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            written,
				ConfigStateChecks: checks,
				Check: a.CheckTask(func(tk emulator.Task) error {
					// Sent in UTC and in lower case; the state keeps the configuration's spelling.
					if tk.Region != "cn-beijing" || tk.TaskInfo.StartTime != a.At(-time.Minute) || !strings.EqualFold(tk.TaskInfo.SourceProtocol, "rtmp") ||
						tk.TaskInfo.TaskName != "Live relay 直播 #1" || tk.TaskInfo.RetryCount != 5 || tk.TaskInfo.RetryInterval != 120 {
						return fmt.Errorf("emulator task differs from the configuration: %+v", tk)
					}
					return nil
				}),
			},
			{
				// Another spelling of the same instant and protocol is not a change.
				Config: a.Config(all, alilivetest.Vars{"start_time": a.At(-time.Minute), "source_protocol": "rtmp"}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: checks,
			},
			{
				// The service echoing the protocol in upper case is not drift.
				PreConfig: func() {
					if a.Emulator != nil {
						for _, tk := range a.Emulator.Tasks() {
							p := "RTMP"
							if err := a.Emulator.PatchTask(tk.TaskId, emulator.TaskPatch{SourceProtocol: &p}); err != nil {
								t.Fatal(err)
							}
						}
					}
				},
				Config: written,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: checks,
			},
		},
	})
}

func TestAccPullToPushTask_vod(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, false)
	ids := []string{"0f2c4f6bb7e24a54a3c1e5e3a9d7c001", "media_B-2", "5b8e11d0a2f3485c9e7f6a1b2c3d4e5f"}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{{
			Config: a.Config(`
resource "alilive_pull_to_push_task" "test" {
  task_name      = "vod playlist"
  start_time     = "{{at "-1m"}}"
  end_time       = "{{at "3h"}}"
  source_type    = "vod"
  source_urls    = ["0f2c4f6bb7e24a54a3c1e5e3a9d7c001", "media_B-2", "5b8e11d0a2f3485c9e7f6a1b2c3d4e5f"]
  dst_url        = "{{dst "vod"}}"
  callback_url   = "https://127.0.0.1:9/vod"
  repeat_number  = 2
  file_index     = 2
  offset         = 15
  retry_interval = 300
  retry_count    = 0
  enabled        = true
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect("region", str("cn-shanghai")),
				expect("task_name", str("vod playlist")),
				expect("source_type", str("vod")),
				expect("source_protocol", knownvalue.Null()),
				expect("source_urls", strs(ids...)),
				expect("callback_url", str("https://127.0.0.1:9/vod")),
				expect("repeat_number", num(2)),
				expect("file_index", num(2)),
				expect("offset", num(15)),
				expect("retry_interval", num(300)),
				expect("retry_count", num(0)),
				expect("enabled", knownvalue.Bool(true)),
				expect("status", str("running")),
				expect("current_file_index", num(2)),
				expect("current_offset", num(15)),
			},
			Check: a.CheckTask(func(tk emulator.Task) error {
				i := tk.TaskInfo
				if fmt.Sprint(i.SourceUrls) != fmt.Sprint(ids) || i.RepeatNumber != 2 || i.FileIndex != 2 || i.Offset != 15 ||
					i.RetryCount != 0 || i.RetryInterval != 300 || i.SourceProtocol != "" {
					return fmt.Errorf("emulator task differs from the configuration: %+v", tk)
				}
				return nil
			}),
		}},
	})
}

func TestAccPullToPushTask_url(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, false)
	urls := []string{"https://media.example.com/u/3.mp4", "http://media.example.com/u/1.flv?sig=a%20b", "https://media.example.com/u/2.mp4"}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config: a.Config(`
resource "alilive_pull_to_push_task" "test" {
  task_name      = "url-playlist"
  start_time     = "{{at "-1m"}}"
  end_time       = "{{at "2h"}}"
  source_type    = "url"
  source_urls    = ["https://media.example.com/u/3.mp4", "http://media.example.com/u/1.flv?sig=a%20b", "https://media.example.com/u/2.mp4"]
  dst_url        = "{{dst "url"}}"
  callback_url   = "http://127.0.0.1:9/url"
  repeat_number  = -1
  file_index     = 1
  offset         = 7
  retry_interval = 61
  retry_count    = 10
  enabled        = true
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					expect("task_name", str("url-playlist")),
					expect("source_type", str("url")),
					expect("source_protocol", knownvalue.Null()),
					expect("source_urls", strs(urls...)),
					expect("repeat_number", num(-1)),
					expect("file_index", num(1)),
					expect("offset", num(7)),
					expect("retry_interval", num(61)),
					expect("retry_count", num(10)),
					expect("status", str("running")),
				},
				Check: a.CheckTask(func(tk emulator.Task) error {
					if fmt.Sprint(tk.TaskInfo.SourceUrls) != fmt.Sprint(urls) || tk.TaskInfo.RepeatNumber != -1 {
						return fmt.Errorf("emulator task differs from the configuration: %+v", tk)
					}
					return nil
				}),
			},
			{
				// Leaving the playlist arguments out means their defaults.
				Config: a.Config(`
resource "alilive_pull_to_push_task" "test" {
  task_name      = "url-playlist"
  start_time     = "{{at "-1m"}}"
  end_time       = "{{at "2h"}}"
  source_type    = "url"
  source_urls    = ["https://media.example.com/u/3.mp4", "http://media.example.com/u/1.flv?sig=a%20b", "https://media.example.com/u/2.mp4"]
  dst_url        = "{{dst "url"}}"
  callback_url   = "http://127.0.0.1:9/url"
  retry_interval = 61
  retry_count    = 10
  enabled        = true
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(alilivetest.Resource, tfjsonpath.New("repeat_number"), num(0)),
					plancheck.ExpectKnownValue(alilivetest.Resource, tfjsonpath.New("file_index"), num(0)),
					plancheck.ExpectKnownValue(alilivetest.Resource, tfjsonpath.New("offset"), num(0)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("repeat_number", num(0)),
					expect("file_index", num(0)),
					expect("offset", num(0)),
				},
			},
		},
	})
}

// updateStep applies cfg, a configuration that changes one argument of
// the url task, and checks that the change is an in-place update with the
// expected API calls.
func updateStep(a *ptpAcc, idSame statecheckCompare, cfg string, calls map[string]int, checks ...statecheck.StateCheck) resource.TestStep {
	return resource.TestStep{
		PreConfig: a.ResetStats,
		Config:    cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
		}},
		ConfigStateChecks: append(checks,
			idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")),
			expect("status", str("running")),
		),
		Check: resource.ComposeTestCheckFunc(a.CheckCalls(calls), a.CheckStatus(1)),
	}
}

// statecheckCompare is the value statecheck.CompareValue returns.
type statecheckCompare = interface {
	AddStateValue(string, tfjsonpath.Path) statecheck.StateCheck
}

func TestAccPullToPushTask_update(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, false)
	idSame := statecheck.CompareValue(compare.ValuesSame())
	// In place without interruption: one Update call, no Stop or Restart.
	direct := map[string]int{"UpdateLivePullToPush": 1, "StopLivePullToPush": 0, "RestartLivePullToPush": 0, "CreateLivePullToPush": 0}
	// On a running task: stop, update, restart.
	interrupt := map[string]int{"UpdateLivePullToPush": 1, "StopLivePullToPush": 1, "RestartLivePullToPush": 1, "CreateLivePullToPush": 0}

	base := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/upd/a.mp4", "https://media.example.com/upd/b.flv"]
  dst_url     = "{{dst "upd"}}"
}
`)
	const callback = `
resource "alilive_pull_to_push_task" "test" {
  start_time   = "{{at "-1m"}}"
  end_time     = "{{at "2h"}}"
  source_type  = "url"
  source_urls  = ["https://media.example.com/upd/a.mp4", "https://media.example.com/upd/b.flv"]
  dst_url      = "{{dst "upd"}}"
  callback_url = "{{.callback_url}}"
}
`
	const repeat = `
resource "alilive_pull_to_push_task" "test" {
  start_time    = "{{at "-1m"}}"
  end_time      = "{{.end_time}}"
  source_type   = "url"
  source_urls   = ["https://media.example.com/upd/a.mp4", "https://media.example.com/upd/b.flv"]
  dst_url       = "{{dst "upd"}}"
  repeat_number = 3
}
`
	urls := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time    = "{{at "-1m"}}"
  end_time      = "{{at "5h"}}"
  source_type   = "url"
  source_urls   = ["https://media.example.com/upd/b.flv", "https://media.example.com/upd/a.mp4", "https://media.example.com/upd/c.mp4"]
  dst_url       = "{{dst "upd"}}"
  repeat_number = 3
}
`)
	file := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time    = "{{at "-1m"}}"
  end_time      = "{{at "5h"}}"
  source_type   = "url"
  source_urls   = ["https://media.example.com/upd/b.flv", "https://media.example.com/upd/a.mp4", "https://media.example.com/upd/c.mp4"]
  dst_url       = "{{dst "upd"}}"
  repeat_number = 3
  file_index    = 2
}
`)
	off := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time    = "{{at "-1m"}}"
  end_time      = "{{at "5h"}}"
  source_type   = "url"
  source_urls   = ["https://media.example.com/upd/b.flv", "https://media.example.com/upd/a.mp4", "https://media.example.com/upd/c.mp4"]
  dst_url       = "{{dst "upd"}}"
  repeat_number = 3
  file_index    = 2
  offset        = 30
}
`)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            base,
				ConfigStateChecks: []statecheck.StateCheck{idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id"))},
			},
			updateStep(a, idSame, a.Config(callback, alilivetest.Vars{"callback_url": "http://127.0.0.1:9/one"}), direct,
				expect("callback_url", str("http://127.0.0.1:9/one"))),
			updateStep(a, idSame, a.Config(callback, alilivetest.Vars{"callback_url": "http://127.0.0.1:9/two"}), direct,
				expect("callback_url", str("http://127.0.0.1:9/two"))),
			// Removing callback_url clears it.
			updateStep(a, idSame, base, direct, expect("callback_url", knownvalue.Null())),
			updateStep(a, idSame, a.Config(repeat, alilivetest.Vars{"end_time": a.At(2 * time.Hour)}), direct, expect("repeat_number", num(3))),
			updateStep(a, idSame, a.Config(repeat, alilivetest.Vars{"end_time": a.At(5 * time.Hour)}), interrupt,
				expect("end_time", str(a.At(5*time.Hour)))),
			updateStep(a, idSame, urls, interrupt, expect("source_urls", strs(
				"https://media.example.com/upd/b.flv", "https://media.example.com/upd/a.mp4", "https://media.example.com/upd/c.mp4"))),
			updateStep(a, idSame, file, interrupt, expect("file_index", num(2)), expect("current_file_index", num(2))),
			updateStep(a, idSame, off, interrupt, expect("offset", num(30)), expect("current_offset", num(30))),
		},
	})
}

func TestAccPullToPushTask_updateIdle(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, false)
	idSame := statecheck.CompareValue(compare.ValuesSame())
	// A live task that has not started yet; each step moves one value.
	const idle = `
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{.start_time}}"
  end_time        = "{{.end_time}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["{{.source_url}}"]
  dst_url         = "{{dst "idle"}}"
}
`
	direct := map[string]int{"UpdateLivePullToPush": 1, "StopLivePullToPush": 0, "RestartLivePullToPush": 0}
	step := func(vars alilivetest.Vars, checks ...statecheck.StateCheck) resource.TestStep {
		return resource.TestStep{
			PreConfig: a.ResetStats,
			Config:    a.Config(idle, vars),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: append(checks, idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")), expect("status", str("idle"))),
			Check:             resource.ComposeTestCheckFunc(a.CheckCalls(direct), a.CheckStatus(0)),
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config: a.Config(idle, alilivetest.Vars{
					"start_time": a.At(time.Hour), "end_time": a.At(3 * time.Hour), "source_url": "rtmp://origin.example.com/live/idle",
				}),
				ConfigStateChecks: []statecheck.StateCheck{idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")), expect("status", str("idle"))},
			},
			step(alilivetest.Vars{
				"start_time": a.At(90 * time.Minute), "end_time": a.At(3 * time.Hour), "source_url": "rtmp://origin.example.com/live/idle",
			}, expect("start_time", str(a.At(90*time.Minute)))),
			step(alilivetest.Vars{
				"start_time": a.At(90 * time.Minute), "end_time": a.At(4 * time.Hour), "source_url": "rtmp://origin.example.com/live/idle",
			}, expect("end_time", str(a.At(4*time.Hour)))),
			step(alilivetest.Vars{
				"start_time": a.At(90 * time.Minute), "end_time": a.At(4 * time.Hour), "source_url": "rtmp://origin.example.com/live/idle-2",
			}, expect("source_urls", strs("rtmp://origin.example.com/live/idle-2"))),
		},
	})
}

func TestAccPullToPushTask_replace(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, false)
	base := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/rep"]
  dst_url         = "{{dst "rep"}}"
}
`)
	steps := []resource.TestStep{{Config: base}}
	// Each configuration changes base in one argument that forces a replacement.
	changes := []struct {
		name string
		cfg  string
	}{
		{"region", a.Config(`
resource "alilive_pull_to_push_task" "test" {
  region          = "cn-beijing"
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/rep"]
  dst_url         = "{{dst "rep"}}"
}
`)},
		{"task_name", a.Config(`
resource "alilive_pull_to_push_task" "test" {
  task_name       = "renamed"
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/rep"]
  dst_url         = "{{dst "rep"}}"
}
`)},
		{"source_protocol", a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtsp"
  source_urls     = ["rtsp://cam.example.com/live/rep"]
  dst_url         = "{{dst "rep"}}"
}
`)},
		{"dst_url", a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/rep"]
  dst_url         = "{{dst "rep-2"}}"
}
`)},
		{"retry_interval", a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/rep"]
  dst_url         = "{{dst "rep"}}"
  retry_interval  = 90
}
`)},
		{"retry_count", a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/rep"]
  dst_url         = "{{dst "rep"}}"
  retry_count     = 9
}
`)},
		{"start_time of a started task", a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-2m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/rep"]
  dst_url         = "{{dst "rep"}}"
}
`)},
		{"source_type", a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/rep/a.mp4", "https://media.example.com/rep/b.flv"]
  dst_url     = "{{dst "rep"}}"
}
`)},
	}
	for _, c := range changes {
		idDiffers := statecheck.CompareValue(compare.ValuesDiffer())
		steps = append(steps,
			resource.TestStep{
				Config:            base,
				ConfigStateChecks: []statecheck.StateCheck{idDiffers.AddStateValue(alilivetest.Resource, tfjsonpath.New("id"))},
			},
			resource.TestStep{
				Config: c.cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{idDiffers.AddStateValue(alilivetest.Resource, tfjsonpath.New("id"))},
				Check:             a.CheckTaskCount(1),
			})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps:                    steps,
	})
}

func TestAccPullToPushTask_enabled(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, false)
	idSame := statecheck.CompareValue(compare.ValuesSame())
	on := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/en"]
  dst_url         = "{{dst "en"}}"
}
`)
	const off = `
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{.end_time}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["{{.source_url}}"]
  dst_url         = "{{dst "en"}}"
  enabled         = false
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            on,
				ConfigStateChecks: []statecheck.StateCheck{idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")), expect("status", str("running"))},
				Check:             a.CheckStatus(1),
			},
			{
				PreConfig: a.ResetStats,
				Config:    a.Config(off, alilivetest.Vars{"end_time": a.At(2 * time.Hour), "source_url": "rtmp://origin.example.com/live/en"}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")),
					expect("enabled", knownvalue.Bool(false)),
					expect("status", str("offline")),
				},
				Check: resource.ComposeTestCheckFunc(a.CheckStatus(3),
					a.CheckCalls(map[string]int{"StopLivePullToPush": 1, "UpdateLivePullToPush": 0, "RestartLivePullToPush": 0})),
			},
			{
				PreConfig: a.ResetStats,
				Config:    on,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")),
					expect("enabled", knownvalue.Bool(true)),
					expect("status", str("running")),
				},
				Check: resource.ComposeTestCheckFunc(a.CheckStatus(1),
					a.CheckCalls(map[string]int{"StopLivePullToPush": 0, "UpdateLivePullToPush": 0, "RestartLivePullToPush": 1})),
			},
			{
				// Disabling and updating together: stop, update, no restart.
				PreConfig: a.ResetStats,
				Config:    a.Config(off, alilivetest.Vars{"end_time": a.At(150 * time.Minute), "source_url": "rtmp://origin.example.com/live/en"}),
				ConfigStateChecks: []statecheck.StateCheck{
					idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")),
					expect("status", str("offline")),
					expect("end_time", str(a.At(150*time.Minute))),
				},
				Check: resource.ComposeTestCheckFunc(a.CheckStatus(3),
					a.CheckCalls(map[string]int{"StopLivePullToPush": 1, "UpdateLivePullToPush": 1, "RestartLivePullToPush": 0})),
			},
			{
				// A stopped task takes updates directly, and stays stopped.
				PreConfig: a.ResetStats,
				Config:    a.Config(off, alilivetest.Vars{"end_time": a.At(160 * time.Minute), "source_url": "rtmp://origin.example.com/live/en-2"}),
				ConfigStateChecks: []statecheck.StateCheck{
					idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")),
					expect("status", str("offline")),
					expect("end_time", str(a.At(160*time.Minute))),
					expect("source_urls", strs("rtmp://origin.example.com/live/en-2")),
				},
				Check: resource.ComposeTestCheckFunc(a.CheckStatus(3),
					a.CheckCalls(map[string]int{"StopLivePullToPush": 0, "UpdateLivePullToPush": 1, "RestartLivePullToPush": 0})),
			},
		},
	})
}

func TestAccPullToPushTask_createDisabled(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, false)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{{
			Config: a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/cd"]
  dst_url         = "{{dst "cd"}}"
  enabled         = false
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect("enabled", knownvalue.Bool(false)),
				expect("status", str("offline")),
			},
			Check: a.CheckStatus(3),
		}},
	})
}

func TestAccPullToPushTask_offline(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	var id string
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/off"]
  dst_url         = "{{dst "off"}}"
  retry_interval  = 60
  retry_count     = 2
}
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check:  alilivetest.CaptureID(&id),
			},
			{
				// The source fails and the retries run out: the task goes offline by itself.
				PreConfig: func() {
					if err := a.Emulator.FailTask(id, "PullStreamFailed"); err != nil {
						t.Fatal(err)
					}
					a.Emulator.Advance(2*60*time.Second + time.Second)
					if tk, _ := a.Emulator.Task(id); tk.TaskStatus != 3 {
						t.Fatalf("emulator TaskStatus after the retries = %d, want 3", tk.TaskStatus)
					}
					a.Emulator.ResetStats()
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
					alilivetest.ExpectBefore{Attr: "enabled", Want: false},
					alilivetest.ExpectBefore{Attr: "status", Want: "offline"},
					plancheck.ExpectKnownValue(alilivetest.Resource, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("enabled", knownvalue.Bool(true)),
					expect("status", str("running")),
					expect("invalid_reason", knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					a.CheckStatus(1),
					a.CheckCalls(map[string]int{"RestartLivePullToPush": 1, "StopLivePullToPush": 0, "UpdateLivePullToPush": 0}),
				),
			},
		},
	})
}

func TestAccPullToPushTask_import(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, false)
	var id string
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "1h"}}"
  source_type = "vod"
  source_urls = ["m1", "m2"]
  dst_url     = "{{dst "imp"}}"
  file_index  = 1
}

resource "alilive_pull_to_push_task" "live" {
  region          = "cn-beijing"
  task_name       = "imported"
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/imp2"]
  dst_url         = "{{dst "imp2"}}"
  callback_url    = "http://127.0.0.1:9/i"
}
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{Config: cfg, Check: alilivetest.CaptureID(&id)},
			{ResourceName: alilivetest.Resource, ImportState: true, ImportStateVerify: true},
			{
				ResourceName: alilivetest.Resource, ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return "cn-shanghai:" + id, nil },
			},
			{
				ResourceName: "alilive_pull_to_push_task.live", ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					lid, err := alilivetest.TaskID(s, "alilive_pull_to_push_task.live")
					return "cn-beijing:" + lid, err
				},
			},
			{
				ResourceName: alilivetest.Resource, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionNoop),
				}},
			},
			{
				// The generated configuration of a vod task plans clean.
				ResourceName: alilivetest.Resource, ImportState: true, ImportStateKind: resource.ImportBlockWithID, GenerateConfig: true,
			},
			{
				// So does the generated configuration of a live task in another region.
				ResourceName: "alilive_pull_to_push_task.live", ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				GenerateConfig: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					lid, err := alilivetest.TaskID(s, "alilive_pull_to_push_task.live")
					return "cn-beijing:" + lid, err
				},
			},
			{
				ResourceName: alilivetest.Resource, ImportState: true, ImportStateId: "nope:" + "x",
				ExpectError: regexp.MustCompile(`The import ID "nope:x" names the unknown region "nope"`),
			},
		},
	})
}

func TestAccPullToPushTask_importConsoleTask(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	// A task made in the console with the service's spellings.
	id, err := a.Emulator.AddTask("cn-shanghai", emulator.TaskInfo{
		TaskName: "console", StartTime: a.At(-time.Minute), EndTime: a.At(2 * time.Hour), SourceType: "live",
		SourceProtocol: "RTMP", SourceUrls: []string{"rtmp://origin.example.com/live/console"}, DstUrl: a.Dst("console"),
		RetryCount: 3, RetryInterval: 60,
	})
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				// The configuration writes RTMP in upper case, the client reads rtmp: no change after import.
				Config: a.Config(`
resource "alilive_pull_to_push_task" "test" {
  task_name       = "console"
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "RTMP"
  source_urls     = ["rtmp://origin.example.com/live/console"]
  dst_url         = "{{dst "console"}}"
}

import {
  to = alilive_pull_to_push_task.test
  id = "{{.id}}"
}
`, alilivetest.Vars{"id": id}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("id", str(id)),
					expect("source_protocol", str("rtmp")),
					expect("status", str("running")),
				},
			},
		},
	})
}

func TestAccPullToPushTask_disappears(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	var id string
	idDiffers := statecheck.CompareValue(compare.ValuesDiffer())
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/gone"]
  dst_url         = "{{dst "gone"}}"
}
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            cfg,
				Check:             alilivetest.CaptureID(&id),
				ConfigStateChecks: []statecheck.StateCheck{idDiffers.AddStateValue(alilivetest.Resource, tfjsonpath.New("id"))},
			},
			{
				PreConfig: func() {
					if err := a.Emulator.DeleteTask(id); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{idDiffers.AddStateValue(alilivetest.Resource, tfjsonpath.New("id"))},
				Check:             a.CheckTaskCount(1),
			},
		},
	})
}

func TestAccPullToPushTask_ended(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	// The provider checks windows against its own clock, so the window
	// really has to pass: it ends 15 seconds after the test starts.
	end := a.Now.Add(15 * time.Second)
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "15s"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/ended"]
  dst_url         = "{{dst "ended"}}"
}
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{Config: cfg, Check: a.CheckTaskCount(1)},
			{
				PreConfig: func() {
					time.Sleep(time.Until(end.Add(1500 * time.Millisecond)))
					a.Emulator.Advance(time.Millisecond) // apply the lifecycle transitions now due
					if n := len(a.Emulator.Tasks()); n != 0 {
						t.Fatalf("the emulator still holds %d tasks after end_time", n)
					}
				},
				Config: cfg,
				ExpectError: alilivetest.MsgRegexp("Pull-to-Push Task Window Has Passed", "The task cannot be created because its window has passed: end_time "+
					liveapi.FormatTime(end)+" is not later than the current time", "Move start_time and end_time into the future, or remove the resource block if the relay is no longer needed."),
			},
		},
	})
}

func TestAccPullToPushTask_timeSpelling(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	idSame := statecheck.CompareValue(compare.ValuesSame())
	later := a.Now.Add(3 * time.Hour).In(time.FixedZone("", -5*3600)).Format(time.RFC3339)
	// end_time in another time zone than the service's UTC.
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{.end_time}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/sp"]
  dst_url         = "{{dst "sp"}}"
}
`, alilivetest.Vars{"end_time": later})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            cfg,
				ConfigStateChecks: []statecheck.StateCheck{expect("end_time", str(later)), idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id"))},
				Check: a.CheckTask(func(tk emulator.Task) error {
					if tk.TaskInfo.EndTime != a.At(3*time.Hour) {
						return fmt.Errorf("emulator EndTime = %s, want %s", tk.TaskInfo.EndTime, a.At(3*time.Hour))
					}
					return nil
				}),
			},
			{
				// Moved in the console: the state shows the service's instant in UTC.
				PreConfig: func() {
					moved := a.Now.Add(4 * time.Hour)
					for _, tk := range a.Emulator.Tasks() {
						if err := a.Emulator.PatchTask(tk.TaskId, emulator.TaskPatch{EndTime: &moved}); err != nil {
							t.Fatal(err)
						}
					}
				},
				RefreshState: true,
				// A refresh step takes no ConfigStateChecks (terraform-plugin-testing
				// accepts them only with a configuration), so this one stays a Check.
				Check: resource.TestCheckResourceAttr(alilivetest.Resource, "end_time", a.At(4*time.Hour)),
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
				}},
				ExpectNonEmptyPlan: true,
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expect("end_time", str(later)), idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id"))},
			},
		},
	})
}

func TestAccPullToPushTask_replaceCreateBeforeDestroy(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, false)
	ids := statecheck.CompareValue(compare.ValuesDiffer())
	const cbd = `
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/cbd"]
  dst_url         = "{{.dst_url}}"

  lifecycle {
    create_before_destroy = true
  }
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            a.Config(cbd, alilivetest.Vars{"dst_url": a.Dst("cbd")}),
				ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(alilivetest.Resource, tfjsonpath.New("id"))},
			},
			{
				// A new destination lets the new task run beside the old one for a moment.
				Config: a.Config(cbd, alilivetest.Vars{"dst_url": a.Dst("cbd-2")}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionCreateBeforeDestroy),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					ids.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")),
					expect("dst_url", str(a.Dst("cbd-2"))),
				},
				Check: a.CheckTaskCount(1),
			},
		},
	})
}

func TestAccPullToPushTask_unknownValues(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, false)
	// Every checked argument of "test" depends on another task's ID, so it
	// is unknown while planning: the plan-time rules skip it.
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{{
			Config: a.Config(`
resource "alilive_pull_to_push_task" "other" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/unk-src"]
  dst_url         = "{{dst "unk-src"}}"
}

resource "alilive_pull_to_push_task" "test" {
  task_name     = "after-${alilive_pull_to_push_task.other.id}"
  start_time    = "{{at "-1m"}}"
  end_time      = timeadd(alilive_pull_to_push_task.other.end_time, "1h")
  source_type   = "url"
  source_urls   = ["https://media.example.com/${alilive_pull_to_push_task.other.id}.mp4", "https://media.example.com/b.mp4"]
  dst_url       = "rtmp://push.example.com/live/${alilive_pull_to_push_task.other.id}"
  callback_url  = "http://127.0.0.1:9/${alilive_pull_to_push_task.other.id}"
  repeat_number = length(alilive_pull_to_push_task.other.source_urls)
  file_index    = alilive_pull_to_push_task.other.current_file_index + 1
  offset        = alilive_pull_to_push_task.other.current_offset
}
`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(alilivetest.Resource, tfjsonpath.New("dst_url")),
				plancheck.ExpectUnknownValue(alilivetest.Resource, tfjsonpath.New("file_index")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs(alilivetest.Resource, tfjsonpath.New("task_name"), "alilive_pull_to_push_task.other", tfjsonpath.New("id"),
					compare.ValuesDiffer()),
				expect("file_index", num(1)),
				expect("offset", num(0)),
				expect("repeat_number", num(1)),
				expect("end_time", str(a.At(3*time.Hour))),
			},
		}},
	})
}

// noRetries points the provider at the emulator without retries, so that
// an injected failure surfaces at once.
func (a *ptpAcc) noRetries() {
	a.Provider = fmt.Sprintf(`
provider "alilive" {
  region      = "cn-shanghai"
  endpoint    = %q
  protocol    = "http"
  access_key  = %q
  secret_key  = %q
  max_retries = 0
}
`, a.Emulator.Endpoint(), emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret)
}

// TestAccPullToPushTask_createdButUnreadable: the create succeeds and the
// read that follows fails. The relay is neither tainted nor orphaned: the
// state records it as sent, the next refresh reads it, and the plan is
// empty (a replacement would cut the relay, and under create_before_destroy
// with the same dst_url could not even be created).
func TestAccPullToPushTask_createdButUnreadable(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	a.noRetries()
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/unread"]
  dst_url         = "{{dst "unread"}}"
}
`)
	var first string
	var rec warningRecorder
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: rec.factories(),
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if err := a.Emulator.SetFaults("op=describe,kinds=internal,nth=1"); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				Check: resource.ComposeTestCheckFunc(
					a.CheckTaskCount(1),
					a.CheckCalls(map[string]int{"CreateLivePullToPush": 1, "DeleteLivePullToPush": 0}),
					func(s *terraform.State) error {
						id, err := alilivetest.TaskID(s, alilivetest.Resource)
						if err != nil {
							return err
						}
						if tasks := a.LiveTasks(); tasks[0].TaskId != id {
							return fmt.Errorf("the state names %s, the service holds %s", id, tasks[0].TaskId)
						}
						first = id
						return nil
					},
				),
			},
			{
				PreConfig: func() {
					if err := a.Emulator.SetFaults(""); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expect("status", str("running"))},
				Check: resource.ComposeTestCheckFunc(
					a.CheckTaskCount(1),
					func(s *terraform.State) error {
						if id, err := alilivetest.TaskID(s, alilivetest.Resource); err != nil || id != first {
							return fmt.Errorf("the state names %q (%w), want the created task %s", id, err, first)
						}
						return nil
					},
				),
			},
		},
	})
	want := `Pull-to-Push Task Created but Not Read Back: The DescribeLivePullToPush call (reading pull-to-push task ` +
		`"<id>" in region "cn-shanghai") failed with error code "InternalError" (HTTP status 500, request ID <rid>): ` +
		`The request processing has failed due to some unknown error. Pull-to-push task "<id>" was created and the state records it with the configuration that was ` +
		`sent; its status, invalid_reason and playback position are unknown until the next refresh, which reads them.`
	var got []string
	for _, w := range rec.all() {
		got = append(got, testRequestIDs.ReplaceAllString(strings.ReplaceAll(w, first, "<id>"), "request ID <rid>"))
	}
	if len(got) != 1 || got[0] != want {
		t.Errorf("warnings:\n got %q\nwant exactly [%q]", got, want)
	}
}

func TestAccPullToPushTask_createdDisabledButUnreadable(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	a.noRetries()
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/taint"]
  dst_url         = "{{dst "taint"}}"
  enabled         = false
}
`)
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if err := a.Emulator.SetFaults("op=describe,kinds=internal,every=1"); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ExpectError: alilivetest.MsgRegexp("Unable to Read Pull-to-Push Task After Creating It",
					"The DescribeLivePullToPush call (reading pull-to-push task", `in region "cn-shanghai") failed with error code "InternalError" (HTTP status 500`,
					"The task was created, but with enabled = false it has to be stopped, which needs its status: it is "+
						"kept in the state as tainted, and the next apply replaces it (or run terraform untaint once a refresh succeeds)."),
			},
			{
				// The task was not orphaned: it is in the state, tainted, and is replaced.
				PreConfig: func() {
					tasks := a.Emulator.Tasks()
					if len(tasks) != 1 {
						t.Fatalf("the emulator holds %d tasks after the failed create, want 1", len(tasks))
					}
					first = tasks[0].TaskId
					if err := a.Emulator.SetFaults(""); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					a.CheckTaskCount(1),
					func(s *terraform.State) error {
						id, err := alilivetest.TaskID(s, alilivetest.Resource)
						if err == nil && id == first {
							err = fmt.Errorf("the tainted task %s was kept instead of replaced", id)
						}
						return err
					},
				),
			},
		},
	})
}

func TestAccPullToPushTask_updateFails(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	a.noRetries()
	const uf = `
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{.end_time}}"
  source_type = "url"
  source_urls = ["https://media.example.com/uf/a.mp4", "https://media.example.com/uf/b.flv"]
  dst_url     = "{{dst "uf"}}"
}
`
	base := a.Config(uf, alilivetest.Vars{"end_time": a.At(2 * time.Hour)})
	changed := a.Config(uf, alilivetest.Vars{"end_time": a.At(3 * time.Hour)})
	idSame := statecheck.CompareValue(compare.ValuesSame())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            base,
				ConfigStateChecks: []statecheck.StateCheck{idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id"))},
			},
			{
				// The update fails after the task was stopped for it: the
				// provider restarts the relay and reports the failure.
				PreConfig: func() {
					if err := a.Emulator.SetFaults("op=update,kinds=internal,every=1"); err != nil {
						t.Fatal(err)
					}
					a.Emulator.ResetStats()
				},
				Config: changed,
				ExpectError: alilivetest.MsgRegexp("Unable to Update Pull-to-Push Task",
					"The UpdateLivePullToPush call (updating pull-to-push task", `in region "cn-shanghai") failed with error code "InternalError" (HTTP status 500`),
			},
			{
				// The relay runs again with its old settings, and the next apply converges.
				PreConfig: func() {
					tasks := a.Emulator.Tasks()
					if len(tasks) != 1 || tasks[0].TaskStatus != 1 || tasks[0].TaskInfo.EndTime != a.At(2*time.Hour) {
						t.Fatalf("after the failed update the emulator holds %+v, want one running task ending at %s", tasks, a.At(2*time.Hour))
					}
					if st := a.Emulator.Stats(); st.Calls["StopLivePullToPush"] != 1 || st.Calls["RestartLivePullToPush"] != 1 {
						t.Fatalf("calls during the failed update: %v, want one Stop and one Restart", st.Calls)
					}
					if err := a.Emulator.SetFaults(""); err != nil {
						t.Fatal(err)
					}
				},
				Config: changed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")),
					expect("end_time", str(a.At(3*time.Hour))),
					expect("status", str("running")),
				},
			},
		},
	})
}

// TestAccPullToPushTask_interruptionWarning: the plan of an in-place change
// that stops and restarts a running relay warns, naming what changes; a
// change of callback_url alone, which never interrupts the relay, does not.
func TestAccPullToPushTask_interruptionWarning(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	const interrupt = `
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{.end_time}}"
  source_type = "url"
  source_urls = ["https://media.example.com/interrupt/a.mp4", "https://media.example.com/interrupt/b.flv"]
  dst_url     = "{{dst "interrupt"}}"
}
`
	var rec warningRecorder
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: rec.factories(),
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{Config: a.Config(interrupt, alilivetest.Vars{"end_time": a.At(2 * time.Hour)}), Check: alilivetest.CaptureID(&id)},
			{
				Config: a.Config(interrupt, alilivetest.Vars{"end_time": a.At(3 * time.Hour)}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
				}},
			},
			{Config: a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time   = "{{at "-1m"}}"
  end_time     = "{{at "3h"}}"
  source_type  = "url"
  source_urls  = ["https://media.example.com/interrupt/a.mp4", "https://media.example.com/interrupt/b.flv"]
  dst_url      = "{{dst "interrupt"}}"
  callback_url = "https://hooks.example.com/x"
}
`)},
		},
	})
	want := `Pull-to-Push Task Will Be Interrupted: Pull-to-push task "<id>" is running, and this plan changes ` +
		`end_time in place, which the service makes only on a task that does not run: the apply stops the task, ` +
		`updates it and restarts it. The relay is interrupted for a moment, and the playlist starts again from ` +
		`file_index and offset. To avoid that, make the change before start_time or after the event.`
	seen := map[string]int{}
	for _, w := range rec.all() {
		seen[strings.ReplaceAll(w, id, "<id>")]++
	}
	if len(seen) != 1 || seen[want] == 0 {
		t.Errorf("warnings:\n got %v\nwant only %q", seen, want)
	}
}
