package liveapi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCreateAmbiguousCommitThenDropAdopts(t *testing.T) {
	for _, fault := range []string{"commit-drop", "commit-500"} {
		t.Run(fault, func(t *testing.T) {
			f := newFake(t)
			log := &recLogger{}
			c := newTestClient(t, f.endpoint(), 0, log)
			f.fault(OpCreate, fault)
			id, err := c.Create(context.Background(), testSpec("rtmp://dst.example.com/app/amb"))
			if err != nil {
				t.Fatal(err)
			}
			if id != "task-0001" || f.taskCount() != 1 {
				t.Fatalf("id = %q, tasks = %d", id, f.taskCount())
			}
			// One list before the create, one lookup after it.
			if cr, l := f.count(OpCreate), f.count(OpList); cr != 1 || l != 2 {
				t.Fatalf("Create = %d, List = %d; want 1 and 2", cr, l)
			}
		})
	}
}

func TestCreateDroppedBeforeCommitRetries(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 0, nil)
	f.fault(OpCreate, "drop")
	id, err := c.Create(context.Background(), testSpec("rtmp://dst.example.com/app/x"))
	if err != nil {
		t.Fatal(err)
	}
	if id != "task-0001" || f.taskCount() != 1 {
		t.Fatalf("id = %q, tasks = %d", id, f.taskCount())
	}
	// The dropped request was sent, so it was ambiguous: the list before
	// the create, one lookup, then the create is repeated, then one more
	// lookup for a late commit.
	if cr, l, d := f.count(OpCreate), f.count(OpList), f.count(OpDelete); cr != 2 || l != 3 || d != 0 {
		t.Fatalf("Create = %d, List = %d, Delete = %d; want 2, 3 and 0", cr, l, d)
	}
}

// Where the service accepts a second task with the same destination, a
// create whose first attempt committed but was not yet listed must not
// leave two tasks: the repeat succeeds, and the late one is deleted.
func TestCreateLateCommitDuplicateIsDeleted(t *testing.T) {
	f := newFake(t)
	f.dupDst = true
	log := &recLogger{}
	c := newTestClient(t, f.endpoint(), 0, log)
	f.fault(OpCreate, "commit-500")
	f.fault(OpList, "", "empty") // the lookup does not show the committed task yet
	spec := testSpec("rtmp://dst.example.com/app/late")
	id, err := c.Create(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if id != "task-0002" || f.taskCount() != 1 {
		t.Fatalf("id = %q, tasks = %d; want task-0002 alone", id, f.taskCount())
	}
	if cr, l, d := f.count(OpCreate), f.count(OpList), f.count(OpDelete); cr != 2 || l != 3 || d != 1 {
		t.Fatalf("Create = %d, List = %d, Delete = %d; want 2, 3 and 1", cr, l, d)
	}
	w := log.warnings()
	if len(w) == 0 || w[len(w)-1].msg != "alilive deleting a duplicate task that an ambiguous create attempt committed late" ||
		w[len(w)-1].fields["task_id"] != "task-0001" || w[len(w)-1].fields["kept_task_id"] != "task-0002" {
		t.Fatalf("warnings: %+v", w)
	}
	// A task with another configuration on the same destination is never touched.
	f = newFake(t)
	f.dupDst = true
	c = newTestClient(t, f.endpoint(), 0, nil)
	f.addTask(map[string]any{"TaskName": "someone-else", "StartTime": FormatTime(spec.StartTime), "EndTime": FormatTime(spec.EndTime),
		"SourceType": "live", "SourceProtocol": "RTMP", "SourceUrls": spec.SourceURLs, "DstUrl": spec.DstURL, "RetryCount": 3, "RetryInterval": 60})
	f.fault(OpCreate, "drop")
	f.fault(OpList, "", "empty")
	if _, err := c.Create(context.Background(), testSpec("rtmp://dst.example.com/app/late")); err != nil {
		t.Fatal(err)
	}
	if f.taskCount() != 2 || f.count(OpDelete) != 0 {
		t.Fatalf("tasks = %d, Delete = %d; want 2 and 0", f.taskCount(), f.count(OpDelete))
	}
}

func TestTaskEnded(t *testing.T) {
	for _, c := range []struct {
		status int32
		reason string
		want   bool
	}{
		{StatusExited, "", true}, {StatusExited, "TriggerByUser", true}, {StatusOffline, "OverEndTime", true},
		{StatusOffline, "TriggerByUser", false}, {StatusRunning, "", false}, {StatusOffline, "", false},
	} {
		if got := (&Task{Status: c.status, ExitReason: c.reason}).Ended(); got != c.want {
			t.Errorf("Ended() of status %d, reason %q = %v", c.status, c.reason, got)
		}
	}
}

func TestRestartTaskNewID(t *testing.T) {
	f := newFake(t)
	f.newIDOnRestart = true
	c := newTestClient(t, f.endpoint(), 0, nil)
	id := f.seed(1)[0]
	newID, err := c.RestartTask(context.Background(), "", id)
	if err != nil || newID == id || newID != "task-0002" {
		t.Fatalf("RestartTask = %q, %v; want task-0002", newID, err)
	}
	if _, err := c.Describe(context.Background(), "", newID); err != nil {
		t.Fatal(err)
	}
	// A restart that committed under a new ID and lost its answer: the old
	// ID is gone, and the error says the task may have moved.
	f.fault(OpRestart, "commit-500")
	_, err = c.RestartTask(context.Background(), "", newID)
	var me *MovedError
	if !errors.As(err, &me) || me.TaskID != newID || errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v; want a *MovedError for %s that is not ErrNotFound", err, newID)
	}
	want := "RestartLivePullToPush for task task-0002 may have restarted it under a new task ID: the answer was lost " +
		"(RestartLivePullToPush failed for task task-0002: InternalError (HTTP 500, request ID rid-InternalError): The " +
		"request processing has failed due to some unknown error.), and no task exists under task-0002 any more"
	if err.Error() != want {
		t.Fatalf("err:\n got %s\nwant %s", err, want)
	}
	// Restart keeps its contract.
	if err := c.Restart(context.Background(), "", "task-0003"); err != nil {
		t.Fatal(err)
	}
}

