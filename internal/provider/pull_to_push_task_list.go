package provider

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/alilive/terraform-provider-alilive/internal/urlsign"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwlist "github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Ensure the implementation satisfies the framework interfaces.
var (
	_ fwlist.ListResource              = (*pullToPushTaskListResource)(nil)
	_ fwlist.ListResourceWithConfigure = (*pullToPushTaskListResource)(nil)
)

// NewPullToPushTaskListResource returns the alilive_pull_to_push_task list
// resource, which `terraform query` (Terraform 1.14 and later) uses to find
// tasks to import.
func NewPullToPushTaskListResource() fwlist.ListResource {
	return &pullToPushTaskListResource{}
}

// pullToPushTaskListResource lists the tasks of one live center.
type pullToPushTaskListResource struct {
	client *liveapi.Client
}

// pullToPushTaskListModel is the configuration of a list block.
type pullToPushTaskListModel struct {
	Region   types.String `tfsdk:"region"`
	TaskName types.String `tfsdk:"task_name"`
	DstURL   types.String `tfsdk:"dst_url"`
	Status   types.String `tfsdk:"status"`
}

// Metadata sets the type name, the managed resource's.
func (l *pullToPushTaskListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pull_to_push_task"
}

// ListResourceConfigSchema describes the list block's config.
func (l *pullToPushTaskListResource) ListResourceConfigSchema(_ context.Context, _ fwlist.ListResourceSchemaRequest, resp *fwlist.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the pull-to-push tasks of one live center for `terraform query` (Terraform 1.14 " +
			"and later), including tasks made in the console or by other tools, so that they can be imported in " +
			"bulk: `terraform query -generate-config-out=generated.tf` writes an `import` block (by resource " +
			"identity: `region` and `id`) and a resource block for each task found, and the plan of that " +
			"configuration imports the tasks without changing them.\n\n" +
			"Each result is named by the task's name (or, for a task without a name, its destination without " +
			"the query string), its live center and its ID. With `include_resource = true` a result holds every " +
			"attribute of the task as a refresh after import records it.\n\n" +
			"The tasks come one page of `DescribeLivePullToPushList` (100 tasks) at a time through the " +
			"provider's API client, so every page waits its turn under the provider's `rate_limit` and is " +
			"retried like any other read; reading stops as soon as the query's `limit` (Terraform's default: " +
			"100) is reached. `task_name` and `dst_url` are passed to the service, whose filters match " +
			"fuzzily (a task matches when its value contains the filter; the emulator ignores letter case); " +
			"`status` is applied to the tasks read. Tasks that have ended are never listed. Tasks are listed " +
			"in the service's order; a task created or deleted while the pages are read may shift the pages, " +
			"so that a task listed twice is listed once, and one can be missed: run the query again.",
		Attributes: map[string]listschema.Attribute{
			"region": listschema.StringAttribute{
				MarkdownDescription: "Live center to list: one of `" + strings.Join(liveRegions, "`, `") +
					"`. Defaults to the provider's `region`.",
				Optional:   true,
				Validators: []validator.String{liveRegionValidator{}},
			},
			"task_name": listschema.StringAttribute{
				MarkdownDescription: "List only tasks whose `task_name` contains this text, as the service " +
					"matches it (fuzzily).",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"dst_url": listschema.StringAttribute{
				MarkdownDescription: "List only tasks whose `dst_url` contains this text, as the service matches " +
					"it (fuzzily): a whole URL, or a part such as `rtmp://push.example.com/live/`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"status": listschema.StringAttribute{
				MarkdownDescription: "List only tasks in this status: `idle`, `running`, `recovering` or `offline`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(taskStatuses...)},
			},
		},
	}
}

// Configure stores the shared API client.
func (l *pullToPushTaskListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = clientFromProviderData(req.ProviderData, "list resource", &resp.Diagnostics)
}

// List streams the tasks that match the filters, page by page.
func (l *pullToPushTaskListResource) List(ctx context.Context, req fwlist.ListRequest, stream *fwlist.ListResultsStream) {
	if l.client == nil {
		var diags diag.Diagnostics
		diags.AddError("Provider Configuration Not Known Yet", "The alilive provider's configuration depends on "+
			"values that are not known, so its tasks cannot be listed. Give the provider block known values.")
		stream.Results = fwlist.ListResultsStreamDiagnostics(diags)
		return
	}
	var m pullToPushTaskListModel
	if diags := req.Config.Get(ctx, &m); diags.HasError() {
		redactDiagnostics(&diags)
		stream.Results = fwlist.ListResultsStreamDiagnostics(diags)
		return
	}
	region := m.Region.ValueString()
	if region == "" {
		region = l.client.Region()
	}
	filter := liveapi.ListFilter{TaskName: m.TaskName.ValueString(), DstURL: m.DstURL.ValueString()}
	status := m.Status.ValueString()
	stream.Results = func(push func(fwlist.ListResult) bool) {
		// The same bound as a refresh's read timeout, for all the pages.
		ctx, cancel := context.WithTimeout(ctx, defaultOperationTimeout)
		defer cancel()
		var listed int64
		err := l.client.ListEach(ctx, region, filter, func(tasks []liveapi.Task) bool {
			for i := range tasks {
				t := &tasks[i]
				if t.Ended() || (status != "" && statusName(t.Status) != status) {
					continue
				}
				if !push(l.result(ctx, req, t, region)) {
					return false
				}
				listed++
				if req.Limit > 0 && listed >= req.Limit {
					return false
				}
			}
			return true
		})
		if err != nil {
			var diags diag.Diagnostics
			diags.AddError("Unable to List Pull-to-Push Tasks", apiErrorDetail(apiCall{
				op: "DescribeLivePullToPushList", doing: fmt.Sprintf("listing tasks in region %q", region), region: region,
			}, err, fmt.Sprintf("%d tasks were listed before the error.", listed),
				"Correct the cause (credentials, permissions) and run the query again."))
			redactDiagnostics(&diags)
			push(fwlist.ListResult{Diagnostics: diags})
		}
	}
}

// result is one listed task: its identity, a display name and, when the
// query asks for it, the task as a refresh after import records it.
func (l *pullToPushTaskListResource) result(ctx context.Context, req fwlist.ListRequest, t *liveapi.Task, region string) fwlist.ListResult {
	r := req.NewListResult(ctx)
	if t.Spec.Region == "" {
		t.Spec.Region = region
	}
	r.DisplayName = taskDisplayName(t)
	r.Diagnostics.Append(r.Identity.Set(ctx, pullToPushTaskIdentityModel{
		Region: types.StringValue(t.Spec.Region), ID: types.StringValue(t.ID),
	})...)
	if req.IncludeResource {
		m := importedTaskModel(ctx, t, &r.Diagnostics)
		r.Diagnostics.Append(r.Resource.Set(ctx, &m)...)
	}
	return r
}

// taskDisplayName names a task the way a person finds it in the console:
// its name, or for a task without one its destination without the query
// string (which may hold an auth_key), then its live center and ID.
func taskDisplayName(t *liveapi.Task) string {
	name := t.Spec.TaskName
	if strings.TrimSpace(name) == "" {
		name = t.Spec.DstURL
		if u, err := url.Parse(name); err == nil {
			u.RawQuery, u.Fragment, u.User = "", "", nil
			name = u.String()
		} else if i := strings.IndexAny(name, "?#"); i >= 0 {
			name = name[:i]
		}
	}
	return fmt.Sprintf("%s (%s, %s)", urlsign.Redact(name), t.Spec.Region, t.ID)
}

// importedTaskModel is the state that an import of t followed by its
// refresh records: ImportState sets only id and region, and Read maps the
// task onto that (no spellings to keep, no timeouts).
func importedTaskModel(ctx context.Context, t *liveapi.Task, diags *diag.Diagnostics) pullToPushTaskResourceModel {
	prior := pullToPushTaskResourceModel{
		pullToPushTaskModel: pullToPushTaskModel{ID: types.StringValue(t.ID), Region: types.StringValue(t.Spec.Region)},
		Timeouts:            timeouts.Value{Object: types.ObjectNull(taskTimeoutsAttrTypes(ctx))},
	}
	return taskModel(t, &prior, diags)
}
