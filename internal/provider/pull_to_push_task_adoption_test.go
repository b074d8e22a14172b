package provider

import (
	"context"
	"fmt"
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
)

// TestAccPullToPushTask_importConsoleTaskName adopts a console-made task
// whose name the service accepts but older provider rules rejected: 140
// characters with a trailing space. Import keeps it exactly, and the
// configuration that plan -generate-config-out writes plans clean.
func TestAccPullToPushTask_importConsoleTaskName(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	name := strings.Repeat("n", 139) + " "
	id, err := a.Emulator.AddTask("cn-shanghai", emulator.TaskInfo{
		TaskName: name, StartTime: a.At(time.Hour), EndTime: a.At(3 * time.Hour), SourceType: "url",
		SourceUrls: []string{"https://media.example.com/a.mp4"}, DstUrl: a.Dst("name"), RetryCount: 3, RetryInterval: 60,
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  task_name   = {{quote .name}}
  start_time  = "{{at "1h"}}"
  end_time    = "{{at "3h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/a.mp4"]
  dst_url     = "{{dst "name"}}"
}

import {
  to = alilive_pull_to_push_task.test
  id = "{{.id}}"
}
`, alilivetest.Vars{"name": name, "id": id})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("id", str(id)),
					expect("task_name", str(name)),
					expect("status", str("idle")),
				},
			},
			{ResourceName: alilivetest.Resource, ImportState: true, ImportStateVerify: true, ImportStateId: id},
			{ResourceName: alilivetest.Resource, ImportState: true, ImportStateVerify: true, ImportStateId: "cn-shanghai:" + id},
			{
				// The generated configuration holds the name as it is and plans no change.
				ResourceName: alilivetest.Resource, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				GenerateConfig: true, ImportStateId: id,
			},
		},
	})
}

// planHook is a plan check that runs f between plan and apply, to change
// the emulator while a plan is pending.
type planHook func()

// CheckPlan implements plancheck.PlanCheck.
func (h planHook) CheckPlan(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse) {
	h()
}

// serverValuesUnknown are the plan checks of an update: the values the
// service changes by itself are never promised.
func serverValuesUnknown() []plancheck.PlanCheck {
	checks := []plancheck.PlanCheck{plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate)}
	for _, attr := range []string{"status", "invalid_reason", "current_file_index", "current_offset"} {
		checks = append(checks, plancheck.ExpectUnknownValue(alilivetest.Resource, tfjsonpath.New(attr)))
	}
	return checks
}

// TestAccPullToPushTask_statusChangesBeforeApply checks that every update
// plans status, invalid_reason and the playback position as unknown, and
// that an apply whose task changed status by itself after the plan (the
// source failed; the task went offline) succeeds and records what it read.
func TestAccPullToPushTask_statusChangesBeforeApply(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	idSame := statecheck.CompareValue(compare.ValuesSame())
	base := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/keep/a.mp4", "https://media.example.com/keep/b.flv"]
  dst_url     = "{{dst "keep"}}"
}
`)
	// callback is the configuration with a callback URL.
	callback := func(url string) string {
		return a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time   = "{{at "-1m"}}"
  end_time     = "{{at "2h"}}"
  source_type  = "url"
  source_urls  = ["https://media.example.com/keep/a.mp4", "https://media.example.com/keep/b.flv"]
  dst_url      = "{{dst "keep"}}"
  callback_url = "{{.url}}"
}
`, alilivetest.Vars{"url": url})
	}
	cb := callback("http://127.0.0.1:9/keep")
	failed := callback("http://127.0.0.1:9/keep-2")
	recovering := callback("http://127.0.0.1:9/keep-3")
	var id string
	// afterPlan runs f between plan and apply, then zeroes the counters so
	// that a step's Check sees only the apply's calls.
	afterPlan := func(f func() error) plancheck.PlanCheck {
		return planHook(func() {
			if err := f(); err != nil {
				t.Error(err)
			}
			a.Emulator.ResetStats()
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            base,
				Check:             alilivetest.CaptureID(&id),
				ConfigStateChecks: []statecheck.StateCheck{idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id"))},
			},
			{
				// Even a change that neither stops nor restarts the task.
				Config:           cb,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(serverValuesUnknown(), afterPlan(func() error { return nil }))},
				ConfigStateChecks: []statecheck.StateCheck{
					idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")),
					expect("status", str("running")), expect("callback_url", str("http://127.0.0.1:9/keep")),
				},
				Check: a.CheckCalls(map[string]int{"UpdateLivePullToPush": 1, "StopLivePullToPush": 0, "RestartLivePullToPush": 0}),
			},
			{
				// The source fails after the plan: the update is applied and
				// the task's real status is recorded.
				Config: failed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(serverValuesUnknown(), afterPlan(func() error {
					return a.Emulator.FailTask(id, "PullStreamFailed")
				}))},
				ConfigStateChecks: []statecheck.StateCheck{
					idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")),
					expect("status", str("recovering")),
					expect("invalid_reason", str("PullStreamFailed")),
					expect("enabled", knownvalue.Bool(true)),
					expect("callback_url", str("http://127.0.0.1:9/keep-2")),
				},
				Check: resource.ComposeTestCheckFunc(a.CheckStatus(2),
					a.CheckCalls(map[string]int{"UpdateLivePullToPush": 1, "StopLivePullToPush": 0, "RestartLivePullToPush": 0})),
			},
			{
				// The state holds the real values: nothing left to change.
				Config:           failed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("status", str("recovering")), expect("invalid_reason", str("PullStreamFailed")),
				},
			},
			{
				// The retries run out after the plan: the task is offline at
				// apply time. The plan keeps id known, so the apply does not
				// restart the task (a restart may give it a new ID): it
				// records the task as offline, with a warning, and the next
				// plan restarts it.
				Config: recovering,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(serverValuesUnknown(), afterPlan(func() error {
					a.Emulator.Advance(3*60*time.Second + time.Second)
					if tk, _ := a.Emulator.Task(id); tk.TaskStatus != emulator.StatusStopped {
						return fmt.Errorf("emulator TaskStatus after the retries = %d, want 3", tk.TaskStatus)
					}
					return nil
				}))},
				ConfigStateChecks: []statecheck.StateCheck{
					idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")),
					expect("status", str("offline")),
					expect("enabled", knownvalue.Bool(true)),
					expect("callback_url", str("http://127.0.0.1:9/keep-3")),
				},
				Check: resource.ComposeTestCheckFunc(a.CheckStatus(3),
					a.CheckCalls(map[string]int{"UpdateLivePullToPush": 1, "StopLivePullToPush": 0, "RestartLivePullToPush": 0})),
				ExpectNonEmptyPlan: true,
			},
			{
				// The refresh derives enabled = false from the status, and
				// the plan restarts the task (its id may change).
				Config: recovering,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(serverValuesUnknown(),
					alilivetest.ExpectBefore{Attr: "enabled", Want: false},
					plancheck.ExpectUnknownValue(alilivetest.Resource, tfjsonpath.New("id")),
					afterPlan(func() error { return nil }))},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("status", str("running")),
					expect("invalid_reason", knownvalue.Null()),
					expect("enabled", knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(a.CheckStatus(1),
					a.CheckCalls(map[string]int{"UpdateLivePullToPush": 0, "StopLivePullToPush": 0, "RestartLivePullToPush": 1})),
			},
		},
	})
}

// TestAccPullToPushTask_startsBeforeApply checks that an idle task that
// reaches its start time between plan and apply takes a change of
// callback_url and records that it runs.
func TestAccPullToPushTask_startsBeforeApply(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	idle := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "10m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/starts"]
  dst_url         = "{{dst "starts"}}"
}
`)
	cb := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "10m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/starts"]
  dst_url         = "{{dst "starts"}}"
  callback_url    = "http://127.0.0.1:9/starts"
}
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            idle,
				ConfigStateChecks: []statecheck.StateCheck{expect("status", str("idle"))},
			},
			{
				Config: cb,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(serverValuesUnknown(),
					alilivetest.ExpectBefore{Attr: "status", Want: "idle"},
					planHook(func() { a.Emulator.Advance(11 * time.Minute) }))},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("status", str("running")),
					expect("callback_url", str("http://127.0.0.1:9/starts")),
				},
				Check: a.CheckStatus(1),
			},
		},
	})
}

