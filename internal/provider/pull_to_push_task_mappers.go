package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// pullToPushTaskModel holds every attribute of a task that the resource
// and both data sources share, and is filled from the API by fromTask.
type pullToPushTaskModel struct {
	ID               types.String      `tfsdk:"id"`
	Region           types.String      `tfsdk:"region"`
	TaskName         types.String      `tfsdk:"task_name"`
	StartTime        timetypes.RFC3339 `tfsdk:"start_time"`
	EndTime          timetypes.RFC3339 `tfsdk:"end_time"`
	SourceType       types.String      `tfsdk:"source_type"`
	SourceProtocol   types.String      `tfsdk:"source_protocol"`
	SourceURLs       types.List        `tfsdk:"source_urls"`
	DstURL           types.String      `tfsdk:"dst_url"`
	CallbackURL      types.String      `tfsdk:"callback_url"`
	RepeatNumber     types.Int64       `tfsdk:"repeat_number"`
	FileIndex        types.Int64       `tfsdk:"file_index"`
	Offset           types.Int64       `tfsdk:"offset"`
	RetryInterval    types.Int64       `tfsdk:"retry_interval"`
	RetryCount       types.Int64       `tfsdk:"retry_count"`
	Enabled          types.Bool        `tfsdk:"enabled"`
	Status           types.String      `tfsdk:"status"`
	InvalidReason    types.String      `tfsdk:"invalid_reason"`
	CurrentFileIndex types.Int64       `tfsdk:"current_file_index"`
	CurrentOffset    types.Int64       `tfsdk:"current_offset"`
}

// apiTimeFormat is how the service writes and reads times.
const apiTimeFormat = "2006-01-02T15:04:05Z"

// statusName maps the service's TaskStatus to the provider's name.
func statusName(s int32) string {
	switch s {
	case liveapi.StatusIdle:
		return statusIdle
	case liveapi.StatusRunning:
		return statusRunning
	case liveapi.StatusRecovering:
		return statusRecovering
	case liveapi.StatusOffline:
		return statusOffline
	case liveapi.StatusExited:
		return statusExited
	}
	return fmt.Sprintf("unknown(%d)", s)
}

// statusEnabled derives enabled from a status: a task is enabled unless it
// was stopped (by a user or after its retries ran out) or has exited.
func statusEnabled(s int32) bool {
	return s == liveapi.StatusIdle || s == liveapi.StatusRunning || s == liveapi.StatusRecovering
}

// timeValue keeps the prior spelling of a timestamp when it names the same
// instant as the API's value, and otherwise writes the API's value in UTC.
func timeValue(prior timetypes.RFC3339, api time.Time) timetypes.RFC3339 {
	if p, ok := knownTime(prior); ok && p.Equal(api) {
		return prior
	}
	return timetypes.NewRFC3339ValueMust(api.UTC().Format(apiTimeFormat))
}

// nullIfEmpty maps the service's empty string to null.
func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// isPlaylist reports whether the source type plays a list of files.
func isPlaylist(sourceType string) bool {
	return sourceType == sourceTypeVOD || sourceType == sourceTypeURL
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
	m.InvalidReason = types.StringValue(t.InvalidReason)
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

// apiErrorDetail writes the detail of a diagnostic about a failed API call:
// the operation, the task ID, the error code and request ID when the
// service answered, and what the user can do.
func apiErrorDetail(operation, taskID string, err error, advice string) string {
	subject := "a new pull-to-push task"
	if taskID != "" {
		subject = fmt.Sprintf("pull-to-push task %q", taskID)
	}
	var b strings.Builder
	var ae *liveapi.APIError
	if errors.As(err, &ae) {
		fmt.Fprintf(&b, "The %s call for %s failed with error code %q (HTTP status %d, request ID %q): %s",
			operation, subject, ae.Code, ae.HTTPStatus, ae.RequestID, strings.TrimSuffix(ae.Message, "."))
	} else {
		fmt.Fprintf(&b, "The %s call for %s failed without an answer from the service, so there is no "+
			"error code or request ID: %s", operation, subject, strings.TrimSuffix(err.Error(), "."))
	}
	b.WriteString(".")
	if advice != "" {
		b.WriteString(" ")
		b.WriteString(advice)
	}
	return b.String()
}
