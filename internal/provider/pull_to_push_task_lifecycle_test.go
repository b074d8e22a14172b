package provider

// Lifecycle acceptance tests that hold under every variant of the
// service's documentation the emulator can follow. make test-variants runs
// them (TestAccPullToPushTaskLifecycle_) once per variant and once with all
// of them (ALILIVE_EMULATOR_VARIANT); without that variable they are
// skipped, because the other acceptance tests of make test cover the
// emulator's defaults, no variant (ALILIVE_EMULATOR_VARIANT=default runs them so).
// Each step ends, as every acceptance step does, with a plan that must be
// empty, and checks that the service holds exactly the tasks of the state
// with the state's settings.

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

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

// newLifecycleAcc prepares a lifecycle test, or skips it when
// ALILIVE_EMULATOR_VARIANT is not set.
func newLifecycleAcc(t *testing.T, needsEmulator bool) *ptpAcc {
	t.Helper()
	if _, set := os.LookupEnv(alilivetest.EnvVariant); !set {
		t.Skipf("runs under make test-variants (%s set; \"default\" for the emulator's defaults (no variant))", alilivetest.EnvVariant)
	}
	return newPtpAcc(t, needsEmulator)
}

// test runs the steps against the test's emulator; CheckDestroy checks
// that no task is left.
func (a *ptpAcc) test(steps ...resource.TestStep) {
	a.T.Helper()
	resource.Test(a.T, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps:                    steps,
	})
}

// follows reports whether the emulator follows variant v.
func (a *ptpAcc) follows(v emulator.Variant) bool { return slices.Contains(a.Variants, v) }

// checkService checks that the emulator holds exactly the tasks of the
// state's alilive_pull_to_push_task resources, none of them twice and no
// other, each with the settings the state records (so, with the empty plan
// that follows every step, the configured settings).
func (a *ptpAcc) checkService() resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if a.Emulator == nil {
			return nil
		}
		live := map[string]emulator.Task{}
		for _, t := range a.LiveTasks() {
			live[t.TaskId] = t
		}
		seen := 0
		for name, rs := range s.RootModule().Resources {
			if rs.Type != "alilive_pull_to_push_task" || rs.Primary == nil {
				continue
			}
			seen++
			t, ok := live[rs.Primary.ID]
			if !ok {
				return fmt.Errorf("%s: the service holds no live task %s (it holds %d)", name, rs.Primary.ID, len(live))
			}
			if err := sameSettings(rs.Primary.Attributes, t); err != nil {
				return fmt.Errorf("%s (task %s): %w", name, t.TaskId, err)
			}
		}
		if seen != len(live) {
			return fmt.Errorf("the state holds %d tasks, the service %d live ones: %v", seen, len(live), taskIDs(live))
		}
		return nil
	}
}

