package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Ensure the implementation satisfies the framework interfaces.
var (
	_ resource.Resource                   = (*pullToPushTaskResource)(nil)
	_ resource.ResourceWithConfigure      = (*pullToPushTaskResource)(nil)
	_ resource.ResourceWithImportState    = (*pullToPushTaskResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*pullToPushTaskResource)(nil)
	_ resource.ResourceWithValidateConfig = (*pullToPushTaskResource)(nil)
	_ resource.ResourceWithIdentity       = (*pullToPushTaskResource)(nil)
)

// NewPullToPushTaskResource returns the alilive_pull_to_push_task resource.
func NewPullToPushTaskResource() resource.Resource {
	return &pullToPushTaskResource{}
}

// pullToPushTaskResource manages one pull-to-push task.
type pullToPushTaskResource struct {
	taskClient
}

// Metadata sets the resource type name. The identity is mutable: under the
// restart-new-id variant a restarted task gets a new ID (see "Variants of
// the service" in templates/resources/pull_to_push_task.md.tmpl), and the
// state, with its identity, follows it.
func (r *pullToPushTaskResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pull_to_push_task"
	resp.ResourceBehavior.MutableIdentity = true
}

// Configure stores the shared API client.
func (r *pullToPushTaskResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, "resource", &resp.Diagnostics)
}

// ValidateConfig checks the rules between attributes before any plan.
func (r *pullToPushTaskResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	defer redactDiagnostics(&resp.Diagnostics)
	var c pullToPushTaskResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &c)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(validateTaskConfig(c.taskConfig())...)
}

// ModifyPlan fills the region default, plans a replacement when the
// region changes and checks the rules that need the clock or the prior
// state: the window on create, a changed end_time, and enabled = false
// before the start.
func (r *pullToPushTaskResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	defer redactDiagnostics(&resp.Diagnostics)
	if req.Plan.Raw.IsNull() {
		return
	}
	// Only the configuration's region is needed: reading one attribute
	// costs a fraction of reading the whole model (Terraform calls
	// ModifyPlan for every resource of every plan).
	var plan pullToPushTaskResourceModel
	var configRegion types.String
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("region"), &configRegion)...)
	var state *pullToPushTaskResourceModel
	if !req.State.Raw.IsNull() {
		state = &pullToPushTaskResourceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	switch {
	case !configRegion.IsNull():
	case r.client != nil:
		plan.Region = types.StringValue(r.client.Region())
		if state == nil {
			// With a prior state, planServerValues writes the whole plan.
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("region"), plan.Region)...)
		}
	case state != nil:
		// The provider's configuration is not known yet (no client):
		// its region cannot be the reason for a change, so the task
		// keeps the region it has (planServerValues writes it).
		plan.Region = state.Region
	}
	if state != nil && !plan.Region.Equal(state.Region) {
		// An unknown region may differ too, as with RequiresReplace.
		resp.RequiresReplace.Append(path.Root("region"))
	}
	if state != nil {
		resp.Diagnostics.Append(planServerValues(ctx, &plan, state, req.State, &resp.Plan)...)
		planNotApplied(ctx, req, resp, &plan.pullToPushTaskModel, &state.pullToPushTaskModel)
	}

	rules := planTimeRules{
		Now:       planClock(),
		Creating:  state == nil || plansReplacement(&plan.pullToPushTaskModel, &state.pullToPushTaskModel),
		StartTime: plan.StartTime,
		EndTime:   plan.EndTime,
		Enabled:   plan.Enabled,
	}
	if state != nil && !rules.Creating {
		rules.PriorEnd = state.EndTime
		rules.PriorState = state.Status.ValueString()
	}
	resp.Diagnostics.Append(rules.check()...)
	if state != nil {
		if attrs := interruptedAttrs(&plan.pullToPushTaskModel, &state.pullToPushTaskModel); len(attrs) > 0 {
			resp.Diagnostics.AddWarning(interruptionWarning(state.ID.ValueString(), state.Status.ValueString(),
				state.SourceType.ValueString(), attrs))
		}
	}
}

