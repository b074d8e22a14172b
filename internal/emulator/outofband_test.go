package emulator_test

import (
	"errors"
	"testing"
	"time"

	"github.com/alibabacloud-go/tea/tea"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

func TestOutOfBand(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := sdk(t, e)
	now := e.Now()
	id, err := e.AddTask("", emulator.TaskInfo{
		TaskName: "oob", SourceType: "vod", SourceUrls: []string{"m1", "m2"}, DstUrl: "rtmp://push.example.com/app/oob",
		StartTime: fmtT(now.Add(time.Minute)), EndTime: fmtT(now.Add(time.Hour)),
	})
	if err != nil {
		t.Fatal(err)
	}
	b := describe(t, c, id)
	if tea.StringValue(b.TaskInfo.TaskName) != "oob" || tea.Int32Value(b.TaskInfo.RetryInterval) != 60 || tea.Int32Value(b.TaskStatus) != 0 {
		t.Fatalf("added: %v", b)
	}
	// A chosen ID; a taken one fails.
	if got, err := e.AddTask("cn-shanghai", emulator.TaskInfo{TaskId: "fixed-id", DstUrl: "rtmp://a.example.com/x"}); err != nil || got != "fixed-id" {
		t.Fatalf("AddTask fixed: %q %v", got, err)
	}
	if _, err := e.AddTask("", emulator.TaskInfo{TaskId: "fixed-id"}); err == nil {
		t.Fatal("duplicate ID accepted")
	}
	if _, err := e.AddTask("", emulator.TaskInfo{StartTime: "tomorrow"}); err == nil {
		t.Fatal("bad StartTime accepted")
	}
	// Drift: the console renames the task and changes the callback.
	newEnd := now.Add(2 * time.Hour)
	if err := e.PatchTask(id, emulator.TaskPatch{TaskName: tea.String("renamed"), EndTime: &newEnd, RepeatNumber: tea.Int32(4), SourceUrls: []string{"m9"}}); err != nil {
		t.Fatal(err)
	}
	b = describe(t, c, id)
	if tea.StringValue(b.TaskInfo.TaskName) != "renamed" || tea.StringValue(b.TaskInfo.EndTime) != fmtT(newEnd) ||
		tea.Int32Value(b.TaskInfo.RepeatNumber) != 4 || tea.StringValue(b.TaskInfo.SourceUrls[0]) != "m9" {
		t.Fatalf("patched: %v", b)
	}
	if err := e.PatchTask(id, emulator.TaskPatch{TaskStatus: tea.Int32(7)}); err == nil {
		t.Fatal("status 7 accepted")
	}
	if err := e.PatchTask("nope", emulator.TaskPatch{}); !errors.Is(err, emulator.ErrNoTask) {
		t.Fatalf("PatchTask unknown: %v", err)
	}
	// Expiry by patching EndTime into the past.
	past := now.Add(-time.Second)
	if err := e.PatchTask(id, emulator.TaskPatch{EndTime: &past}); err != nil {
		t.Fatal(err)
	}
	sdkErr(t, describeErr(c, id), 400, "CodeTaskNotExist")
	// Out-of-band delete.
	if err := e.DeleteTask("fixed-id"); err != nil {
		t.Fatal(err)
	}
	if err := e.DeleteTask("fixed-id"); !errors.Is(err, emulator.ErrNoTask) {
		t.Fatalf("second DeleteTask: %v", err)
	}
	if err := e.FailTask("fixed-id", ""); !errors.Is(err, emulator.ErrNoTask) {
		t.Fatalf("FailTask unknown: %v", err)
	}
	if n := len(e.Tasks()); n != 0 {
		t.Fatalf("%d tasks left", n)
	}
}

func TestTasksOrderAndReset(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := sdk(t, e)
	var ids []string
	for i := range 3 {
		ids = append(ids, create(t, c, createReq(e.Now(), "rtmp://push.example.com/app/o"+string(rune('0'+i)))))
	}
	for i, task := range e.Tasks() {
		if task.TaskId != ids[i] || task.Region != region {
			t.Fatalf("Tasks()[%d] = %s/%s, want %s", i, task.TaskId, task.Region, ids[i])
		}
	}
	if err := e.SetFaults("rate=1,kinds=internal"); err != nil {
		t.Fatal(err)
	}
	e.Reset()
	if n := len(e.Tasks()); n != 0 || e.Stats().TotalCalls() != 0 || e.Faults() != "" {
		t.Fatalf("after Reset: %d tasks, stats %+v, faults %q", n, e.Stats(), e.Faults())
	}
	sdkErr(t, describeErr(c, ids[0]), 400, "CodeTaskNotExist")
}

func TestClock(t *testing.T) {
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	e, err := emulator.New(emulator.Options{Now: func() time.Time { return base }})
	if err != nil {
		t.Fatal(err)
	}
	if !e.Now().Equal(base) {
		t.Fatalf("Now %v", e.Now())
	}
	e.Advance(90 * time.Second)
	e.Advance(-time.Hour) // ignored: the clock never goes back
	if want := base.Add(90 * time.Second); !e.Now().Equal(want) {
		t.Fatalf("Now %v, want %v", e.Now(), want)
	}
	if e.Endpoint() != "" {
		t.Fatal("endpoint before Start")
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	if _, err := emulator.New(emulator.Options{Faults: "rate=2"}); err == nil || err.Error() != `emulator: faults: fault rule 1 ("rate=2"): rate must be a number from 0 to 1, got "2"` {
		t.Fatalf("bad faults: %v", err)
	}
	if _, err := emulator.New(emulator.Options{Credentials: []emulator.Credential{{AccessKeyID: "x"}}}); err == nil {
		t.Fatal("credential without secret accepted")
	}
}
