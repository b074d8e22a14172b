package liveapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// Integration tests against the in-process emulator, which verifies the
// SDK's signatures and enforces the service's sliding-window throttling.

func startEmulator(t testing.TB, opts emulator.Options) *emulator.Server {
	t.Helper()
	e, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e
}

func emulatorClient(t testing.TB, e *emulator.Server, rate float64, secret string) *Client {
	t.Helper()
	if secret == "" {
		secret = emulator.DefaultAccessKeySecret
	}
	c, err := New(Config{
		Credential: staticCred(t, emulator.DefaultAccessKeyID, secret), Region: "cn-shanghai",
		Endpoint: e.Endpoint(), Protocol: "http", RateLimit: rate, MaxRetries: 8,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func emulatorSpec(e *emulator.Server, i int) Spec {
	start := e.Now().Add(time.Hour).Truncate(time.Second)
	return Spec{
		Region: "cn-shanghai", TaskName: fmt.Sprintf("relay-%d", i), StartTime: start, EndTime: start.Add(time.Hour),
		SourceType: "live", SourceProtocol: "rtmp", SourceURLs: []string{"rtmp://src.example.com/app/s"},
		DstURL: fmt.Sprintf("rtmp://dst.example.com/app/s%d", i), RetryCount: 3, RetryInterval: 60,
	}
}

func addEmulatorTasks(t testing.TB, e *emulator.Server, n int) []string {
	t.Helper()
	ids := make([]string, n)
	start := e.Now().Add(time.Hour)
	for i := range ids {
		id, err := e.AddTask("cn-shanghai", emulator.TaskInfo{
			TaskName: fmt.Sprintf("t%d", i), StartTime: FormatTime(start), EndTime: FormatTime(start.Add(time.Hour)),
			SourceType: "live", SourceProtocol: "rtmp", SourceUrls: []string{"rtmp://src.example.com/a/b"},
			DstUrl: fmt.Sprintf("rtmp://dst.example.com/a/%d", i), RetryCount: 3, RetryInterval: 60,
		})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	return ids
}

func TestEmulator100ConcurrentDescribes(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	ids := addEmulatorTasks(t, e, 100)
	c := emulatorClient(t, e, 0, "")
	e.ResetStats()
	tasks := describeAll(t, c, ids)
	for i, task := range tasks {
		if task == nil || task.ID != ids[i] || task.Spec.SourceProtocol != "rtmp" {
			t.Fatalf("task %d = %+v", i, task)
		}
	}
	st := e.Stats()
	if st.Calls[OpList] > 2 || st.Calls[OpDescribe] != 0 || st.TotalCalls() != st.Calls[OpList] {
		t.Fatalf("calls = %v, want at most 2 List calls and nothing else", st.Calls)
	}
	t.Logf("100 concurrent Describes: %v", st.Calls)
}

func TestEmulatorLoneDescribeAmong1000(t *testing.T) {
	e := startEmulator(t, emulator.Options{MaxTasks: -1})
	ids := addEmulatorTasks(t, e, 1000)
	c := emulatorClient(t, e, 0, "")
	e.ResetStats()
	task, err := c.Describe(context.Background(), "", ids[500])
	if err != nil || task.ID != ids[500] {
		t.Fatalf("%+v %v", task, err)
	}
	if st := e.Stats(); st.TotalCalls() != 1 || st.Calls[OpDescribe] != 1 {
		t.Fatalf("calls = %v, want exactly 1 Describe", st.Calls)
	}
}

func TestEmulatorLimiterNeverThrottled(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 2.2 s")
	}
	e := startEmulator(t, emulator.Options{}) // throttling at 10 per second, sliding window
	ids := addEmulatorTasks(t, e, 1)
	c := emulatorClient(t, e, 0, "")
	e.ResetStats()
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < 24; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.describeOne(context.Background(), "cn-shanghai", ids[0]); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	st := e.Stats()
	if st.Calls[OpDescribe] != 24 || st.Throttled[OpDescribe] != 0 {
		t.Fatalf("calls = %v, throttled = %v", st.Calls, st.Throttled)
	}
	// Paced at 10 per second: the 24th call 2.3 s after the first.
	if elapsed < 2200*time.Millisecond || elapsed > 6*time.Second {
		t.Fatalf("24 calls took %v", elapsed)
	}
}

func TestEmulatorLimiterOffGetsThrottledAndRecovers(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	ids := addEmulatorTasks(t, e, 1)
	c := emulatorClient(t, e, -1, "")
	c.backoffBase, c.backoffCap, c.maxRetries = 100*time.Millisecond, time.Second, 30
	e.ResetStats()
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.describeOne(context.Background(), "cn-shanghai", ids[0]); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	st := e.Stats()
	if st.Throttled[OpDescribe] == 0 {
		t.Fatalf("expected throttled answers without the client-side limiter: %+v", st)
	}
	if st.Calls[OpDescribe] != 12+st.Throttled[OpDescribe] {
		t.Fatalf("calls %d != 12 + throttled %d", st.Calls[OpDescribe], st.Throttled[OpDescribe])
	}
}

func TestEmulatorAmbiguousCreate(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, Faults: "op=create,kinds=drop,nth=1"})
	c := emulatorClient(t, e, 0, "")
	spec := emulatorSpec(e, 1)
	id, err := c.Create(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	tasks := e.Tasks()
	if len(tasks) != 1 || tasks[0].TaskId != id {
		t.Fatalf("id %s, emulator holds %d tasks", id, len(tasks))
	}
	st := e.Stats()
	if st.Calls[OpCreate] != 1 || st.Calls[OpList] != 2 {
		t.Fatalf("calls = %v, want 1 Create and 2 List (before the create, and the lookup)", st.Calls)
	}
	got, err := c.Describe(context.Background(), "", id)
	if err != nil || !SameSpec(spec, got.Spec) {
		t.Fatalf("adopted task differs: %+v %v", got, err)
	}
}

func TestEmulatorCreateConflictNamesHolder(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := emulatorClient(t, e, 0, "")
	spec := emulatorSpec(e, 2)
	holder, err := c.Create(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	spec.TaskName = "another"
	_, err = c.Create(context.Background(), spec)
	var ce *ConflictError
	if !errors.As(err, &ce) || ce.TaskID != holder || ce.SameConfig || ce.Err == nil ||
		ce.Err.Code != CodeConfigAlreadyExists {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "is already used by task "+holder) {
		t.Fatalf("err = %v", err)
	}
	if n := len(e.Tasks()); n != 1 {
		t.Fatalf("tasks = %d", n)
	}
}

func TestEmulatorAmbiguousDeleteUpdateRestart(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := emulatorClient(t, e, 0, "")
	ctx := context.Background()
	id, err := c.Create(ctx, emulatorSpec(e, 3))
	if err != nil {
		t.Fatal(err)
	}

	if err := e.SetFaults("op=update,kinds=drop,nth=1"); err != nil {
		t.Fatal(err)
	}
	e.ResetStats()
	cb := "https://cb.example.com/x"
	end := e.Now().Add(3 * time.Hour).Truncate(time.Second)
	if err := c.Update(ctx, UpdateInput{TaskID: id, CallbackURL: &cb, EndTime: &end}); err != nil {
		t.Fatal(err)
	}
	if st := e.Stats(); st.Calls[OpUpdate] != 1 || st.Calls[OpDescribe] != 1 {
		t.Fatalf("update calls = %v", st.Calls)
	}

	// Start the task, stop it, then restart with a lost answer.
	e.Advance(90 * time.Minute)
	if err := c.Stop(ctx, "", id); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(ctx, "", id); err != nil {
		t.Fatalf("stopping a stopped task: %v", err)
	}
	if err := e.SetFaults("op=restart,kinds=drop,nth=1"); err != nil {
		t.Fatal(err)
	}
	e.ResetStats()
	if err := c.Restart(ctx, "", id); err != nil {
		t.Fatal(err)
	}
	if st := e.Stats(); st.Calls[OpRestart] != 1 || st.Calls[OpDescribe] != 1 {
		t.Fatalf("restart calls = %v", st.Calls)
	}

	if err := e.SetFaults("op=delete,kinds=drop,nth=1"); err != nil {
		t.Fatal(err)
	}
	e.ResetStats()
	if err := c.Delete(ctx, "", id); err != nil {
		t.Fatal(err)
	}
	if st := e.Stats(); st.Calls[OpDelete] != 2 || len(e.Tasks()) != 0 {
		t.Fatalf("delete calls = %v, tasks = %d", st.Calls, len(e.Tasks()))
	}
}

func TestEmulatorWrongSecret(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := emulatorClient(t, e, 0, "not-the-secret")
	e.ResetStats()
	_, err := c.Describe(context.Background(), "", "any")
	var api *APIError
	if !errors.As(err, &api) || api.Code != "SignatureDoesNotMatch" {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "not-the-secret") {
		t.Fatal("secret in error")
	}
	if st := e.Stats(); st.TotalCalls() != 1 {
		t.Fatalf("calls = %v, want 1", st.Calls)
	}
	t.Logf("wrong secret: %v", err)
}

func TestEmulatorFaultSoakNoDuplicates(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1,
		Faults: "op=*,kinds=internal|unavailable|throttle|drop,rate=0.3,seed=7"})
	c := emulatorClient(t, e, -1, "")
	c.backoffBase, c.backoffCap = 5*time.Millisecond, 50*time.Millisecond
	c.maxRetries = 20
	ctx := context.Background()
	var wg sync.WaitGroup
	ids := make([]string, 20)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, err := c.Create(ctx, emulatorSpec(e, 100+i))
			if err != nil {
				t.Errorf("create %d: %v", i, err)
			}
			ids[i] = id
		}()
	}
	wg.Wait()
	if n := len(e.Tasks()); n != 20 {
		t.Fatalf("emulator holds %d tasks after 20 creates", n)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if _, ok := e.Task(id); !ok || seen[id] {
			t.Fatalf("id %q unknown or duplicated", id)
		}
		seen[id] = true
	}
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.Delete(ctx, "", id); err != nil {
				t.Errorf("delete %s: %v", id, err)
			}
		}()
	}
	wg.Wait()
	if n := len(e.Tasks()); n != 0 {
		t.Fatalf("emulator holds %d tasks after deleting all", n)
	}
	st := e.Stats()
	if st.Errors[OpCreate] == 0 || st.Errors[OpDelete] == 0 {
		t.Fatalf("the fault plan injected nothing: %+v", st)
	}
	t.Logf("soak: calls %v, errors %v", st.Calls, st.Errors)
}

