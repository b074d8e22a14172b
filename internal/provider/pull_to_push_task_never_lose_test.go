package provider

// Tests of the update paths that must never lose a relay, orphan a task
// or misreport what happened: a callback-only update of a task that went
// offline, of a task deleted since the plan, a restart whose read-back
// fails after the task moved to a new ID, and an update interrupted after
// the provider stopped the relay.

import (
	"fmt"
	"regexp"
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

// stopTask stops a task out of band, as a task that went offline.
func (a *ptpAcc) stopTask(id string) {
	a.T.Helper()
	st := emulator.StatusStopped
	if err := a.Emulator.PatchTask(id, emulator.TaskPatch{TaskStatus: &st}); err != nil {
		a.T.Fatalf("stopping task %s: %v", id, err)
	}
}

// checkOnlyLiveTask checks that the emulator holds exactly one task that
// has not exited, and that the state names it.
func (a *ptpAcc) checkOnlyLiveTask(s *terraform.State) error {
	id, err := alilivetest.TaskID(s, alilivetest.Resource)
	if err != nil {
		return err
	}
	live := a.LiveTasks()
	if len(live) != 1 || live[0].TaskInfo.TaskId != id {
		ids := make([]string, len(live))
		for i, tk := range live {
			ids[i] = tk.TaskInfo.TaskId
		}
		return fmt.Errorf("the emulator holds live tasks %v, want exactly the state's %s", ids, id)
	}
	return nil
}

// A saved plan that changes only callback_url keeps id known. When the task
// went offline before the apply, the apply must not restart it: under the
// reading where a restart gives the task a new ID, that would be an
// inconsistent result. It records the task as offline; the next plan
// restarts it.
func TestAccPullToPushTask_callbackUpdateOfOfflineTaskKeepsID(t *testing.T) {
	t.Parallel()
	a := newPtpAccWith(t, emulator.Options{Variants: []emulator.Variant{emulator.VariantRestartNewID}})
	base := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/offline-cb/a.mp4", "https://media.example.com/offline-cb/b.flv"]
  dst_url     = "{{dst "offline-cb"}}"
}
`)
	cb := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time   = "{{at "-1m"}}"
  end_time     = "{{at "2h"}}"
  source_type  = "url"
  source_urls  = ["https://media.example.com/offline-cb/a.mp4", "https://media.example.com/offline-cb/b.flv"]
  dst_url      = "{{dst "offline-cb"}}"
  callback_url = "http://127.0.0.1:9/offline-cb"
}
`)
	var id, restarted string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{Config: base, Check: alilivetest.CaptureID(&id)},
			{
				Config: cb,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(alilivetest.Resource, tfjsonpath.New("id"), knownvalue.NotNull()),
					planHook(func() { a.stopTask(id); a.Emulator.ResetStats() }),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("status", str("offline")),
					expect("enabled", knownvalue.Bool(true)),
					expect("callback_url", str("http://127.0.0.1:9/offline-cb")),
				},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error {
						if got, _ := alilivetest.TaskID(s, alilivetest.Resource); got != id {
							return fmt.Errorf("id %s after the apply, want %s", got, id)
						}
						return nil
					},
					a.checkExactCalls(map[string]int{"UpdateLivePullToPush": 1, "DescribeLivePullToPush": 1})),
				ExpectNonEmptyPlan: true,
			},
			{
				// The refresh finds the task offline: the plan restarts it,
				// with id unknown, and the state follows the new ID.
				Config: cb,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					alilivetest.ExpectBefore{Attr: "enabled", Want: false},
					plancheck.ExpectUnknownValue(alilivetest.Resource, tfjsonpath.New("id")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expect("status", str("running"))},
				Check: resource.ComposeTestCheckFunc(alilivetest.CaptureID(&restarted), a.checkOnlyLiveTask,
					func(*terraform.State) error {
						if restarted == id {
							return fmt.Errorf("the restarted task kept its ID %s under restart-new-id", id)
						}
						return nil
					}),
			},
		},
	})
}

