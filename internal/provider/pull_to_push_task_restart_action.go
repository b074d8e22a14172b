package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// Ensure the implementation satisfies the framework interfaces.
var (
	_ action.Action               = (*pullToPushTaskRestartAction)(nil)
	_ action.ActionWithConfigure  = (*pullToPushTaskRestartAction)(nil)
	_ action.ActionWithModifyPlan = (*pullToPushTaskRestartAction)(nil)
)

// Pacing of the wait for a restarted task to run: restartPoll between
// reads, and a progress message at least every restartProgressEvery while
// nothing changes (every change of status gets one at once). Tests shorten
// them.
var (
	restartPoll          = time.Second
	restartProgressEvery = 10 * time.Second
)

// NewPullToPushTaskRestartAction returns the alilive_pull_to_push_task_restart action.
func NewPullToPushTaskRestartAction() action.Action {
	return &pullToPushTaskRestartAction{}
}

// pullToPushTaskRestartAction restarts one pull-to-push task on demand.
//
// It restarts only a task that runs or recovers: an offline task may be
// one that a alilive_pull_to_push_task keeps stopped with enabled = false,
// and the action cannot tell (the service does not say who stopped it), so
// restarting it could contradict the configuration. Stop and start actions
// are left out for the same reason: each would undo the resource's
// enabled, which the next apply would then undo again.
type pullToPushTaskRestartAction struct {
	taskClient
}

// restartActionModel is the action's configuration.
type restartActionModel struct {
	Region    types.String   `tfsdk:"region"`
	TaskID    types.String   `tfsdk:"task_id"`
	FileIndex types.Int64    `tfsdk:"file_index"`
	Offset    types.Int64    `tfsdk:"offset"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

// Metadata sets the action type name.
func (a *pullToPushTaskRestartAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pull_to_push_task_restart"
}

// Schema describes the action.
func (a *pullToPushTaskRestartAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		// The rest of the page is templates/actions/pull_to_push_task_restart.md.tmpl.
		MarkdownDescription: "Restarts a running ApsaraVideo Live pull-to-push task now (RestartLivePullToPush), " +
			"optionally from a given position of its playlist, and waits until it relays again, reporting its " +
			"status while it waits. Run it with `terraform apply -invoke=action.alilive_pull_to_push_task_restart.<name>`, " +
			"or from a resource's `lifecycle { action_trigger { ... } }`. Needs Terraform 1.14 or later.",
		Attributes: map[string]schema.Attribute{
			"task_id": schema.StringAttribute{
				MarkdownDescription: "ID of the task to restart, for example `alilive_pull_to_push_task.<name>.id`.",
				Required:            true,
				Validators: []validator.String{stringvalidator.RegexMatches(taskIDPattern,
					"must consist of 1 to 55 letters, digits, - and _")},
			},
			"region": schema.StringAttribute{
				MarkdownDescription: "Live center of the task: one of `" + strings.Join(liveRegions, "`, `") +
					"`. Defaults to the provider's `region`.",
				Optional:   true,
				Validators: []validator.String{liveRegionValidator{}},
			},
			"file_index": schema.Int64Attribute{
				MarkdownDescription: "Index (from 0) of the `source_urls` entry a `vod` or `url` task plays first " +
					"after the restart; lower than the number of entries. Not allowed for `live` tasks. When unset, " +
					"the restart plays from the position stored in the task. Setting it stores the position in the " +
					"task (see above).",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxInt32)},
			},
			"offset": schema.Int64Attribute{
				MarkdownDescription: "Seconds into the entry `file_index` names where the restart starts. Needs " +
					"`file_index`. Defaults to `0` when `file_index` is set.",
				Optional: true,
				Validators: []validator.Int64{
					int64validator.Between(0, maxInt32),
					int64validator.AlsoRequires(path.MatchRoot("file_index")),
				},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{
				InvokeDescription: timeoutDescription("the invocation, with its wait for the task to run,") + " " +
					"A task that recovers from a failure retries only every `retry_interval` (60 seconds or more), so " +
					"keep it above that when the source may take a retry to come back.",
			}),
		},
	}
}