func TestCreateRetryAnsweringAlreadyExistsAdopts(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 0, nil)
	// The first create commits and loses its answer; the lookup lags (an
	// empty page); the repeat is refused as a duplicate; a second lookup
	// finds the task.
	f.fault(OpCreate, "commit-drop")
	f.fault(OpList, "", "empty")
	id, err := c.Create(context.Background(), testSpec("rtmp://dst.example.com/app/y"))
	if err != nil {
		t.Fatal(err)
	}
	if id != "task-0001" || f.taskCount() != 1 {
		t.Fatalf("id = %q, tasks = %d", id, f.taskCount())
	}
	if cr, l := f.count(OpCreate), f.count(OpList); cr != 2 || l != 3 {
		t.Fatalf("Create = %d, List = %d; want 2 and 3", cr, l)
	}
}

func TestCreateAmbiguousFindsDifferentTask(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 0, nil)
	spec := testSpec("rtmp://dst.example.com/app/z")
	other := spec
	other.TaskName = "someone-else"
	// Another task holds the destination, and our request's answer is lost
	// before it committed: the lookup shows only that task, which was there
	// before, so the create is repeated and the service's refusal names it.
	otherID, err := c.Create(context.Background(), other)
	if err != nil {
		t.Fatal(err)
	}
	f.resetCounts()
	f.fault(OpCreate, "drop")
	_, err = c.Create(context.Background(), spec)
	want := `CreateLivePullToPush failed: dst_url "rtmp://dst.example.com/app/z" is already used by task ` + otherID +
		`, which has a different configuration: delete or import that task, or choose another dst_url ` +
		`(CodeConfigAlreadyExists, HTTP 400, request ID rid-exists)`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	var ce *ConflictError
	if !errors.As(err, &ce) || ce.TaskID != otherID || ce.SameConfig {
		t.Fatalf("ConflictError = %+v", ce)
	}
	if f.taskCount() != 1 || f.count(OpCreate) != 2 {
		t.Fatalf("tasks = %d, Create calls = %d; want 1 and 2", f.taskCount(), f.count(OpCreate))
	}
}

func TestCreateFirstAttemptAlreadyExistsNamesHolder(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 0, nil)
	spec := testSpec("rtmp://dst.example.com/app/dup")
	holder, err := c.Create(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	f.resetCounts()
	_, err = c.Create(context.Background(), spec)
	want := `CreateLivePullToPush failed: dst_url "rtmp://dst.example.com/app/dup" is already used by task ` + holder +
		`, which has the same configuration: import that task instead of creating it again ` +
		`(CodeConfigAlreadyExists, HTTP 400, request ID rid-exists)`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	var api *APIError
	if !errors.As(err, &api) || api.Code != CodeConfigAlreadyExists {
		t.Fatalf("the service's error is not wrapped: %v", err)
	}
	if cr, l := f.count(OpCreate), f.count(OpList); cr != 1 || l != 2 {
		t.Fatalf("Create = %d, List = %d; want 1 and 2", cr, l)
	}
}

