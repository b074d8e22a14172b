package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// testAccPullToPushTaskConfig_runningRelays is five url relays that
// started a minute ago, ending at end (from now), playing the playlist of
// version, enabled or not.
func testAccPullToPushTaskConfig_runningRelays(a *ptpAcc, end, version string, enabled bool) string {
	return a.Config(`
resource "alilive_pull_to_push_task" "relay" {
  for_each    = toset(["a", "b", "c", "d", "e"])
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at .end}}"
  source_type = "url"
  source_urls = ["https://media.example.com/{{.version}}/${each.key}/1.mp4", "https://media.example.com/{{.version}}/${each.key}/2.mp4"]
  dst_url     = "{{dst "${each.key}"}}"
  enabled     = {{.enabled}}
}
`, alilivetest.Vars{"end": end, "version": version, "enabled": enabled})
}

// TestAccPullToPushTask_updateRunningRelaysOneReadEach changes five
// running relays in the ways a running task refuses or that change its
// status: end_time and the playlist (stop, update, restart), enabled =
// false (stop) and enabled = true again (restart). Each update writes as
// planned, without reading the task first, and reads each task once, after
// its last write, with DescribeLivePullToPush: the listing lags an hour
// behind every write during the apply, so a read-back served from it would
// record the task as it was.
func TestAccPullToPushTask_updateRunningRelaysOneReadEach(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	keys := []string{"a", "b", "c", "d", "e"}
	each := func(attr string, want func(k string) any) []statecheck.StateCheck {
		var checks []statecheck.StateCheck
		for _, k := range keys {
			var v = want(k)
			name := fmt.Sprintf("alilive_pull_to_push_task.relay[%q]", k)
			switch v := v.(type) {
			case string:
				checks = append(checks, statecheck.ExpectKnownValue(name, tfjsonpath.New(attr), str(v)))
			case []string:
				checks = append(checks, statecheck.ExpectKnownValue(name, tfjsonpath.New(attr), strs(v...)))
			}
		}
		return checks
	}
	status := func(s string) []statecheck.StateCheck { return each("status", func(string) any { return s }) }
	step := func(cfg string, calls map[string]int, checks ...[]statecheck.StateCheck) resource.TestStep {
		var all []statecheck.StateCheck
		for _, c := range checks {
			all = append(all, c...)
		}
		return resource.TestStep{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(`alilive_pull_to_push_task.relay["a"]`, plancheck.ResourceActionUpdate),
					planHook(func() {
						a.Emulator.SetListLag(time.Hour)
						a.Emulator.ResetStats()
					}),
				},
				PostApplyPreRefresh: []plancheck.PlanCheck{planHookErr(func() error {
					a.Emulator.SetListLag(0)
					return a.CheckCalls(calls)(nil)
				})},
			},
			ConfigStateChecks: all,
		}
	}
	playlist := func(version string) []statecheck.StateCheck {
		return each("source_urls", func(k string) any {
			return []string{"https://media.example.com/" + version + "/" + k + "/1.mp4", "https://media.example.com/" + version + "/" + k + "/2.mp4"}
		})
	}
	endsAt := func(d time.Duration) []statecheck.StateCheck {
		return each("end_time", func(string) any { return a.At(d) })
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            testAccPullToPushTaskConfig_runningRelays(a, "2h", "v1", true),
				ConfigStateChecks: status("running"),
			},
			step(testAccPullToPushTaskConfig_runningRelays(a, "3h", "v1", true),
				map[string]int{"StopLivePullToPush": 5, "UpdateLivePullToPush": 5, "RestartLivePullToPush": 5,
					"DescribeLivePullToPush": 5, "DescribeLivePullToPushList": 0},
				status("running"), endsAt(3*time.Hour)),
			step(testAccPullToPushTaskConfig_runningRelays(a, "3h", "v2", true),
				map[string]int{"StopLivePullToPush": 5, "UpdateLivePullToPush": 5, "RestartLivePullToPush": 5,
					"DescribeLivePullToPush": 5, "DescribeLivePullToPushList": 0},
				status("running"), playlist("v2")),
			step(testAccPullToPushTaskConfig_runningRelays(a, "3h", "v2", false),
				map[string]int{"StopLivePullToPush": 5, "UpdateLivePullToPush": 0, "RestartLivePullToPush": 0,
					"DescribeLivePullToPush": 5, "DescribeLivePullToPushList": 0},
				status("offline")),
			step(testAccPullToPushTaskConfig_runningRelays(a, "3h", "v2", true),
				map[string]int{"StopLivePullToPush": 0, "UpdateLivePullToPush": 0, "RestartLivePullToPush": 5,
					"DescribeLivePullToPush": 5, "DescribeLivePullToPushList": 0},
				status("running")),
			{
				// The state shim behind the final destroy does not support
				// for_each: remove the tasks with an apply instead.
				Config: a.Config(""),
				Check:  a.CheckDestroyed,
			},
		},
	})
}

