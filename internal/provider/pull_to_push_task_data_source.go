package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// Ensure the implementation satisfies the framework interfaces.
var (
	_ datasource.DataSource              = (*pullToPushTaskDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*pullToPushTaskDataSource)(nil)
)

// NewPullToPushTaskDataSource returns the alilive_pull_to_push_task data source.
func NewPullToPushTaskDataSource() datasource.DataSource {
	return &pullToPushTaskDataSource{}
}

// pullToPushTaskDataSource reads one task by ID.
type pullToPushTaskDataSource struct {
	client *liveapi.Client
}

// pullToPushTaskDataSourceModel is the data source's configuration and
// result: the task's attributes and the timeouts block.
type pullToPushTaskDataSourceModel struct {
	pullToPushTaskModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// dataSourceTimeoutDoc documents the timeouts block of both data sources.
const dataSourceTimeoutDoc = "A call whose turn under the provider's `rate_limit` would come after the " +
	"`timeouts` block's `read` fails at once, with an error that names `rate_limit`."

// Metadata sets the data source type name.
func (d *pullToPushTaskDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pull_to_push_task"
}

// Schema describes the data source.
func (d *pullToPushTaskDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := taskDataSourceAttributes()
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "ID of the task to read.",
		Required:            true,
		Validators: []validator.String{stringvalidator.RegexMatches(taskIDPattern,
			"must consist of 1 to 55 letters, digits, - and _")},
	}
	attrs["region"] = schema.StringAttribute{
		MarkdownDescription: "Live center of the task: one of `" + strings.Join(liveRegions, "`, `") +
			"`. Defaults to the provider's `region`.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{liveRegionValidator{}},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one ApsaraVideo Live pull-to-push task by its ID, for example one created in " +
			"the console or by another configuration. Reading a task that does not exist (it ended and was " +
			"deleted automatically, or was deleted) is an error. " + dataSourceTimeoutDoc,
		Attributes: attrs,
		Blocks:     map[string]schema.Block{"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{ReadDescription: timeoutDescription("the read")})},
	}
}

// Configure stores the shared API client.
func (d *pullToPushTaskDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, "data source", &resp.Diagnostics)
}

// Read reads the task.
func (d *pullToPushTaskDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer redactDiagnostics(&resp.Diagnostics)
	if d.client == nil {
		addConfigNotKnown(&resp.Diagnostics)
		return
	}
	var config pullToPushTaskDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := operationContext(ctx, config.Timeouts.Read, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	region := config.Region.ValueString()
	if region == "" {
		region = d.client.Region()
	}
	id := config.ID.ValueString()
	task, err := d.client.Describe(ctx, region, id)
	if err != nil {
		advice := "Correct the cause (credentials, permissions) and try again."
		if errors.Is(err, liveapi.ErrNotFound) {
			advice = fmt.Sprintf("No task with this ID exists in region %q: it may have ended and been deleted "+
				"automatically, or been deleted. Check the ID and the region.", region)
		}
		resp.Diagnostics.AddError("Unable to Read Pull-to-Push Task", apiErrorDetail(
			taskCall("DescribeLivePullToPush", "reading", id, region), err, "", advice))
		return
	}
	m := pullToPushTaskDataSourceModel{Timeouts: config.Timeouts}
	resp.Diagnostics.Append(m.fromTask(task, nil)...)
	if m.Region.IsNull() {
		m.Region = types.StringValue(region)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	addClientWarnings(d.client, &resp.Diagnostics)
}

// sourceProtocolDataDoc documents source_protocol in both data sources.
// The client lower-cases the service's echo (which may be `RTMP`), so
// the value compares equal to the resource's arguments written in the
// documented spelling.
const sourceProtocolDataDoc = "Protocol of a live source, always in lower case (`rtmp`, `rtsp`, `srt`, " +
	"`http-flv` or `flv`) whatever letter case the service reports it in; null for vod and url tasks."

// taskDataSourceAttributes describes a task as both data sources return
// it: the resource's attributes, all computed.
func taskDataSourceAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":        schema.StringAttribute{MarkdownDescription: "The task ID.", Computed: true},
		"region":    schema.StringAttribute{MarkdownDescription: "Live center the task runs in.", Computed: true},
		"task_name": schema.StringAttribute{MarkdownDescription: "Name of the task; null when it has none.", Computed: true},
		"start_time": schema.StringAttribute{
			MarkdownDescription: "When the task starts, RFC 3339 in UTC.",
			CustomType:          rfc3339Type{},
			Computed:            true,
		},
		"end_time": schema.StringAttribute{
			MarkdownDescription: "When the task ends and the service deletes it, RFC 3339 in UTC.",
			CustomType:          rfc3339Type{},
			Computed:            true,
		},
		"source_type": schema.StringAttribute{MarkdownDescription: "`live`, `vod` or `url`.", Computed: true},
		"source_protocol": schema.StringAttribute{
			MarkdownDescription: sourceProtocolDataDoc,
			Computed:            true,
		},
		"source_urls": schema.ListAttribute{
			MarkdownDescription: "The sources in playing order: one stream URL (live), VOD media IDs (vod) or " +
				"file URLs (url).",
			ElementType: types.StringType,
			Computed:    true,
		},
		"dst_url":      schema.StringAttribute{MarkdownDescription: "The RTMP URL the task pushes to.", Computed: true},
		"callback_url": schema.StringAttribute{MarkdownDescription: "The callback URL; null when none is set.", Computed: true},
		"repeat_number": schema.Int64Attribute{
			MarkdownDescription: "Extra passes over the playlist (`-1` loops); null for live tasks.",
			Computed:            true,
		},
		"file_index": schema.Int64Attribute{
			MarkdownDescription: "Index of the playlist entry the task starts with; null for live tasks.",
			Computed:            true,
		},
		"offset": schema.Int64Attribute{
			MarkdownDescription: "Start position in seconds in the first played file; null for live tasks.",
			Computed:            true,
		},
		"retry_interval": schema.Int64Attribute{MarkdownDescription: "Seconds between retries.", Computed: true},
		"retry_count":    schema.Int64Attribute{MarkdownDescription: "Retries before the task goes offline.", Computed: true},
		"enabled": schema.BoolAttribute{
			MarkdownDescription: "`true` when the task is `idle`, `running` or `recovering`; `false` when it is `offline` (stopped) " +
				"or has ended (`exited`).",
			Computed: true,
		},
		"status": schema.StringAttribute{
			MarkdownDescription: "`idle`, `running`, `recovering` or `offline` (`exited` for a task that ended " +
				"and is still visible; the list data source leaves such tasks out).",
			Computed: true,
		},
		"invalid_reason": schema.StringAttribute{
			MarkdownDescription: "Why the task failed or stopped; null while it is healthy (as in the resource).",
			Computed:            true,
		},
		"current_file_index": schema.Int64Attribute{
			MarkdownDescription: "Index of the playlist entry playing now.",
			Computed:            true,
		},
		"current_offset": schema.Int64Attribute{
			MarkdownDescription: "Playback position in seconds inside the entry playing now.",
			Computed:            true,
		},
	}
}