func taskIDs(m map[string]emulator.Task) []string {
	out := make([]string, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	return out
}

// sameSettings compares a resource's state attributes with a task.
func sameSettings(attrs map[string]string, t emulator.Task) error {
	i := t.TaskInfo
	var diffs []string
	str := func(name, got string) {
		if attrs[name] != got {
			diffs = append(diffs, fmt.Sprintf("%s: state %q, service %q", name, attrs[name], got))
		}
	}
	num := func(name string, got int32) {
		v := attrs[name]
		if v == "" {
			v = "0"
		}
		if v != strconv.Itoa(int(got)) {
			diffs = append(diffs, fmt.Sprintf("%s: state %s, service %d", name, v, got))
		}
	}
	instant := func(name, got string) {
		a, err1 := time.Parse(time.RFC3339, attrs[name])
		b, err2 := time.Parse(time.RFC3339, got)
		if err1 != nil || err2 != nil || !a.Equal(b) {
			diffs = append(diffs, fmt.Sprintf("%s: state %q, service %q", name, attrs[name], got))
		}
	}
	str("region", t.Region)
	str("task_name", i.TaskName)
	instant("start_time", i.StartTime)
	instant("end_time", i.EndTime)
	str("source_type", i.SourceType)
	if !strings.EqualFold(attrs["source_protocol"], i.SourceProtocol) {
		diffs = append(diffs, fmt.Sprintf("source_protocol: state %q, service %q", attrs["source_protocol"], i.SourceProtocol))
	}
	var urls []string
	n, _ := strconv.Atoi(attrs["source_urls.#"])
	for k := range n {
		urls = append(urls, attrs["source_urls."+strconv.Itoa(k)])
	}
	if !slices.Equal(urls, i.SourceUrls) {
		diffs = append(diffs, fmt.Sprintf("source_urls: state %q, service %q", urls, i.SourceUrls))
	}
	str("dst_url", i.DstUrl)
	str("callback_url", i.CallbackURL)
	num("repeat_number", i.RepeatNumber)
	num("file_index", i.FileIndex)
	num("offset", i.Offset)
	num("retry_interval", i.RetryInterval)
	num("retry_count", i.RetryCount)
	if offline := t.TaskStatus == emulator.StatusStopped; attrs["enabled"] != strconv.FormatBool(!offline) {
		diffs = append(diffs, fmt.Sprintf("enabled: state %s, service status %d", attrs["enabled"], t.TaskStatus))
	}
	if len(diffs) > 0 {
		return fmt.Errorf("the service's task differs from the state: %s", strings.Join(diffs, "; "))
	}
	return nil
}

// lifecycleStep applies cfg, expecting the given action, and checks the
// service; checks are further state checks.
func (a *ptpAcc) lifecycleStep(cfg string, action plancheck.ResourceActionType, checks ...statecheck.StateCheck) resource.TestStep {
	return resource.TestStep{
		Config: cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(alilivetest.Resource, action),
		}},
		ConfigStateChecks: checks,
		Check:             a.checkService(),
	}
}

// removeCallbackSteps applies without: the configuration of a task that
// has callback_url "http://127.0.0.1:9/cb-2", with that callback_url left
// out. The callback is removed in place, or, where the service cannot clear
// a callback (callback-unclearable), an apply says so and the next one
// replaces the task.
func (a *ptpAcc) removeCallbackSteps(without, status string) []resource.TestStep {
	if !a.follows(emulator.VariantCallbackUnclearable) {
		return []resource.TestStep{a.lifecycleStep(without, plancheck.ResourceActionUpdate,
			expect("callback_url", knownvalue.Null()), expect("status", str(status)))}
	}
	return []resource.TestStep{
		{
			Config: without,
			ExpectError: alilivetest.MsgRegexp("Pull-to-Push Task Update Not Applied", "The service accepted the update of pull-to-push task",
				`but did not apply callback_url (requested none, the task has "http://127.0.0.1:9/cb-2").`,
				"The service cannot make this change in place, so the state records the task as it is, and the next plan "+
					"replaces the task to apply it"),
		},
		a.lifecycleStep(without, plancheck.ResourceActionDestroyBeforeCreate,
			expect("callback_url", knownvalue.Null()), expect("status", str(status))),
	}
}

// TestAccPullToPushTaskLifecycle_create creates a live, a vod and a url
// task, imports each, and destroys them.
func TestAccPullToPushTaskLifecycle_create(t *testing.T) {
	t.Parallel()
	a := newLifecycleAcc(t, false)
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  task_name       = "lifecycle live"
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/live"]
  dst_url         = "{{dst "live"}}"
  callback_url    = "http://127.0.0.1:9/live"
}

resource "alilive_pull_to_push_task" "vod" {
  start_time    = "{{at "-1m"}}"
  end_time      = "{{at "2h"}}"
  source_type   = "vod"
  source_urls   = ["media-1", "media_2"]
  dst_url       = "{{dst "vod"}}"
  repeat_number = -1
  file_index    = 1
  offset        = 5
}

