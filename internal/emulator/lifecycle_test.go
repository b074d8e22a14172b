package emulator_test

import (
	"context"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/models"
	live "github.com/alibabacloud-go/live-20161101/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

func stop(c *live.Client, id string) error {
	_, err := c.StopLivePullToPushWithContext(context.Background(), &live.StopLivePullToPushRequest{Region: tea.String(region), TaskId: tea.String(id)}, rt)
	return err
}

func restart(c *live.Client, id string) error {
	_, err := c.RestartLivePullToPushWithContext(context.Background(), &live.RestartLivePullToPushRequest{Region: tea.String(region), TaskId: tea.String(id)}, rt)
	return err
}

func del(c *live.Client, id string) error {
	_, err := c.DeleteLivePullToPushWithContext(context.Background(), &live.DeleteLivePullToPushRequest{Region: tea.String(region), TaskId: tea.String(id)}, rt)
	return err
}

func update(c *live.Client, req *live.UpdateLivePullToPushRequest) error {
	if req.Region == nil {
		req.Region = tea.String(region)
	}
	_, err := c.UpdateLivePullToPushWithContext(context.Background(), req, rt)
	return err
}

func status(t *testing.T, c *live.Client, id string) (int32, string) {
	t.Helper()
	b := describe(t, c, id)
	return tea.Int32Value(b.TaskStatus), tea.StringValue(b.TaskInvalidReason)
}

func wantStatus(t *testing.T, c *live.Client, id string, st int32, reason string) {
	t.Helper()
	if gs, gr := status(t, c, id); gs != st || gr != reason {
		t.Fatalf("status %d %q, want %d %q", gs, gr, st, reason)
	}
}

func TestLifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := sdk(t, e)
	now := e.Now()
	id := create(t, c, createReq(now, "rtmp://push.example.com/app/l"))
	wantStatus(t, c, id, 0, "")

	// Stop and Restart before StartTime are refused.
	sdkErrMsg(t, stop(c, id), 400, "InvalidParameter", "The task cannot be stopped before its StartTime (TaskStatus 0); only a running (1) or recovering (2) task can be stopped.")
	sdkErrMsg(t, restart(c, id), 400, "InvalidParameter", "The task cannot be restarted before its StartTime ("+fmtT(now.Add(time.Hour))+").")
	if err := e.FailTask(id, "PullStreamFailed"); err == nil {
		t.Fatal("FailTask on an idle task succeeded")
	}

	// One second before the start: still idle; at the start: running.
	e.Advance(time.Hour - time.Second)
	wantStatus(t, c, id, 0, "")
	e.Advance(time.Second)
	wantStatus(t, c, id, 1, "")

	// Stop: 3, a second Stop: CodeTaskHasStopped.
	if err := stop(c, id); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c, id, 3, "")
	sdkErrMsg(t, stop(c, id), 400, "CodeTaskHasStopped", "The task has been stopped.")

	// Restart of a stopped task: 1.
	if err := restart(c, id); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c, id, 1, "")
	// Restart of a running task: still 1.
	if err := restart(c, id); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c, id, 1, "")

	// Failure: 2 with the reason, then 3 after RetryCount x RetryInterval (3 x 60 s).
	if err := e.FailTask(id, "PushStreamFailed"); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c, id, 2, "PushStreamFailed")
	e.Advance(179 * time.Second)
	wantStatus(t, c, id, 2, "PushStreamFailed")
	e.Advance(time.Second)
	wantStatus(t, c, id, 3, "PushStreamFailed")
	// Restart clears the reason.
	if err := restart(c, id); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c, id, 1, "")
	// Stop of a recovering task.
	if err := e.FailTask(id, "PullStreamFailed"); err != nil {
		t.Fatal(err)
	}
	if err := stop(c, id); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c, id, 3, "")
	if err := restart(c, id); err != nil {
		t.Fatal(err)
	}

	// EndTime: exit and gone.
	e.Advance(time.Hour)
	sdkErrMsg(t, describeErr(c, id), 400, "CodeTaskNotExist", "Task does not exist.")
	if _, ok := e.Task(id); ok {
		t.Fatal("expired task still stored")
	}
	for name, err := range map[string]error{
		"Stop":    stop(c, id),
		"Restart": restart(c, id),
		"Delete":  del(c, id),
		"Update":  update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), RepeatNumber: tea.Int32(1)}),
	} {
		t.Run(name, func(t *testing.T) { sdkErrMsg(t, err, 400, "CodeTaskNotExist", "Task does not exist.") })
	}
}