func TestCreateThrottledIsNotAmbiguous(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 0, nil)
	f.fault(OpCreate, "throttle", "throttle")
	if _, err := c.Create(context.Background(), testSpec("rtmp://dst.example.com/app/t")); err != nil {
		t.Fatal(err)
	}
	// Only the list before the create: a throttled attempt needs no lookup.
	if cr, l := f.count(OpCreate), f.count(OpList); cr != 3 || l != 1 {
		t.Fatalf("Create = %d, List = %d; want 3 and 1", cr, l)
	}
}

func TestCreateAmbiguousAfterCallerGaveUp(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 0, nil)
	f.fault(OpCreate, "slow")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	// The create commits after the caller's deadline: a write that was sent
	// is not cut short by the caller, so its answer still arrives and the
	// task is not left unmanaged.
	id, err := c.Create(ctx, testSpec("rtmp://dst.example.com/app/slow"))
	if err != nil {
		t.Fatalf("err = %v", err)
	}
	if id != "task-0001" {
		t.Fatalf("id = %q", id)
	}
}

func TestDeleteAmbiguous(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 0, nil)
	id := f.seed(1)[0]
	f.fault(OpDelete, "commit-drop")
	if err := c.Delete(context.Background(), "", id); err != nil {
		t.Fatal(err)
	}
	if f.taskCount() != 0 || f.count(OpDelete) != 2 {
		t.Fatalf("tasks = %d, Delete calls = %d; want 0 and 2", f.taskCount(), f.count(OpDelete))
	}
	// Deleting a task that does not exist is success, in one call.
	f.resetCounts()
	if err := c.Delete(context.Background(), "", "task-none"); err != nil {
		t.Fatal(err)
	}
	if f.count(OpDelete) != 1 {
		t.Fatalf("Delete calls = %d", f.count(OpDelete))
	}
}

func TestUpdateAmbiguous(t *testing.T) {
	for _, tc := range []struct {
		fault            string
		updates, describ int
	}{
		{"commit-drop", 1, 1}, // committed: read back, done
		{"drop", 2, 1},        // not committed: read back, repeat
		{"500", 2, 1},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			f := newFake(t)
			c := newTestClient(t, f.endpoint(), 0, nil)
			id := f.seed(1)[0]
			f.fault(OpUpdate, tc.fault)
			cb, rep := "https://cb.example.com/new", int32(-1)
			end := time.Date(2030, 1, 1, 2, 0, 0, 0, time.UTC)
			in := UpdateInput{TaskID: id, CallbackURL: &cb, RepeatNumber: &rep, EndTime: &end,
				SourceURLs: []string{"rtmp://s2.example.com/a/b"}}
			if err := c.Update(context.Background(), in); err != nil {
				t.Fatal(err)
			}
			got, err := c.describeOne(context.Background(), "cn-shanghai", id)
			if err != nil {
				t.Fatal(err)
			}
			if !UpdateApplied(in, got) {
				t.Fatalf("update not applied: %+v", got.Spec)
			}
			if u, d := f.count(OpUpdate), f.count(OpDescribe)-1; u != tc.updates || d != tc.describ {
				t.Fatalf("Update = %d, Describe = %d; want %d and %d", u, d, tc.updates, tc.describ)
			}
		})
	}
}

func TestStopAndRestart(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 0, nil)
	id := f.seed(1)[0]
	if err := c.Stop(context.Background(), "", id); err != nil {
		t.Fatal(err)
	}
	// Stopping a stopped task is success.
	if err := c.Stop(context.Background(), "", id); err != nil {
		t.Fatal(err)
	}
	if f.count(OpStop) != 2 {
		t.Fatalf("Stop calls = %d", f.count(OpStop))
	}
	// A restart whose answer is lost after it committed: read back, done.
	f.fault(OpRestart, "commit-drop")
	if err := c.Restart(context.Background(), "", id); err != nil {
		t.Fatal(err)
	}
	if r, d := f.count(OpRestart), f.count(OpDescribe); r != 1 || d != 1 {
		t.Fatalf("Restart = %d, Describe = %d; want 1 and 1", r, d)
	}
	// A restart lost before it committed: read back (stopped), repeat.
	if err := c.Stop(context.Background(), "", id); err != nil {
		t.Fatal(err)
	}
	f.resetCounts()
	f.fault(OpRestart, "drop")
	if err := c.Restart(context.Background(), "", id); err != nil {
		t.Fatal(err)
	}
	if r, d := f.count(OpRestart), f.count(OpDescribe); r != 2 || d != 1 {
		t.Fatalf("Restart = %d, Describe = %d; want 2 and 1", r, d)
	}
}

