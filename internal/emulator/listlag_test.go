package emulator_test

import (
	"context"
	"testing"
	"time"

	live "github.com/alibabacloud-go/live-20161101/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// listed returns the listing of the region as task ID -> CallbackUrl and
// TaskStatus, and its Total.
func listed(t *testing.T, c *live.Client) (map[string]string, map[string]int32, int32) {
	t.Helper()
	resp, err := c.DescribeLivePullToPushListWithContext(context.Background(), &live.DescribeLivePullToPushListRequest{
		Region: tea.String(region), PageSize: tea.Int32(100)}, rt)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	cbs, statuses := map[string]string{}, map[string]int32{}
	for _, e := range resp.Body.TaskList {
		id := tea.StringValue(e.TaskId)
		cbs[id] = tea.StringValue(e.TaskInfo.CallbackURL)
		statuses[id] = tea.Int32Value(e.TaskStatus)
	}
	return cbs, statuses, tea.Int32Value(resp.Body.Total)
}

// TestListLag checks that the listing shows writes only after the lag, that
// Describe shows them at once, and that turning the lag off catches up.
func TestListLag(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := sdk(t, e)
	now := e.Now()
	a := create(t, c, createReq(now, "rtmp://push.example.com/app/lag-a"))

	if code, body := control(t, e, "POST", "listlag", `{"lag":"30s"}`); code != 200 || body != `{"lag":"30s"}` {
		t.Fatalf("POST listlag: %d %s", code, body)
	}
	cb := "http://127.0.0.1:9/lag"
	if _, err := c.UpdateLivePullToPushWithContext(context.Background(), &live.UpdateLivePullToPushRequest{
		Region: tea.String(region), TaskId: tea.String(a), CallbackUrl: tea.String(cb)}, rt); err != nil {
		t.Fatalf("Update: %v", err)
	}
	b := create(t, c, createReq(now, "rtmp://push.example.com/app/lag-b"))

	if got := tea.StringValue(describe(t, c, a).TaskInfo.CallbackURL); got != cb {
		t.Fatalf("Describe shows callback %q, want %q at once", got, cb)
	}
	if got := tea.StringValue(describe(t, c, b).TaskId); got != b {
		t.Fatalf("Describe of the new task: %q", got)
	}
	cbs, _, total := listed(t, c)
	if len(cbs) != 1 || total != 1 || cbs[a] != "" {
		t.Fatalf("within the lag the listing = %v (Total %d), want only %s with its old empty callback", cbs, total, a)
	}

	// A second write within the lag keeps the view from before the first
	// and moves the end of the lag.
	e.Advance(20 * time.Second)
	cb2 := "http://127.0.0.1:9/lag-2"
	if _, err := c.UpdateLivePullToPushWithContext(context.Background(), &live.UpdateLivePullToPushRequest{
		Region: tea.String(region), TaskId: tea.String(a), CallbackUrl: tea.String(cb2)}, rt); err != nil {
		t.Fatalf("Update: %v", err)
	}
	e.Advance(15 * time.Second) // 35 s after the first write, 15 s after the second
	if cbs, _, total := listed(t, c); len(cbs) != 2 || total != 2 || cbs[a] != "" || cbs[b] != "" {
		t.Fatalf("listing = %v (Total %d), want both tasks, %s still with its old callback", cbs, total, a)
	}
	e.Advance(15 * time.Second)
	if cbs, _, _ := listed(t, c); cbs[a] != cb2 {
		t.Fatalf("after the lag the listing shows callback %q, want %q", cbs[a], cb2)
	}

	// A stop is lagged too; setting the lag to 0 shows it at once.
	e.Advance(time.Hour) // both tasks have started
	if _, err := c.StopLivePullToPushWithContext(context.Background(), &live.StopLivePullToPushRequest{
		Region: tea.String(region), TaskId: tea.String(b)}, rt); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if _, statuses, _ := listed(t, c); statuses[b] != emulator.StatusRunning {
		t.Fatalf("within the lag the listing shows status %d, want %d", statuses[b], emulator.StatusRunning)
	}
	if code, body := control(t, e, "POST", "listlag", `{"lag":"0s"}`); code != 200 || body != `{"lag":"0s"}` {
		t.Fatalf("POST listlag 0s: %d %s", code, body)
	}
	if _, statuses, _ := listed(t, c); statuses[b] != emulator.StatusStopped {
		t.Fatalf("with the lag off the listing shows status %d, want %d", statuses[b], emulator.StatusStopped)
	}
	if code, body := control(t, e, "GET", "listlag", ""); code != 200 || body != `{"lag":"0s"}` {
		t.Fatalf("GET listlag: %d %s", code, body)
	}
	for _, bad := range []string{`{"lag":"-1s"}`, `{"lag":"soon"}`, `{"delay":"1s"}`} {
		if code, body := control(t, e, "POST", "listlag", bad); code != 400 ||
			body != `{"Code":"InvalidParameter","Message":"The body must be JSON {\"lag\":\"<Go duration>\"}, a non-negative duration such as 2s (0s: no lag)."}` {
			t.Fatalf("POST listlag %s: %d %s", bad, code, body)
		}
	}
	if code, _ := control(t, e, "DELETE", "listlag", ""); code != 405 {
		t.Fatalf("DELETE listlag: %d", code)
	}
}

// TestListLagOption checks Options.ListLag and that Reset keeps the lag
// but drops pending writes.
func TestListLagOption(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, ListLag: time.Minute})
	if got := e.ListLag(); got != time.Minute {
		t.Fatalf("ListLag() = %v", got)
	}
	c := sdk(t, e)
	create(t, c, createReq(e.Now(), "rtmp://push.example.com/app/lag-opt"))
	if _, _, total := listed(t, c); total != 0 {
		t.Fatalf("a task created within the lag is listed (Total %d)", total)
	}
	e.Reset()
	if got := e.ListLag(); got != time.Minute {
		t.Fatalf("Reset changed the lag to %v", got)
	}
	id := create(t, c, createReq(e.Now(), "rtmp://push.example.com/app/lag-opt"))
	e.SetListLag(0)
	if cbs, _, total := listed(t, c); total != 1 || len(cbs) != 1 {
		t.Fatalf("after SetListLag(0) the listing = %v, want %s", cbs, id)
	}
}
