package provider

// This file holds what makes the resource converge under every reading of
// the service's documentation (see "Readings of the service" in the
// resource documentation): waiting for a start, stop or restart to show,
// following a task to the new ID a restart gives it, and detecting an
// update the service accepted but did not apply.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// taskClient holds the API client and the task operations that the
// resource and the restart action share: reads that wait for a change to
// show, and stops and restarts that follow a task to a new ID.
type taskClient struct {
	client *liveapi.Client
}

// settleTimeout bounds how long the provider waits for a start, stop or
// restart to show in DescribeLivePullToPush: nothing in the documentation
// says a status change shows at once, so one reading has it show a moment
// later. settlePoll is the pause between reads.
var (
	settleTimeout = 15 * time.Second
	settlePoll    = 500 * time.Millisecond
)

// describeSettled reads a task; one that is still idle although its
// start_time has passed is read again until it shows started.
func (r *taskClient) describeSettled(ctx context.Context, region, id string) (*liveapi.Task, error) {
	t, err := r.client.DescribeFresh(ctx, region, id)
	if err != nil || t.Status != liveapi.StatusIdle || t.Spec.StartTime.After(time.Now()) {
		return t, err
	}
	return r.waitFor(ctx, region, id, t, func(t *liveapi.Task) bool { return t.Status != liveapi.StatusIdle })
}

// waitFor reads the task until done holds for it, settleTimeout has
// passed or ctx ends, and returns the last read.
func (r *taskClient) waitFor(ctx context.Context, region, id string, last *liveapi.Task,
	done func(*liveapi.Task) bool) (*liveapi.Task, error) {
	deadline := time.Now().Add(settleTimeout)
	for !done(last) && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return last, nil
		case <-time.After(settlePoll):
		}
		t, err := r.client.DescribeFresh(ctx, region, id)
		if err != nil {
			return nil, err
		}
		last = t
	}
	return last, nil
}

// stoppedOrGone is what a stop waits for.
func stoppedOrGone(t *liveapi.Task) bool {
	return t.Status == liveapi.StatusOffline || t.Status == liveapi.StatusIdle || t.Ended()
}

// stopSettled stops a task and waits until it shows stopped. A task that
// is still idle afterwards was not stopped: the service cannot stop a task
// before it starts, and one reading has it accept the request without
// effect (errStopNoEffect).
//
// Once the stop is accepted, the reads run on restoreContext: the caller
// restarts a relay it stopped for a change, and needs to know that the
// stop showed even when it was interrupted meanwhile.
func (r *taskClient) stopSettled(ctx context.Context, region, id string) (*liveapi.Task, error) {
	if err := r.client.Stop(ctx, region, id); err != nil {
		return nil, err
	}
	rctx, cancel := restoreContext(ctx)
	defer cancel()
	t, err := r.client.DescribeFresh(rctx, region, id)
	if err == nil {
		t, err = r.waitFor(rctx, region, id, t, stoppedOrGone)
	}
	switch {
	case err != nil:
		return nil, err
	case t.Status == liveapi.StatusIdle:
		return t, &settleError{op: "StopLivePullToPush", id: id, task: t}
	case !stoppedOrGone(t):
		return t, &settleError{op: "StopLivePullToPush", id: id, task: t}
	}
	return t, nil
}

// runningOrDone is what a restart waits for: the task runs (or already
// recovers from a failure), has ended, or went offline with a reason
// although it has no retries (it failed at once). A task with retries left
// recovers for at least one retry interval before it goes offline, so an
// offline one has not restarted yet, whatever reason it still shows.
func runningOrDone(t *liveapi.Task) bool {
	return t.Status == liveapi.StatusRunning || t.Status == liveapi.StatusRecovering || t.Ended() ||
		(t.Status == liveapi.StatusOffline && t.InvalidReason != "" && t.Spec.RetryCount == 0)
}

// restartSettled restarts a task, follows it to the ID the restart
// answers (restartFollow), and waits until it shows running. It returns
// the task's ID after the restart; an error after the service accepted the
// restart (reading the task back failed) is a *readBackError.
func (r *taskClient) restartSettled(ctx context.Context, region, id, dst string) (string, error) {
	newID, err := r.restartFollow(ctx, region, id, dst, false)
	if err != nil {
		return id, err
	}
	t, err := r.client.DescribeFresh(ctx, region, newID)
	if err == nil {
		_, err = r.waitFor(ctx, region, newID, t, runningOrDone)
	}
	if err != nil {
		return newID, &readBackError{err: err}
	}
	return newID, nil
}

// readBackError is a read that failed after the service accepted a write.
type readBackError struct{ err error }