resource "alilive_pull_to_push_task" "url" {
  start_time     = "{{at "-1m"}}"
  end_time       = "{{at "2h"}}"
  source_type    = "url"
  source_urls    = ["https://media.example.com/url/a.mp4", "https://media.example.com/url/b.flv"]
  dst_url        = "{{dst "url"}}"
  retry_interval = 90
  retry_count    = 5
}
`)
	moving := []string{"current_file_index", "current_offset"} // they advance while a playlist plays
	importStep := func(name string) resource.TestStep {
		return resource.TestStep{ResourceName: name, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: moving}
	}
	a.test(
		resource.TestStep{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				expect("status", str("running")),
				expect("source_protocol", str("rtmp")),
				expect("callback_url", str("http://127.0.0.1:9/live")),
				statecheck.ExpectKnownValue("alilive_pull_to_push_task.vod", tfjsonpath.New("status"), str("running")),
				statecheck.ExpectKnownValue("alilive_pull_to_push_task.vod", tfjsonpath.New("repeat_number"), num(-1)),
				statecheck.ExpectKnownValue("alilive_pull_to_push_task.url", tfjsonpath.New("retry_interval"), num(90)),
			},
			Check: resource.ComposeTestCheckFunc(a.checkService(), a.CheckTaskCount(3)),
		},
		importStep(alilivetest.Resource),
		importStep("alilive_pull_to_push_task.vod"),
		importStep("alilive_pull_to_push_task.url"),
		resource.TestStep{Config: cfg, PlanOnly: true},
	)
}

// TestAccPullToPushTaskLifecycle_updateRunning changes each updatable
// argument alone on a running url task, removes callback_url, and toggles
// enabled.
func TestAccPullToPushTaskLifecycle_updateRunning(t *testing.T) {
	t.Parallel()
	a := newLifecycleAcc(t, false)
	// The running url task gets a callback (withCallback, .callback), then
	// repeat_number (withRepeat, then a new end time .end and playlist
	// .urls), then file_index, then offset: each step changes one value.
	withCallback := `
resource "alilive_pull_to_push_task" "test" {
  start_time   = "{{at "-1m"}}"
  end_time     = "{{at "2h"}}"
  source_type  = "url"
  source_urls  = ["https://media.example.com/run/a.mp4", "https://media.example.com/run/b.flv"]
  dst_url      = "{{dst "run"}}"
  callback_url = "{{.callback}}"
}
`
	withRepeat := `