// TestEmulatorVariantAmbiguousCreate: where the service accepts a second
// task on a destination in use (dst-conflict-at-runtime), a create whose
// answer was lost after it committed is still adopted, never repeated.
func TestEmulatorVariantAmbiguousCreate(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, Faults: "op=create,kinds=drop,nth=1",
		Variants: []emulator.Variant{emulator.VariantDstConflictAtRuntime}})
	c := emulatorClient(t, e, 0, "")
	id, err := c.Create(context.Background(), emulatorSpec(e, 1))
	if err != nil {
		t.Fatal(err)
	}
	if tasks := e.Tasks(); len(tasks) != 1 || tasks[0].TaskId != id {
		t.Fatalf("id %s, emulator holds %+v", id, tasks)
	}
	if st := e.Stats(); st.Calls[OpCreate] != 1 || st.Calls[OpDelete] != 0 {
		t.Fatalf("calls = %v, want 1 Create and no Delete", st.Calls)
	}
}

// TestEmulatorVariantReads maps the answers of the variants that change
// what Describe shows: exited tasks, omitted keys and the protocol's case.
func TestEmulatorVariantReads(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, Variants: []emulator.Variant{
		emulator.VariantExitedVisible, emulator.VariantOmitEmpty, emulator.VariantProtocolAsSent, emulator.VariantRestartNewID}})
	c := emulatorClient(t, e, 0, "")
	ctx := context.Background()
	spec := emulatorSpec(e, 3)
	spec.StartTime = e.Now().Add(-time.Minute).Truncate(time.Second)
	spec.TaskName = ""
	id, err := c.Create(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Describe(ctx, "", id)
	if err != nil || !SameSpec(spec, got.Spec) || got.Spec.SourceProtocol != "rtmp" || got.Status != StatusRunning || got.Ended() {
		t.Fatalf("Describe = %+v, %v", got, err)
	}
	newID, err := c.RestartTask(ctx, "", id)
	if err != nil || newID == id {
		t.Fatalf("RestartTask = %q, %v; want a new ID", newID, err)
	}
	if _, err := c.Describe(ctx, "", id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Describe of the old ID: %v", err)
	}
	if err := c.Delete(ctx, "", newID); err != nil {
		t.Fatal(err)
	}
	got, err = c.Describe(ctx, "", newID)
	if err != nil || got.Status != StatusExited || got.ExitReason != "TriggerByUser" || !got.Ended() {
		t.Fatalf("Describe after Delete = %+v, %v", got, err)
	}
	// Deleting it again succeeds, and so does a create on its destination.
	if err := c.Delete(ctx, "", newID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(ctx, spec); err != nil {
		t.Fatal(err)
	}
}