func TestSameSpec(t *testing.T) {
	a := testSpec("rtmp://d/a")
	b := a
	b.SourceProtocol = "RTMP"
	b.StartTime = a.StartTime.In(time.FixedZone("UTC+8", 8*3600))
	b.SourceURLs = append([]string(nil), a.SourceURLs...)
	if !SameSpec(a, b) {
		t.Fatal("protocol case or time zone made a difference")
	}
	a.RetryInterval, b.RetryInterval = 0, 60
	if !SameSpec(a, b) {
		t.Fatal("RetryInterval 0 must stand for the default 60")
	}
	for name, mut := range map[string]func(*Spec){
		"name":     func(s *Spec) { s.TaskName = "x" },
		"end":      func(s *Spec) { s.EndTime = s.EndTime.Add(time.Second) },
		"order":    func(s *Spec) { s.SourceURLs = []string{"b", "a"} },
		"callback": func(s *Spec) { s.CallbackURL = "https://x" },
		"repeat":   func(s *Spec) { s.RepeatNumber = -1 },
		"retries":  func(s *Spec) { s.RetryCount = 4 },
		"type":     func(s *Spec) { s.SourceType = "url" },
	} {
		c := a
		c.SourceURLs = []string{"a", "b"}
		d := c
		d.SourceURLs = []string{"a", "b"}
		mut(&d)
		if SameSpec(c, d) {
			t.Errorf("%s: change not seen", name)
		}
	}
}

func TestCreateRequestMapping(t *testing.T) {
	live := createRequest(testSpec("rtmp://d/a"))
	if live.RepeatNumber != nil || live.FileIndex != nil || live.Offset != nil || live.CallbackUrl != nil {
		t.Fatalf("live task sends vod/url-only or empty parameters: %+v", live)
	}
	if *live.SourceProtocol != "rtmp" || *live.StartTime != "2030-01-02T03:04:05Z" || *live.RetryInterval != 60 {
		t.Fatalf("live = %+v", live)
	}
	s := testSpec("rtmp://d/a")
	s.SourceType, s.SourceProtocol, s.RetryInterval = "vod", "", 0
	s.StartTime = s.StartTime.In(time.FixedZone("UTC+8", 8*3600))
	vod := createRequest(s)
	if vod.SourceProtocol != nil || vod.RetryInterval != nil || vod.RepeatNumber == nil || *vod.RepeatNumber != 0 {
		t.Fatalf("vod = %+v", vod)
	}
	if *vod.StartTime != "2030-01-02T03:04:05Z" {
		t.Fatalf("start not sent as UTC: %s", *vod.StartTime)
	}
}

// A create that committed but answered 500, whose lookup by dst_url is
// refused as well: the error must say that the task may exist, and
// MayHaveCreated must recognise it even though errors.As also finds the
// create's own *APIError inside.
func TestCreateUnresolvedMayHaveCreated(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f.endpoint(), 0, nil)
	f.fault(OpCreate, "commit-500")
	f.fault(OpList, "err:403:Forbidden.RAM")
	_, err := c.Create(context.Background(), testSpec("rtmp://dst.example.com/app/unresolved"))
	if err == nil {
		t.Fatal("Create succeeded; want an unresolved create")
	}
	if !MayHaveCreated(err) {
		t.Fatalf("MayHaveCreated(%v) = false", err)
	}
	if got := f.taskCount(); got != 1 {
		t.Fatalf("the service holds %d tasks, want 1 (the create committed)", got)
	}
	if want := `look for a task with dst_url "rtmp://dst.example.com/app/unresolved" before applying again`; !strings.HasSuffix(err.Error(), want) {
		t.Fatalf("err = %q\nwant it to end with %q", err, want)
	}
	if MayHaveCreated(&APIError{Operation: OpCreate, Code: "InternalError", HTTPStatus: 500}) {
		t.Fatal("MayHaveCreated is true for a plain APIError")
	}
}

