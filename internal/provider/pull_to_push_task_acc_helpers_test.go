package provider

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// ptpResource is the address every acceptance test gives its task.
const ptpResource = "alilive_pull_to_push_task.test"

// ptpAcc is the set-up of one acceptance test: its own emulator (nil
// with ALILIVE_ACC_REAL=1), the provider block and the test's clock.
type ptpAcc struct {
	t        *testing.T
	e        *emulator.Server
	variants []emulator.Variant // the variants the emulator follows (ALILIVE_EMULATOR_VARIANT)
	provider string
	now      time.Time // the service's time when the test started, whole seconds
	suffix   string    // keeps destination URLs unique across tests
}

// newPtpAcc prepares an acceptance test. needsEmulator skips it in real
// mode; other tests run against the real service there and skip only
// their emulator checks.
func newPtpAcc(t *testing.T, needsEmulator bool) *ptpAcc {
	t.Helper()
	testAccPreCheck(t)
	if testAccRealMode() && !needsEmulator {
		return &ptpAcc{t: t, suffix: acctest.RandString(8), now: time.Now().UTC().Truncate(time.Second)}
	}
	return newPtpAccWith(t, emulator.Options{Variants: testAccVariants(t)})
}

// newPtpAccWith prepares an acceptance test against its own emulator
// started with opts (throttling off unless opts.QPS says otherwise). It is
// skipped in real mode.
func newPtpAccWith(t *testing.T, opts emulator.Options) *ptpAcc {
	t.Helper()
	testAccPreCheck(t)
	if opts.QPS == 0 {
		opts.QPS = -1
	}
	a := &ptpAcc{t: t, suffix: acctest.RandString(8), variants: opts.Variants}
	a.e = testAccEmulator(t, opts)
	a.provider = testAccProviderConfig(a.e)
	a.now = a.e.Now().UTC().Truncate(time.Second)
	return a
}

// at is the test's start time moved by d, in the service's spelling.
func (a *ptpAcc) at(d time.Duration) string {
	return liveapi.FormatTime(a.now.Add(d).UTC())
}

// config joins the provider block and the given blocks.
func (a *ptpAcc) config(blocks ...string) string {
	return a.provider + "\n" + strings.Join(blocks, "\n")
}

// hcl is a resource body: attribute name -> HCL expression.
type hcl map[string]string

