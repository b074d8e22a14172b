package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

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
		newID, t, err := r.restartSettled(ctx, region, id, dst)
		if err != nil {
			return true, newID, nil, err
		}
		return true, newID, t, nil
	}
	t, err := r.client.DescribeFresh(ctx, region, id)
	return true, id, t, err
}

// writeFirst names the write an update sends before it reads the task,
// acting on the status that the plan was made with (the state's), or
// writeFirstNone when the update reads the task first (readBeforeUpdate).
//
//   - writeFirstStop: the state shows the task running or recovering, and
//     the update stops it (enabled = false, or a change that a running
//     task refuses). A stop the service refuses (a task that is idle or
//     gone) or that fails changes nothing that is assumed: the update then
//     reads the task and decides on what it finds. A task that went
//     offline since the plan answers the stop with CodeTaskHasStopped,
//     which is success; it is then updated and restarted as planned, as
//     the read would have decided.
//   - writeFirstRestart: the state shows the task offline, and the update
//     only sets enabled = true.
//
// Either way the one read of the task is the read-back after the last
// write, so that an update of many tasks costs one
// DescribeLivePullToPush each, the quota that bounds it. The assumption,
// where the documentation is silent: a stop or restart decided on a status
// seconds or minutes old is what the plan asked for. The service itself
// settles the cases where it no longer holds: the stop or restart of a
// task that is gone fails, a stop of an idle task fails (or, under one
// reading, is ignored, which the read-back shows), and a task that was
// restarted out of band since the plan is restarted once more.
func writeFirst(state *pullToPushTaskResourceModel, in *liveapi.UpdateInput, restricted, needUpdate, wantEnabled bool) writeFirstAction {
	switch state.Status.ValueString() {
	case statusRunning, statusRecovering:
		if in.StartTime == nil && (!wantEnabled || (restricted && needUpdate)) {
			return writeFirstStop
		}
	case statusOffline:
		if wantEnabled && !needUpdate && !state.Enabled.ValueBool() {
			return writeFirstRestart
		}
	}
	return writeFirstNone
}

// writeFirstAction is what writeFirst returns.
type writeFirstAction int

const (
	writeFirstNone writeFirstAction = iota
	writeFirstStop
	writeFirstRestart
)

// ifUpdated is updated's text when the update's UpdateLivePullToPush was
// applied, and otherwise the other: what a failed restart or stop left.
func ifUpdated(needUpdate bool, updated, otherwise string) string {
	if needUpdate {
		return updated
	}
	return otherwise
}