// testAccPullToPushTaskConfig_oneRelay is one url relay that started a
// minute ago, ending at end (from now), enabled or not.
func testAccPullToPushTaskConfig_oneRelay(a *ptpAcc, end string, enabled bool) string {
	return a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at .end}}"
  source_type = "url"
  source_urls = ["https://media.example.com/oob/a.mp4"]
  dst_url     = "{{dst "oob"}}"
  enabled     = {{.enabled}}
}
`, alilivetest.Vars{"end": end, "enabled": enabled})
}

// An update that writes before it reads acts on the plan's status; where
// the task changed between the plan and the apply, the service's answer
// and the read-back say so, and the outcome is the one a read first would
// have given.
func TestAccPullToPushTask_updateAfterOutOfBandChange(t *testing.T) {
	t.Parallel()
	stopped, idle := emulator.StatusStopped, emulator.StatusIdle
	gone := func(how string) *regexp.Regexp {
		return alilivetest.MsgRegexp(`Unable to Update Pull-to-Push Task`, `The pull-to-push task "`,
			`" in region "cn-shanghai" no longer exists (`+how+`): either it reached its end time and the service `+
				`deleted it automatically, or it was deleted outside Terraform. It was scheduled to end at `,
			`. Nothing was changed. The next plan removes it from the state; if the configuration still declares it, `+
				`that plan creates it again (move start_time and end_time into the future for that), or remove the resource block.`)
	}
	cases := []struct {
		name string
		// The relay is created running (enabled) or stopped, then applied
		// with end and enabled after change(id) runs between plan and apply.
		created bool
		end     string
		enabled bool
		change  func(a *ptpAcc, id string) error
		err     *regexp.Regexp
		calls   map[string]int // when err is nil; the relay then runs with end
		opts    emulator.Options
	}{{
		// The stop answers CodeTaskHasStopped, which is success: the task is
		// updated and restarted, as enabled = true asks.
		name: "stopped since the plan, end_time moved", created: true, end: "3h", enabled: true,
		change: func(a *ptpAcc, id string) error {
			return a.Emulator.PatchTask(id, emulator.TaskPatch{TaskStatus: &stopped})
		},
		calls: map[string]int{"StopLivePullToPush": 1, "UpdateLivePullToPush": 1, "RestartLivePullToPush": 1, "DescribeLivePullToPush": 1},
	}, {
		// The stop finds no task; the read the update then makes says so.
		name: "deleted since the plan, end_time moved", created: true, end: "3h", enabled: true,
		change: func(a *ptpAcc, id string) error { return a.Emulator.DeleteTask(id) },
		err:    gone("DescribeLivePullToPush found no task with that ID"),
	}, {
		name: "deleted since the plan, enabled again", created: false, end: "2h", enabled: true,
		change: func(a *ptpAcc, id string) error { return a.Emulator.DeleteTask(id) },
		err:    gone("RestartLivePullToPush found no task with that ID"),
	}, {
		// The service refuses to stop a task that has not started; the read
		// the update then makes finds it idle, and nothing is changed.
		name: "idle since the plan, disabled", created: true, end: "2h", enabled: false,
		change: func(a *ptpAcc, id string) error {
			later := time.Now().Add(30 * time.Minute).UTC().Truncate(time.Second)
			return a.Emulator.PatchTask(id, emulator.TaskPatch{TaskStatus: &idle, StartTime: &later})
		},
		err: alilivetest.MsgRegexp(`Pull-to-Push Task Changed Since the Plan`,
			`The plan sets enabled = false for pull-to-push task "`, `", which stops the task, but the task has not `+
				`started yet (status "idle", start_time `, `) and the service cannot stop a task before it starts. `+
				`Nothing was changed. Run terraform plan again once the task has started, or keep enabled = true until then.`),
	}, {
		// The reading where a stop of a task that has not started is
		// accepted without effect: the read-back shows it idle.
		name: "idle since the plan, disabled, the stop ignored", created: true, end: "2h", enabled: false,
		opts: emulator.Options{Variants: []emulator.Variant{emulator.VariantStopIdleNoop}},
		change: func(a *ptpAcc, id string) error {
			later := time.Now().Add(30 * time.Minute).UTC().Truncate(time.Second)
			return a.Emulator.PatchTask(id, emulator.TaskPatch{TaskStatus: &idle, StartTime: &later})
		},
		err: alilivetest.MsgRegexp(`Unable to Stop Pull-to-Push Task`, `The StopLivePullToPush call (stopping pull-to-push task "`,
			`" in region "cn-shanghai") was accepted, but: The service accepted StopLivePullToPush for pull-to-push task "`,
			`", but the task is still idle: the service cannot stop a task before its start_time (`,
			`) and ignored the request. Set enabled = true until the task has started, then set it to false. Nothing was changed.`),
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a := newPtpAccWith(t, c.opts)
			var id string
			after := resource.TestStep{
				Config: testAccPullToPushTaskConfig_oneRelay(a, c.end, c.enabled),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{planHook(func() {
					if err := c.change(a, id); err != nil {
						t.Error(err)
					}
					a.Emulator.ResetStats()
				})}},
				ExpectError: c.err,
			}
			if c.err == nil {
				after.ConfigStateChecks = []statecheck.StateCheck{expect("status", str("running")), expect("end_time", str(a.At(3*time.Hour)))}
				after.ConfigPlanChecks.PostApplyPreRefresh = []plancheck.PlanCheck{planHookErr(func() error { return a.CheckCalls(c.calls)(nil) })}
				after.Check = a.CheckStatus(1)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             a.CheckDestroyed,
				Steps: []resource.TestStep{
					{Config: testAccPullToPushTaskConfig_oneRelay(a, "2h", c.created), Check: alilivetest.CaptureID(&id)},
					after,
				},
			})
		})
	}
}