// with returns a copy of h with pairs of (name, expression) set; an empty
// expression removes the attribute.
func (h hcl) with(kv ...string) hcl {
	out := hcl{}
	for k, v := range h {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

// block renders a block of the given type and name; a "timeouts" entry is
// written as a nested block body.
func block(kind, typ, name string, h hcl) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q %q {\n", kind, typ, name)
	for _, k := range keys {
		if k == "timeouts" || k == "lifecycle" {
			fmt.Fprintf(&b, "  %s {\n    %s\n  }\n", k, h[k])
			continue
		}
		fmt.Fprintf(&b, "  %s = %s\n", k, h[k])
	}
	b.WriteString("}\n")
	return b.String()
}

// task renders the resource under test.
func task(h hcl) string { return block("resource", "alilive_pull_to_push_task", "test", h) }

// q quotes a string for HCL: escapes, and no template sequences.
func q(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		case (r == '$' || r == '%') && i+1 < len(s) && s[i+1] == '{':
			b.WriteRune(r)
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// list renders a list of strings.
func list(vals ...string) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = q(v)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// live is a running live task (started a minute ago, ends in 2 hours).
func (a *ptpAcc) live(n string) hcl {
	return hcl{
		"start_time":      q(a.at(-time.Minute)),
		"end_time":        q(a.at(2 * time.Hour)),
		"source_type":     q("live"),
		"source_protocol": q("rtmp"),
		"source_urls":     list("rtmp://origin.example.com/live/" + n),
		"dst_url":         q(a.dst(n)),
	}
}

// url is a running url task with a two-file playlist.
func (a *ptpAcc) url(n string) hcl {
	return hcl{
		"start_time":  q(a.at(-time.Minute)),
		"end_time":    q(a.at(2 * time.Hour)),
		"source_type": q("url"),
		"source_urls": list("https://media.example.com/"+n+"/a.mp4", "https://media.example.com/"+n+"/b.flv"),
		"dst_url":     q(a.dst(n)),
	}
}

// dst is a destination URL unique to the test.
func (a *ptpAcc) dst(n string) string {
	return "rtmp://push.example.com/live/" + a.suffix + "-" + n
}

// taskID reads the ID of a resource from the state.
func taskID(s *terraform.State, name string) (string, error) {
	rs, ok := s.RootModule().Resources[name]
	if !ok || rs.Primary == nil || rs.Primary.ID == "" {
		return "", fmt.Errorf("%s is not in the state", name)
	}
	return rs.Primary.ID, nil
}

// captureID stores the test resource's ID in *id.
func captureID(id *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		v, err := taskID(s, ptpResource)
		*id = v
		return err
	}
}

// checkTask runs f on the emulator's copy of the test resource's task (a
// no-op against the real service).
func (a *ptpAcc) checkTask(f func(emulator.Task) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if a.e == nil {
			return nil
		}
		id, err := taskID(s, ptpResource)
		if err != nil {
			return err
		}
		t, ok := a.e.Task(id)
		if !ok {
			return fmt.Errorf("the emulator has no task %s", id)
		}
		return f(t)
	}
}

// checkStatus checks the emulator's TaskStatus of the test resource's task.
func (a *ptpAcc) checkStatus(want int32) resource.TestCheckFunc {
	return a.checkTask(func(t emulator.Task) error {
		if t.TaskStatus != want {
			return fmt.Errorf("emulator TaskStatus of %s = %d, want %d", t.TaskId, t.TaskStatus, want)
		}
		return nil
	})
}

// liveTasks are the emulator's tasks that have not ended (a task that
// exited stays visible for a while under the exited-visible variant).
func (a *ptpAcc) liveTasks() []emulator.Task {
	var out []emulator.Task
	for _, t := range a.e.Tasks() {
		if t.TaskStatus != emulator.StatusExited && t.TaskExitReason != emulator.ReasonOverEndTime {
			out = append(out, t)
		}
	}
	return out
}

// checkTaskCount checks how many tasks the emulator holds that have not ended.
func (a *ptpAcc) checkTaskCount(want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if a.e == nil {
			return nil
		}
		if got := len(a.liveTasks()); got != want {
			return fmt.Errorf("the emulator holds %d tasks, want %d", got, want)
		}
		return nil
	}
}

// checkCalls checks the emulator's call counters since the last reset.
func (a *ptpAcc) checkCalls(want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if a.e == nil {
			return nil
		}
		got := a.e.Stats().Calls
		for op, n := range want {
			if got[op] != n {
				return fmt.Errorf("emulator calls of %s = %d, want %d (all calls: %v)", op, got[op], n, got)
			}
		}
		return nil
	}
}

// resetStats zeroes the emulator's counters (for PreConfig).
func (a *ptpAcc) resetStats() {
	if a.e != nil {
		a.e.ResetStats()
	}
}

// checkDestroyed is the CheckDestroy of every test: no task is left.
func (a *ptpAcc) checkDestroyed(*terraform.State) error {
	if a.e == nil {
		return nil
	}
	if tasks := a.liveTasks(); len(tasks) != 0 {
		ids := make([]string, len(tasks))
		for i, t := range tasks {
			ids[i] = t.TaskId
		}
		return fmt.Errorf("tasks left after destroy: %v", ids)
	}
	return nil
}

// msgRegexp matches the given parts of an error in Terraform's output, in
// order, however Terraform wraps the lines (each line starts with "│").
func msgRegexp(parts ...string) *regexp.Regexp {
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

// expectBefore is a plan check on the refreshed value (the plan's "before")
// of an attribute of the test resource.
type expectBefore struct {
	attr string
	want any
}

// CheckPlan implements plancheck.PlanCheck.
func (c expectBefore) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != ptpResource || rc.Change == nil {
			continue
		}
		before, ok := rc.Change.Before.(map[string]any)
		if !ok {
			resp.Error = fmt.Errorf("%s has no prior value in the plan", ptpResource)
			return
		}
		if before[c.attr] != c.want {
			resp.Error = fmt.Errorf("%s.%s before the plan = %v, want %v", ptpResource, c.attr, before[c.attr], c.want)
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", ptpResource)
}
