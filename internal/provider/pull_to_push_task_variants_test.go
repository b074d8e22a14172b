package provider

// One acceptance test per variant of the service's documentation whose
// handling the provider pins (the emulator follows that variant whatever
// ALILIVE_EMULATOR_VARIANT says). The lifecycle tests show convergence
// under every variant; these pin what a user sees. Like the lifecycle
// tests they run only when ALILIVE_EMULATOR_VARIANT is set: make
// test-variants runs them once, with all (CI runs make test-variants-all),
// which keeps make test within its budget.

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// variantAcc prepares a test against an emulator that follows the variants.
func variantAcc(t *testing.T, vs ...emulator.Variant) *ptpAcc {
	t.Helper()
	return variantAccWith(t, emulator.Options{Variants: vs})
}

// variantAccWith prepares a test against an emulator started with opts, or
// skips it when ALILIVE_EMULATOR_VARIANT is not set.
func variantAccWith(t *testing.T, opts emulator.Options) *ptpAcc {
	t.Helper()
	if _, set := os.LookupEnv(alilivetest.EnvVariant); !set {
		t.Skipf("runs under make test-variants (%s set)", alilivetest.EnvVariant)
	}
	return newPtpAccWith(t, opts)
}

// proxy puts a server in front of the emulator that calls hook with each
// API request's operation before the emulator answers it, and points the
// provider at it.
func (a *ptpAcc) proxy(hook func(op string)) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if op := r.Header.Get("x-acs-action"); op != "" {
			hook(op)
		}
		a.Emulator.ServeHTTP(w, r)
	}))
	a.T.Cleanup(srv.Close)
	a.Provider = strings.Replace(a.Provider, a.Emulator.Endpoint(), strings.TrimPrefix(srv.URL, "http://"), 1)
}

func TestAccPullToPushTaskVariant_exitedVisible(t *testing.T) {
	t.Parallel()
	a := variantAcc(t, emulator.VariantExitedVisible)
	var first, second string
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/exited"]
  dst_url         = "{{dst "exited"}}"
}
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			// Destroyed, the task stays visible as exited.
			if tk, ok := a.Emulator.Task(second); !ok || tk.TaskStatus != -1 || tk.TaskExitReason != "TriggerByUser" {
				return fmt.Errorf("after destroy the emulator shows %+v, want task %s exited with TriggerByUser", tk, second)
			}
			return a.CheckDestroyed(s)
		},
		Steps: []resource.TestStep{
			{Config: cfg, Check: resource.ComposeTestCheckFunc(alilivetest.CaptureID(&first), a.checkService())},
			{
				// Deleted elsewhere: the service shows it with status -1; the
				// refresh removes it and the plan creates the task again.
				PreConfig: func() {
					if err := a.Emulator.DeleteTask(first); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionCreate),
				}},
			},
			{
				// Its destination is free again.
				Config: cfg,
				Check: resource.ComposeTestCheckFunc(alilivetest.CaptureID(&second), a.checkService(), func(*terraform.State) error {
					if tk, ok := a.Emulator.Task(first); !ok || tk.TaskStatus != -1 {
						return fmt.Errorf("the deleted task %s is not shown as exited: %+v", first, tk)
					}
					return nil
				}),
			},
		},
	})
}

// TestAccPullToPushTaskVariant_updateIgnored: the task is restarted in the
// console between the provider's read and its update, and the service
// accepts the update of a running task without applying it. The provider
// sees it in the read-back, stops the task, updates it again, and leaves
// it stopped as configured: one apply converges.
func TestAccPullToPushTaskVariant_updateIgnored(t *testing.T) {
	t.Parallel()
	a := variantAcc(t, emulator.VariantUpdateIgnored)
	var id string
	var once sync.Once
	var armed atomic.Bool
	a.proxy(func(op string) {
		if op == "UpdateLivePullToPush" && armed.Load() {
			once.Do(func() {
				running := emulator.StatusRunning
				if err := a.Emulator.PatchTask(id, emulator.TaskPatch{TaskStatus: &running}); err != nil {
					t.Error(err)
				}
			})
		}
	})
	// A stopped url task; the second step moves its end time.
	off := `
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at .end}}"
  source_type = "url"
  source_urls = ["https://media.example.com/ign/a.mp4", "https://media.example.com/ign/b.flv"]
  dst_url     = "{{dst "ign"}}"
  enabled     = false
}
`
	a.test(
		resource.TestStep{
			Config: a.Config(off, alilivetest.Vars{"end": "2h"}),
			Check:  resource.ComposeTestCheckFunc(alilivetest.CaptureID(&id), a.CheckStatus(3)),
		},
		resource.TestStep{
			PreConfig: func() { armed.Store(true); a.ResetStats() },
			Config:    a.Config(off, alilivetest.Vars{"end": "3h"}),
			ConfigStateChecks: []statecheck.StateCheck{
				expect("end_time", str(a.At(3*time.Hour))),
				expect("status", str("offline")),
				expect("enabled", knownvalue.Bool(false)),
			},
			Check: resource.ComposeTestCheckFunc(a.checkService(), a.CheckStatus(3),
				a.CheckCalls(map[string]int{"UpdateLivePullToPush": 2, "StopLivePullToPush": 1, "RestartLivePullToPush": 0})),
		},
	)
}

