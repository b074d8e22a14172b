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
	id, err := a.e.AddTask("cn-shanghai", emulator.TaskInfo{
		TaskName: name, StartTime: a.at(time.Hour), EndTime: a.at(3 * time.Hour), SourceType: "url",
		SourceUrls: []string{"https://media.example.com/a.mp4"}, DstUrl: a.dst("name"), RetryCount: 3, RetryInterval: 60,
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg := hcl{
		"task_name":   q(name),
		"start_time":  q(a.at(time.Hour)),
		"end_time":    q(a.at(3 * time.Hour)),
		"source_type": q("url"),
		"source_urls": list("https://media.example.com/a.mp4"),
		"dst_url":     q(a.dst("name")),
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config: a.config(task(cfg), fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", ptpResource, id)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(ptpResource, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("id", str(id)),
					expect("task_name", str(name)),
					expect("status", str("idle")),
				},
			},
			{ResourceName: ptpResource, ImportState: true, ImportStateVerify: true, ImportStateId: id},
			{ResourceName: ptpResource, ImportState: true, ImportStateVerify: true, ImportStateId: "cn-shanghai:" + id},
			{
				// The generated configuration holds the name as it is and plans no change.
				ResourceName: ptpResource, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
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

// TestAccPullToPushTask_inPlacePlanKeepsStatus checks that a change of only
// callback_url or repeat_number plans status and invalid_reason at their
// refreshed values (the playback position stays unknown), that other
// updates and recovering tasks plan them unknown, and that a status the
// service changes between plan and apply is recorded with a clear error.
func TestAccPullToPushTask_inPlacePlanKeepsStatus(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	idSame := statecheck.CompareValue(compare.ValuesSame())
	base := a.url("keep")
	cb := base.with("callback_url", q("http://127.0.0.1:9/keep"))
	rep := cb.with("repeat_number", "-1")
	both := rep.with("callback_url", q("http://127.0.0.1:9/keep-2"), "repeat_number", "4")
	end := both.with("end_time", q(a.at(3*time.Hour)))
	failed := end.with("callback_url", q("http://127.0.0.1:9/keep-3"))
	kept := func() []plancheck.PlanCheck {
		return []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(ptpResource, plancheck.ResourceActionUpdate),
			plancheck.ExpectKnownValue(ptpResource, tfjsonpath.New("status"), knownvalue.StringExact("running")),
			plancheck.ExpectKnownValue(ptpResource, tfjsonpath.New("invalid_reason"), knownvalue.Null()),
			plancheck.ExpectUnknownValue(ptpResource, tfjsonpath.New("current_file_index")),
			plancheck.ExpectUnknownValue(ptpResource, tfjsonpath.New("current_offset")),
		}
	}
	direct := map[string]int{"UpdateLivePullToPush": 1, "StopLivePullToPush": 0, "RestartLivePullToPush": 0}
	step := func(cfg hcl, checks ...statecheck.StateCheck) resource.TestStep {
		return resource.TestStep{
			PreConfig:         a.resetStats,
			Config:            a.config(task(cfg)),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: kept()},
			ConfigStateChecks: append(checks, idSame.AddStateValue(ptpResource, tfjsonpath.New("id")), expect("status", str("running"))),
			Check:             a.checkCalls(direct),
		}
	}
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            a.config(task(base)),
				Check:             captureID(&id),
				ConfigStateChecks: []statecheck.StateCheck{idSame.AddStateValue(ptpResource, tfjsonpath.New("id"))},
			},
			step(cb, expect("callback_url", str("http://127.0.0.1:9/keep"))),
			step(rep, expect("repeat_number", num(-1))),
			step(both, expect("callback_url", str("http://127.0.0.1:9/keep-2")), expect("repeat_number", num(4))),
			step(base, expect("callback_url", knownvalue.Null()), expect("repeat_number", num(0))),
			{
				// An update that stops and restarts the task plans its status unknown.
				Config: a.config(task(end)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(ptpResource, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(ptpResource, tfjsonpath.New("status")),
					plancheck.ExpectUnknownValue(ptpResource, tfjsonpath.New("invalid_reason")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expect("status", str("running"))},
			},
			{
				// The source fails after the plan: the update is applied, the
				// real status is recorded and the error says what happened.
				Config: a.config(task(failed)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(kept(), planHook(func() {
					if err := a.e.FailTask(id, "PullStreamFailed"); err != nil {
						t.Error(err)
					}
				}))},
				ExpectError: msgRegexp("Pull-to-Push Task Changed Status During Apply",
					`The update of pull-to-push task`,
					`was applied, but between plan and apply the service changed the task by itself from status "running" (invalid_reason none) to status "recovering" (invalid_reason "PullStreamFailed").`,
					"The state now records the task as it is; run terraform plan to review it."),
			},
			{
				// The state holds the real values: nothing left to change.
				Config: a.config(task(failed)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("status", str("recovering")),
					expect("invalid_reason", str("PullStreamFailed")),
					expect("callback_url", str("http://127.0.0.1:9/keep-3")),
				},
			},
			{
				// A recovering task changes status soon by itself: not kept.
				Config: a.config(task(failed.with("callback_url", q("http://127.0.0.1:9/keep-4")))),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(ptpResource, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(ptpResource, tfjsonpath.New("status")),
					plancheck.ExpectUnknownValue(ptpResource, tfjsonpath.New("invalid_reason")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("status", str("recovering")),
					expect("callback_url", str("http://127.0.0.1:9/keep-4")),
				},
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
	console, err := a.e.AddTask("cn-shanghai", emulator.TaskInfo{
		StartTime: a.at(-time.Minute), EndTime: a.at(2 * time.Hour), SourceType: "live", SourceProtocol: "rtmp",
		SourceUrls: []string{"rtmp://origin.example.com/live/other"}, DstUrl: a.dst("taken"), RetryCount: 3, RetryInterval: 60,
	})
	if err != nil {
		t.Fatal(err)
	}
	cbdAdvice := "If this apply replaces a task of this resource under lifecycle create_before_destroy, the task being " +
		"replaced still holds dst_url: the service allows one live task per destination URL, so create_before_destroy " +
		"works only when dst_url changes too."
	cbd := a.live("cbdx").with("lifecycle", "create_before_destroy = true")
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := a.e.DeleteTask(console); err != nil {
				return err
			}
			return a.checkDestroyed(s)
		},
		Steps: []resource.TestStep{
			{
				// Another task (made in the console) pushes to the URL.
				Config: a.config(task(a.live("x").with("dst_url", q(a.dst("taken"))))),
				ExpectError: msgRegexp("Unable to Create Pull-to-Push Task",
					fmt.Sprintf(`The CreateLivePullToPush call (creating a pull-to-push task in region "cn-shanghai") failed because dst_url %q is already used by pull-to-push task %q`, a.dst("taken"), console),
					"Nothing was recorded in the Terraform state.",
					fmt.Sprintf(`Change dst_url, or adopt that task with an import block or terraform import (ID "cn-shanghai:%s").`, console),
					cbdAdvice),
			},
			{Config: a.config(task(cbd)), Check: captureID(&id)},
			{
				// create_before_destroy with the same dst_url cannot create the new task first.
				Config: a.config(task(cbd.with("task_name", q("renamed")))),
				ExpectError: msgRegexp("Unable to Create Pull-to-Push Task",
					fmt.Sprintf(`failed because dst_url %q is already used by pull-to-push task`, a.dst("cbdx")),
					"Change dst_url, or adopt that task", cbdAdvice),
			},
			{
				// The task being replaced was kept, and nothing else was created.
				Config: a.config(task(cbd)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expect("dst_url", str(a.dst("cbdx")))},
				Check: resource.ComposeTestCheckFunc(a.checkTaskCount(2), func(s *terraform.State) error {
					got, err := taskID(s, ptpResource)
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
`, a.e.Endpoint(), emulator.DefaultAccessKeyID)
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
	ds := block("data", "alilive_pull_to_push_tasks", "all", hcl{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: wrongSecret + ds,
				ExpectError: msgRegexp("Unable to List Pull-to-Push Tasks",
					`The DescribeLivePullToPushList call (listing tasks in region "cn-beijing") failed with error code "SignatureDoesNotMatch"`,
					"Correct the cause (credentials, permissions) and try again."),
			},
			{
				Config: unreachable + ds,
				ExpectError: msgRegexp("Unable to List Pull-to-Push Tasks",
					`The DescribeLivePullToPushList call (listing tasks in region "cn-shanghai") failed without an answer from the service`,
					"127.0.0.1:1"),
			},
		},
	})
}