// Create creates the task, records its ID at once and then reads it back.
func (r *pullToPushTaskResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer redactDiagnostics(&resp.Diagnostics)
	defer syncIdentity(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
	var plan pullToPushTaskResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := operationContext(ctx, plan.Timeouts.Create, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	spec, diags := plan.toSpec(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, err := r.client.Create(ctx, spec)
	if err != nil {
		resp.Diagnostics.AddError("Unable to Create Pull-to-Push Task", apiErrorDetail(apiCall{
			op: "CreateLivePullToPush", doing: fmt.Sprintf("creating a pull-to-push task in region %q", spec.Region),
			region: spec.Region,
		}, err, "Nothing was recorded in the Terraform state.",
			"Correct the cause (arguments, permissions, quota) and apply again."))
		return
	}
	tflog.Info(ctx, "created pull-to-push task", map[string]any{"task_id": id, "region": spec.Region})

	// Record the task before anything else can fail, so that it is never
	// orphaned.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("region"), spec.Region)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("timeouts"), plan.Timeouts)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// The task exists: the read-back and the stop run past an interruption
	// (Ctrl-C) for a short grace period, so that the state describes it.
	rctx, rcancel := restoreContext(ctx)
	defer rcancel()
	task, err := r.describeSettled(rctx, spec.Region, id)
	if err != nil && plan.Enabled.ValueBool() {
		// A relay that runs (or will) as configured is never tainted for a
		// failed read: a replacement would cut it, and under
		// create_before_destroy with the same dst_url it could not even be
		// created. The state records the configuration as sent; the next
		// refresh reads the rest.
		resp.Diagnostics.Append(sentState(ctx, req.Plan, id, spec.Region, &resp.State)...)
		resp.Diagnostics.AddWarning("Pull-to-Push Task Created but Not Read Back", apiErrorDetail(
			taskCall("DescribeLivePullToPush", "reading", id, spec.Region), err, fmt.Sprintf("Pull-to-push task %q "+
				"was created and the state records it with the configuration that was sent; its status, "+
				"invalid_reason and playback position are unknown until the next refresh, which reads them.", id), ""))
		addClientWarnings(r.client, &resp.Diagnostics)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to Read Pull-to-Push Task After Creating It", apiErrorDetail(
			taskCall("DescribeLivePullToPush", "reading", id, spec.Region), err, "The task was created, but with "+
				"enabled = false it has to be stopped, which needs its status: it is kept in the state as tainted, "+
				"and the next apply replaces it (or run terraform untaint once a refresh succeeds).", ""))
		return
	}
	if !plan.Enabled.ValueBool() && statusEnabled(task.Status) {
		task, err = r.stop(rctx, spec.Region, id)
		if err != nil {
			resp.Diagnostics.AddError("Unable to Stop Pull-to-Push Task", apiErrorDetail(taskCall("StopLivePullToPush", "stopping", id, spec.Region), err,
				"The task was created with enabled = false but could not be stopped; it is kept in the state "+
					"as tainted and the next apply replaces it.", ""))
			return
		}
	}
	r.saveApplied(ctx, task, &plan, "created", &resp.State, &resp.Diagnostics)
}

// sentState records a created task whose read-back failed: the planned
// values, with the attributes only the service knows (unknown in the plan:
// status, invalid_reason, the playback position) left null for the next
// refresh.
func sentState(ctx context.Context, plan tfsdk.Plan, id, region string, state *tfsdk.State) diag.Diagnostics {
	raw, err := tftypes.Transform(plan.Raw, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.IsKnown() {
			return tftypes.NewValue(v.Type(), nil), nil
		}
		return v, nil
	})
	var diags diag.Diagnostics
	if err != nil {
		diags.AddError("Unable to Record Pull-to-Push Task", fmt.Sprintf("Pull-to-push task %q was created, but its "+
			"planned values could not be recorded: %s. Import it with the ID %q.", id, err, region+":"+id))
		return diags
	}
	state.Raw = raw
	diags.Append(state.SetAttribute(ctx, path.Root("id"), id)...)
	diags.Append(state.SetAttribute(ctx, path.Root("region"), region)...)
	return diags
}

