package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Schema describes the resource.
func (r *pullToPushTaskResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		// The rest of the page (lifecycle, replacement, timeouts, variants)
		// is templates/resources/pull_to_push_task.md.tmpl.
		MarkdownDescription: "Manages an ApsaraVideo Live pull-to-push task (a pulled-stream relay): the service pulls " +
			"a live stream, or plays a list of VOD media or video files, and pushes it over RTMP to `dst_url` " +
			"between `start_time` and `end_time`.",
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
				Validators: []validator.String{liveRegionValidator{}},
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

// IdentitySchema describes the resource identity (Terraform 1.12 and
// later): what an import block's identity argument takes and what
// terraform query reports for each task.
func (r *pullToPushTaskResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"region": identityschema.StringAttribute{
				Description: "Live center of the task: one of " + strings.Join(liveRegions, ", ") + ". " +
					"Optional in an import block, where it defaults to the provider's region.",
				OptionalForImport: true,
			},
			"id": identityschema.StringAttribute{
				Description:       "The task ID the service assigned (TaskId).",
				RequiredForImport: true,
			},
		},
	}
}