func TestAccPullToPushTaskVariant_callbackUnclearable(t *testing.T) {
	t.Parallel()
	a := variantAcc(t, emulator.VariantCallbackUnclearable)
	idDiffers := statecheck.CompareValue(compare.ValuesDiffer())
	steps := []resource.TestStep{{
		Config: a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/cb"]
  dst_url         = "{{dst "cb"}}"
  callback_url    = "http://127.0.0.1:9/cb-2"
}
`),
		ConfigStateChecks: []statecheck.StateCheck{idDiffers.AddStateValue(alilivetest.Resource, tfjsonpath.New("id"))},
	}}
	steps = append(steps, a.removeCallbackSteps(a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/cb"]
  dst_url         = "{{dst "cb"}}"
}
`), "running")...)
	// Clearing a callback does not stop the task, and is not repeated with
	// a stop and restart: a running task takes callback changes.
	steps[1].PreConfig = a.ResetStats
	steps[2].PreConfig = func() {
		if c := a.Emulator.Stats().Calls; c["UpdateLivePullToPush"] != 1 || c["StopLivePullToPush"] != 0 || c["RestartLivePullToPush"] != 0 {
			t.Fatalf("calls while clearing the callback: %v, want one Update and no Stop or Restart", c)
		}
	}
	steps[2].ConfigStateChecks = append(steps[2].ConfigStateChecks, idDiffers.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")))
	a.test(steps...)
}

// TestAccPullToPushTaskVariant_dstConflictAtRuntime: the service accepts
// a second task on a destination in use. A create whose answer is lost is
// still adopted, not repeated; a task created on a destination another
// task pushes to fails with PushStreamFailed until that one stops.
func TestAccPullToPushTaskVariant_dstConflictAtRuntime(t *testing.T) {
	t.Parallel()
	a := variantAccWith(t, emulator.Options{Faults: "op=create,kinds=drop,nth=1",
		Variants: []emulator.Variant{emulator.VariantDstConflictAtRuntime}})
	console, err := a.Emulator.AddTask("cn-shanghai", emulator.TaskInfo{
		StartTime: a.At(-time.Minute), EndTime: a.At(2 * time.Hour), SourceType: "live", SourceProtocol: "rtmp",
		SourceUrls: []string{"rtmp://origin.example.com/live/other"}, DstUrl: a.Dst("taken"), RetryCount: 3, RetryInterval: 60,
	})
	if err != nil {
		t.Fatal(err)
	}
	// A live task whose source and destination carry .name; the console's
	// task above pushes to the destination of "taken".
	live := `
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/{{.name}}"]
  dst_url         = "{{dst .name}}"
}
`
	taken := a.Config(live, alilivetest.Vars{"name": "taken"})
	a.test(
		resource.TestStep{
			Config: a.Config(live, alilivetest.Vars{"name": "amb"}),
			Check: resource.ComposeTestCheckFunc(a.CheckTaskCount(2),
				a.CheckCalls(map[string]int{"CreateLivePullToPush": 1, "DeleteLivePullToPush": 0})),
		},
		resource.TestStep{
			Config: taken,
			ConfigStateChecks: []statecheck.StateCheck{
				expect("status", str("recovering")), expect("invalid_reason", str("PushStreamFailed")),
			},
		},
		resource.TestStep{
			// The other task stops: the next retry relays.
			PreConfig: func() {
				if err := a.Emulator.DeleteTask(console); err != nil {
					t.Fatal(err)
				}
				a.Emulator.Advance(time.Minute)
			},
			Config:            taken,
			ConfigStateChecks: []statecheck.StateCheck{expect("status", str("running")), expect("invalid_reason", knownvalue.Null())},
			Check:             a.checkService(),
		},
	)
}

