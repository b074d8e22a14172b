package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
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
)

// Tests of applies that come late: a saved plan applied after the service
// changed the task by itself (plugin-testing plans with -out, runs the
// PreApply plan checks, then applies that saved plan, so a planHook
// changes the world between the two), and read-backs that a lagging
// listing would answer with the task as it was before the write.

// TestAccPullToPushTask_latePlanStartTime reproduces a saved plan that
// moves start_time of an idle task, applied after the task has started:
// the apply changes nothing and asks for a new plan, which replaces the
// task.
func TestAccPullToPushTask_latePlanStartTime(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	// start is a duration from the test's start time.
	cfg := func(start string) string {
		return a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at .start}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/late"]
  dst_url         = "{{dst "late"}}"
}
`, alilivetest.Vars{"start": start})
	}
	var first, second string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            cfg("10m"),
				ConfigStateChecks: []statecheck.StateCheck{expect("status", str("idle"))},
				Check:             alilivetest.CaptureID(&first),
			},
			{
				Config: cfg("20m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
					planHook(func() {
						a.Emulator.Advance(11 * time.Minute) // the task starts before the apply
						a.Emulator.ResetStats()
					}),
				}},
				ExpectError: alilivetest.MsgRegexp("Pull-to-Push Task Changed Since the Plan",
					"The plan moves start_time of pull-to-push task",
					fmt.Sprintf("in place from %s to %s, which the service allows only before the task starts.",
						a.At(10*time.Minute), a.At(20*time.Minute)),
					`The task was idle when the plan was made, but it has started since then and is now "running". Nothing was changed, and the state now records the task as it is. Run terraform plan again: the start time of a task that has started cannot change, so the new plan replaces the task.`),
			},
			{
				// The failed apply made two reads and no write: the task
				// still runs with its old start time. (The state showed it
				// idle and starting in 10 minutes, so the first read may
				// come from a listing; it shows the task running, which
				// one read of its own confirms.)
				PreConfig: func() {
					if got := a.Emulator.Stats().Calls; got["DescribeLivePullToPush"] != 2 || a.Emulator.Stats().TotalCalls() != 2 {
						t.Errorf("calls of the failed apply = %v, want exactly 2 DescribeLivePullToPush", got)
					}
					tk, ok := a.Emulator.Task(first)
					if !ok || tk.TaskStatus != emulator.StatusRunning || tk.TaskInfo.StartTime != a.At(10*time.Minute) {
						t.Errorf("task after the failed apply = %+v, want it running with start %s", tk, a.At(10*time.Minute))
					}
				},
				Config: cfg("20m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					alilivetest.ExpectBefore{Attr: "status", Want: "running"},
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("status", str("idle")),
					expect("start_time", str(a.At(20*time.Minute))),
				},
				Check: resource.ComposeTestCheckFunc(alilivetest.CaptureID(&second), a.CheckTaskCount(1), a.CheckStatus(0),
					func(*terraform.State) error {
						if second == first {
							return fmt.Errorf("task %s was not replaced", first)
						}
						return nil
					}),
			},
		},
	})
}

// TestAccPullToPushTask_enableOfflineBeforeStart checks that enabled =
// true on a task stopped before its start time (as the console can do) is
// rejected at plan time, and that enabled = false plans nothing.
func TestAccPullToPushTask_enableOfflineBeforeStart(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	idle := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "10m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/eob"]
  dst_url         = "{{dst "eob"}}"
}
`)
	disabled := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "10m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/eob"]
  dst_url         = "{{dst "eob"}}"
  enabled         = false
}
`)
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config: idle,
				Check:  alilivetest.CaptureID(&id),
			},
			{
				PreConfig: func() {
					if err := a.Emulator.PatchTask(id, emulator.TaskPatch{TaskStatus: ptr(emulator.StatusStopped)}); err != nil {
						t.Fatal(err)
					}
					a.Emulator.ResetStats()
				},
				Config: idle,
				ExpectError: alilivetest.MsgRegexp("Invalid Attribute Combination",
					fmt.Sprintf("Attribute enabled cannot be true while the task is stopped (status offline) and its start_time %s is later than the current time", a.At(10*time.Minute)),
					"enabled = true restarts the task, and the service cannot restart a task before its start time. Set enabled = false until then, or move start_time to the current time or earlier, which replaces the task."),
			},
			{
				PreConfig: func() {
					if got := a.Emulator.Stats().Calls; got["RestartLivePullToPush"] != 0 {
						t.Errorf("calls of the rejected plan = %v, want no RestartLivePullToPush", got)
					}
				},
				Config:           disabled,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("status", str("offline")), expect("enabled", knownvalue.Bool(false)),
				},
			},
		},
	})
}

// failOnStart is a callback transport that makes each task fail once, as
// soon as the emulator reports that it runs: a source that is down from
// the start.
type failOnStart struct {
	mu     sync.Mutex
	e      *emulator.Server
	failed map[string]bool
	errs   []error
}

// RoundTrip receives a callback and answers 200.
func (f *failOnStart) RoundTrip(r *http.Request) (*http.Response, error) {
	var p emulator.CallbackPayload
	if err := json.NewDecoder(r.Body).Decode(&p); err == nil && p.TaskStatus == emulator.StatusRunning {
		f.mu.Lock()
		if !f.failed[p.TaskId] {
			f.failed[p.TaskId] = true
			if err := f.e.FailTask(p.TaskId, emulator.ReasonPullStreamFailed); err != nil {
				f.errs = append(f.errs, err)
			}
		}
		f.mu.Unlock()
	}
	return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(bytes.NewReader(nil)), Request: r}, nil
}

// TestAccPullToPushTask_createReadsBackFailedTask checks that a task whose
// source fails as soon as it starts is created successfully: recovering,
// or (retry_count = 0) already offline, which the next plan restarts.
func TestAccPullToPushTask_createReadsBackFailedTask(t *testing.T) {
	t.Parallel()
	testAccPreCheck(t)
	cb := &failOnStart{failed: map[string]bool{}}
	a := &ptpAcc{alilivetest.NewEnv(t, emulator.Options{QPS: -1, CallbackTransport: cb})}
	cb.e = a.Emulator
	// Set after the plan (whose refresh reads too), the fault delays the
	// apply's first read, the read-back after the create, by 3 s: long after
	// the failure (the callback arrives within milliseconds of the start).
	slowReadBack := planHook(func() {
		if err := a.Emulator.SetFaults("op=describe,kinds=latency,nth=1,latency=3s"); err != nil {
			t.Error(err)
		}
		a.Emulator.ResetStats()
	})
	base := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/fails"]
  dst_url         = "{{dst "fails"}}"
  callback_url    = "http://127.0.0.1:9/fails"
}
`)
	noRetries := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/fails"]
  dst_url         = "{{dst "fails"}}"
  callback_url    = "http://127.0.0.1:9/fails"
  retry_count     = 0
}
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config:           base,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{slowReadBack}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("status", str("recovering")),
					expect("invalid_reason", str("PullStreamFailed")),
					expect("enabled", knownvalue.Bool(true)),
				},
				Check: a.CheckStatus(emulator.StatusRecovering),
			},
			{
				// retry_count forces a new task, which goes offline at once.
				Config: noRetries,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionDestroyBeforeCreate), slowReadBack,
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("status", str("offline")),
					expect("invalid_reason", str("PullStreamFailed")),
					expect("enabled", knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(a.CheckStatus(emulator.StatusStopped),
					// One list: the destination's tasks before the create; the
					// read-back is a DescribeLivePullToPush of its own.
					a.CheckCalls(map[string]int{"CreateLivePullToPush": 1, "DescribeLivePullToPushList": 1})),
				// The refresh derives enabled = false from the status, so the
				// next plan restarts the task.
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: func() {
					if err := a.Emulator.SetFaults(""); err != nil {
						t.Fatal(err)
					}
					a.Emulator.ResetStats()
				},
				Config: noRetries,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
					alilivetest.ExpectBefore{Attr: "enabled", Want: false},
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("status", str("running")), expect("enabled", knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(a.CheckStatus(emulator.StatusRunning),
					a.CheckCalls(map[string]int{"RestartLivePullToPush": 1}),
					func(*terraform.State) error {
						cb.mu.Lock()
						defer cb.mu.Unlock()
						if len(cb.errs) != 0 {
							return fmt.Errorf("failing tasks from the callback: %v", cb.errs)
						}
						return nil
					}),
			},
		},
	})
}