// Configure stores the shared API client.
func (a *pullToPushTaskRestartAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = clientFromProviderData(req.ProviderData, "restart action", &resp.Diagnostics)
}

// ModifyPlan reads the task when its ID is known and the provider is
// configured, and checks at plan time what the invocation checks again:
// the task exists, runs, and has a playlist that file_index fits.
func (a *pullToPushTaskRestartAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	defer redactDiagnostics(&resp.Diagnostics)
	var m restartActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || a.client == nil || m.TaskID.IsUnknown() || m.Region.IsUnknown() ||
		m.FileIndex.IsUnknown() || m.Offset.IsUnknown() {
		return
	}
	region, id := a.region(&m), m.TaskID.ValueString()
	t, err := a.client.DescribeFresh(ctx, region, id)
	if err != nil {
		addReadError(&resp.Diagnostics, "Unable to Plan Pull-to-Push Task Restart", id, region, err, "")
		return
	}
	if p := checkRestartable(t, id, region, &m); p != nil {
		resp.Diagnostics.AddAttributeError(p.path, p.summary, p.detail)
	}
}

// Invoke restarts the task, from the given playlist position when one is
// set, and waits until it runs.
func (a *pullToPushTaskRestartAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	defer redactDiagnostics(&resp.Diagnostics)
	var m restartActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := m.Timeouts.Invoke(ctx, defaultOperationTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout) // the timeout also goes into the action's messages
	defer cancel()
	progress := func(format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		tflog.Info(ctx, "restart action: "+msg)
		if resp.SendProgress != nil {
			resp.SendProgress(action.InvokeProgressEvent{Message: msg})
		}
	}
	region, id := a.region(&m), m.TaskID.ValueString()
	r := restartRun{a: a, ctx: ctx, diags: &resp.Diagnostics, progress: progress, region: region, id: id, m: &m,
		started: time.Now(), timeout: timeout}
	r.run()
}

// region is the task's live center: the configured one, else the provider's.
func (a *pullToPushTaskRestartAction) region(m *restartActionModel) string {
	if !m.Region.IsNull() && m.Region.ValueString() != "" {
		return m.Region.ValueString()
	}
	return a.client.Region()
}

// restartRun is one invocation of the action.
type restartRun struct {
	a        *pullToPushTaskRestartAction
	ctx      context.Context
	diags    *diag.Diagnostics
	progress func(format string, args ...any)
	region   string
	id       string
	m        *restartActionModel
	started  time.Time
	timeout  time.Duration
}

const restartSummary = "Unable to Restart Pull-to-Push Task"