// A replacement under create_before_destroy asks for exactly the
// configuration of the task it replaces. When its first attempt gets no
// clear answer, the task found on the destination is the one being
// replaced, which was there before: it is never adopted (Terraform would
// then delete it as the deposed object) and never deleted as a stray.
func TestCreateNeverAdoptsTaskThatWasThereBefore(t *testing.T) {
	for _, dupDst := range []bool{false, true} {
		for _, fault := range []string{"500", "drop"} {
			t.Run(fmt.Sprintf("dupDst=%v/%s", dupDst, fault), func(t *testing.T) {
				f := newFake(t)
				f.dupDst = dupDst
				c := newTestClient(t, f.endpoint(), 0, nil)
				spec := testSpec("rtmp://dst.example.com/app/replace")
				old, err := c.Create(context.Background(), spec)
				if err != nil {
					t.Fatal(err)
				}
				f.resetCounts()
				f.fault(OpCreate, fault)
				id, err := c.Create(context.Background(), spec)
				if dupDst {
					// The service takes a second task on the destination: the
					// repeat creates the new one, and the old one stays.
					if err != nil || id == old || id == "" {
						t.Fatalf("Create = %q, %v; want a new task beside %s", id, err, old)
					}
					if f.taskCount() != 2 || f.count(OpDelete) != 0 || f.count(OpCreate) != 2 {
						t.Fatalf("tasks %d, Delete %d, Create %d; want 2, 0 and 2", f.taskCount(), f.count(OpDelete), f.count(OpCreate))
					}
					return
				}
				want := `CreateLivePullToPush failed: dst_url "rtmp://dst.example.com/app/replace" is already used by ` +
					`task ` + old + `, which has the same configuration: import that task instead of creating it again ` +
					`(CodeConfigAlreadyExists, HTTP 400, request ID rid-exists)`
				if err == nil || err.Error() != want || id != "" {
					t.Fatalf("Create = %q, %v\nwant the error %s", id, err, want)
				}
				var ce *ConflictError
				if !errors.As(err, &ce) || ce.TaskID != old || !ce.SameConfig {
					t.Fatalf("ConflictError %+v", ce)
				}
				// The list before, the lookup, the repeat, the lookup after it.
				if f.taskCount() != 1 || f.count(OpCreate) != 2 || f.count(OpList) != 3 || f.count(OpDelete) != 0 {
					t.Fatalf("tasks %d, Create %d, List %d, Delete %d; want 1, 2, 3 and 0", f.taskCount(),
						f.count(OpCreate), f.count(OpList), f.count(OpDelete))
				}
			})
		}
	}
}

// TestNotApplied names every parameter that did not read back, and compares
// times to the second; a start time counts only while the task is idle.
func TestNotApplied(t *testing.T) {
	at := func(s string) *time.Time { v, _ := time.Parse(time.RFC3339Nano, s); return &v }
	i32 := func(v int32) *int32 { return &v }
	str := func(v string) *string { return &v }
	task := &Task{Status: StatusIdle, Spec: Spec{StartTime: *at("2026-12-03T10:00:00Z"), EndTime: *at("2026-12-03T12:00:00Z"),
		SourceURLs: []string{"a", "b"}, RepeatNumber: 1, FileIndex: 1, Offset: 5, CallbackURL: "https://h/x"}}
	in := UpdateInput{StartTime: at("2026-12-03T10:00:00.4Z"), EndTime: at("2026-12-03T12:00:00Z"),
		SourceURLs: []string{"a", "b"}, RepeatNumber: i32(1), FileIndex: i32(1), Offset: i32(5), CallbackURL: str("https://h/x")}
	if got := NotApplied(in, task); len(got) != 0 || !UpdateApplied(in, task) {
		t.Fatalf("NotApplied = %v, want none", got)
	}
	in = UpdateInput{StartTime: at("2026-12-03T10:05:00Z"), EndTime: at("2026-12-03T13:00:00Z"), SourceURLs: []string{"b", "a"},
		RepeatNumber: i32(-1), FileIndex: i32(0), Offset: i32(0), CallbackURL: str("")}
	want := []string{"StartTime", "EndTime", "SourceUrls", "RepeatNumber", "FileIndex", "Offset", "CallbackUrl"}
	if got := NotApplied(in, task); !slices.Equal(got, want) || UpdateApplied(in, task) {
		t.Fatalf("NotApplied = %v, want %v", got, want)
	}
	task.Status = StatusRunning
	if got := NotApplied(in, task); !slices.Equal(got, want[1:]) {
		t.Fatalf("NotApplied of a running task = %v, want %v", got, want[1:])
	}
}
