package provider

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// testAccDrift creates the task, changes it out of band through the
// emulator (as a console user would), and checks that the next plan shows
// the expected action, that apply converges (the framework then requires
// an empty plan) and that the emulator holds the configured value again.
func testAccDrift(t *testing.T, base func(*ptpAcc) string, patch emulator.TaskPatch,
	action plancheck.ResourceActionType, converged func(*ptpAcc, emulator.Task) error) {
	t.Helper()
	t.Parallel()
	a := newPtpAcc(t, true)
	cfg := base(a)
	var id string
	var cmp compare.ValueComparer = compare.ValuesSame()
	if action != plancheck.ResourceActionUpdate {
		cmp = compare.ValuesDiffer()
	}
	ids := statecheck.CompareValue(cmp)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            cfg,
				Check:             alilivetest.CaptureID(&id),
				ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(alilivetest.Resource, tfjsonpath.New("id"))},
			},
			{
				PreConfig: func() {
					if err := a.Emulator.PatchTask(id, patch); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, action),
				}},
				ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(alilivetest.Resource, tfjsonpath.New("id"))},
				Check: resource.ComposeTestCheckFunc(
					a.CheckTaskCount(1),
					a.CheckTask(func(tk emulator.Task) error { return converged(a, tk) }),
				),
			},
		},
	})
}

func ptr[T any](v T) *T { return &v }

// driftLive, driftIdle and driftURL are the configurations the drift tests
// start from: a live task that runs (driftIdle: that starts in an hour), and
// a url task.
func driftLive(a *ptpAcc) string { return driftLiveFrom(a, "-1m") }

func driftIdle(a *ptpAcc) string { return driftLiveFrom(a, "1h") }

// driftLiveFrom is the live task of the drift tests, starting at start (a
// duration from the test's start time).
func driftLiveFrom(a *ptpAcc, start string) string {
	return a.Config(`
resource "alilive_pull_to_push_task" "test" {
  task_name       = "drift"
  start_time      = "{{at .start}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/drift"]
  dst_url         = "{{dst "drift"}}"
  callback_url    = "http://127.0.0.1:9/drift"
}
`, alilivetest.Vars{"start": start})
}

func driftURL(a *ptpAcc) string {
	return a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time    = "{{at "-1m"}}"
  end_time      = "{{at "2h"}}"
  source_type   = "url"
  source_urls   = ["https://media.example.com/drift/a.mp4", "https://media.example.com/drift/b.flv"]
  dst_url       = "{{dst "drift"}}"
  repeat_number = 1
  file_index    = 1
  offset        = 5
}
`)
}

// want compares a converged value.
func want(name string, got, exp any) error {
	if !reflect.DeepEqual(got, exp) {
		return fmt.Errorf("emulator %s after apply = %v, want %v", name, got, exp)
	}
	return nil
}

func TestAccPullToPushTask_drift_task_name(t *testing.T) {
	testAccDrift(t, driftLive, emulator.TaskPatch{TaskName: ptr("renamed")}, plancheck.ResourceActionDestroyBeforeCreate,
		func(_ *ptpAcc, tk emulator.Task) error { return want("TaskName", tk.TaskInfo.TaskName, "drift") })
}

func TestAccPullToPushTask_drift_start_time(t *testing.T) {
	// A task that has started gets a new task for a new start time.
	testAccDrift(t, driftLive, emulator.TaskPatch{StartTime: ptr(time.Now().Add(-30 * time.Minute))},
		plancheck.ResourceActionDestroyBeforeCreate,
		func(a *ptpAcc, tk emulator.Task) error {
			return want("StartTime", tk.TaskInfo.StartTime, a.At(-time.Minute))
		})
}

func TestAccPullToPushTask_drift_start_time_idle(t *testing.T) {
	// An idle task takes its start time back in place.
	testAccDrift(t, driftIdle, emulator.TaskPatch{StartTime: ptr(time.Now().Add(2 * time.Hour).Truncate(time.Second))},
		plancheck.ResourceActionUpdate,
		func(a *ptpAcc, tk emulator.Task) error {
			return want("StartTime", tk.TaskInfo.StartTime, a.At(time.Hour))
		})
}

func TestAccPullToPushTask_drift_end_time(t *testing.T) {
	testAccDrift(t, driftLive, emulator.TaskPatch{EndTime: ptr(time.Now().Add(5 * time.Hour).Truncate(time.Second))},
		plancheck.ResourceActionUpdate,
		func(a *ptpAcc, tk emulator.Task) error {
			if err := want("EndTime", tk.TaskInfo.EndTime, a.At(2*time.Hour)); err != nil {
				return err
			}
			return want("TaskStatus", tk.TaskStatus, int32(1))
		})
}

func TestAccPullToPushTask_drift_source_type(t *testing.T) {
	testAccDrift(t, driftURL, emulator.TaskPatch{SourceType: ptr("vod"), SourceUrls: []string{"m1", "m2"}},
		plancheck.ResourceActionDestroyBeforeCreate,
		func(_ *ptpAcc, tk emulator.Task) error { return want("SourceType", tk.TaskInfo.SourceType, "url") })
}

func TestAccPullToPushTask_drift_source_protocol(t *testing.T) {
	testAccDrift(t, driftLive, emulator.TaskPatch{SourceProtocol: ptr("srt")}, plancheck.ResourceActionDestroyBeforeCreate,
		func(_ *ptpAcc, tk emulator.Task) error {
			return want("SourceProtocol (case-insensitive)", tk.TaskInfo.SourceProtocol == "rtmp" || tk.TaskInfo.SourceProtocol == "RTMP", true)
		})
}

func TestAccPullToPushTask_drift_source_urls(t *testing.T) {
	testAccDrift(t, driftURL, emulator.TaskPatch{SourceUrls: []string{"https://media.example.com/drift/b.flv", "https://media.example.com/drift/a.mp4"}},
		plancheck.ResourceActionUpdate,
		func(_ *ptpAcc, tk emulator.Task) error {
			return want("SourceUrls", tk.TaskInfo.SourceUrls, []string{"https://media.example.com/drift/a.mp4", "https://media.example.com/drift/b.flv"})
		})
}

func TestAccPullToPushTask_drift_dst_url(t *testing.T) {
	testAccDrift(t, driftLive, emulator.TaskPatch{DstUrl: ptr("rtmp://push.example.com/live/elsewhere")},
		plancheck.ResourceActionDestroyBeforeCreate,
		func(a *ptpAcc, tk emulator.Task) error { return want("DstUrl", tk.TaskInfo.DstUrl, a.Dst("drift")) })
}

func TestAccPullToPushTask_drift_callback_url(t *testing.T) {
	testAccDrift(t, driftLive, emulator.TaskPatch{CallbackURL: ptr("http://127.0.0.1:9/other")}, plancheck.ResourceActionUpdate,
		func(_ *ptpAcc, tk emulator.Task) error {
			return want("CallbackURL", tk.TaskInfo.CallbackURL, "http://127.0.0.1:9/drift")
		})
}

func TestAccPullToPushTask_drift_callback_url_cleared(t *testing.T) {
	testAccDrift(t, driftLive, emulator.TaskPatch{CallbackURL: ptr("")}, plancheck.ResourceActionUpdate,
		func(_ *ptpAcc, tk emulator.Task) error {
			return want("CallbackURL", tk.TaskInfo.CallbackURL, "http://127.0.0.1:9/drift")
		})
}

func TestAccPullToPushTask_drift_callback_url_added(t *testing.T) {
	// The live task of driftLive without a callback.
	testAccDrift(t, func(a *ptpAcc) string {
		return a.Config(`