func (e *readBackError) Error() string { return e.err.Error() }
func (e *readBackError) Unwrap() error { return e.err }

// restartFollow restarts a task and follows it to the ID the restart
// answers (Restart's TaskId is documented as "the new task ID"). dst finds
// the task when the answer was lost and the old ID is gone. wasRunning
// says the task ran before the restart, so that a running read-back after
// a lost answer does not count as proof of the restart
// (liveapi.Client.RestartRunning). It returns the task's ID after the
// restart.
func (r *taskClient) restartFollow(ctx context.Context, region, id, dst string, wasRunning bool) (string, error) {
	restart := r.client.RestartTask
	if wasRunning {
		restart = r.client.RestartRunning
	}
	newID, err := restart(ctx, region, id)
	var moved *liveapi.MovedError
	if errors.As(err, &moved) {
		newID, err = r.findMoved(ctx, region, id, dst, moved)
	}
	if err != nil {
		return "", err
	}
	if newID != id {
		tflog.Info(ctx, "pull-to-push task has a new ID after its restart", map[string]any{"task_id": id, "new_task_id": newID})
	}
	return newID, nil
}

// restoreGrace is how long the provider may still work, once an apply or
// an action invocation is interrupted or times out, to restart a relay it
// stopped itself (as the client resolves an ambiguous create).
var restoreGrace = 30 * time.Second

// restoreContext returns the context for restarting a relay that the
// provider stopped for a change: it is not cancelled with ctx, and once
// ctx ends it ends restoreGrace later. A relay that ran before the apply
// is never left stopped because Ctrl-C came between the stop and the
// restart.
func restoreContext(ctx context.Context) (context.Context, context.CancelFunc) {
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(restoreGrace, cancel) })
	return rctx, func() { stop(); cancel() }
}

// interruptedDetail explains an interruption that came after the provider
// had stopped a running relay (what, a clause): it names the restart's
// outcome (restartErr) and the task's status read on rctx under the ID the
// restart left it with.
func interruptedDetail(rctx context.Context, c *liveapi.Client, region, id, newID string, restartErr error, what string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The operation was interrupted %s. ", what)
	var unread *readBackError
	if restartErr != nil && !errors.As(restartErr, &unread) {
		fmt.Fprintf(&b, "Restarting the task failed (%s): it is stopped now, and the next apply restarts it.",
			strings.TrimSuffix(restartErr.Error(), "."))
		return b.String()
	}
	if newID == "" {
		newID = id
	}
	if newID != id {
		fmt.Fprintf(&b, "The task was restarted and has the new ID %q", newID)
	} else {
		b.WriteString("The task was restarted")
	}
	if t, err := c.DescribeFresh(rctx, region, newID); err == nil {
		fmt.Fprintf(&b, "; it is %s now.", statusName(t.Status))
	} else {
		b.WriteString("; reading its status failed, so refresh to see it.")
	}
	return b.String()
}