// A saved plan that changes only callback_url of a task that was deleted
// before the apply says that the task no longer exists and what the next
// plan does, not that the arguments need correcting.
func TestAccPullToPushTask_callbackUpdateOfDeletedTask(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config: a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/deleted-cb/a.mp4", "https://media.example.com/deleted-cb/b.flv"]
  dst_url     = "{{dst "deleted-cb"}}"
}
`),
				Check: alilivetest.CaptureID(&id),
			},
			{
				Config: a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time   = "{{at "-1m"}}"
  end_time     = "{{at "2h"}}"
  source_type  = "url"
  source_urls  = ["https://media.example.com/deleted-cb/a.mp4", "https://media.example.com/deleted-cb/b.flv"]
  dst_url      = "{{dst "deleted-cb"}}"
  callback_url = "http://127.0.0.1:9/deleted-cb"
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{planHook(func() {
					if err := a.Emulator.DeleteTask(id); err != nil {
						t.Error(err)
					}
				})}},
				ExpectError: alilivetest.MsgRegexp(`Unable to Update Pull-to-Push Task`,
					`The pull-to-push task "`, `" in region "cn-shanghai" no longer exists (`, deletedHow(a),
					`): either it reached its end time and the service deleted it automatically, or it was deleted outside Terraform. It was scheduled to end at `,
					`. Nothing was changed. The next plan removes it from the state; if the configuration still declares it, that plan creates it again (move start_time and end_time into the future for that), or remove the resource block.`),
			},
		},
	})
}

// deletedHow is how an update finds a task deleted since the plan: the
// update answers that no task has the ID, or (exited-visible) the
// read-back shows the task exited.
func deletedHow(a *ptpAcc) string {
	if a.follows(emulator.VariantExitedVisible) {
		return "DescribeLivePullToPush shows it ended: exit reason TriggerByUser"
	}
	return "UpdateLivePullToPush found no task with that ID"
}

// Under the variant where a restart gives the task a new ID, an apply that
// restarts an offline task and then cannot read it back (the read fails,
// or the apply is interrupted) records the new ID: the next plan finds the
// task instead of creating a second one.
func TestAccPullToPushTask_restartNewIDReadBackFails(t *testing.T) {
	t.Parallel()
	a := newPtpAccWith(t, emulator.Options{Variants: []emulator.Variant{emulator.VariantRestartNewID}})
	a.noRetries()
	a.proxy(func(op string) {
		if op == "RestartLivePullToPush" {
			if err := a.Emulator.SetFaults("op=describe,kinds=internal,every=1"); err != nil {
				t.Error(err)
			}
		}
	})
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/newid-unread/a.mp4", "https://media.example.com/newid-unread/b.flv"]
  dst_url     = "{{dst "newid-unread"}}"
}
`)
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{Config: cfg, Check: alilivetest.CaptureID(&id)},
			{
				PreConfig:   func() { a.stopTask(id) },
				Config:      cfg,
				ExpectError: alilivetest.MsgRegexp(`Unable to Read Pull-to-Push Task After Restarting It`, `The service accepted the restart and gave the task the new ID`, `which the state now records; refresh to see the task's status.`),
			},
			{
				PreConfig: func() {
					if err := a.Emulator.SetFaults(""); err != nil {
						t.Error(err)
					}
				},
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					expect("status", str("running")), expect("enabled", knownvalue.Bool(true)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            a.checkOnlyLiveTask,
			},
		},
	})
}

// An update of a running task (stop, update, restart) whose time runs out
// after the stop was accepted restarts the relay anyway, and says that it
// was interrupted; the relay is never left stopped. Each case ends the
// update's timeout at another moment after the stop.
func TestAccPullToPushTask_updateInterruptedAfterStop(t *testing.T) {
	for _, latency := range []string{"2500ms", "3s", "4s"} {
		t.Run(latency, func(t *testing.T) {
			t.Parallel()
			a := newPtpAcc(t, true)
			name := alilivetest.Vars{"name": "stop-" + latency}
			base := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/{{.name}}/a.mp4", "https://media.example.com/{{.name}}/b.flv"]
  dst_url     = "{{dst .name}}"
}
`, name)
			// The same task ending an hour later, with too short a time for
			// the update.
			moved := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "3h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/{{.name}}/a.mp4", "https://media.example.com/{{.name}}/b.flv"]
  dst_url     = "{{dst .name}}"

  timeouts {
    update = "2s"
  }
}
`, name)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             a.CheckDestroyed,
				Steps: []resource.TestStep{
					{Config: base},
					{
						PreConfig: func() {
							if err := a.Emulator.SetFaults("op=stop,kinds=latency,latency=" + latency + ",every=1"); err != nil {
								t.Error(err)
							}
						},
						Config:      moved,
						ExpectError: regexp.MustCompile(`(?s)Pull-to-Push Task Update Interrupted.*The operation was interrupted.*after.*pull-to-push.*task.*had.*been.*stopped.*for.*the.*update;.*the.*update.*was.*not.*applied.*The.*task.*was.*restarted(.*and.*has.*the.*new.*ID.*"[^"]+")?;.*it.*is.*running.*now\.`),
					},
					{
						PreConfig: func() {
							if err := a.Emulator.SetFaults(""); err != nil {
								t.Error(err)
							}
							// Under restart-new-id the restarted task has another ID.
							if live := a.LiveTasks(); len(live) != 1 || live[0].TaskStatus != emulator.StatusRunning {
								t.Errorf("after the interrupted update the emulator holds %+v, want one running task", live)
							}
						},
						Config: moved,
						ConfigStateChecks: []statecheck.StateCheck{
							expect("status", str("running")), expect("end_time", str(a.At(3*time.Hour))),
						},
					},
				},
			})
		})
	}
}