func TestRetryCountZeroStopsAtOnce(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := sdk(t, e)
	req := createReq(e.Now(), "rtmp://push.example.com/app/r0")
	req.StartTime = tea.String(fmtT(e.Now()))
	req.RetryCount = tea.Int32(0)
	id := create(t, c, req)
	wantStatus(t, c, id, 1, "")
	if err := e.FailTask(id, "PullStreamFailed"); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c, id, 3, "PullStreamFailed")
}

func TestDeleteInEveryState(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := sdk(t, e)
	now := e.Now()
	for i, st := range []int32{0, 1, 2, 3} {
		id := create(t, c, createReq(now, "rtmp://push.example.com/app/d"+string(rune('0'+i))))
		if st != 0 {
			if err := e.PatchTask(id, emulator.TaskPatch{TaskStatus: tea.Int32(st)}); err != nil {
				t.Fatal(err)
			}
		}
		wantStatus(t, c, id, st, map[int32]string{2: "UnknownError"}[st])
		if err := del(c, id); err != nil {
			t.Fatalf("delete in %d: %v", st, err)
		}
		sdkErr(t, describeErr(c, id), 400, "CodeTaskNotExist")
		sdkErr(t, del(c, id), 400, "CodeTaskNotExist")
	}
}

func TestTasksAreScopedByRegionAndAccount(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, Credentials: []emulator.Credential{
		{AccessKeyID: "ak-a", AccessKeySecret: "sk-a", Account: "a"},
		{AccessKeyID: "ak-b", AccessKeySecret: "sk-b", Account: "b"},
	}})
	ca := newClient(t, &openapiutil.Config{AccessKeyId: tea.String("ak-a"), AccessKeySecret: tea.String("sk-a"), Endpoint: tea.String(e.Endpoint()), Protocol: tea.String("http"), RegionId: tea.String(region)})
	cb := newClient(t, &openapiutil.Config{AccessKeyId: tea.String("ak-b"), AccessKeySecret: tea.String("sk-b"), Endpoint: tea.String(e.Endpoint()), Protocol: tea.String("http"), RegionId: tea.String(region)})
	id := create(t, ca, createReq(e.Now(), "rtmp://push.example.com/app/same"))
	// Another account neither sees the task nor conflicts on its DstUrl.
	sdkErr(t, describeErr(cb, id), 400, "CodeTaskNotExist")
	create(t, cb, createReq(e.Now(), "rtmp://push.example.com/app/same"))
	// Another region does not find it.
	_, err := ca.DescribeLivePullToPushWithContext(context.Background(), &live.DescribeLivePullToPushRequest{Region: tea.String("cn-beijing"), TaskId: tea.String(id)}, rt)
	sdkErr(t, err, 400, "CodeTaskNotExist")
	if n := len(e.Tasks()); n != 2 {
		t.Fatalf("Tasks() = %d, want 2", n)
	}
}

