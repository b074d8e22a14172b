package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// pullToPushTaskModel holds every attribute of a task that the resource
// and both data sources share, and is filled from the API by fromTask.
type pullToPushTaskModel struct {
	ID               types.String `tfsdk:"id"`
	Region           types.String `tfsdk:"region"`
	TaskName         types.String `tfsdk:"task_name"`
	StartTime        rfc3339Value `tfsdk:"start_time"`
	EndTime          rfc3339Value `tfsdk:"end_time"`
	SourceType       types.String `tfsdk:"source_type"`
	SourceProtocol   types.String `tfsdk:"source_protocol"`
	SourceURLs       types.List   `tfsdk:"source_urls"`
	DstURL           types.String `tfsdk:"dst_url"`
	CallbackURL      types.String `tfsdk:"callback_url"`
	RepeatNumber     types.Int64  `tfsdk:"repeat_number"`
	FileIndex        types.Int64  `tfsdk:"file_index"`
	Offset           types.Int64  `tfsdk:"offset"`
	RetryInterval    types.Int64  `tfsdk:"retry_interval"`
	RetryCount       types.Int64  `tfsdk:"retry_count"`
	Enabled          types.Bool   `tfsdk:"enabled"`
	Status           types.String `tfsdk:"status"`
	InvalidReason    types.String `tfsdk:"invalid_reason"`
	CurrentFileIndex types.Int64  `tfsdk:"current_file_index"`
	CurrentOffset    types.Int64  `tfsdk:"current_offset"`
}

// timeValue keeps the prior spelling of a timestamp when it names the same
// instant as the API's value, and otherwise writes the API's value in UTC.
func timeValue(prior rfc3339Value, api time.Time) rfc3339Value {
	if p, ok := knownTime(prior); ok && p.Equal(api) {
		return prior
	}
	return newRFC3339(liveapi.FormatTime(api))
}

// fromTask fills m from a task the API returned. prior (nil for data
// sources) supplies the spellings the API does not preserve: the offset of
// times and the letter case of source_protocol.
func (m *pullToPushTaskModel) fromTask(t *liveapi.Task, prior *pullToPushTaskModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if prior == nil {
		prior = &pullToPushTaskModel{}
	}
	s := t.Spec
	m.ID = types.StringValue(t.ID)
	switch {
	case s.Region != "":
		m.Region = types.StringValue(s.Region)
	case !prior.Region.IsNull() && !prior.Region.IsUnknown():
		m.Region = prior.Region
	default:
		m.Region = types.StringNull()
	}
	m.TaskName = nullIfEmpty(s.TaskName)
	m.StartTime = timeValue(prior.StartTime, s.StartTime)
	m.EndTime = timeValue(prior.EndTime, s.EndTime)
	m.SourceType = types.StringValue(s.SourceType)

	m.SourceProtocol = types.StringNull()
	if s.SourceType == sourceTypeLive {
		m.SourceProtocol = nullIfEmpty(s.SourceProtocol)
		if !prior.SourceProtocol.IsNull() && !prior.SourceProtocol.IsUnknown() &&
			strings.EqualFold(prior.SourceProtocol.ValueString(), s.SourceProtocol) {
			m.SourceProtocol = prior.SourceProtocol
		}
	}

	urls := s.SourceURLs
	if urls == nil {
		urls = []string{}
	}
	list, d := types.ListValueFrom(context.Background(), types.StringType, urls)
	diags.Append(d...)
	m.SourceURLs = list
	m.DstURL = types.StringValue(s.DstURL)
	m.CallbackURL = nullIfEmpty(s.CallbackURL)

	if isPlaylist(s.SourceType) {
		m.RepeatNumber = types.Int64Value(int64(s.RepeatNumber))
		m.FileIndex = types.Int64Value(int64(s.FileIndex))
		m.Offset = types.Int64Value(int64(s.Offset))
	} else {
		m.RepeatNumber = types.Int64Null()
		m.FileIndex = types.Int64Null()
		m.Offset = types.Int64Null()
	}
	m.RetryInterval = types.Int64Value(int64(s.RetryInterval))
	m.RetryCount = types.Int64Value(int64(s.RetryCount))

	m.Enabled = types.BoolValue(statusEnabled(t.Status))
	m.Status = types.StringValue(statusName(t.Status))
	m.InvalidReason = nullIfEmpty(t.InvalidReason)
	m.CurrentFileIndex = types.Int64Value(int64(t.CurrentFileIndex))
	m.CurrentOffset = types.Int64Value(int64(t.CurrentOffset))
	return diags
}

// toSpec builds the API's task configuration from a fully known plan.
func (m *pullToPushTaskModel) toSpec(ctx context.Context) (liveapi.Spec, diag.Diagnostics) {
	var diags diag.Diagnostics
	start, d := m.StartTime.ValueRFC3339Time()
	diags.Append(d...)
	end, d := m.EndTime.ValueRFC3339Time()
	diags.Append(d...)
	urls, d := listStrings(ctx, m.SourceURLs)
	diags.Append(d...)
	spec := liveapi.Spec{
		Region:         m.Region.ValueString(),
		TaskName:       m.TaskName.ValueString(),
		StartTime:      start.UTC(),
		EndTime:        end.UTC(),
		SourceType:     m.SourceType.ValueString(),
		SourceProtocol: strings.ToLower(m.SourceProtocol.ValueString()),
		SourceURLs:     urls,
		DstURL:         m.DstURL.ValueString(),
		CallbackURL:    m.CallbackURL.ValueString(),
		RepeatNumber:   int32(m.RepeatNumber.ValueInt64()),
		FileIndex:      int32(m.FileIndex.ValueInt64()),
		Offset:         int32(m.Offset.ValueInt64()),
		RetryCount:     int32(m.RetryCount.ValueInt64()),
		RetryInterval:  int32(m.RetryInterval.ValueInt64()),
	}
	return spec, diags
}

// listStrings reads a list of strings.
func listStrings(ctx context.Context, l types.List) ([]string, diag.Diagnostics) {
	if l.IsNull() || l.IsUnknown() {
		return nil, nil
	}
	out := make([]string, 0, len(l.Elements()))
	diags := l.ElementsAs(ctx, &out, false)
	return out, diags
}

// pullToPushTaskResourceModel is the resource's state: the task's
// attributes and the timeouts block.
type pullToPushTaskResourceModel struct {
	pullToPushTaskModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
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

// taskTimeoutsAttrTypes are the attribute types of the resource's
// timeouts block.
func taskTimeoutsAttrTypes(ctx context.Context) map[string]attr.Type {
	t, ok := taskTimeoutsBlock(ctx).Type().(attr.TypeWithAttributeTypes)
	if !ok {
		return nil // Set then fails with a diagnostic naming the block
	}
	return t.AttributeTypes()
}

// taskTimeoutsBlock is the resource's timeouts block.
func taskTimeoutsBlock(ctx context.Context) schema.Block {
	d := timeoutDescription
	return timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: d("creating the task (and reading it back)"),
		ReadDescription:   d("reading the task on each refresh"),
		UpdateDescription: d("updating the task (with a stop and a restart where one is needed)"),
		DeleteDescription: d("deleting the task")})
}

// timeoutDescription documents one timeout of a timeouts block: what it
// bounds and its default, defaultOperationTimeout.
func timeoutDescription(what string) string {
	return fmt.Sprintf("How long %s may take, including the client's retries and its waits for `rate_limit`, "+
		"as a duration such as `\"90s\"` or `\"5m\"`. Defaults to %d minutes.", what, int(defaultOperationTimeout/time.Minute))
}