// planHookErr is a plan check that runs f and fails with its error.
type planHookErr func() error

// CheckPlan implements plancheck.PlanCheck.
func (h planHookErr) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = h()
}

// testAccPullToPushTaskConfig_forEach is five running live relays made with
// for_each, whose callback URLs carry version.
func testAccPullToPushTaskConfig_forEach(a *ptpAcc, version string) string {
	return a.Config(`
resource "alilive_pull_to_push_task" "relay" {
  for_each        = toset(["a", "b", "c", "d", "e"])
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/${each.key}"]
  dst_url         = "{{dst "${each.key}"}}"
  callback_url    = "http://127.0.0.1:9/{{.version}}/${each.key}"
}
`, alilivetest.Vars{"version": version})
}

// TestAccPullToPushTask_forEachReadBackNotFromListing updates five tasks
// at once while the service's listing lags behind writes: every read-back
// comes from DescribeLivePullToPush of its task, so none records the task
// as it was before the update (which Terraform reports as an inconsistent
// result after apply).
func TestAccPullToPushTask_forEachReadBackNotFromListing(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	keys := []string{"a", "b", "c", "d", "e"}
	callbacks := func(version string) []statecheck.StateCheck {
		var checks []statecheck.StateCheck
		for _, k := range keys {
			checks = append(checks, statecheck.ExpectKnownValue(fmt.Sprintf("alilive_pull_to_push_task.relay[%q]", k),
				tfjsonpath.New("callback_url"), str("http://127.0.0.1:9/"+version+"/"+k)))
		}
		return checks
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            testAccPullToPushTaskConfig_forEach(a, "v1"),
				ConfigStateChecks: callbacks("v1"),
			},
			{
				Config: testAccPullToPushTaskConfig_forEach(a, "v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{planHook(func() {
						a.Emulator.SetListLag(time.Hour) // the listing shows no write of this apply
						a.Emulator.ResetStats()
					})},
					// Check (a terraform.State shim) does not support for_each.
					PostApplyPreRefresh: []plancheck.PlanCheck{planHookErr(func() error {
						a.Emulator.SetListLag(0)
						// A change of callback_url alone is sent without a read
						// before it: one read-back per update, and no listing.
						return a.CheckCalls(map[string]int{"UpdateLivePullToPush": 5, "DescribeLivePullToPush": 5,
							"DescribeLivePullToPushList": 0})(nil)
					})},
				},
				ConfigStateChecks: callbacks("v2"),
			},
			{
				// The state shim behind the final destroy does not support
				// for_each: remove the tasks with an apply instead.
				Config: a.Config(""),
				Check:  a.CheckDestroyed,
			},
		},
	})
}