func TestUpdateByState(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := sdk(t, e)
	now := e.Now()
	req := createReq(now, "rtmp://push.example.com/app/u")
	req.SourceType = tea.String("url")
	req.SourceProtocol = nil
	req.SourceUrls = tea.StringSlice([]string{"http://a.example.com/1.mp4", "http://a.example.com/2.mp4"})
	req.CallbackUrl = tea.String("http://cb.example.com/a")
	id := create(t, c, req)

	// Idle: every parameter.
	err := update(c, &live.UpdateLivePullToPushRequest{
		TaskId:       tea.String(id),
		StartTime:    tea.String(fmtT(now.Add(30 * time.Minute))),
		EndTime:      tea.String(fmtT(now.Add(3 * time.Hour))),
		SourceUrls:   tea.StringSlice([]string{"http://a.example.com/1.mp4", "http://a.example.com/2.mp4", "https://b.example.com/3.flv"}),
		RepeatNumber: tea.Int32(2),
		FileIndex:    tea.Int32(2),
		Offset:       tea.Int32(7),
		CallbackUrl:  tea.String("https://cb.example.com/b"),
	})
	if err != nil {
		t.Fatal(err)
	}
	task, _ := e.Task(id)
	ti := task.TaskInfo
	if ti.StartTime != fmtT(now.Add(30*time.Minute)) || ti.EndTime != fmtT(now.Add(3*time.Hour)) || len(ti.SourceUrls) != 3 ||
		ti.RepeatNumber != 2 || ti.FileIndex != 2 || ti.Offset != 7 || ti.CallbackURL != "https://cb.example.com/b" {
		t.Fatalf("after idle update: %+v", ti)
	}
	// Merged window rules.
	sdkErrMsg(t, update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), EndTime: tea.String(fmtT(now.Add(10 * time.Minute)))}),
		400, "InvalidParam.CodeIllegalDuration", "The parameter EndTime must be later than StartTime.")
	sdkErrMsg(t, update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), StartTime: tea.String(fmtT(now.Add(-7 * 24 * time.Hour)))}),
		400, "InvalidParam.CodeIllegalDuration", "The interval from StartTime to EndTime must not exceed 7 days.")
	sdkErrMsg(t, update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), SourceUrls: tea.StringSlice([]string{"http://a.example.com/1.mp4"})}),
		400, "InvalidParameter", "The parameter FileIndex must be less than the number of SourceUrls (1).")
	sdkErrMsg(t, update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), SourceUrls: tea.StringSlice([]string{"rtmp://a.example.com/1"})}),
		400, "InvalidParameter", "The parameter SourceUrls must hold http:// or https:// URLs with a host when SourceType is url; entry 1 is not.")
	sdkErrMsg(t, update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), CallbackUrl: tea.String("cb.example.com")}),
		400, "InvalidParameter", "The parameter CallbackUrl must be an http:// or https:// URL with a host.")
	sdkErrMsg(t, update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), RepeatNumber: tea.Int32(-3)}),
		400, "InvalidParameter", "The parameter RepeatNumber must be an integer of at least -1.")
	sdkErrMsg(t, update(c, &live.UpdateLivePullToPushRequest{Region: tea.String(region)}),
		400, "MissingParameter", `The input parameter "TaskId" that is mandatory for processing this request is not supplied.`)

	// Running: only CallbackUrl and RepeatNumber.
	e.Advance(30 * time.Minute)
	wantStatus(t, c, id, 1, "")
	for name, r := range map[string]*live.UpdateLivePullToPushRequest{
		"StartTime":  {StartTime: tea.String(fmtT(now.Add(40 * time.Minute)))},
		"EndTime":    {EndTime: tea.String(fmtT(now.Add(4 * time.Hour)))},
		"SourceUrls": {SourceUrls: tea.StringSlice([]string{"http://a.example.com/9.mp4"})},
		"FileIndex":  {FileIndex: tea.Int32(0)},
		"Offset":     {Offset: tea.Int32(0)},
	} {
		r.TaskId = tea.String(id)
		r.CallbackUrl = tea.String("http://cb.example.com/ignored")
		sdkErrMsg(t, update(c, r), 400, "InvalidParameter", "The parameter "+name+" cannot be updated while the task is running (TaskStatus 1) or recovering (TaskStatus 2); only CallbackUrl and RepeatNumber can.")
	}
	if err := update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), RepeatNumber: tea.Int32(-1), CallbackUrl: tea.String("")}); err != nil {
		t.Fatal(err)
	}
	task, _ = e.Task(id)
	if task.TaskInfo.RepeatNumber != -1 || task.TaskInfo.CallbackURL != "" || task.TaskInfo.Offset != 7 {
		t.Fatalf("after running update: %+v", task.TaskInfo)
	}
	// Recovering: same rule.
	if err := e.FailTask(id, "PullStreamFailed"); err != nil {
		t.Fatal(err)
	}
	sdkErr(t, update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), Offset: tea.Int32(1)}), 400, "InvalidParameter")
	// Stopped: every parameter again.
	if err := stop(c, id); err != nil {
		t.Fatal(err)
	}
	if err := update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), FileIndex: tea.Int32(1), Offset: tea.Int32(3), EndTime: tea.String(fmtT(now.Add(5 * time.Hour)))}); err != nil {
		t.Fatal(err)
	}
	// Restart applies FileIndex/Offset to the playback position.
	if err := restart(c, id); err != nil {
		t.Fatal(err)
	}
	b := describe(t, c, id)
	if tea.Int32Value(b.CurrentFileIndex) != 1 || tea.Int32Value(b.CurrentOffset) != 3 || tea.StringValue(b.TaskInfo.EndTime) != fmtT(now.Add(5*time.Hour)) {
		t.Fatalf("after restart: %v", b)
	}
}

func TestUpdateRejectsImmutableParameters(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	id := create(t, sdk(t, e), createReq(e.Now(), "rtmp://push.example.com/app/im"))
	for _, name := range []string{"TaskName", "SourceType", "SourceProtocol", "DstUrl", "RetryCount", "RetryInterval"} {
		cfg := config(e)
		cfg.GlobalParameters = &openapiutil.GlobalParameters{Queries: map[string]*string{name: tea.String("x")}}
		c := newClient(t, cfg)
		sdkErrMsg(t, update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id)}), 400, "InvalidParameter",
			"The parameter "+name+" cannot be changed by UpdateLivePullToPush; create a new task instead.")
	}
}