// TestAccPullToPushTask_dstURLConflict checks the advice when dst_url is
// taken: by another task (change dst_url or import it, with its import
// ID), and by the task being replaced under create_before_destroy.
func TestAccPullToPushTask_dstURLConflict(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	console, err := a.Emulator.AddTask("cn-shanghai", emulator.TaskInfo{
		StartTime: a.At(-time.Minute), EndTime: a.At(2 * time.Hour), SourceType: "live", SourceProtocol: "rtmp",
		SourceUrls: []string{"rtmp://origin.example.com/live/other"}, DstUrl: a.Dst("taken"), RetryCount: 3, RetryInterval: 60,
	})
	if err != nil {
		t.Fatal(err)
	}
	cbdAdvice := "If this apply replaces a task of this resource under lifecycle create_before_destroy, the task being " +
		"replaced still holds dst_url: the service allows one live task per destination URL, so create_before_destroy " +
		"works only when dst_url changes too."
	// cbd is a relay replaced with create_before_destroy; extra is one more
	// argument, or "".
	cbd := func(extra string) string {
		return a.Config(`
resource "alilive_pull_to_push_task" "test" {
  {{.extra}}
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/cbdx"]
  dst_url         = "{{dst "cbdx"}}"

  lifecycle {
    create_before_destroy = true
  }
}
`, alilivetest.Vars{"extra": extra})
	}
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := a.Emulator.DeleteTask(console); err != nil {
				return err
			}
			return a.CheckDestroyed(s)
		},
		Steps: []resource.TestStep{
			{
				// Another task (made in the console) pushes to the URL.
				Config: a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/x"]
  dst_url         = "{{dst "taken"}}"
}
`),
				ExpectError: alilivetest.MsgRegexp("Unable to Create Pull-to-Push Task",
					fmt.Sprintf(`The CreateLivePullToPush call (creating a pull-to-push task in region "cn-shanghai") failed because dst_url %q is already used by pull-to-push task %q`, a.Dst("taken"), console),
					"Nothing was recorded in the Terraform state.",
					fmt.Sprintf(`Change dst_url, or adopt that task with an import block or terraform import (ID "cn-shanghai:%s").`, console),
					cbdAdvice),
			},
			{Config: cbd(""), Check: alilivetest.CaptureID(&id)},
			{
				// create_before_destroy with the same dst_url cannot create the new task first.
				Config: cbd(`task_name = "renamed"`),
				ExpectError: alilivetest.MsgRegexp("Unable to Create Pull-to-Push Task",
					fmt.Sprintf(`failed because dst_url %q is already used by pull-to-push task`, a.Dst("cbdx")),
					"Change dst_url, or adopt that task", cbdAdvice),
			},
			{
				// The task being replaced was kept, and nothing else was created.
				Config: cbd(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expect("dst_url", str(a.Dst("cbdx")))},
				Check: resource.ComposeTestCheckFunc(a.CheckTaskCount(2), func(s *terraform.State) error {
					got, err := alilivetest.TaskID(s, alilivetest.Resource)
					if err == nil && got != id {
						err = fmt.Errorf("the state holds task %s, want the original %s", got, id)
					}
					return err
				}),
			},
		},
	})
}

// TestAccPullToPushTasksDataSource_errors checks that errors of the list
// data source say what was being done, not "a new pull-to-push task", and
// give advice that fits the error.
func TestAccPullToPushTasksDataSource_errors(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	wrongSecret := fmt.Sprintf(`
provider "alilive" {
  region      = "cn-beijing"
  endpoint    = %q
  protocol    = "http"
  access_key  = %q
  secret_key  = "not-the-secret"
  max_retries = 0
}
`, a.Emulator.Endpoint(), emulator.DefaultAccessKeyID)
	unreachable := fmt.Sprintf(`
provider "alilive" {
  region      = "cn-shanghai"
  endpoint    = "127.0.0.1:1"
  protocol    = "http"
  access_key  = %q
  secret_key  = %q
  max_retries = 0
}
`, emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret)
	ds := `
data "alilive_pull_to_push_tasks" "all" {}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: wrongSecret + ds,
				ExpectError: alilivetest.MsgRegexp("Unable to List Pull-to-Push Tasks",
					`The DescribeLivePullToPushList call (listing tasks in region "cn-beijing") failed with error code "SignatureDoesNotMatch"`,
					"The access key secret does not belong to the access key ID: check secret_key in the provider block, "+
						"which must be the secret of the key in access_key in the provider block, then try again."),
			},
			{
				Config: unreachable + ds,
				ExpectError: alilivetest.MsgRegexp("Unable to List Pull-to-Push Tasks",
					`The DescribeLivePullToPushList call (listing tasks in region "cn-shanghai") failed without an answer from the service`,
					"127.0.0.1:1"),
			},
		},
	})
}