resource "alilive_pull_to_push_task" "test" {
  start_time    = "{{at "-1m"}}"
  end_time      = "{{at .end}}"
  source_type   = "url"
  source_urls   = {{.urls}}
  dst_url       = "{{dst "run"}}"
  callback_url  = "http://127.0.0.1:9/cb-2"
  repeat_number = 2
}
`
	playlist := `["https://media.example.com/run/a.mp4", "https://media.example.com/run/b.flv"]`
	reordered := `["https://media.example.com/run/c.mp4", "https://media.example.com/run/a.mp4"]`
	withFileIndex := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time    = "{{at "-1m"}}"
  end_time      = "{{at "3h"}}"
  source_type   = "url"
  source_urls   = ["https://media.example.com/run/c.mp4", "https://media.example.com/run/a.mp4"]
  dst_url       = "{{dst "run"}}"
  callback_url  = "http://127.0.0.1:9/cb-2"
  repeat_number = 2
  file_index    = 1
}
`)
	withOffset := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time    = "{{at "-1m"}}"
  end_time      = "{{at "3h"}}"
  source_type   = "url"
  source_urls   = ["https://media.example.com/run/c.mp4", "https://media.example.com/run/a.mp4"]
  dst_url       = "{{dst "run"}}"
  callback_url  = "http://127.0.0.1:9/cb-2"
  repeat_number = 2
  file_index    = 1
  offset        = 20
}
`)
	upd := plancheck.ResourceActionUpdate
	steps := []resource.TestStep{
		a.lifecycleStep(a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/run/a.mp4", "https://media.example.com/run/b.flv"]
  dst_url     = "{{dst "run"}}"
}
`), plancheck.ResourceActionCreate, expect("status", str("running"))),
		a.lifecycleStep(a.Config(withCallback, alilivetest.Vars{"callback": "http://127.0.0.1:9/cb-1"}), upd,
			expect("callback_url", str("http://127.0.0.1:9/cb-1")), expect("status", str("running"))),
		a.lifecycleStep(a.Config(withCallback, alilivetest.Vars{"callback": "http://127.0.0.1:9/cb-2"}), upd,
			expect("callback_url", str("http://127.0.0.1:9/cb-2"))),
		a.lifecycleStep(a.Config(withRepeat, alilivetest.Vars{"end": "2h", "urls": playlist}), upd,
			expect("repeat_number", num(2)), expect("status", str("running"))),
		a.lifecycleStep(a.Config(withRepeat, alilivetest.Vars{"end": "3h", "urls": playlist}), upd,
			expect("end_time", str(a.At(3*time.Hour))), expect("status", str("running"))),
		a.lifecycleStep(a.Config(withRepeat, alilivetest.Vars{"end": "3h", "urls": reordered}), upd,
			expect("source_urls", strs("https://media.example.com/run/c.mp4", "https://media.example.com/run/a.mp4")),
			expect("status", str("running"))),
		a.lifecycleStep(withFileIndex, upd, expect("file_index", num(1)), expect("status", str("running"))),
		a.lifecycleStep(withOffset, upd, expect("offset", num(20)), expect("status", str("running"))),
	}
	// Without the callback, stopped (enabled = false) and running again.
	withoutCallback := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time    = "{{at "-1m"}}"
  end_time      = "{{at "3h"}}"
  source_type   = "url"
  source_urls   = ["https://media.example.com/run/c.mp4", "https://media.example.com/run/a.mp4"]
  dst_url       = "{{dst "run"}}"
  repeat_number = 2
  file_index    = 1
  offset        = 20
}
`)
	steps = append(steps, a.removeCallbackSteps(withoutCallback, "running")...)
	steps = append(steps,
		a.lifecycleStep(a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time    = "{{at "-1m"}}"
  end_time      = "{{at "3h"}}"
  source_type   = "url"
  source_urls   = ["https://media.example.com/run/c.mp4", "https://media.example.com/run/a.mp4"]
  dst_url       = "{{dst "run"}}"
  repeat_number = 2
  file_index    = 1
  offset        = 20
  enabled       = false
}
`), upd, expect("enabled", knownvalue.Bool(false)), expect("status", str("offline"))),
		a.lifecycleStep(withoutCallback, upd, expect("enabled", knownvalue.Bool(true)), expect("status", str("running"))),
	)
	a.test(steps...)
}