// Read refreshes the task; a task that no longer exists is removed from
// the state with a warning.
func (r *pullToPushTaskResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer redactDiagnostics(&resp.Diagnostics)
	defer func() {
		// The framework wants an identity after every Read, also one that
		// removes the resource; a Terraform older than 1.12 (and OpenTofu)
		// never stored one, so a removed task's comes from the prior state.
		from := &resp.State
		if from.Raw.IsNull() {
			from = &req.State
		}
		syncIdentity(ctx, from, resp.Identity, &resp.Diagnostics)
	}()
	if r.client == nil {
		// The provider's configuration depends on values that are known
		// only after apply: keep the prior state, as the framework already
		// placed it in the response, and read the task once it is known.
		tflog.Info(ctx, "alilive provider configuration not known yet; pull-to-push task kept as in the state without reading it")
		return
	}
	var state pullToPushTaskResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := operationContext(ctx, state.Timeouts.Read, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	region := state.Region.ValueString()
	if region == "" {
		region = r.client.Region()
		state.Region = types.StringValue(region)
	}
	id := state.ID.ValueString()
	task, err := r.client.Describe(ctx, region, id)
	// An exited task (status -1), or one the service reports stopped with
	// TaskExitReason OverEndTime, is gone: it can never run again.
	if errors.Is(err, liveapi.ErrNotFound) || (err == nil && task.Ended()) {
		resp.Diagnostics.AddWarning("Pull-to-Push Task No Longer Exists", goneDetail(id, region, &state, task))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to Read Pull-to-Push Task", apiErrorDetail(taskCall("DescribeLivePullToPush", "reading", id, region), err,
			"The state was left unchanged.", "Correct the cause (credentials, permissions) and refresh again."))
		return
	}
	r.saveTask(ctx, task, &state, &resp.State, &resp.Diagnostics)
}

