package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
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
func timeValue(prior rfc3339Value, api time.Time) rfc3339Value {
	if p, ok := knownTime(prior); ok && p.Equal(api) {
		return prior
	}
	return newRFC3339(api.UTC().Format(apiTimeFormat))
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

// transportAdvice is the fix for a call that got no answer from the service.
const transportAdvice = "Check the provider's endpoint and protocol settings (endpoint and protocol, or " +
	"ALILIVE_ENDPOINT and ALILIVE_PROTOCOL) and the network, then try again."

// apiCall names a call for apiErrorDetail: the operation, what it was
// doing ("reading pull-to-push task "t-1" in region "cn-shanghai"",
// "listing tasks in region "cn-shanghai"") and its live center.
type apiCall struct {
	op     string
	doing  string
	region string
}

// taskCall is a call on one existing task.
func taskCall(op, verb, id, region string) apiCall {
	return apiCall{op: op, doing: fmt.Sprintf("%s pull-to-push task %q in region %q", verb, id, region), region: region}
}

// apiErrorDetail writes the detail of a diagnostic about a failed API call:
// the operation that failed (the error's, which may differ from the
// caller's) and what it was doing, the error code and request ID when
// the service answered, then outcome (what happened to the state) and the
// advice that fits the error:
//   - a destination URL already in use (liveapi.ConflictError or
//     CodeConfigAlreadyExists): change dst_url or import the task that holds
//     it, and why create_before_destroy cannot help;
//   - a call the RAM policy denies, an account without a live domain or at
//     a limit: the RAM action to add, the domain to add, the tasks to
//     delete or the limit to raise (accountAdvice);
//   - a call the client-side rate limiter held back past the operation's
//     timeout (liveapi.RateLimitError): raise rate_limit or the timeout;
//   - no answer from the service (liveapi.TransportError): check the
//     endpoint, protocol and network, unless the client's own text already
//     says what to change (liveapi.Advice);
//   - anything else: fix.
func apiErrorDetail(call apiCall, err error, outcome, fix string) string {
	var b strings.Builder
	var ce *liveapi.ConflictError
	var ae *liveapi.APIError
	var te *liveapi.TransportError
	var se *settleError
	var rle *liveapi.RateLimitError
	switch {
	case liveapi.MayHaveCreated(err):
		// Checked first: errors.As would find the create's own APIError
		// inside and hide that the task may exist.
		fmt.Fprintf(&b, "The %s call (%s) may have created the task: its answer was lost, and looking the task "+
			"up by dst_url failed as well: %s", call.op, call.doing, strings.TrimSuffix(err.Error(), "."))
		outcome = "Nothing was recorded in the Terraform state, but the task may exist on the service."
		fix = "" // the client's text says to look for the task before applying again
	case errors.As(err, &se):
		// The service answered, but the change did not show as it should.
		fmt.Fprintf(&b, "The %s call (%s) was accepted, but: %s", call.op, call.doing, strings.TrimSuffix(se.Error(), "."))
		fix = ""
	case errors.As(err, &ce):
		fmt.Fprintf(&b, "The %s call (%s) failed because dst_url %q is already used by pull-to-push task %q",
			call.op, call.doing, ce.DstURL, ce.TaskID)
		if ce.Err != nil {
			fmt.Fprintf(&b, " (error code %q, HTTP status %d, request ID %q)", ce.Err.Code, ce.Err.HTTPStatus, ce.Err.RequestID)
		}
		fix = conflictAdvice(call.region, ce.TaskID, ce.SameConfig)
	case errors.As(err, &ae):
		fmt.Fprintf(&b, "The %s call (%s) failed with error code %q (HTTP status %d, request ID %q): %s",
			failedOp(call.op, ae.Operation), call.doing, ae.Code, ae.HTTPStatus, ae.RequestID,
			strings.TrimSuffix(ae.Message, "."))
		if ae.Code == liveapi.CodeConfigAlreadyExists {
			fix = conflictAdvice(call.region, "", false)
		} else if advice := accountAdvice(ae); advice != "" {
			fix = advice
		}
	case errors.As(err, &rle):
		fmt.Fprintf(&b, "The %s call (%s) was not sent: at the provider's rate_limit of %g calls per second, its "+
			"turn would come only after the operation's timeout", call.op, call.doing, rle.Rate)
		fix = "Raise rate_limit in the provider block (0 turns the client-side limiter off), or give the " +
			"operation more time in the timeouts block."
	default:
		msg := strings.TrimSuffix(err.Error(), ".")
		op := call.op
		if errors.As(err, &te) {
			op = failedOp(call.op, te.Operation)
		}
		fmt.Fprintf(&b, "The %s call (%s) failed without an answer from the service, so there is no "+
			"error code or request ID: %s", op, call.doing, msg)
		if te != nil {
			fix = transportAdvice
			if liveapi.Advice(err) != "" {
				fix = "" // the client's text already says what to change
			}
		}
	}
	b.WriteString(".")
	for _, s := range []string{outcome, fix} {
		if s != "" {
			b.WriteString(" ")
			b.WriteString(s)
		}
	}
	return b.String()
}

// failedOp is the operation a diagnostic names: the one whose call failed
// (a read served from list pages fails in DescribeLivePullToPushList), or
// the caller's when the error does not say.
func failedOp(callerOp, errOp string) string {
	if errOp != "" {
		return errOp
	}
	return callerOp
}

// conflictAdvice is the fix for a create whose dst_url another task holds
// (holder; "" when the service did not say which).
func conflictAdvice(region, holder string, sameConfig bool) string {
	var b strings.Builder
	switch {
	case holder == "":
		b.WriteString("Change dst_url, or adopt the task that uses it with an import block or terraform import.")
	case sameConfig:
		fmt.Fprintf(&b, "That task has exactly this configuration: adopt it with an import block or terraform "+
			"import (ID %q) instead of creating it again.", region+":"+holder)
	default:
		fmt.Fprintf(&b, "Change dst_url, or adopt that task with an import block or terraform import (ID %q).",
			region+":"+holder)
	}
	b.WriteString(" If this apply replaces a task of this resource under lifecycle create_before_destroy, the " +
		"task being replaced still holds dst_url: the service allows one live task per destination URL, so " +
		"create_before_destroy works only when dst_url changes too.")
	return b.String()
}
