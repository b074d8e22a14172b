package provider

import (
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// Terraform 1.16 lets an action_trigger say what a failed action does to
// the apply (on_failure = halt, the default; taint; continue). These tests
// restart a relay that cannot run again: its destination host turned URL
// signing on after it started (the emulator checks the ingest key when a
// task starts), so the restart is accepted and the task goes offline at
// once (retry_count = 0), and the action reports "Pull-to-Push Task Not
// Running After Restart". OpenTofu has no actions.

// onFailureVersionChecks skip a test on a CLI without on_failure.
var onFailureVersionChecks = []tfversion.TerraformVersionCheck{
	alilivetest.NotOnOpenTofu(openTofuNoActions), tfversion.SkipBelow(version.Must(version.NewVersion("1.16.0")))}

// testAccRestartActionConfig_onFailure is a running relay, a restart
// action on it, and terraform_data whose update (after_update) or creation
// (after_create) triggers the action with the given on_failure ("" leaves
// it out: halt). Without event, terraform_data is left out.
func testAccRestartActionConfig_onFailure(a *ptpAcc, revision, onFailure, event string) string {
	line := ""
	if onFailure != "" {
		line = "on_failure = " + onFailure
	}
	trigger := ""
	if event != "" {
		trigger = `
resource "terraform_data" "revision" {
  input = {{quote .revision}}

  lifecycle {
    action_trigger {
      events  = [{{.event}}]
      actions = [action.alilive_pull_to_push_task_restart.test]
      {{.line}}
    }
  }
}
`
	}
	return a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/onfail"]
  dst_url         = "rtmp://signed.example.com/live/{{.suffix}}"
  retry_count     = 0
}

action "alilive_pull_to_push_task_restart" "test" {
  config {
    task_id = alilive_pull_to_push_task.test.id
  }
}
`+trigger, alilivetest.Vars{"revision": revision, "line": line, "suffix": a.Suffix, "event": event})
}

// notRunningAfterRestart is the action's error.
var notRunningAfterRestart = []string{"Error: Pull-to-Push Task Not Running After Restart",
	"with action.alilive_pull_to_push_task_restart.test, called from terraform_data.revision",
	"The service accepted RestartLivePullToPush for pull-to-push task",
	`but the task failed at once and went offline (PushStreamFailed) (it has retry_count 0, so it does not retry).`,
	"The service cannot push to dst_url: check the destination, its auth_key and that no other task pushes to it."}

// testAccOnFailure runs the relay (step 1), turns URL signing on for its
// destination and updates terraform_data, which triggers the failing
// restart (step 2, with failing's expectations), then turns signing off
// again and applies once more (step 3, with fixed's plan checks): the
// relay, offline since the failed restart, is restarted by the resource
// because enabled = true, and runs.
func testAccOnFailure(t *testing.T, onFailure, event string, failing resource.TestStep, fixed []plancheck.PlanCheck,
	restarts int) {
	t.Helper()
	a := newPtpAccWith(t, emulator.Options{})
	host := "signed.example.com"
	failing.PreConfig = func() {
		if err := a.Emulator.SetPushAuthKey(host, "ingest-key-"+a.Suffix); err != nil {
			t.Fatal(err)
		}
		a.ResetStats()
	}
	failing.Config = testAccRestartActionConfig_onFailure(a, "2", onFailure, event)
	failing.Check = resource.ComposeTestCheckFunc(a.CheckStatus(emulator.StatusStopped),
		a.CheckCalls(map[string]int{emulator.OpRestart: 1}))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   onFailureVersionChecks,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				// An after_create trigger is added by the failing step.
				Config: testAccRestartActionConfig_onFailure(a, "1", onFailure, map[string]string{
					"after_update": "after_update"}[event]),
				Check: a.CheckStatus(emulator.StatusRunning),
			},
			failing,
			{
				PreConfig: func() {
					if tk := a.LiveTasks(); len(tk) != 1 || tk[0].TaskStatus != emulator.StatusStopped {
						t.Errorf("tasks after the failed restart: %+v, want one offline", tk)
					}
					if n := a.Emulator.Stats().Calls[emulator.OpRestart]; n != 1 {
						t.Errorf("restarts = %d, want 1", n)
					}
					if err := a.Emulator.SetPushAuthKey(host, ""); err != nil {
						t.Fatal(err)
					}
				},
				Config:           testAccRestartActionConfig_onFailure(a, "2", onFailure, event),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: fixed},
				Check: resource.ComposeTestCheckFunc(a.CheckStatus(emulator.StatusRunning),
					a.CheckCalls(map[string]int{emulator.OpRestart: 1 + restarts})),
			},
		},
	})
}

// halt (the default): the apply fails with the action's error, after
// terraform_data's update was recorded. The next plan restarts the
// offline relay through the resource (enabled = true) and leaves
// terraform_data alone.
func TestAccPullToPushTaskRestartAction_onFailureHalt(t *testing.T) {
	t.Parallel()
	testAccOnFailure(t, "", "after_update", resource.TestStep{ExpectError: alilivetest.MsgRegexp(notRunningAfterRestart...)},
		[]plancheck.PlanCheck{
			alilivetest.ExpectBefore{Attr: "status", Want: "offline"},
			plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
			plancheck.ExpectResourceAction("terraform_data.revision", plancheck.ResourceActionNoop),
		}, 1)
}

// continue: the apply succeeds although the restart failed; the relay is
// offline, which the next plan shows and repairs.
func TestAccPullToPushTaskRestartAction_onFailureContinue(t *testing.T) {
	t.Parallel()
	testAccOnFailure(t, "continue", "after_update", resource.TestStep{ExpectNonEmptyPlan: true},
		[]plancheck.PlanCheck{
			alilivetest.ExpectBefore{Attr: "status", Want: "offline"},
			plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
			plancheck.ExpectResourceAction("terraform_data.revision", plancheck.ResourceActionNoop),
		}, 1)
}

// taint taints only a resource the same apply created (after_create):
// after_update it fails the apply like halt. Here terraform_data is
// created with an after_create trigger; the failed restart taints it (the
// relay, which the action only reads, is never tainted), so the next
// apply replaces terraform_data, whose creation restarts the relay again:
// taint makes the restart run again on the next apply.
func TestAccPullToPushTaskRestartAction_onFailureTaint(t *testing.T) {
	t.Parallel()
	testAccOnFailure(t, "taint", "after_create", resource.TestStep{ExpectError: alilivetest.MsgRegexp(notRunningAfterRestart...)},
		[]plancheck.PlanCheck{
			alilivetest.ExpectBefore{Attr: "status", Want: "offline"},
			plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
			plancheck.ExpectResourceAction("terraform_data.revision", plancheck.ResourceActionReplace),
		}, 2)
}

// taint after an update is halt: nothing is tainted, and the next plan
// touches only the offline relay.
func TestAccPullToPushTaskRestartAction_onFailureTaintAfterUpdate(t *testing.T) {
	t.Parallel()
	testAccOnFailure(t, "taint", "after_update", resource.TestStep{ExpectError: alilivetest.MsgRegexp(notRunningAfterRestart...)},
		[]plancheck.PlanCheck{
			alilivetest.ExpectBefore{Attr: "status", Want: "offline"},
			plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
			plancheck.ExpectResourceAction("terraform_data.revision", plancheck.ResourceActionNoop),
		}, 1)
}
