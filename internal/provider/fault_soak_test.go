package provider

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// soakTasks is how many relays the fault soak schedules per seed.
const soakTasks = 50

// TestAccPullToPushTask_faultSoak applies and destroys 50 tasks while the
// emulator answers 30% of all calls of every operation with a fault (500,
// 503, throttling, added latency, or commit-then-drop: the change is made and
// the connection is closed without an answer). Terraform must exit 0; after
// apply the emulator must hold exactly the tasks in the state, with the
// configured settings (no duplicate from an ambiguous create, none orphaned);
// after destroy it must hold none.
func TestAccPullToPushTask_faultSoak(t *testing.T) {
	for _, seed := range []int{7, 11, 23} {
		t.Run(fmt.Sprintf("seed_%d", seed), func(t *testing.T) {
			t.Parallel()
			e := alilivetest.StartEmulator(t, emulator.Options{QPS: -1, MaxTasks: -1})
			if err := e.SetFaults(fmt.Sprintf("rate=0.3,seed=%d", seed)); err != nil {
				t.Fatalf("SetFaults: %v", err)
			}
			cfg := testAccSoakConfig(e, e.Now().Add(2*time.Hour))
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy: func(*terraform.State) error {
					if n := len(e.Tasks()); n != 0 {
						return fmt.Errorf("the emulator still holds %d tasks after destroy", n)
					}
					return nil
				},
				Steps: []resource.TestStep{{
					Config: cfg,
					Check:  testAccCheckEmulatorMatchesState(e),
				}},
			})
			if st := e.Stats(); st.TotalCalls() == 0 || sumCounts(st.Errors) == 0 {
				t.Fatalf("the soak saw no faults (calls %d, errors %v): the test proved nothing", st.TotalCalls(), st.Errors)
			}
		})
	}
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func testAccSoakConfig(e *emulator.Server, start time.Time) string {
	start = start.UTC().Truncate(time.Second)
	return testAccProviderConfigWith(e, "  rate_limit  = 0\n  max_retries = 20\n") + fmt.Sprintf(`
resource "alilive_pull_to_push_task" "soak" {
  count          = %d
  task_name      = "soak-${count.index}"
  start_time     = %q
  end_time       = %q
  source_type    = "url"
  source_urls    = ["http://media.example.com/soak/${count.index}/a.mp4", "http://media.example.com/soak/${count.index}/b.mp4"]
  dst_url        = "rtmp://push.example.com/soak/${count.index}"
  repeat_number  = -1
  retry_interval = 120
}
`, soakTasks, start.Format(time.RFC3339), start.Add(3*time.Hour).Format(time.RFC3339))
}

// testAccCheckEmulatorMatchesState asserts that the emulator holds exactly
// the tasks in the state, with the configured settings.
func testAccCheckEmulatorMatchesState(e *emulator.Server) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		inState := map[string]*terraform.InstanceState{}
		for _, rs := range s.RootModule().Resources {
			if rs.Type == "alilive_pull_to_push_task" {
				inState[rs.Primary.ID] = rs.Primary
			}
		}
		tasks := e.Tasks()
		var problems []string
		seen := map[string]bool{}
		for _, task := range tasks {
			seen[task.TaskId] = true
			is, ok := inState[task.TaskId]
			if !ok {
				problems = append(problems, fmt.Sprintf("task %s (%s, %s) is in the emulator but not in the state", task.TaskId, task.TaskInfo.TaskName, task.TaskInfo.DstUrl))
				continue
			}
			want := map[string]string{
				"task_name":      task.TaskInfo.TaskName,
				"dst_url":        task.TaskInfo.DstUrl,
				"source_type":    task.TaskInfo.SourceType,
				"repeat_number":  fmt.Sprint(task.TaskInfo.RepeatNumber),
				"retry_interval": fmt.Sprint(task.TaskInfo.RetryInterval),
				"source_urls.#":  fmt.Sprint(len(task.TaskInfo.SourceUrls)),
			}
			for i, u := range task.TaskInfo.SourceUrls {
				want[fmt.Sprintf("source_urls.%d", i)] = u
			}
			for k, v := range want {
				if got := is.Attributes[k]; got != v {
					problems = append(problems, fmt.Sprintf("task %s: state %s = %q, emulator %q", task.TaskId, k, got, v))
				}
			}
			idx := strings.TrimPrefix(task.TaskInfo.TaskName, "soak-")
			if task.TaskInfo.DstUrl != "rtmp://push.example.com/soak/"+idx || task.TaskInfo.RepeatNumber != -1 || task.TaskInfo.RetryInterval != 120 {
				problems = append(problems, fmt.Sprintf("task %s does not carry the configured settings: %+v", task.TaskId, task.TaskInfo))
			}
		}
		for id := range inState {
			if !seen[id] {
				problems = append(problems, fmt.Sprintf("task %s is in the state but not in the emulator", id))
			}
		}
		if len(tasks) != soakTasks || len(inState) != soakTasks {
			problems = append(problems, fmt.Sprintf("want %d tasks, the emulator holds %d and the state %d", soakTasks, len(tasks), len(inState)))
		}
		if len(problems) > 0 {
			sort.Strings(problems)
			return fmt.Errorf("emulator and state disagree:\n%s", strings.Join(problems, "\n"))
		}
		return nil
	}
}

// testAccProviderConfigWith is testAccProviderConfig with extra provider
// arguments (each line indented by two spaces) added to the block.
func testAccProviderConfigWith(e *emulator.Server, extra string) string {
	cfg := alilivetest.ProviderBlock(e)
	if cfg == "" {
		return fmt.Sprintf("provider \"alilive\" {\n%s}\n", extra)
	}
	i := strings.LastIndex(cfg, "}")
	return cfg[:i] + extra + cfg[i:]
}