// run reads the task, checks it, restarts it and waits.
func (r *restartRun) run() {
	ctx, c, region, id := r.ctx, r.a.client, r.region, r.id
	t, err := c.DescribeFresh(ctx, region, id)
	if err != nil {
		addReadError(r.diags, restartSummary, id, region, err, "Nothing was changed. ")
		return
	}
	if p := checkRestartable(t, id, region, r.m); p != nil {
		r.diags.AddAttributeError(p.path, p.summary, p.detail+" Nothing was changed.")
		return
	}
	before := t
	dst := t.Spec.DstURL
	// A task that runs before the restart proves nothing by running after
	// it, when an attempt's answer was lost (liveapi RestartRunning).
	wasRunning := t.Status == liveapi.StatusRunning || t.Status == liveapi.StatusRecovering
	rctx := ctx
	if r.m.FileIndex.IsNull() {
		r.progress("Restarting pull-to-push task %q in region %q (status %s).", id, region, statusName(t.Status))
	} else {
		if !r.reposition(t) {
			return
		}
		// The action stopped the relay: restart it even when the
		// invocation is interrupted now.
		var cancel context.CancelFunc
		rctx, cancel = restoreContext(ctx)
		defer cancel()
		wasRunning = false
	}
	newID, err := r.a.restartFollow(rctx, region, id, dst, wasRunning)
	if err != nil {
		r.diags.AddError(restartSummary, apiErrorDetail(taskCall("RestartLivePullToPush", "restarting", id, region), err,
			r.restartOutcome(err), "Invoke the action again once the cause is fixed."))
		return
	}
	if ctx.Err() != nil && rctx != ctx {
		r.diags.AddError("Pull-to-Push Task Restart Interrupted", interruptedDetail(rctx, r.a.client, region, id, newID, nil,
			fmt.Sprintf("after pull-to-push task %q had been stopped and given its new playlist position", id)))
		return
	}
	if newID != id {
		r.progress("The service gave pull-to-push task %q the new ID %q on restart.", id, newID)
		r.diags.AddWarning("Pull-to-Push Task Has a New ID", newIDDetail(id, newID, region))
		r.id = newID
	}
	t = r.wait()
	if t == nil {
		return
	}
	if !r.m.FileIndex.IsNull() && (t.Spec.FileIndex != before.Spec.FileIndex || t.Spec.Offset != before.Spec.Offset) {
		r.diags.AddWarning("Pull-to-Push Task Playlist Position Changed", fmt.Sprintf("Pull-to-push task %q now "+
			"stores file_index %d and offset %d (it had %d and %d): the service restarts a playlist only from the "+
			"position stored in the task. An alilive_pull_to_push_task that manages the task shows file_index "+
			"and offset changing back to its configuration in its next plan, and applying that restarts the relay "+
			"again; add them to its lifecycle ignore_changes to keep the position set here.", r.id,
			t.Spec.FileIndex, t.Spec.Offset, before.Spec.FileIndex, before.Spec.Offset))
	}
}

// restartOutcome says what state the task is in after a failed restart.
func (r *restartRun) restartOutcome(err error) string {
	if liveapi.OutcomeUnknown(err) {
		return "Whether the task restarted is unknown: an attempt got no clear answer and the attempts after it " +
			"failed. Read the task's status (the alilive_pull_to_push_task data source, or a refresh of the " +
			"resource that manages it) before invoking the action again."
	}
	if r.m.FileIndex.IsNull() {
		return "The task was not restarted."
	}
	return "The task was stopped to change its playlist position and is still stopped: invoke the action " +
		"again, or apply the alilive_pull_to_push_task that manages it (its plan shows enabled changing to true, " +
		"which restarts it)."
}

// reposition stops a running task and stores the new playlist position;
// on failure it restarts the task where it was, so the action never leaves
// a running task stopped, and reports false.
func (r *restartRun) reposition(t *liveapi.Task) bool {
	ctx, c, region, id := r.ctx, r.a.client, r.region, r.id
	fi, off := int32(r.m.FileIndex.ValueInt64()), int32(r.m.Offset.ValueInt64())
	r.progress("Stopping pull-to-push task %q in region %q (status %s) to restart it from file_index %d, offset %d.",
		id, region, statusName(t.Status), fi, off)
	if _, err := r.a.stopSettled(ctx, region, id); err != nil {
		r.diags.AddError(restartSummary, apiErrorDetail(taskCall("StopLivePullToPush", "stopping", id, region), err,
			"The playlist position was not changed.", "Invoke the action again once the cause is fixed."))
		return false
	}
	r.progress("Setting file_index %d and offset %d of pull-to-push task %q.", fi, off, id)
	err := c.Update(ctx, liveapi.UpdateInput{Region: region, TaskID: id, FileIndex: &fi, Offset: &off})
	if err == nil {
		r.progress("Restarting pull-to-push task %q.", id)
		return true
	}
	// The relay is stopped: restart it where it was, also when the
	// invocation was interrupted.
	rctx, cancel := restoreContext(ctx)
	defer cancel()
	if ctx.Err() != nil {
		newID, rerr := r.a.restartFollow(rctx, region, id, t.Spec.DstURL, false)
		r.diags.AddError("Pull-to-Push Task Restart Interrupted", interruptedDetail(rctx, c, region, id, newID, rerr,
			fmt.Sprintf("after pull-to-push task %q had been stopped to change its playlist position; the position "+
				"was not changed", id)))
		return false
	}
	outcome := "The task was stopped for the change and has been restarted from its previous position."
	if newID, rerr := r.a.restartFollow(rctx, region, id, t.Spec.DstURL, false); rerr != nil {
		outcome = fmt.Sprintf("The task was stopped for the change, and restarting it failed as well (%s): it is "+
			"stopped. Invoke the action again, or apply the alilive_pull_to_push_task that manages it (its plan "+
			"shows enabled changing to true, which restarts it).", strings.TrimSuffix(rerr.Error(), "."))
	} else if newID != id {
		outcome = fmt.Sprintf("The task was stopped for the change and has been restarted from its previous "+
			"position under the new ID %q.", newID)
	}
	r.diags.AddAttributeError(path.Root("file_index"), restartSummary, apiErrorDetail(
		taskCall("UpdateLivePullToPush", "setting file_index and offset of", id, region), err, outcome,
		"Check file_index and offset against the task's source_urls."))
	return false
}

