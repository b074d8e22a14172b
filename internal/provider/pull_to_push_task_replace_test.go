package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// A replacement under create_before_destroy of a task whose arguments do
// not change (a tainted resource, terraform apply -replace) whose first
// create gets no clear answer never adopts the task it replaces: Terraform
// would then destroy that task as the deposed object and no relay would
// be left. Under the strict reading (one live task per destination) the
// create fails and names the task that holds the destination, which keeps
// running; where the service takes a second task on the destination, the
// repeat creates the new task and the old one is destroyed.
func TestAccPullToPushTask_replaceBeforeDestroyNeverAdoptsOld(t *testing.T) {
	for _, c := range []struct {
		name     string
		variants []emulator.Variant
		fault    string
	}{
		{"strict/internal", nil, "internal"},
		{"strict/drop", nil, "drop"},
		{"dst-conflict-at-runtime/internal", []emulator.Variant{emulator.VariantDstConflictAtRuntime}, "internal"},
		{"dst-conflict-at-runtime/drop", []emulator.Variant{emulator.VariantDstConflictAtRuntime}, "drop"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a := newPtpAccWith(t, emulator.Options{Variants: c.variants})
			cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/cbd/a.mp4", "https://media.example.com/cbd/b.flv"]
  dst_url     = "{{dst "cbd"}}"

  lifecycle {
    create_before_destroy = true
  }
}
`)
			var old, replaced string
			faultOnce := func() {
				if err := a.Emulator.SetFaults("op=create,kinds=" + c.fault + ",nth=1"); err != nil {
					t.Error(err)
				}
			}
			stillThere := func(*terraform.State) error {
				if tk, ok := a.Emulator.Task(old); !ok || tk.TaskStatus != emulator.StatusRunning {
					return fmt.Errorf("the task being replaced, %s, is gone or not running (%+v)", old, tk)
				}
				return nil
			}
			steps := []resource.TestStep{{Config: cfg, Check: alilivetest.CaptureID(&old)}}
			if c.variants == nil {
				steps = append(steps, resource.TestStep{
					PreConfig: faultOnce, Config: cfg, Taint: []string{alilivetest.Resource},
					ExpectError: alilivetest.MsgRegexp(`Unable to Create Pull-to-Push Task`, `is already used by pull-to-push task`,
						`That task has exactly this configuration`),
				}, resource.TestStep{
					// The relay still runs: the state still names it (tainted).
					PreConfig: func() {
						if err := stillThere(nil); err != nil {
							t.Error(err)
						}
						_ = a.Emulator.SetFaults("")
					},
					Config: a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/cbd/a.mp4", "https://media.example.com/cbd/b.flv"]
  dst_url     = "{{dst "cbd"}}"
}
`),
					Check: resource.ComposeTestCheckFunc(alilivetest.CaptureID(&replaced), a.checkOnlyLiveTask),
				})
			} else {
				steps = append(steps, resource.TestStep{
					PreConfig: faultOnce, Config: cfg, Taint: []string{alilivetest.Resource},
					Check: resource.ComposeTestCheckFunc(alilivetest.CaptureID(&replaced), a.checkOnlyLiveTask,
						func(*terraform.State) error {
							if replaced == old {
								return fmt.Errorf("the replacement adopted the task it replaced (%s)", old)
							}
							return nil
						}),
				})
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             a.CheckDestroyed,
				Steps:                    steps,
			})
		})
	}
}