// TestAccPullToPushTaskVariant_restartNewID: every restart moves the task
// to a new ID, and the state follows it; the plan of an update that may
// restart the task shows id as known after apply.
func TestAccPullToPushTaskVariant_restartNewID(t *testing.T) {
	t.Parallel()
	a := variantAcc(t, emulator.VariantRestartNewID)
	ids := statecheck.CompareValue(compare.ValuesDiffer())
	idSame := statecheck.CompareValue(compare.ValuesSame())
	// The url task, running, ending at .end.
	on := `
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at .end}}"
  source_type = "url"
  source_urls = ["https://media.example.com/newid/a.mp4", "https://media.example.com/newid/b.flv"]
  dst_url     = "{{dst "newid"}}"
}
`
	restarting := func(cfg string, check statecheckCompare) resource.TestStep {
		return resource.TestStep{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
				plancheck.ExpectUnknownValue(alilivetest.Resource, tfjsonpath.New("id")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{check.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")), expect("status", str("running"))},
			Check:             resource.ComposeTestCheckFunc(a.checkService(), a.CheckTaskCount(1)),
		}
	}
	a.test(
		resource.TestStep{
			Config: a.Config(on, alilivetest.Vars{"end": "2h"}),
			ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")),
				idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id"))},
		},
		resource.TestStep{
			// A stop keeps the ID.
			Config: a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/newid/a.mp4", "https://media.example.com/newid/b.flv"]
  dst_url     = "{{dst "newid"}}"
  enabled     = false
}
`),
			ConfigStateChecks: []statecheck.StateCheck{idSame.AddStateValue(alilivetest.Resource, tfjsonpath.New("id")),
				expect("status", str("offline"))},
		},
		restarting(a.Config(on, alilivetest.Vars{"end": "2h"}), ids),
		restarting(a.Config(on, alilivetest.Vars{"end": "3h"}), ids),
		resource.TestStep{
			// A change that does not restart the task plans the ID it has.
			Config: a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time    = "{{at "-1m"}}"
  end_time      = "{{at "3h"}}"
  source_type   = "url"
  source_urls   = ["https://media.example.com/newid/a.mp4", "https://media.example.com/newid/b.flv"]
  dst_url       = "{{dst "newid"}}"
  repeat_number = 2
}
`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(alilivetest.Resource, tfjsonpath.New("id"), knownvalue.NotNull()),
			}},
			Check: a.checkService(),
		},
	)
}

// TestAccPullToPushTaskVariant_stopIdleNoop: the service accepts a stop of
// a task that has not started without stopping it. Here the service's
// clock runs ten minutes behind the provider's, so a task created with
// enabled = false and a start time a minute ago has not started there.
func TestAccPullToPushTaskVariant_stopIdleNoop(t *testing.T) {
	t.Parallel()
	a := variantAccWith(t, emulator.Options{Now: func() time.Time { return time.Now().Add(-10 * time.Minute) },
		Variants: []emulator.Variant{emulator.VariantStopIdleNoop}})
	now := time.Now().UTC().Truncate(time.Second)
	start := liveapi.FormatTime(now.Add(-time.Minute))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{{
			Config: a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{.start}}"
  end_time        = "{{.end}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/idle"]
  dst_url         = "{{dst "idle"}}"
  enabled         = false
}
`, alilivetest.Vars{"start": start, "end": liveapi.FormatTime(now.Add(time.Hour))}),
			ExpectError: alilivetest.MsgRegexp("Unable to Stop Pull-to-Push Task", "The StopLivePullToPush call (stopping pull-to-push task",
				`in region "cn-shanghai") was accepted, but: The service accepted StopLivePullToPush for pull-to-push task`,
				"but the task is still idle: the service cannot stop a task before its start_time ("+
					start+") and ignored the request. Set enabled = true until the task has "+
					"started, then set it to false.", "The task was created with enabled = false but could not be stopped; it is "+
					"kept in the state as tainted and the next apply replaces it."),
		}},
	})
}

// TestAccPullToPushTaskVariant_async: starts, stops and restarts show a
// second late. The provider waits for them, so each apply records the
// status it asked for, and the next plan is empty.
func TestAccPullToPushTaskVariant_async(t *testing.T) {
	t.Parallel()
	a := variantAcc(t, emulator.VariantAsync)
	// A url task, running (end is its end time) and stopped.
	on := `
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at .end}}"
  source_type = "url"
  source_urls = ["https://media.example.com/async/a.mp4", "https://media.example.com/async/b.flv"]
  dst_url     = "{{dst "async"}}"
}
`
	off := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/async/a.mp4", "https://media.example.com/async/b.flv"]
  dst_url     = "{{dst "async"}}"
  enabled     = false
}
`)
	step := func(cfg, status string, emu int32, calls map[string]int) resource.TestStep {
		return resource.TestStep{
			PreConfig:         a.ResetStats,
			Config:            cfg,
			ConfigStateChecks: []statecheck.StateCheck{expect("status", str(status))},
			Check:             resource.ComposeTestCheckFunc(a.checkService(), a.CheckStatus(emu), a.CheckCalls(calls)),
		}
	}
	a.test(
		step(a.Config(on, alilivetest.Vars{"end": "2h"}), "running", 1, map[string]int{"CreateLivePullToPush": 1}),
		step(off, "offline", 3, map[string]int{"StopLivePullToPush": 1}),
		step(a.Config(on, alilivetest.Vars{"end": "2h"}), "running", 1, map[string]int{"RestartLivePullToPush": 1}),
		// A change a running task refuses: the update follows the stop at
		// once and is refused while the stop has not shown, then sent again
		// once it has.
		step(a.Config(on, alilivetest.Vars{"end": "3h"}), "running", 1,
			map[string]int{"StopLivePullToPush": 1, "UpdateLivePullToPush": 2, "RestartLivePullToPush": 1}),
	)
}