// wait reads the task until it runs, fails for good or the timeout
// passes, with a progress message on each change of status and at least
// every restartProgressEvery. It returns the running task, or nil after
// adding the error.
func (r *restartRun) wait() *liveapi.Task {
	ctx, c, region, id := r.ctx, r.a.client, r.region, r.id
	var last, result *liveapi.Task
	var lastSaid time.Time
	recovered := false // seen recovering since the restart
	restarted := time.Now()
	failed := false // an error is in r.diags
	finished := poll(ctx, restartPoll, func() bool {
		t, err := c.DescribeFresh(ctx, region, id)
		switch {
		case err != nil && ctx.Err() != nil && last != nil:
			return false // poll sees ctx end and reports last
		case err != nil:
			addReadError(r.diags, restartSummary, id, region, err, "The service accepted the restart. ")
			failed = true
			return true
		}
		elapsed := time.Since(r.started).Truncate(time.Second)
		switch {
		case t.Status == liveapi.StatusRunning:
			r.progress("Pull-to-push task %q is running.", id)
			result = t
			return true
		case t.Ended():
			r.diags.AddError(restartSummary, fmt.Sprintf("The service accepted RestartLivePullToPush for pull-to-push "+
				"task %q in region %q, but the task has ended since (%s) and can never run again.", id, region,
				endedReason(t)))
			failed = true
			return true
		case t.Status == liveapi.StatusOffline && t.InvalidReason != "" && t.Spec.RetryCount == 0,
			t.Status == liveapi.StatusOffline && recovered,
			t.Status == liveapi.StatusOffline && time.Since(restarted) > time.Duration(t.Spec.RetryInterval)*time.Second:
			// It failed at once without retries, or its retries ran out.
			// (Offline earlier, with retries left, is the stop before a
			// restart that has not shown yet: a failing task recovers for
			// at least one retry interval before it goes offline.)
			r.diags.AddError("Pull-to-Push Task Not Running After Restart", r.notRunning(t))
			failed = true
			return true
		}
		recovered = recovered || t.Status == liveapi.StatusRecovering
		if last == nil || t.Status != last.Status || t.InvalidReason != last.InvalidReason ||
			time.Since(lastSaid) >= restartProgressEvery {
			r.progress("Waiting for pull-to-push task %q to run: status %s%s after %s.", id, statusName(t.Status),
				reasonSuffix(t), elapsed)
			lastSaid = time.Now()
		}
		last = t
		return false
	})
	if !finished && !failed {
		r.diags.AddError("Pull-to-Push Task Not Running After Restart", r.notRunning(last))
	}
	return result
}