// TestAccPullToPushTaskLifecycle_updateIdle changes each updatable
// argument alone on a url task that has not started, and removes
// callback_url.
func TestAccPullToPushTaskLifecycle_updateIdle(t *testing.T) {
	t.Parallel()
	a := newLifecycleAcc(t, false)
	// The url task as created, starting in an hour, in which each step
	// changes one value: start, end, urls (the playlist) or callback.
	idleTask := `
resource "alilive_pull_to_push_task" "test" {
  start_time   = "{{at .start}}"
  end_time     = "{{at .end}}"
  source_type  = "url"
  source_urls  = {{.urls}}
  dst_url      = "{{dst "idle"}}"
  callback_url = "{{.callback}}"
}
`
	playlist := `["https://media.example.com/idle/a.mp4", "https://media.example.com/idle/b.flv"]`
	reordered := `["https://media.example.com/idle/z.mp4", "https://media.example.com/idle/y.mp4"]`
	upd := plancheck.ResourceActionUpdate
	idle := expect("status", str("idle"))
	steps := []resource.TestStep{
		a.lifecycleStep(a.Config(idleTask, alilivetest.Vars{"start": "1h", "end": "3h", "urls": playlist,
			"callback": "http://127.0.0.1:9/cb-1"}), plancheck.ResourceActionCreate, idle),
		a.lifecycleStep(a.Config(idleTask, alilivetest.Vars{"start": "90m", "end": "3h", "urls": playlist,
			"callback": "http://127.0.0.1:9/cb-1"}), upd, expect("start_time", str(a.At(90*time.Minute))), idle),
		a.lifecycleStep(a.Config(idleTask, alilivetest.Vars{"start": "90m", "end": "4h", "urls": playlist,
			"callback": "http://127.0.0.1:9/cb-1"}), upd, expect("end_time", str(a.At(4*time.Hour))), idle),
		a.lifecycleStep(a.Config(idleTask, alilivetest.Vars{"start": "90m", "end": "4h", "urls": reordered,
			"callback": "http://127.0.0.1:9/cb-1"}), upd, expect("source_urls", strs("https://media.example.com/idle/z.mp4",
			"https://media.example.com/idle/y.mp4")), idle),
		a.lifecycleStep(a.Config(idleTask, alilivetest.Vars{"start": "90m", "end": "4h", "urls": reordered,
			"callback": "http://127.0.0.1:9/cb-2"}), upd, expect("callback_url", str("http://127.0.0.1:9/cb-2")), idle),
		a.lifecycleStep(a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time    = "{{at "90m"}}"
  end_time      = "{{at "4h"}}"
  source_type   = "url"
  source_urls   = ["https://media.example.com/idle/z.mp4", "https://media.example.com/idle/y.mp4"]
  dst_url       = "{{dst "idle"}}"
  callback_url  = "http://127.0.0.1:9/cb-2"
  repeat_number = 3
}
`), upd, expect("repeat_number", num(3)), idle),
		a.lifecycleStep(a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time    = "{{at "90m"}}"
  end_time      = "{{at "4h"}}"
  source_type   = "url"
  source_urls   = ["https://media.example.com/idle/z.mp4", "https://media.example.com/idle/y.mp4"]
  dst_url       = "{{dst "idle"}}"
  callback_url  = "http://127.0.0.1:9/cb-2"
  repeat_number = 3
  file_index    = 1
}
`), upd, expect("file_index", num(1)), idle),
		a.lifecycleStep(a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time    = "{{at "90m"}}"
  end_time      = "{{at "4h"}}"
  source_type   = "url"
  source_urls   = ["https://media.example.com/idle/z.mp4", "https://media.example.com/idle/y.mp4"]
  dst_url       = "{{dst "idle"}}"
  callback_url  = "http://127.0.0.1:9/cb-2"
  repeat_number = 3
  file_index    = 1
  offset        = 7
}
`), upd, expect("offset", num(7)), idle),
	}
	steps = append(steps, a.removeCallbackSteps(a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time    = "{{at "90m"}}"
  end_time      = "{{at "4h"}}"
  source_type   = "url"
  source_urls   = ["https://media.example.com/idle/z.mp4", "https://media.example.com/idle/y.mp4"]
  dst_url       = "{{dst "idle"}}"
  repeat_number = 3
  file_index    = 1
  offset        = 7
}
`), "idle")...)
	a.test(steps...)
}

