package provider

import (
	"context"
	"fmt"
	"sort"
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
	_ datasource.DataSource              = (*pullToPushTasksDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*pullToPushTasksDataSource)(nil)
)

// NewPullToPushTasksDataSource returns the alilive_pull_to_push_tasks data source.
func NewPullToPushTasksDataSource() datasource.DataSource {
	return &pullToPushTasksDataSource{}
}

// pullToPushTasksDataSource lists tasks.
type pullToPushTasksDataSource struct {
	client *liveapi.Client
}

// pullToPushTasksModel is the data source's configuration and result.
type pullToPushTasksModel struct {
	Region   types.String          `tfsdk:"region"`
	TaskName types.String          `tfsdk:"task_name"`
	DstURL   types.String          `tfsdk:"dst_url"`
	Status   types.String          `tfsdk:"status"`
	IDs      []string              `tfsdk:"ids"`
	Tasks    []pullToPushTaskModel `tfsdk:"tasks"`
	Timeouts timeouts.Value        `tfsdk:"timeouts"`
}

// Metadata sets the data source type name.
func (d *pullToPushTasksDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pull_to_push_tasks"
}

// Schema describes the data source.
func (d *pullToPushTasksDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the ApsaraVideo Live pull-to-push tasks of one live center, reading every page " +
			"of the list operation. The filters are exact: the service's own filters on name and destination " +
			"match fuzzily (by substring), so the provider passes them on to read fewer pages and then keeps only " +
			"the tasks that match exactly. Tasks are sorted by ID. " + dataSourceTimeoutDoc,
		Blocks: map[string]schema.Block{"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{ReadDescription: timeoutDescription("the read")})},
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				MarkdownDescription: "Live center to list: one of `" + strings.Join(liveRegions, "`, `") +
					"`. Defaults to the provider's `region`.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{liveRegionValidator{}},
			},
			"task_name": schema.StringAttribute{
				MarkdownDescription: "Keep only tasks whose `task_name` equals this value exactly.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"dst_url": schema.StringAttribute{
				MarkdownDescription: "Keep only tasks whose `dst_url` equals this value exactly.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Keep only tasks in this status: `idle`, `running`, `recovering` or `offline`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(taskStatuses...)},
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "IDs of the matching tasks, sorted.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"tasks": schema.ListNestedAttribute{
				MarkdownDescription: "The matching tasks, in the order of `ids`, with the attributes of the " +
					"`alilive_pull_to_push_task` data source.",
				Computed:     true,
				NestedObject: schema.NestedAttributeObject{Attributes: taskDataSourceAttributes()},
			},
		},
	}
}

// Configure stores the shared API client.
func (d *pullToPushTasksDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, "data source", &resp.Diagnostics)
}

// Read lists the tasks.
func (d *pullToPushTasksDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer redactDiagnostics(&resp.Diagnostics)
	if d.client == nil {
		addConfigNotKnown(&resp.Diagnostics)
		return
	}
	var m pullToPushTasksModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := operationContext(ctx, m.Timeouts.Read, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	region := m.Region.ValueString()
	if region == "" {
		region = d.client.Region()
	}
	filter := liveapi.ListFilter{TaskName: m.TaskName.ValueString(), DstURL: m.DstURL.ValueString()}
	tasks, err := d.client.List(ctx, region, filter)
	if err != nil {
		outcome := ""
		if _, denied := liveapi.MissingPermission(err); denied {
			outcome = "This data source lists tasks only with DescribeLivePullToPushList and cannot read them one " +
				"by one instead."
		}
		resp.Diagnostics.AddError("Unable to List Pull-to-Push Tasks", apiErrorDetail(apiCall{
			op: "DescribeLivePullToPushList", doing: fmt.Sprintf("listing tasks in region %q", region), region: region,
		}, err, outcome, "Correct the cause (credentials, permissions) and try again."))
		return
	}
	kept := filterTasks(tasks, filter, m.Status.ValueString())
	m.Region = types.StringValue(region)
	m.IDs = make([]string, 0, len(kept))
	m.Tasks = make([]pullToPushTaskModel, 0, len(kept))
	for i := range kept {
		if kept[i].Spec.Region == "" {
			kept[i].Spec.Region = region
		}
		var t pullToPushTaskModel
		resp.Diagnostics.Append(t.fromTask(&kept[i], nil)...)
		m.IDs = append(m.IDs, kept[i].ID)
		m.Tasks = append(m.Tasks, t)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// filterTasks keeps the tasks that match the filter exactly and have the
// status (when given), sorted by ID. Ended tasks (exited, or stopped with
// the exit reason OverEndTime) are never kept.
func filterTasks(tasks []liveapi.Task, f liveapi.ListFilter, status string) []liveapi.Task {
	kept := make([]liveapi.Task, 0, len(tasks))
	for _, t := range tasks {
		switch {
		case t.Ended():
		case f.TaskName != "" && t.Spec.TaskName != f.TaskName:
		case f.DstURL != "" && t.Spec.DstURL != f.DstURL:
		case status != "" && statusName(t.Status) != status:
		default:
			kept = append(kept, t)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].ID < kept[j].ID })
	return kept
}