// notRunning explains a restarted task that did not run in time.
func (r *restartRun) notRunning(t *liveapi.Task) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The service accepted RestartLivePullToPush for pull-to-push task %q in region %q, but ", r.id, r.region)
	switch {
	case t.Status == liveapi.StatusOffline && t.Spec.RetryCount == 0:
		fmt.Fprintf(&b, "the task failed at once and went offline%s (it has retry_count 0, so it does not retry).",
			reasonSuffix(t))
	case t.Status == liveapi.StatusOffline:
		fmt.Fprintf(&b, "the task failed and went offline%s after its %d retries (retry_count) ran out.",
			reasonSuffix(t), t.Spec.RetryCount)
	default:
		fmt.Fprintf(&b, "within the timeout of %s it did not run: it shows status %s%s.", r.timeout,
			statusName(t.Status), reasonSuffix(t))
	}
	switch t.InvalidReason {
	case "PullStreamFailed":
		b.WriteString(" The service cannot pull the source: check source_urls and that the source is live.")
	case "PushStreamFailed":
		b.WriteString(" The service cannot push to dst_url: check the destination, its auth_key and that no other " +
			"task pushes to it.")
	}
	if t.Status == liveapi.StatusRecovering {
		fmt.Fprintf(&b, " The task keeps retrying by itself every %d seconds (retry_interval), up to %d times "+
			"(retry_count); raise timeouts.invoke to wait longer.", t.Spec.RetryInterval, t.Spec.RetryCount)
	}
	return b.String()
}

// checkRestartable returns why the action cannot restart task t as
// configured, or nil: it restarts only a task that runs or recovers, and
// a playlist position needs a playlist that has that entry.
func checkRestartable(t *liveapi.Task, id, region string, m *restartActionModel) *settingProblem {
	taskPath := path.Root("task_id")
	switch {
	case t.Ended():
		return problemAt(taskPath, "Pull-to-Push Task Has Ended", fmt.Sprintf("Pull-to-push task %q in region %q "+
			"has ended (%s) and can never run again, so it cannot be restarted.", id, region, endedReason(t)))
	case t.Status == liveapi.StatusIdle:
		return problemAt(taskPath, "Pull-to-Push Task Has Not Started", fmt.Sprintf("Pull-to-push task %q in region "+
			"%q has not started yet: it starts by itself at its start_time %s, and the service cannot restart a "+
			"task before then. Invoke the action once the task runs.", id, region,
			t.Spec.StartTime.UTC().Format(time.RFC3339)))
	case t.Status == liveapi.StatusOffline:
		return problemAt(taskPath, "Pull-to-Push Task Is Offline", fmt.Sprintf("Pull-to-push task %q in region %q "+
			"is offline%s (stopped by StopLivePullToPush, or after its retries ran out). This action restarts only "+
			"a task that runs or recovers, so that it never contradicts enabled = false of an "+
			"alilive_pull_to_push_task that keeps the task stopped. To run it, set enabled = true on the resource "+
			"that manages it and apply, which restarts it; a task no configuration manages can be imported first.",
			id, region, reasonSuffix(t)))
	case t.Status != liveapi.StatusRunning && t.Status != liveapi.StatusRecovering:
		return problemAt(taskPath, "Pull-to-Push Task Cannot Be Restarted", fmt.Sprintf("Pull-to-push task %q in "+
			"region %q has the status %s, which the provider does not know; it restarts only a running or "+
			"recovering task.", id, region, statusName(t.Status)))
	}
	if m.FileIndex.IsNull() {
		return nil
	}
	fi := m.FileIndex.ValueInt64()
	if !isPlaylist(t.Spec.SourceType) {
		return problemAt(path.Root("file_index"), "Invalid Playlist Position", fmt.Sprintf("file_index is %d, but "+
			"pull-to-push task %q is a %s task, which relays a live stream and has no playlist: file_index and "+
			"offset apply only to vod and url tasks. Remove them to restart the task.", fi, id, t.Spec.SourceType))
	}
	if n := int64(len(t.Spec.SourceURLs)); fi >= n {
		return problemAt(path.Root("file_index"), "Invalid Playlist Position", fmt.Sprintf("file_index is %d, but "+
			"pull-to-push task %q plays %d source_urls entries: set file_index from 0 to %d.", fi, id, n, n-1))
	}
	return nil
}