// Update changes the task in place. A change of only callback_url or
// repeat_number of a task that is to keep running is sent at once; so is
// the stop or restart that the state's status calls for (writeFirst).
// Every other update first reads the task afresh and re-checks what the
// plan assumed about its status (planAssumptionBroken): when an assumption
// no longer holds it changes nothing and asks for a new plan. Fields the service only changes on a stopped task are applied to a
// running one as stop, update, restart; enabled = true restarts a task that
// is offline, also one that went offline after the plan was made.
func (r *pullToPushTaskResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer redactDiagnostics(&resp.Diagnostics)
	defer syncIdentity(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
	var plan, state pullToPushTaskResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := operationContext(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	id, region := state.ID.ValueString(), state.Region.ValueString()
	in, restricted, diags := updateInput(ctx, &plan.pullToPushTaskModel, &state.pullToPushTaskModel)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	in.Region, in.TaskID = region, id
	needUpdate := restricted || in.RepeatNumber != nil || in.CallbackURL != nil

	// A change of only callback_url or repeat_number (or of timeouts) on a
	// task that is to keep running relies on nothing about the task's
	// status: the service takes both in any state, so such an update is
	// sent without reading the task first. That keeps an update of many
	// tasks at one Describe per task (the Describe quota is what bounds it).
	// Such a plan keeps id known, so this path never restarts the task: a
	// restart may give it a new ID (restart-new-id), which the plan did not
	// allow. A task found offline by the read-back is recorded with a
	// warning, and the next plan shows enabled changing to true, which
	// restarts it.
	wantEnabled := plan.Enabled.ValueBool()
	statusFree := !restricted && wantEnabled && state.Enabled.ValueBool()
	dst := state.DstURL.ValueString()
	var stop, restart bool
	// stopSeen is false while a stop sent without reading the task first
	// (writeFirstStop) has not been seen to take effect.
	stopSeen := true
	first := writeFirst(&state, &in, restricted, needUpdate, wantEnabled)
	if first == writeFirstStop {
		if err := r.client.Stop(ctx, region, id); err != nil {
			// Refused (the task is idle, gone, or the call failed): nothing
			// is assumed; the task is read and the update decided on that.
			tflog.Debug(ctx, "pull-to-push task not stopped before its update; reading it", map[string]any{"task_id": id})
			first = writeFirstNone
		} else {
			stop, restart, stopSeen = true, wantEnabled, false
		}
	}
	restart = restart || first == writeFirstRestart
	if !statusFree && first == writeFirstNone {
		current, err := r.readBeforeUpdate(ctx, region, id, &state)
		if err != nil {
			resp.Diagnostics.AddError("Unable to Update Pull-to-Push Task", updateErrorDetail(
				taskCall("DescribeLivePullToPush", "reading", id, region), err, &state,
				"Nothing was changed.", "If the task no longer exists, refresh to remove it from the state."))
			resp.State = req.State
			return
		}
		if detail := planAssumptionBroken(id, &in, &plan, current); detail != "" {
			resp.Diagnostics.AddError("Pull-to-Push Task Changed Since the Plan", detail)
			r.saveTask(ctx, current, &state, &resp.State, &resp.Diagnostics)
			return
		}
		running := current.Status == liveapi.StatusRunning || current.Status == liveapi.StatusRecovering
		stop = running && (!wantEnabled || (restricted && needUpdate))
		restart = wantEnabled && (stop || current.Status == liveapi.StatusOffline)
		tflog.Debug(ctx, "updating pull-to-push task", map[string]any{
			"task_id": id, "status": statusName(current.Status), "stop": stop, "update": needUpdate, "restart": restart,
		})
		if stop {
			if _, err := r.stopSettled(ctx, region, id); err != nil {
				resp.Diagnostics.AddError("Unable to Stop Pull-to-Push Task", apiErrorDetail(taskCall("StopLivePullToPush", "stopping", id, region), err,
					"Nothing was changed.", "Apply again once the cause is fixed."))
				r.saveActual(ctx, region, id, &state, req.State, resp)
				return
			}
		}
	} else if first != writeFirstNone {
		tflog.Debug(ctx, "updating pull-to-push task as planned", map[string]any{
			"task_id": id, "status": state.Status.ValueString(), "stop": stop, "update": needUpdate, "restart": restart,
		})
	}
	// Once the provider has stopped a running relay that is to keep running,
	// the restart (and the reads after it) run on a context that survives
	// an interruption for a grace period: Ctrl-C between the stop and the
	// restart must not leave the relay stopped.
	wctx := ctx
	if stop && restart {
		var rcancel context.CancelFunc
		wctx, rcancel = restoreContext(ctx)
		defer rcancel()
	}
	if needUpdate {
		// Interrupted (or out of time) after the stop: only restore the relay.
		err := ctx.Err()
		if err == nil || !stop || !restart {
			err = r.client.Update(ctx, in)
			if err != nil && !stopSeen && ctx.Err() == nil && !errors.Is(err, liveapi.ErrNotFound) {
				// The stop may not show at once (async): a task that still
				// runs refuses what the update changes. Wait until the stop
				// shows, then send the update once more.
				if _, serr := r.stopShown(ctx, region, id); serr == nil {
					stopSeen = true
					err = r.client.Update(ctx, in)
				}
			}
		}
		if err != nil {
			interrupted := ctx.Err() != nil && stop && restart
			if !interrupted {
				resp.Diagnostics.AddError("Unable to Update Pull-to-Push Task", updateErrorDetail(
					taskCall("UpdateLivePullToPush", "updating", id, region), err, &state,
					"", "Correct the arguments and apply again."))
			}
			if stop && restart {
				newID, _, rerr := r.restartSettled(wctx, region, id, dst)
				switch {
				case interrupted:
					resp.Diagnostics.AddError("Pull-to-Push Task Update Interrupted", interruptedDetail(wctx, r.client,
						region, id, newID, rerr, fmt.Sprintf("after pull-to-push task %q had been stopped for the "+
							"update; the update was not applied (%s)", id, strings.TrimSuffix(err.Error(), "."))))
				case rerr != nil && !errors.As(rerr, new(*readBackError)):
					resp.Diagnostics.AddError("Unable to Restart Pull-to-Push Task", apiErrorDetail(
						taskCall("RestartLivePullToPush", "restarting", id, region), rerr, "The task was stopped for "+
							"the update and is still stopped; the next apply restarts it.", ""))
				}
				id = newID
			}
			r.saveActual(wctx, region, id, &state, req.State, resp)
			return
		}
	}
	// task is the read after the last write: the restart's, or else one
	// made here.
	var task *liveapi.Task
	if restart {
		oldID := id
		newID, t, err := r.restartSettled(wctx, region, id, dst)
		id = newID // the service may give a restarted task a new ID
		var unread *readBackError
		if err != nil {
			if errors.As(err, &unread) {
				resp.Diagnostics.AddError("Unable to Read Pull-to-Push Task After Restarting It", apiErrorDetail(
					taskCall("DescribeLivePullToPush", "reading", id, region), unread.err,
					restartedOutcome(oldID, id), ""))
				keepState(ctx, req.State, id, resp)
				return
			}
			if errors.Is(err, liveapi.ErrNotFound) && !stop && !needUpdate {
				// Restarted without a read first (writeFirstRestart), and
				// nothing else was changed.
				resp.Diagnostics.AddError("Unable to Update Pull-to-Push Task", updateErrorDetail(
					taskCall("RestartLivePullToPush", "restarting", oldID, region), err, &state, "", ""))
				resp.State = req.State
				return
			}
			if ctx.Err() != nil && stop {
				resp.Diagnostics.AddError("Pull-to-Push Task Update Interrupted", interruptedDetail(wctx, r.client,
					region, id, newID, err, fmt.Sprintf("after pull-to-push task %q had been stopped and updated", id)))
			} else {
				resp.Diagnostics.AddError("Unable to Restart Pull-to-Push Task", apiErrorDetail(taskCall("RestartLivePullToPush", "restarting", id, region), err,
					ifUpdated(needUpdate, "The task's settings were updated but it is stopped; the next apply restarts it.",
						"The task is still stopped; the next apply restarts it."), ""))
			}
			r.saveActual(wctx, region, id, &plan, req.State, resp)
			return
		}
		task = t
	}
	if task == nil {
		// The read-back. After a stop sent without a read first and not
		// followed by a restart (enabled = false), it waits until the stop
		// shows.
		read, outcome := r.client.DescribeFresh, "The update was sent; refresh to see the task's current settings."
		if !stopSeen {
			read, outcome = r.stopShown, "The task was stopped; refresh to see its current settings."
		}
		t, err := read(wctx, region, id)
		var se *settleError
		if errors.As(err, &se) {
			resp.Diagnostics.AddError("Unable to Stop Pull-to-Push Task", apiErrorDetail(taskCall("StopLivePullToPush", "stopping", id, region), err,
				ifUpdated(needUpdate, "The task's settings were updated, but it was not stopped.", "Nothing was changed."),
				"Apply again once the cause is fixed."))
			r.saveTask(ctx, se.task, &state, &resp.State, &resp.Diagnostics)
			return
		}
		if err != nil {
			resp.Diagnostics.AddError("Unable to Read Pull-to-Push Task After Updating It", apiErrorDetail(
				taskCall("DescribeLivePullToPush", "reading", id, region), err, outcome, ""))
			keepState(ctx, req.State, id, resp)
			return
		}
		task = t
	}
	if task.Ended() {
		// The service may keep an ended or deleted task visible as exited
		// (exited-visible) and accept an update of it without effect.
		resp.Diagnostics.AddError("Unable to Update Pull-to-Push Task", taskGoneDetail(
			"DescribeLivePullToPush shows it ended: "+endedReason(task), &state))
		keepState(ctx, req.State, id, resp)
		return
	}
	if needUpdate && len(notApplied(in, task)) > 0 {
		// Accepted but not applied: repeat it once where the read-back says
		// why, and otherwise record it so that the next plan replaces the task.
		retried, newID, t, err := r.retryIgnoredUpdate(ctx, region, id, state.DstURL.ValueString(), in, wantEnabled, task)
		if err != nil {
			resp.Diagnostics.AddError("Unable to Update Pull-to-Push Task", apiErrorDetail(taskCall("UpdateLivePullToPush", "updating", newID, region), err,
				"", "Apply again once the cause is fixed."))
			r.saveActual(ctx, region, newID, &state, req.State, resp)
			return
		}
		if retried {
			id, task = newID, t
		}
		if attrs := notApplied(in, task); len(attrs) > 0 {
			r.saveTask(ctx, task, &plan, &resp.State, &resp.Diagnostics)
			var got pullToPushTaskModel
			resp.Diagnostics.Append(got.fromTask(task, &plan.pullToPushTaskModel)...)
			resp.Diagnostics.Append(recordNotApplied(ctx, resp.Private, id, attrs, &plan.pullToPushTaskModel, &got)...)
			return
		}
	}
	r.saveApplied(ctx, task, &plan, "updated", &resp.State, &resp.Diagnostics)
}

// saveActual records the task id as it is after a failed update (keeping
// the spellings of prior), or the state before the update under id when it
// cannot be read.
func (r *pullToPushTaskResource) saveActual(ctx context.Context, region, id string, prior *pullToPushTaskResourceModel,
	before tfsdk.State, resp *resource.UpdateResponse) {
	task, err := r.client.DescribeFresh(ctx, region, id)
	if err != nil {
		keepState(ctx, before, id, resp)
		return
	}
	r.saveTask(ctx, task, prior, &resp.State, &resp.Diagnostics)
}

// idleReadMargin is how far a task's start must be for the read before an
// update to come from a listing (see readBeforeUpdate).
const idleReadMargin = time.Minute

// readBeforeUpdate reads the task whose status an update relies on. A task
// the state shows idle, whose start_time is more than idleReadMargin away
// in the prior state and in the listing's answer, is read with Describe,
// which a listing of the account may serve: no time-driven change can
// reach it within a listing's lifetime (at most snapshotMaxAge after any
// write, 10 s), and a change made by someone else meanwhile is as
// possible a second before a DescribeLivePullToPush as during that
// window. That keeps the reads of an update of many idle tasks off the
// Describe quota, which their read-backs need. Every other task (running,
// offline, or starting soon) is read with its own call (describeSettled).
func (r *taskClient) readBeforeUpdate(ctx context.Context, region, id string, state *pullToPushTaskResourceModel) (*liveapi.Task, error) {
	start, d := state.StartTime.ValueRFC3339Time()
	farOff := func(t time.Time) bool { return time.Until(t) > idleReadMargin }
	if !d.HasError() && state.Status.ValueString() == statusName(liveapi.StatusIdle) && farOff(start) {
		t, err := r.client.Describe(ctx, region, id)
		if err == nil && t.Status == liveapi.StatusIdle && farOff(t.Spec.StartTime) {
			return t, nil
		}
	}
	return r.describeSettled(ctx, region, id)
}

// keepState records the state before an update, under the task's ID id:
// once the provider has learned that a restart gave the task a new ID, the
// state names that ID whatever fails afterwards, so the task is never
// orphaned (and then created a second time).
func keepState(ctx context.Context, before tfsdk.State, id string, resp *resource.UpdateResponse) {
	resp.State = before
	var old types.String
	resp.Diagnostics.Append(before.GetAttribute(ctx, path.Root("id"), &old)...)
	if id != "" && old.ValueString() != id {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	}
}

// updateErrorDetail is apiErrorDetail for a call of an update, except that
// a task that no longer exists is said to be gone, with what the next plan
// does about it, rather than as an error to correct.
func updateErrorDetail(call apiCall, err error, state *pullToPushTaskResourceModel, outcome, fix string) string {
	if !errors.Is(err, liveapi.ErrNotFound) {
		return apiErrorDetail(call, err, outcome, fix)
	}
	return taskGoneDetail(fmt.Sprintf("%s found no task with that ID", call.op), state)
}

// taskGoneDetail says that the task of state no longer exists (how, a
// clause) and what the next plan does about it.
func taskGoneDetail(how string, state *pullToPushTaskResourceModel) string {
	id, region := state.ID.ValueString(), state.Region.ValueString()
	var b strings.Builder
	fmt.Fprintf(&b, "The pull-to-push task %q in region %q no longer exists (%s): "+
		"either it reached its end time and the service deleted it automatically, or it was deleted outside "+
		"Terraform.", id, region, how)
	if !state.EndTime.IsNull() && !state.EndTime.IsUnknown() {
		fmt.Fprintf(&b, " It was scheduled to end at %s.", state.EndTime.ValueString())
	}
	b.WriteString(" Nothing was changed. The next plan removes it from the state; if the configuration still " +
		"declares it, that plan creates it again (move start_time and end_time into the future for that), or " +
		"remove the resource block.")
	return b.String()
}