// TestAccPullToPushTaskVariant_answers: answers without their empty keys,
// and the source protocol echoed as sent, read back with no drift.
func TestAccPullToPushTaskVariant_answers(t *testing.T) {
	t.Parallel()
	a := variantAcc(t, emulator.VariantOmitEmpty, emulator.VariantProtocolAsSent)
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "http-flv"
  source_urls     = ["https://origin.example.com/live/s.flv"]
  dst_url         = "{{dst "flv"}}"
}

resource "alilive_pull_to_push_task" "vod" {
  start_time  = "{{at "1h"}}"
  end_time    = "{{at "2h"}}"
  source_type = "vod"
  source_urls = ["media-1"]
  dst_url     = "{{dst "vod"}}"
  retry_count = 0
}
`)
	a.test(
		resource.TestStep{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				expect("source_protocol", str("http-flv")),
				statecheck.ExpectKnownValue("alilive_pull_to_push_task.vod", tfjsonpath.New("callback_url"), knownvalue.Null()),
				statecheck.ExpectKnownValue("alilive_pull_to_push_task.vod", tfjsonpath.New("retry_count"), num(0)),
				statecheck.ExpectKnownValue("alilive_pull_to_push_task.vod", tfjsonpath.New("file_index"), num(0)),
				statecheck.ExpectKnownValue("alilive_pull_to_push_task.vod", tfjsonpath.New("invalid_reason"), knownvalue.Null()),
			},
			Check: a.checkService(),
		},
		resource.TestStep{ResourceName: alilivetest.Resource, ImportState: true, ImportStateVerify: true},
		resource.TestStep{ResourceName: "alilive_pull_to_push_task.vod", ImportState: true, ImportStateVerify: true},
	)
}

// TestAccPullToPushTaskVariant_flaky: the playlist moves on while the
// relay plays, which a refresh shows without planning a change; then forty
// minutes of the service's clock in which the relay fails by itself, and
// an apply converges.
func TestAccPullToPushTaskVariant_flaky(t *testing.T) {
	t.Parallel()
	a := variantAcc(t, emulator.VariantFlaky)
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/flaky/a.mp4", "https://media.example.com/flaky/b.flv"]
  dst_url     = "{{dst "flaky"}}"
  retry_count = 1
}
`)
	a.test(
		resource.TestStep{Config: cfg, Check: a.checkService()},
		resource.TestStep{
			PreConfig:    func() { a.Emulator.Advance(5 * time.Minute) },
			RefreshState: true,
			Check: func(s *terraform.State) error {
				off := s.RootModule().Resources[alilivetest.Resource].Primary.Attributes["current_offset"]
				if n, err := strconv.Atoi(off); err != nil || n < 300 || n >= 600 {
					return fmt.Errorf("current_offset after five minutes = %s, want 300 to 599", off)
				}
				return nil
			},
		},
		resource.TestStep{
			PreConfig: func() { a.Emulator.Advance(40 * time.Minute) },
			Config:    cfg,
			Check:     a.checkService(),
		},
	)
}