// Delete deletes the task; a task that no longer exists counts as deleted.
func (r *pullToPushTaskResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	defer redactDiagnostics(&resp.Diagnostics)
	var state pullToPushTaskResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := operationContext(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	id, region := state.ID.ValueString(), state.Region.ValueString()
	err := r.client.Delete(ctx, region, id)
	if err != nil && !errors.Is(err, liveapi.ErrNotFound) {
		resp.Diagnostics.AddError("Unable to Delete Pull-to-Push Task", apiErrorDetail(
			taskCall("DeleteLivePullToPush", "deleting", id, region), err,
			"The task is still in the state.", "Destroy again once the cause is fixed."))
	}
}

// ImportState imports a task by "<task_id>" (in the provider's region) or
// "<region>:<task_id>", or by an import block's identity (region and id,
// the region defaulting to the provider's).
func (r *pullToPushTaskResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	defer redactDiagnostics(&resp.Diagnostics)
	defaultRegion := ""
	if r.client != nil {
		defaultRegion = r.client.Region()
	}
	var region, id string
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		var diags diag.Diagnostics
		region, id, diags = identityFromImport(ctx, req.Identity, defaultRegion)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
	} else {
		var problem string
		region, id, problem = parseImportID(req.ID, defaultRegion)
		if problem != "" {
			resp.Diagnostics.AddError("Unable to Import Pull-to-Push Task", problem)
			return
		}
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("region"), region)...)
	syncIdentity(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

// saveTask writes a task the API returned into the state, keeping the
// spellings of prior and its timeouts, and adds the client's warnings.
func (r *pullToPushTaskResource) saveTask(ctx context.Context, task *liveapi.Task, prior *pullToPushTaskResourceModel,
	state *tfsdk.State, diags *diag.Diagnostics) {
	m := taskModel(task, prior, diags)
	diags.Append(state.Set(ctx, &m)...)
	addClientWarnings(r.client, diags)
}

// saveApplied writes a task read back after a create or update (verb)
// into the state. enabled is recorded as planned: the apply has just made
// it hold (stopping or restarting the task), and a status the service
// changes by itself right after that must not turn into an inconsistent
// result; the next refresh derives enabled from the status again. A task
// that is offline although enabled is true (its source or destination
// failed and its retries ran out) gets a warning, as do the client's
// warnings.
func (r *pullToPushTaskResource) saveApplied(ctx context.Context, task *liveapi.Task, plan *pullToPushTaskResourceModel,
	verb string, state *tfsdk.State, diags *diag.Diagnostics) {
	m := taskModel(task, plan, diags)
	if plan.Enabled.ValueBool() && task.Status == liveapi.StatusOffline {
		diags.AddWarning("Pull-to-Push Task Is Offline", fmt.Sprintf("Pull-to-push task %q was %s, but it is "+
			"offline: its source or destination failed and its retries ran out (invalid_reason %s). The next "+
			"plan shows enabled changing from false to true, which restarts the task; check the source and the "+
			"destination first.", task.ID, verb, reasonText(m.InvalidReason)))
	}
	m.Enabled = plan.Enabled
	diags.Append(state.Set(ctx, &m)...)
	addClientWarnings(r.client, diags)
}

// parseImportID splits an import ID into region and task ID, or returns
// what is wrong with it as the detail of a diagnostic (a sentence).
func parseImportID(importID, defaultRegion string) (region, id, problem string) {
	region, id = defaultRegion, importID
	if before, after, found := strings.Cut(importID, ":"); found {
		region, id = before, after
	}
	usage := fmt.Sprintf("Use \"<task_id>\" for a task in the provider's region or \"<region>:<task_id>\", where "+
		"region is one of %s and task_id consists of 1 to 55 letters, digits, - and _.", strings.Join(liveRegions, ", "))
	switch {
	case !taskIDPattern.MatchString(id):
		return "", "", fmt.Sprintf("The import ID %s does not hold a valid task ID. %s", quoteValue(importID), usage)
	case region == "":
		return "", "", fmt.Sprintf("The import ID %s names no region and the provider has no region configured. %s",
			quoteValue(importID), usage)
	case !contains(liveRegions, region):
		return "", "", fmt.Sprintf("The import ID %s names the unknown region %q. %s", quoteValue(importID), region, usage)
	}
	return region, id, ""
}

// goneDetail explains why a task left the state.
func goneDetail(id, region string, state *pullToPushTaskResourceModel, task *liveapi.Task) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The pull-to-push task %q in region %q no longer exists: ", id, region)
	switch {
	case task != nil && task.ExitReason == "OverEndTime":
		b.WriteString("it reached its end time and the service ended it.")
	case task != nil && task.ExitReason != "":
		fmt.Fprintf(&b, "the service reports that it exited (%s).", task.ExitReason)
	default:
		b.WriteString("either it reached its end time and the service deleted it automatically, " +
			"or it was deleted outside Terraform.")
	}
	if !state.EndTime.IsNull() && !state.EndTime.IsUnknown() {
		fmt.Fprintf(&b, " It was scheduled to end at %s.", state.EndTime.ValueString())
	}
	b.WriteString(" It is removed from the refreshed Terraform state (an apply or refresh saves that; a plan " +
		"only shows it). If the configuration still declares it, Terraform plans to create it again; move " +
		"start_time and end_time into the future for that, or remove the resource block.")
	return b.String()
}

// stop stops a task and reads it back once the stop shows.
func (r *pullToPushTaskResource) stop(ctx context.Context, region, id string) (*liveapi.Task, error) {
	return r.stopSettled(ctx, region, id)
}
