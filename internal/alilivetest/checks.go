package alilivetest

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// TaskID reads the ID of a resource from the state.
func TaskID(s *terraform.State, name string) (string, error) {
	rs, ok := s.RootModule().Resources[name]
	if !ok || rs.Primary == nil || rs.Primary.ID == "" {
		return "", fmt.Errorf("%s is not in the state", name)
	}
	return rs.Primary.ID, nil
}

// CaptureID stores the test resource's ID in *id.
func CaptureID(id *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		v, err := TaskID(s, Resource)
		*id = v
		return err
	}
}

// CheckTask runs f on the emulator's copy of the test resource's task (a
// no-op against the real service).
func (a *Env) CheckTask(f func(emulator.Task) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if a.Emulator == nil {
			return nil
		}
		id, err := TaskID(s, Resource)
		if err != nil {
			return err
		}
		t, ok := a.Emulator.Task(id)
		if !ok {
			return fmt.Errorf("the emulator has no task %s", id)
		}
		return f(t)
	}
}

// CheckStatus checks the emulator's TaskStatus of the test resource's task.
func (a *Env) CheckStatus(want int32) resource.TestCheckFunc {
	return a.CheckTask(func(t emulator.Task) error {
		if t.TaskStatus != want {
			return fmt.Errorf("emulator TaskStatus of %s = %d, want %d", t.TaskId, t.TaskStatus, want)
		}
		return nil
	})
}

// LiveTasks are the emulator's tasks that have not ended (a task that
// exited stays visible for a while under the exited-visible variant).
func (a *Env) LiveTasks() []emulator.Task {
	var out []emulator.Task
	for _, t := range a.Emulator.Tasks() {
		if t.TaskStatus != emulator.StatusExited && t.TaskExitReason != emulator.ReasonOverEndTime {
			out = append(out, t)
		}
	}
	return out
}

// CheckTaskCount checks how many tasks the emulator holds that have not ended.
func (a *Env) CheckTaskCount(want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if a.Emulator == nil {
			return nil
		}
		if got := len(a.LiveTasks()); got != want {
			return fmt.Errorf("the emulator holds %d tasks, want %d", got, want)
		}
		return nil
	}
}

// CheckCalls checks the emulator's call counters since the last reset.
func (a *Env) CheckCalls(want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if a.Emulator == nil {
			return nil
		}
		got := a.Emulator.Stats().Calls
		for op, n := range want {
			if got[op] != n {
				return fmt.Errorf("emulator calls of %s = %d, want %d (all calls: %v)", op, got[op], n, got)
			}
		}
		return nil
	}
}

// ResetStats zeroes the emulator's counters (for PreConfig).
func (a *Env) ResetStats() {
	if a.Emulator != nil {
		a.Emulator.ResetStats()
	}
}

// CheckDestroyed is the CheckDestroy of every test: no task is left.
func (a *Env) CheckDestroyed(*terraform.State) error {
	if a.Emulator == nil {
		return nil
	}
	if tasks := a.LiveTasks(); len(tasks) != 0 {
		ids := make([]string, len(tasks))
		for i, t := range tasks {
			ids[i] = t.TaskId
		}
		return fmt.Errorf("tasks left after destroy: %v", ids)
	}
	return nil
}

// MsgRegexp matches the given parts of an error in Terraform's output, in
// order, however Terraform wraps the lines (each line starts with "│").
func MsgRegexp(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `[\s│]+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, `.*`))
}

// ExpectBefore is a plan check on the refreshed value (the plan's "before")
// of an attribute of the test resource.
type ExpectBefore struct {
	Attr string
	Want any
}

// CheckPlan implements plancheck.PlanCheck.
func (c ExpectBefore) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != Resource || rc.Change == nil {
			continue
		}
		before, ok := rc.Change.Before.(map[string]any)
		if !ok {
			resp.Error = fmt.Errorf("%s has no prior value in the plan", Resource)
			return
		}
		if before[c.Attr] != c.Want {
			resp.Error = fmt.Errorf("%s.%s before the plan = %v, want %v", Resource, c.Attr, before[c.Attr], c.Want)
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", Resource)
}
