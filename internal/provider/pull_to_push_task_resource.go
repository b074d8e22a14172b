package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
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

// defaultOperationTimeout is the default of each timeouts argument.
const defaultOperationTimeout = 10 * time.Minute

// NewPullToPushTaskResource returns the alilive_pull_to_push_task resource.
func NewPullToPushTaskResource() resource.Resource {
	return &pullToPushTaskResource{}
}

// pullToPushTaskResource manages one pull-to-push task.
type pullToPushTaskResource struct {
	taskClient
}

// pullToPushTaskResourceModel is the resource's state: the task's
// attributes and the timeouts block.
type pullToPushTaskResourceModel struct {
	pullToPushTaskModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// Metadata sets the resource type name. The identity is mutable: one
// reading of the documentation gives a restarted task a new ID (see
// readingsMarkdown), and the state, with its identity, follows it.
func (r *pullToPushTaskResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pull_to_push_task"
	resp.ResourceBehavior.MutableIdentity = true
}

// Schema describes the resource.
func (r *pullToPushTaskResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages an ApsaraVideo Live pull-to-push task (a pulled-stream relay): the service pulls " +
			"a live stream, or plays a list of VOD media or video files, and pushes it over RTMP to `dst_url` " +
			"between `start_time` and `end_time`.\n\n" +
			"A task is created `idle`, starts by itself at `start_time` (at once when `start_time` lies in the " +
			"past) and at `end_time` the service stops it and **deletes it automatically**. The next refresh " +
			"after that removes the task from the state with a warning, and the next plan fails with a message " +
			"asking to move the window into the future or to remove the resource block.\n\n" +
			"Every argument is read back on each refresh, so changes made in the console show as drift. " +
			"`callback_url` and `repeat_number` change in place at any time. `start_time` (before the task has " +
			"started), `end_time`, `source_urls`, `file_index` and `offset` also change in place: on a running " +
			"task the provider stops it, updates it and restarts it, which **briefly interrupts the relay** " +
			"(and restarts a playlist from `file_index`/`offset`). Every other argument forces a new task.\n\n" +
			"Time passes between a plan and its apply (a saved plan, an approval), and the service changes a " +
			"task's status by itself meanwhile. An apply therefore reads the task again before its first change. " +
			"When what the plan relied on no longer holds (the plan moves `start_time` in place but the task has " +
			"started since; the plan sets `enabled = false` but the task has not started), the apply changes " +
			"nothing and fails with \"Pull-to-Push Task Changed Since the Plan\", saying what changed; run " +
			"`terraform plan` again. Any other change of status (a source that failed, a task that started or " +
			"went offline) does not fail the apply: the plan never promises `status`, `invalid_reason`, " +
			"`current_file_index` or `current_offset`, and the apply records what it reads.\n\n" +
			"The service allows one live task per destination URL, so `lifecycle { create_before_destroy = true }` " +
			"cannot work unless `dst_url` changes too: the new task would need the URL that the task being " +
			"replaced still holds, and its creation fails with `CodeConfigAlreadyExists`. Without " +
			"`create_before_destroy` a replacement deletes the old task first, which interrupts the relay.\n\n" +
			"Any task can be imported, including one made in the console (`terraform import`, or an `import` " +
			"block with `terraform plan -generate-config-out=generated.tf`, whose output plans clean).\n\n" +
			"All rules that can be checked without the service (formats, ranges, the time window, what each " +
			"`source_type` needs) are checked at plan time, before any API call.\n\n" +
			"The `timeouts` block bounds `create`, `read` (each refresh), `update` and `delete`; each defaults " +
			"to 10 minutes, which includes the client's retries after throttling and server errors and its " +
			"waits for the provider's `rate_limit`. A call whose turn under `rate_limit` would come after " +
			"the timeout fails at once, with an error that names `rate_limit`.\n\n" + readingsMarkdown,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The task ID the service assigned (`TaskId`). Where the service gives a restarted task a new ID, the state follows it, and a plan that may restart the task shows it as known after apply.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"region": schema.StringAttribute{
				MarkdownDescription: "Live center the task runs in: one of `" + strings.Join(liveRegions, "`, `") +
					"`. Defaults to the provider's `region`. Changing it (including through the provider's " +
					"region when it is not set here) forces a new task. While the provider's configuration is " +
					"not known at plan time (it uses a value of a resource that is still to be created or " +
					"replaced), an existing task keeps the region of its state; set `region` here when the " +
					"provider's region itself may change that way.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{stringvalidator.OneOf(liveRegions...)},
			},
			"task_name": schema.StringAttribute{
				MarkdownDescription: "Name of the task: any text the service accepts, kept exactly as written " +
					"(the service documents no length limit, and surrounding spaces are part of the name), so that " +
					"every task made in the console can be imported. Leave it out for a task without a name (`\"\"` " +
					"is rejected). The `alilive_pull_to_push_tasks` data source can filter on it. The service cannot " +
					"rename a task, so changing it forces a new task.",
				Optional:      true,
				Validators:    []validator.String{taskNameValidator()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"start_time": schema.StringAttribute{
				MarkdownDescription: "When the task starts: an RFC 3339 timestamp in whole seconds with any UTC " +
					"offset (`2026-12-01T20:00:00+08:00`), sent to the service in UTC. Rewriting it in another " +
					"offset without moving the instant is not a change. It may lie in the past, and the task then " +
					"starts at once. It changes in place while the task is `idle`; changing it after the task has " +
					"started forces a new task. When the task starts between a saved plan that moves it in place and " +
					"that plan's apply, the apply changes nothing and asks for a new plan, which replaces the task.",
				CustomType: rfc3339Type{},
				Required:   true,
				Validators: []validator.String{wholeSecondsValidator{}},
				PlanModifiers: []planmodifier.String{
					sameInstantModifier{},
					startTimeReplaceIfStarted(),
				},
			},
			"end_time": schema.StringAttribute{
				MarkdownDescription: "When the task ends and the service deletes it: an RFC 3339 timestamp in whole " +
					"seconds, later than `start_time` and at most 7 days after it. It must lie in the future when " +
					"the task is created or when `end_time` is changed (an unchanged `end_time` is never checked). " +
					"Changes in place; on a running task this briefly interrupts the relay.",
				CustomType:    rfc3339Type{},
				Required:      true,
				Validators:    []validator.String{wholeSecondsValidator{}},
				PlanModifiers: []planmodifier.String{sameInstantModifier{}},
			},
			"source_type": schema.StringAttribute{
				MarkdownDescription: "What the task pulls: `live` (one live stream), `vod` (a playlist of " +
					"ApsaraVideo VOD media IDs) or `url` (a playlist of video file URLs, MP4 or FLV). " +
					"Changing it forces a new task.",
				Required:      true,
				Validators:    []validator.String{stringvalidator.OneOf(sourceTypes...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"source_protocol": schema.StringAttribute{
				MarkdownDescription: "Protocol of the live source: `rtmp`, `rtsp`, `srt`, `http-flv` or `flv`, " +
					"compared without regard to letter case (the service may echo `RTMP`; the state keeps your " +
					"spelling). Required when `source_type` is `live` and not allowed otherwise. Changing it " +
					"forces a new task.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOfCaseInsensitive(sourceProtocols...)},
				PlanModifiers: []planmodifier.String{
					caseInsensitiveModifier{},
					stringplanmodifier.RequiresReplace(),
				},
			},
			"source_urls": schema.ListAttribute{
				MarkdownDescription: "The sources, in playing order. For `live`: exactly one URL whose scheme fits " +
					"`source_protocol` (`rtmp://`, `rtsp://`, `srt://`, or `http://`/`https://` for `http-flv` and " +
					"`flv`). For `url`: 1 to 30 `http://` or `https://` file URLs. For `vod`: 1 to 30 VOD media " +
					"IDs (letters, digits, `-` and `_`, at most 64 characters; not URLs). Every entry is at most " +
					"2000 bytes without spaces. Changes in place; on a running task this briefly interrupts " +
					"the relay.",
				ElementType: types.StringType,
				Required:    true,
				Validators: []validator.List{
					listSizeValidator{min: 1, max: maxSourceURLs},
					listvalidator.ValueStringsAre(sourceURLValidator{}),
				},
			},
			"dst_url": schema.StringAttribute{
				MarkdownDescription: "Where the task pushes to: an `rtmp://` URL (the scheme in any letter case) " +
					"with a host and an optional port from 1 to 65535, at most 2000 bytes. The service allows one " +
					"live task per destination URL, so no other task may push to it. Changing it forces a new task " +
					"(see `create_before_destroy` above).",
				Required:      true,
				Validators:    []validator.String{dstURLValidator()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"callback_url": schema.StringAttribute{
				MarkdownDescription: "`http://` or `https://` URL, at most 2000 bytes, that receives the task's " +
					"status events. Changes in place at any time without interrupting the relay. To clear it, " +
					"remove the argument or set it to `null` (`\"\"` is rejected).",
				Optional:   true,
				Validators: []validator.String{callbackURLValidator()},
			},
			"repeat_number": schema.Int64Attribute{
				MarkdownDescription: "How many more times a `vod` or `url` playlist plays after the first pass: " +
					"`0` (default) plays it once, `-1` loops until `end_time`. Not allowed for `live` tasks " +
					"(null in their state). Changes in place at any time without interrupting the relay.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.Int64{int64validator.Between(-1, maxInt32)},
				PlanModifiers: []planmodifier.Int64{playlistDefaultModifier{value: 0}},
			},
			"file_index": schema.Int64Attribute{
				MarkdownDescription: "Index (from 0) of the `source_urls` entry a `vod` or `url` task starts " +
					"playing, lower than the number of entries. Defaults to `0`. Not allowed for `live` tasks " +
					"(null in their state). Changes in place; on a running task this briefly interrupts the relay.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.Int64{int64validator.Between(0, maxInt32)},
				PlanModifiers: []planmodifier.Int64{playlistDefaultModifier{value: 0}},
			},
			"offset": schema.Int64Attribute{
				MarkdownDescription: "Seconds into the first played file where a `vod` or `url` task starts. " +
					"Defaults to `0`. Not allowed for `live` tasks (null in their state). Changes in place; on a " +
					"running task this briefly interrupts the relay.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.Int64{int64validator.Between(0, maxInt32)},
				PlanModifiers: []planmodifier.Int64{playlistDefaultModifier{value: 0}},
			},
			"retry_interval": schema.Int64Attribute{
				MarkdownDescription: "Seconds between retries after the source or the destination fails, " +
					"60 to 300. Defaults to `60`. Changing it forces a new task.",
				Optional:      true,
				Computed:      true,
				Default:       int64default.StaticInt64(defaultRetryInterval),
				Validators:    []validator.Int64{int64validator.Between(minRetryInterval, maxRetryInterval)},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"retry_count": schema.Int64Attribute{
				MarkdownDescription: "How many retries the task makes after a failure before it goes `offline`, " +
					"`0` or more. Defaults to `3`. Changing it forces a new task.",
				Optional:      true,
				Computed:      true,
				Default:       int64default.StaticInt64(defaultRetryCount),
				Validators:    []validator.Int64{int64validator.Between(0, maxInt32)},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether the task relays. Defaults to `true`. `false` stops a started task " +
					"(StopLivePullToPush) and keeps it stopped; `true` restarts a stopped task " +
					"(RestartLivePullToPush), which briefly interrupts the relay. Read derives it from `status` " +
					"(`offline` means `false`), so a task that went offline by itself shows up in the next plan " +
					"as a change that apply restarts; an apply of `true` also restarts a task that went offline after " +
					"the plan was made. The service cannot stop a task before it starts, so `false` is rejected at " +
					"plan time while `start_time` lies in the future, and it cannot restart a task before its start " +
					"either, so `true` is rejected at plan time for an `offline` task whose `start_time` lies in the " +
					"future (keep `false` until then). Right after an apply the state holds the value applied; every " +
					"refresh derives it from `status` again.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Status of the task: `idle` (not started yet), `running`, `recovering` " +
					"(running, retrying after a failure) or `offline` (stopped by a user or after its retries " +
					"ran out). The service changes it by itself at any time, also between a plan and its apply, so " +
					"every plan that changes the task shows it (and `invalid_reason`) as known after apply, and the " +
					"apply records what it reads back.",
				Computed: true,
			},
			"invalid_reason": schema.StringAttribute{
				MarkdownDescription: "Why the task failed or stopped, as the service reports it " +
					"(`PullStreamFailed`, `PushStreamFailed`, `UnknownError`); null while it is healthy.",
				Computed: true,
			},
			"current_file_index": schema.Int64Attribute{
				MarkdownDescription: "Index of the `source_urls` entry playing now (vod and url tasks). It moves " +
					"on while the task plays, so every update plans it as known after apply.",
				Computed: true,
			},
			"current_offset": schema.Int64Attribute{
				MarkdownDescription: "Playback position in seconds inside the entry playing now (vod and url " +
					"tasks). It moves on while the task plays, so every update plans it as known after apply.",
				Computed: true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": taskTimeoutsBlock(ctx),
		},
	}
}

// taskTimeoutsBlock is the resource's timeouts block.
func taskTimeoutsBlock(ctx context.Context) schema.Block {
	return timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true})
}

// Configure stores the shared API client.
func (r *pullToPushTaskResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, "resource", &resp.Diagnostics)
}

// clientFromProviderData is the shared API client the provider's
// Configure handed over, or nil (with an error when the data is of another
// type) for the resource or list resource named by what.
func clientFromProviderData(data any, what string, diags *diag.Diagnostics) *liveapi.Client {
	if data == nil {
		return nil
	}
	client, ok := data.(*liveapi.Client)
	if !ok {
		diags.AddError("Unexpected Provider Data Type",
			fmt.Sprintf("The pull-to-push task %s expected a *liveapi.Client, got %T. This is a bug in the "+
				"provider; please report it.", what, data))
		return nil
	}
	return client
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
	var plan, config pullToPushTaskResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	var state *pullToPushTaskResourceModel
	if !req.State.Raw.IsNull() {
		state = &pullToPushTaskResourceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	switch {
	case !config.Region.IsNull():
	case r.client != nil:
		plan.Region = types.StringValue(r.client.Region())
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("region"), plan.Region)...)
	case state != nil:
		// The provider's configuration is not known yet (no client):
		// its region cannot be the reason for a change, so the task
		// keeps the region it has.
		plan.Region = state.Region
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("region"), plan.Region)...)
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
	timeout, diags := plan.Timeouts.Create(ctx, defaultOperationTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
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
	defer syncIdentity(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
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
	timeout, diags := state.Timeouts.Read(ctx, defaultOperationTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
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
		// The framework wants an identity after every Read, also one that
		// removes the resource; a Terraform older than 1.12 (and OpenTofu)
		// never stored one, so it is set from the state being removed.
		syncIdentity(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
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

// Update changes the task in place. Unless it changes only callback_url or
// repeat_number of a task that is to keep running, it first reads the task
// afresh and re-checks what the plan assumed about its status (planAssumptionBroken):
// when an assumption no longer holds it changes nothing and asks for a new
// plan. Fields the service only changes on a stopped task are applied to a
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
	timeout, diags := plan.Timeouts.Update(ctx, defaultOperationTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
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
	var running, stop, restart bool
	if !statusFree {
		current, err := r.describeSettled(ctx, region, id)
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
		running = current.Status == liveapi.StatusRunning || current.Status == liveapi.StatusRecovering
		stop = running && (!wantEnabled || (restricted && needUpdate))
		restart = wantEnabled && (stop || current.Status == liveapi.StatusOffline)
		tflog.Debug(ctx, "updating pull-to-push task", map[string]any{
			"task_id": id, "status": statusName(current.Status), "stop": stop, "update": needUpdate, "restart": restart,
		})
	}
	if stop {
		if _, err := r.stopSettled(ctx, region, id); err != nil {
			resp.Diagnostics.AddError("Unable to Stop Pull-to-Push Task", apiErrorDetail(taskCall("StopLivePullToPush", "stopping", id, region), err,
				"Nothing was changed.", "Apply again once the cause is fixed."))
			r.saveActual(ctx, region, id, &state, req.State, resp)
			return
		}
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
		}
		if err != nil {
			interrupted := ctx.Err() != nil && stop && restart
			if !interrupted {
				resp.Diagnostics.AddError("Unable to Update Pull-to-Push Task", updateErrorDetail(
					taskCall("UpdateLivePullToPush", "updating", id, region), err, &state,
					"", "Correct the arguments and apply again."))
			}
			if stop && restart {
				newID, rerr := r.restartSettled(wctx, region, id, dst)
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
	if restart {
		oldID := id
		newID, err := r.restartSettled(wctx, region, id, dst)
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
			if ctx.Err() != nil && stop {
				resp.Diagnostics.AddError("Pull-to-Push Task Update Interrupted", interruptedDetail(wctx, r.client,
					region, id, newID, err, fmt.Sprintf("after pull-to-push task %q had been stopped and updated", id)))
			} else {
				resp.Diagnostics.AddError("Unable to Restart Pull-to-Push Task", apiErrorDetail(taskCall("RestartLivePullToPush", "restarting", id, region), err,
					"The task's settings were updated but it is stopped; the next apply restarts it.", ""))
			}
			r.saveActual(wctx, region, id, &plan, req.State, resp)
			return
		}
	}
	task, err := r.client.DescribeFresh(wctx, region, id)
	if err == nil && task.Ended() {
		// The service may keep an ended or deleted task visible as exited
		// (exited-visible) and accept an update of it without effect.
		resp.Diagnostics.AddError("Unable to Update Pull-to-Push Task", taskGoneDetail(
			"DescribeLivePullToPush shows it ended: "+endedReason(task), &state))
		keepState(ctx, req.State, id, resp)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to Read Pull-to-Push Task After Updating It", apiErrorDetail(
			taskCall("DescribeLivePullToPush", "reading", id, region), err,
			"The update was sent; refresh to see the task's current settings.", ""))
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

// Delete deletes the task; a task that no longer exists counts as deleted.
func (r *pullToPushTaskResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	defer redactDiagnostics(&resp.Diagnostics)
	var state pullToPushTaskResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultOperationTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
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

// taskConfig extracts what the cross-attribute rules read.
func (m *pullToPushTaskResourceModel) taskConfig() taskConfig {
	return taskConfig{
		StartTime:      m.StartTime,
		EndTime:        m.EndTime,
		SourceType:     m.SourceType,
		SourceProtocol: m.SourceProtocol,
		SourceURLs:     m.SourceURLs,
		RepeatNumber:   m.RepeatNumber,
		FileIndex:      m.FileIndex,
		Offset:         m.Offset,
	}
}

// saveTask writes a task the API returned into the state, keeping the
// spellings of prior and its timeouts, and adds the client's warnings.
func (r *pullToPushTaskResource) saveTask(ctx context.Context, task *liveapi.Task, prior *pullToPushTaskResourceModel,
	state *tfsdk.State, diags *diag.Diagnostics) {
	m := taskModel(task, prior, diags)
	diags.Append(state.Set(ctx, &m)...)
	addClientWarnings(r.client, diags)
}

// taskModel is a task the API returned as the resource's model, with the
// spellings, region and timeouts of prior.
func taskModel(task *liveapi.Task, prior *pullToPushTaskResourceModel, diags *diag.Diagnostics) pullToPushTaskResourceModel {
	var m pullToPushTaskResourceModel
	diags.Append(m.fromTask(task, &prior.pullToPushTaskModel)...)
	if m.Region.IsNull() {
		m.Region = prior.Region
	}
	m.Timeouts = prior.Timeouts
	return m
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

// reasonText writes an invalid_reason for a message.
func reasonText(v types.String) string {
	if v.IsNull() || v.IsUnknown() {
		return "none"
	}
	return strconv.Quote(v.ValueString())
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

// restartedOutcome says that a restart was accepted, naming the task's new
// ID when it has one.
func restartedOutcome(oldID, newID string) string {
	if newID != oldID {
		return fmt.Sprintf("The service accepted the restart and gave the task the new ID %q, which the state now "+
			"records; refresh to see the task's status.", newID)
	}
	return "The service accepted the restart; refresh to see the task's status."
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

// stop stops a task and reads it back once the stop shows.
func (r *pullToPushTaskResource) stop(ctx context.Context, region, id string) (*liveapi.Task, error) {
	return r.stopSettled(ctx, region, id)
}

// planServerValues plans the values only the service sets (status,
// invalid_reason, current_file_index, current_offset): unchanged when the
// plan changes nothing else, so that a new spelling of a time or of
// source_protocol plans no update, and unknown in every other plan. The
// service changes them by itself at any time (a source fails, the start
// time passes, the playlist moves on), also between a saved plan and its
// apply, so a plan that promised them would turn such a change into an
// error of the apply. Update and Create record what they read back.
func planServerValues(ctx context.Context, plan, state *pullToPushTaskResourceModel, prior tfsdk.State, out *tfsdk.Plan) diag.Diagnostics {
	plan.Status, plan.InvalidReason = state.Status, state.InvalidReason
	plan.CurrentFileIndex, plan.CurrentOffset = state.CurrentFileIndex, state.CurrentOffset
	diags := out.Set(ctx, plan)
	if diags.HasError() || out.Raw.Equal(prior.Raw) {
		return diags
	}
	plan.Status, plan.InvalidReason = types.StringUnknown(), types.StringUnknown()
	if mayRestart(&plan.pullToPushTaskModel, &state.pullToPushTaskModel) {
		// One reading of the documentation gives a restarted task a new ID.
		plan.ID = types.StringUnknown()
	}
	plan.CurrentFileIndex, plan.CurrentOffset = types.Int64Unknown(), types.Int64Unknown()
	diags.Append(out.Set(ctx, plan)...)
	return diags
}

// planAssumptionBroken re-checks, against the task as it is at apply
// time, what a plan to update it in place relied on about its status, and
// explains the first assumption that no longer holds ("" when all hold).
// Time passes between plan and apply (a saved plan, an approval), and the
// service changes the status by itself meanwhile:
//   - start_time changes in place only while the task is idle; once the task
//     has started the service keeps its start time (the emulator rejects
//     the change), so stopping it to send the new time would leave it
//     stopped, unable to restart before the new start time. A fresh plan
//     replaces such a task (startTimeReplaceIfStarted).
//   - enabled = false stops the task, which the service cannot do before
//     the task has started; the plan allowed it because start_time had
//     passed by the plan's clock.
//
// Changes the service makes without breaking an assumption are applied: a
// task that started since the plan takes a change of end_time, source_urls,
// file_index or offset as stop, update, restart, and one that went offline
// is restarted when enabled is true.
func planAssumptionBroken(id string, in *liveapi.UpdateInput, plan *pullToPushTaskResourceModel, current *liveapi.Task) string {
	status := statusName(current.Status)
	switch {
	case in.StartTime != nil && current.Status != liveapi.StatusIdle:
		return fmt.Sprintf("The plan moves start_time of pull-to-push task %q in place from %s to %s, which the "+
			"service allows only before the task starts. The task was idle when the plan was made, but it has "+
			"started since then and is now %q. Nothing was changed, and the state now records the task as it is. "+
			"Run terraform plan again: the start time of a task that has started cannot change, so the new plan "+
			"replaces the task.",
			id, current.Spec.StartTime.UTC().Format(time.RFC3339), in.StartTime.UTC().Format(time.RFC3339), status)
	case in.StartTime == nil && !plan.Enabled.ValueBool() && current.Status == liveapi.StatusIdle:
		return fmt.Sprintf("The plan sets enabled = false for pull-to-push task %q, which stops the task, but the "+
			"task has not started yet (status %q, start_time %s) and the service cannot stop a task before it "+
			"starts. Nothing was changed. Run terraform plan again once the task has started, or keep enabled = "+
			"true until then.", id, status, current.Spec.StartTime.UTC().Format(time.RFC3339))
	}
	return ""
}

// plansReplacement reports whether the plan replaces the task: an
// argument that the service cannot change differs from the state.
func plansReplacement(plan, state *pullToPushTaskModel) bool {
	if !plan.Region.Equal(state.Region) || !plan.TaskName.Equal(state.TaskName) ||
		!plan.SourceType.Equal(state.SourceType) || !plan.SourceProtocol.Equal(state.SourceProtocol) ||
		!plan.DstURL.Equal(state.DstURL) || !plan.RetryInterval.Equal(state.RetryInterval) ||
		!plan.RetryCount.Equal(state.RetryCount) {
		return true
	}
	return state.Status.ValueString() != statusIdle && !plan.StartTime.Equal(state.StartTime)
}

// updateInput lists what changed between state and plan. restricted is
// true when a field changed that the service only changes on a task that
// is not running (start_time, end_time, source_urls, file_index, offset).
func updateInput(ctx context.Context, plan, state *pullToPushTaskModel) (liveapi.UpdateInput, bool, diag.Diagnostics) {
	var in liveapi.UpdateInput
	var diags diag.Diagnostics
	restricted := false
	if !sameInstant(plan.StartTime.StringValue, state.StartTime.StringValue) {
		t, d := plan.StartTime.ValueRFC3339Time()
		diags.Append(d...)
		t = t.UTC()
		in.StartTime, restricted = &t, true
	}
	if !sameInstant(plan.EndTime.StringValue, state.EndTime.StringValue) {
		t, d := plan.EndTime.ValueRFC3339Time()
		diags.Append(d...)
		t = t.UTC()
		in.EndTime, restricted = &t, true
	}
	if !plan.SourceURLs.Equal(state.SourceURLs) {
		urls, d := listStrings(ctx, plan.SourceURLs)
		diags.Append(d...)
		in.SourceURLs, restricted = urls, true
	}
	if !plan.FileIndex.Equal(state.FileIndex) && !plan.FileIndex.IsNull() {
		v := int32(plan.FileIndex.ValueInt64())
		in.FileIndex, restricted = &v, true
	}
	if !plan.Offset.Equal(state.Offset) && !plan.Offset.IsNull() {
		v := int32(plan.Offset.ValueInt64())
		in.Offset, restricted = &v, true
	}
	if !plan.RepeatNumber.Equal(state.RepeatNumber) && !plan.RepeatNumber.IsNull() {
		v := int32(plan.RepeatNumber.ValueInt64())
		in.RepeatNumber = &v
	}
	if !plan.CallbackURL.Equal(state.CallbackURL) {
		v := plan.CallbackURL.ValueString() // null clears it: ""
		in.CallbackURL = &v
	}
	return in, restricted, diags
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