func TestNotApplied(t *testing.T) {
	start := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	task := &liveapi.Task{Status: liveapi.StatusRunning, Spec: liveapi.Spec{StartTime: start, EndTime: start.Add(time.Hour),
		SourceURLs: []string{"a"}, CallbackURL: "http://cb", RepeatNumber: 1, FileIndex: 0, Offset: 3}}
	later, sameEnd := start.Add(time.Minute), start.Add(time.Hour)
	empty, other := "", "http://other"
	two, one, zero, three := int32(2), int32(1), int32(0), int32(3)
	cases := []struct {
		in   liveapi.UpdateInput
		want []string
	}{
		{liveapi.UpdateInput{}, nil},
		// A start time is not compared once the task has started.
		{liveapi.UpdateInput{StartTime: &later, EndTime: &sameEnd, SourceURLs: []string{"a"}, RepeatNumber: &one, FileIndex: &zero,
			Offset: &three, CallbackURL: &task.Spec.CallbackURL}, nil},
		{liveapi.UpdateInput{CallbackURL: &empty}, []string{"callback_url"}},
		{liveapi.UpdateInput{EndTime: &later, SourceURLs: []string{"b"}, RepeatNumber: &two, FileIndex: &one, Offset: &zero,
			CallbackURL: &other}, []string{"end_time", "source_urls", "repeat_number", "file_index", "offset", "callback_url"}},
	}
	for i, c := range cases {
		if got := notApplied(c.in, task); !reflect.DeepEqual(got, c.want) {
			t.Errorf("case %d: notApplied = %v, want %v", i, got, c.want)
		}
	}
	idle := *task
	idle.Status = liveapi.StatusIdle
	if got := notApplied(liveapi.UpdateInput{StartTime: &later}, &idle); !reflect.DeepEqual(got, []string{"start_time"}) {
		t.Errorf("idle task: notApplied = %v", got)
	}
}

func TestRunningOrDone(t *testing.T) {
	for _, c := range []struct {
		status  int32
		reason  string
		retries int32
		exit    string
		want    bool
	}{
		{liveapi.StatusRunning, "", 3, "", true},
		{liveapi.StatusRecovering, "PullStreamFailed", 3, "", true},
		{liveapi.StatusOffline, "", 3, "", false},
		// Offline with the reason of an earlier failure: not restarted yet.
		{liveapi.StatusOffline, "PullStreamFailed", 3, "", false},
		// Without retries a failing task goes offline at once.
		{liveapi.StatusOffline, "PullStreamFailed", 0, "", true},
		{liveapi.StatusExited, "", 3, "OverEndTime", true},
		{liveapi.StatusIdle, "", 3, "", false},
	} {
		tk := &liveapi.Task{Status: c.status, InvalidReason: c.reason, ExitReason: c.exit, Spec: liveapi.Spec{RetryCount: c.retries}}
		if got := runningOrDone(tk); got != c.want {
			t.Errorf("runningOrDone(%+v) = %v, want %v", c, got, c.want)
		}
	}
}

func TestVariantMessages(t *testing.T) {
	start := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	idle := &liveapi.Task{Status: liveapi.StatusIdle, Spec: liveapi.Spec{StartTime: start}}
	err := &settleError{op: "StopLivePullToPush", id: "t-1", task: idle}
	got := apiErrorDetail(taskCall("StopLivePullToPush", "stopping", "t-1", "cn-shanghai"), err, "Outcome.", "Fix.")
	want := `The StopLivePullToPush call (stopping pull-to-push task "t-1" in region "cn-shanghai") was accepted, but: The ` +
		`service accepted StopLivePullToPush for pull-to-push task "t-1", but the task is still idle: the service cannot ` +
		`stop a task before its start_time (2026-05-01T10:00:00Z) and ignored the request. Set enabled = true until the ` +
		`task has started, then set it to false. Outcome.`
	if got != want {
		t.Errorf("stop of an idle task:\n got %s\nwant %s", got, want)
	}
	running := &liveapi.Task{Status: liveapi.StatusRunning}
	if got, want := (&settleError{op: "StopLivePullToPush", id: "t-1", task: running}).Error(), `The service accepted `+
		`StopLivePullToPush for pull-to-push task "t-1", but 15s later the task still shows status "running"; run `+
		`terraform apply again once it has`; got != want {
		t.Errorf("late stop:\n got %s\nwant %s", got, want)
	}
}