// findMoved looks for the task a restart with a lost answer moved to a new
// ID: the one task on dst other than the old ID that has not ended.
func (r *taskClient) findMoved(ctx context.Context, region, oldID, dst string, moved error) (string, error) {
	tasks, err := r.client.List(ctx, region, liveapi.ListFilter{DstURL: dst})
	if err != nil {
		return "", fmt.Errorf("%w; looking for it by dst_url failed: %w", moved, err)
	}
	var found []string
	for _, t := range tasks {
		if t.Spec.DstURL == dst && t.ID != oldID && !t.Ended() {
			found = append(found, t.ID)
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("%w; %d tasks other than it push to dst_url %q, so the provider cannot tell which one it "+
			"became (%s): import the right one with terraform import", moved, len(found), dst, strings.Join(found, ", "))
	}
	return found[0], nil
}

// settleError is a stop or restart the service accepted but that did not
// show in time, or (a stop of an idle task) had no effect.
type settleError struct {
	op   string
	id   string
	task *liveapi.Task
}

func (e *settleError) Error() string {
	if e.op == "StopLivePullToPush" && e.task.Status == liveapi.StatusIdle {
		return fmt.Sprintf("The service accepted StopLivePullToPush for pull-to-push task %q, but the task is still idle: "+
			"the service cannot stop a task before its start_time (%s) and ignored the request. Set enabled = true until "+
			"the task has started, then set it to false", e.id, e.task.Spec.StartTime.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("The service accepted %s for pull-to-push task %q, but %v later the task still shows status %q; "+
		"run terraform apply again once it has", e.op, e.id, settleTimeout, statusName(e.task.Status))
}

// privateNotApplied is the private state key that lists the arguments the
// service accepted a change of but did not change in place.
const privateNotApplied = "not_applied_in_place"

// notApplied names the arguments whose change in in the task t read back
// does not show. A start time is only compared while the task is idle: the
// service documents that it ignores one once the task has started, and the
// plan replaces a started task instead.
func notApplied(in liveapi.UpdateInput, t *liveapi.Task) []string {
	s := t.Spec
	var out []string
	if in.StartTime != nil && t.Status == liveapi.StatusIdle && !in.StartTime.Equal(s.StartTime) {
		out = append(out, "start_time")
	}
	if in.EndTime != nil && !in.EndTime.Equal(s.EndTime) {
		out = append(out, "end_time")
	}
	if in.SourceURLs != nil && !slices.Equal(in.SourceURLs, s.SourceURLs) {
		out = append(out, "source_urls")
	}
	if in.RepeatNumber != nil && *in.RepeatNumber != s.RepeatNumber {
		out = append(out, "repeat_number")
	}
	if in.FileIndex != nil && *in.FileIndex != s.FileIndex {
		out = append(out, "file_index")
	}
	if in.Offset != nil && *in.Offset != s.Offset {
		out = append(out, "offset")
	}
	if in.CallbackURL != nil && *in.CallbackURL != s.CallbackURL {
		out = append(out, "callback_url")
	}
	return out
}

// privateSetter is the part of a response's private state Update uses.
type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// recordNotApplied remembers in the private state which arguments the
// service did not change in place, so the next plan replaces the task, and
// returns the error of the apply that found out.
func recordNotApplied(ctx context.Context, private privateSetter, id string, attrs []string, want, got *pullToPushTaskModel) diag.Diagnostics {
	data, _ := json.Marshal(attrs)
	diags := private.SetKey(ctx, privateNotApplied, data)
	var b strings.Builder
	fmt.Fprintf(&b, "The service accepted the update of pull-to-push task %q but did not apply ", id)
	for i, a := range attrs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s (requested %s, the task has %s)", a, describeValue(attrValue(want, a)), describeValue(attrValue(got, a)))
	}
	b.WriteString(". The service cannot make this change in place, so the state records the task as it is, and the " +
		"next plan replaces the task to apply it (delete, then create, which interrupts the relay). Run terraform apply " +
		"again to do that, or change the configuration back to keep the task.")
	diags.AddError("Pull-to-Push Task Update Not Applied", b.String())
	return diags
}

// planNotApplied plans the replacement of a task whose arguments the
// service did not change in place on an earlier apply, when the plan still
// changes them, with a warning that says why.
func planNotApplied(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, plan, state *pullToPushTaskModel) {
	if req.Private == nil {
		return
	}
	data, diags := req.Private.GetKey(ctx, privateNotApplied)
	resp.Diagnostics.Append(diags...)
	var attrs []string
	if len(data) == 0 || json.Unmarshal(data, &attrs) != nil {
		return
	}
	var changed []string
	for _, a := range attrs {
		if p, s := attrValue(plan, a), attrValue(state, a); p != nil && s != nil && !p.Equal(s) {
			resp.RequiresReplace.Append(path.Root(a))
			changed = append(changed, a)
		}
	}
	if len(changed) == 0 {
		return
	}
	resp.Diagnostics.AddWarning("Pull-to-Push Task Will Be Replaced",
		fmt.Sprintf("On an earlier apply the service accepted a change of %s of pull-to-push task %q but did not apply "+
			"it, so it cannot make this change in place: this plan replaces the task (delete, then create), which "+
			"interrupts the relay.", strings.Join(changed, ", "), state.ID.ValueString()))
}

// attrValue is the value of an updatable argument of m by name.
func attrValue(m *pullToPushTaskModel, name string) attr.Value {
	switch name {
	case "start_time":
		return m.StartTime
	case "end_time":
		return m.EndTime
	case "source_urls":
		return m.SourceURLs
	case "repeat_number":
		return m.RepeatNumber
	case "file_index":
		return m.FileIndex
	case "offset":
		return m.Offset
	case "callback_url":
		return m.CallbackURL
	}
	return nil
}

// describeValue writes a value for a message: null as "none".
func describeValue(v attr.Value) string {
	if v == nil || v.IsNull() {
		return "none"
	}
	return v.String()
}

// retryIgnoredUpdate repeats an update the service accepted without
// applying it, when the read-back shows why: the task runs although it did
// not when the update was decided (it started in between, or a stop had
// not shown yet), and what was not applied is something a running task
// refuses (anything but callback_url and repeat_number). It stops the
// task, updates it and restarts it when it should run, then reads it back.
// It reports false when that does not apply.
func (r *pullToPushTaskResource) retryIgnoredUpdate(ctx context.Context, region, id, dst string, in liveapi.UpdateInput,
	wantEnabled bool, t *liveapi.Task) (bool, string, *liveapi.Task, error) {
	refused := slices.ContainsFunc(notApplied(in, t), func(a string) bool { return a != "callback_url" && a != "repeat_number" })
	if !refused || (t.Status != liveapi.StatusRunning && t.Status != liveapi.StatusRecovering) {
		return false, id, t, nil
	}
	tflog.Warn(ctx, "pull-to-push task update was accepted but not applied while the task runs; stopping it and updating again",
		map[string]any{"task_id": id, "not_applied": notApplied(in, t)})
	if _, err := r.stopSettled(ctx, region, id); err != nil {
		return true, id, nil, err
	}
	in.TaskID = id
	if err := r.client.Update(ctx, in); err != nil {
		return true, id, nil, err
	}
	if wantEnabled {
		newID, err := r.restartSettled(ctx, region, id, dst)
		if err != nil {
			return true, newID, nil, err
		}
		id = newID
	}
	t, err := r.client.DescribeFresh(ctx, region, id)
	return true, id, t, err
}

// readingsMarkdown ends the resource's documentation: what a user sees
// under each reading of the service's documentation the emulator follows.
const readingsMarkdown = "**Where the service's documentation allows several readings**, the provider is tested " +
	"against each of them (the emulator's variants, see the emulator guide). What you see under each:\n\n" +
	"- An ended or deleted task may stay visible for a while with status -1 (`exited-visible`), or be reported " +
	"stopped with the exit reason `OverEndTime`: the refresh treats it like a deleted task, removes it from the state " +
	"with a warning, and its `dst_url` can be used again at once.\n" +
	"- The service may accept an update without applying it (`update-ignored`), or keep a `callback_url` that an " +
	"update clears (`callback-unclearable`). The provider reads every update back. An update ignored because the task " +
	"started in the meantime is repeated, with a stop and a restart, in the same apply. A change the service does not " +
	"make in place fails the apply with \"Pull-to-Push Task Update Not Applied\", which names the argument, the value " +
	"asked for and the value the task kept; the state records the task as it is, and the next plan replaces the task, " +
	"with a warning that says why.\n" +
	"- `end_time` may change on a running task without a stop (`endtime-while-running`); the provider still stops, " +
	"updates and restarts the task, which works under both readings.\n" +
	"- A second task on a `dst_url` in use may be accepted and then fail to push (`dst-conflict-at-runtime`): it shows " +
	"`status = \"recovering\"` with `invalid_reason = \"PushStreamFailed\"`, relays at its next retry once the other " +
	"task stops, and goes `offline` if it never does. `create_before_destroy` with the same `dst_url` then works, " +
	"with the new task relaying up to `retry_interval` seconds after the old one is deleted. A create whose answer " +
	"was lost is adopted by its `dst_url` under both readings and never leaves two tasks; a task that used the " +
	"`dst_url` before the create (such as the one a `create_before_destroy` replacement replaces) is never adopted.\n" +
	"- A restart may give the task a new ID (`restart-new-id`): the state follows it. A plan that may stop or restart " +
	"the task (every change other than `callback_url` and `repeat_number`) shows `id` as known after apply; a change " +
	"of only those two never restarts the task, so a task found offline then is restarted by the next plan.\n" +
	"- Stopping a task that has not started may be accepted without effect (`stop-idle-noop`): the provider reads the " +
	"status back and fails with a message saying so, as it does when the service refuses the stop.\n" +
	"- Empty fields may be left out of the answers (`omit-empty`), and `source_protocol` may be echoed in any letter " +
	"case (`protocol-as-sent`): neither shows as drift.\n" +
	"- Starts, stops and restarts may show a moment late (`async`): the provider waits up to 15 seconds for each to " +
	"show, so the state records the status the apply asked for.\n" +
	"- Relays fail and recover by themselves, and a playlist's position moves on (`flaky`): `status`, " +
	"`invalid_reason`, `current_file_index` and `current_offset` are refreshed and never planned as a change; a task " +
	"that went `offline` by itself shows as a change of `enabled` that the next apply restarts. A source or " +
	"destination that cannot be reached gives the same picture."

// mayRestart reports whether an update from state to plan may stop or
// restart the task: it changes something other than callback_url and
// repeat_number, which the service changes on a running task.
func mayRestart(plan, state *pullToPushTaskModel) bool {
	return !plan.StartTime.Equal(state.StartTime) || !plan.EndTime.Equal(state.EndTime) ||
		!plan.SourceURLs.Equal(state.SourceURLs) || !plan.FileIndex.Equal(state.FileIndex) ||
		!plan.Offset.Equal(state.Offset) || !plan.Enabled.Equal(state.Enabled)
}