resource "alilive_pull_to_push_task" "test" {
  task_name       = "drift"
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/drift"]
  dst_url         = "{{dst "drift"}}"
}
`)
	},
		emulator.TaskPatch{CallbackURL: ptr("http://127.0.0.1:9/added")}, plancheck.ResourceActionUpdate,
		func(_ *ptpAcc, tk emulator.Task) error { return want("CallbackURL", tk.TaskInfo.CallbackURL, "") })
}

func TestAccPullToPushTask_drift_repeat_number(t *testing.T) {
	testAccDrift(t, driftURL, emulator.TaskPatch{RepeatNumber: ptr(int32(-1))}, plancheck.ResourceActionUpdate,
		func(_ *ptpAcc, tk emulator.Task) error {
			return want("RepeatNumber", tk.TaskInfo.RepeatNumber, int32(1))
		})
}

func TestAccPullToPushTask_drift_file_index(t *testing.T) {
	testAccDrift(t, driftURL, emulator.TaskPatch{FileIndex: ptr(int32(0))}, plancheck.ResourceActionUpdate,
		func(_ *ptpAcc, tk emulator.Task) error { return want("FileIndex", tk.TaskInfo.FileIndex, int32(1)) })
}

func TestAccPullToPushTask_drift_offset(t *testing.T) {
	testAccDrift(t, driftURL, emulator.TaskPatch{Offset: ptr(int32(99))}, plancheck.ResourceActionUpdate,
		func(_ *ptpAcc, tk emulator.Task) error { return want("Offset", tk.TaskInfo.Offset, int32(5)) })
}

func TestAccPullToPushTask_drift_retry_interval(t *testing.T) {
	testAccDrift(t, driftLive, emulator.TaskPatch{RetryInterval: ptr(int32(120))}, plancheck.ResourceActionDestroyBeforeCreate,
		func(_ *ptpAcc, tk emulator.Task) error {
			return want("RetryInterval", tk.TaskInfo.RetryInterval, int32(60))
		})
}

func TestAccPullToPushTask_drift_retry_count(t *testing.T) {
	testAccDrift(t, driftLive, emulator.TaskPatch{RetryCount: ptr(int32(0))}, plancheck.ResourceActionDestroyBeforeCreate,
		func(_ *ptpAcc, tk emulator.Task) error { return want("RetryCount", tk.TaskInfo.RetryCount, int32(3)) })
}

func TestAccPullToPushTask_drift_enabled(t *testing.T) {
	// Stopped in the console: enabled reads false, apply restarts it.
	testAccDrift(t, driftLive, emulator.TaskPatch{TaskStatus: ptr(int32(3))}, plancheck.ResourceActionUpdate,
		func(_ *ptpAcc, tk emulator.Task) error { return want("TaskStatus", tk.TaskStatus, int32(1)) })
}

func TestAccPullToPushTask_drift_disabled(t *testing.T) {
	// Started in the console while the configuration says enabled = false.
	testAccDrift(t, func(a *ptpAcc) string {
		return a.Config(`
resource "alilive_pull_to_push_task" "test" {
  task_name       = "drift"
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/drift"]
  dst_url         = "{{dst "drift"}}"
  callback_url    = "http://127.0.0.1:9/drift"
  enabled         = false
}
`)
	},
		emulator.TaskPatch{TaskStatus: ptr(int32(1))}, plancheck.ResourceActionUpdate,
		func(_ *ptpAcc, tk emulator.Task) error { return want("TaskStatus", tk.TaskStatus, int32(3)) })
}