// TestAccPullToPushTaskLifecycle_failsAndRecovers relays from a source
// that cannot be reached (a host under .invalid): the task recovers, then
// goes offline; pointed at a reachable source it relays again. Under the
// flaky variant the relay also fails and recovers by itself.
func TestAccPullToPushTaskLifecycle_failsAndRecovers(t *testing.T) {
	t.Parallel()
	a := newLifecycleAcc(t, true)
	// The live task pulls from origin, a host that cannot be reached
	// (origin.invalid) or one that can.
	relay := `
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://{{.origin}}/live/fail"]
  dst_url         = "{{dst "fail"}}"
}
`
	good := a.Config(relay, alilivetest.Vars{"origin": "origin.example.com"})
	steps := []resource.TestStep{
		a.lifecycleStep(a.Config(relay, alilivetest.Vars{"origin": "origin.invalid"}), plancheck.ResourceActionCreate,
			expect("status", str("recovering")), expect("invalid_reason", str("PullStreamFailed")), expect("enabled", knownvalue.Bool(true))),
		{
			// Its retries run out: offline, which the plan shows as a change of enabled.
			PreConfig:          func() { a.Emulator.Advance(3 * time.Minute) },
			RefreshState:       true,
			ExpectNonEmptyPlan: true,
			RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
				alilivetest.ExpectBefore{Attr: "status", Want: "offline"},
				alilivetest.ExpectBefore{Attr: "invalid_reason", Want: "PullStreamFailed"},
			}},
		},
		a.lifecycleStep(good, plancheck.ResourceActionUpdate,
			expect("status", str("running")), expect("invalid_reason", knownvalue.Null())),
	}
	if a.follows(emulator.VariantFlaky) {
		// Forty minutes of the service's clock: the relay fails at least
		// once, and recovers or goes offline; the next apply converges.
		steps = append(steps, resource.TestStep{
			PreConfig: func() { a.Emulator.Advance(40 * time.Minute) },
			Config:    good,
			Check:     a.checkService(),
		})
	}
	a.test(steps...)
}

// TestAccPullToPushTaskLifecycle_windowEnds lets a task's window pass: the
// service ends it (and deletes it, or shows it as exited for a while), the
// refresh removes it from the state, and the plan explains that the window
// has passed.
func TestAccPullToPushTaskLifecycle_windowEnds(t *testing.T) {
	t.Parallel()
	a := newLifecycleAcc(t, true)
	// The provider checks windows against its own clock, so the window
	// really has to pass; 45 seconds leave the first apply time to finish
	// on a busy machine.
	end := a.Now.Add(45 * time.Second)
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{.end}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/window"]
  dst_url         = "{{dst "window"}}"
}
`, alilivetest.Vars{"end": liveapi.FormatTime(end)})
	a.test(
		resource.TestStep{Config: cfg, Check: resource.ComposeTestCheckFunc(a.checkService(), a.CheckTaskCount(1))},
		resource.TestStep{
			PreConfig: func() {
				time.Sleep(time.Until(end.Add(1500 * time.Millisecond)))
				a.Emulator.Advance(time.Millisecond)
				if n := len(a.LiveTasks()); n != 0 {
					t.Fatalf("the emulator still holds %d live tasks after end_time", n)
				}
			},
			Config: cfg,
			ExpectError: alilivetest.MsgRegexp("Pull-to-Push Task Window Has Passed", "The task cannot be created because its window has passed: end_time "+
				liveapi.FormatTime(end)+" is not later than the current time"),
		},
	)
}

// TestAccPullToPushTaskLifecycle_stoppedOverEndTime: one variant has a
// task whose end time passed reported as stopped with TaskExitReason
// OverEndTime. The refresh treats it as ended, like an exited task.
func TestAccPullToPushTaskLifecycle_stoppedOverEndTime(t *testing.T) {
	t.Parallel()
	a := newLifecycleAcc(t, true)
	var id string
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/over"]
  dst_url         = "{{dst "over"}}"
}
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			_ = a.Emulator.DeleteTask(id)
			return a.CheckDestroyed(s)
		},
		Steps: []resource.TestStep{
			{Config: cfg, Check: resource.ComposeTestCheckFunc(alilivetest.CaptureID(&id), a.checkService())},
			{
				PreConfig: func() {
					stopped, reason := emulator.StatusStopped, emulator.ReasonOverEndTime
					if err := a.Emulator.PatchTask(id, emulator.TaskPatch{TaskStatus: &stopped, TaskExitReason: &reason}); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}
