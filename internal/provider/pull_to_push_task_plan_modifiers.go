package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// sameInstantModifier keeps the prior state's spelling of a timestamp when
// the configuration names the same instant in another spelling (another
// offset, say), so that rewriting a time without moving it plans nothing.
type sameInstantModifier struct{}

var _ planmodifier.String = sameInstantModifier{}

// Description tells what the modifier does.
func (sameInstantModifier) Description(_ context.Context) string {
	return "A change of spelling that keeps the same instant (for example another UTC offset) is not a change."
}

// MarkdownDescription tells what the modifier does.
func (m sameInstantModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

// PlanModifyString plans the prior value when both name the same instant.
func (sameInstantModifier) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if !sameInstant(req.StateValue, req.ConfigValue) {
		return
	}
	resp.PlanValue = req.StateValue
}

// sameInstant reports whether two known timestamps name the same instant.
func sameInstant(a, b types.String) bool {
	if a.IsNull() || a.IsUnknown() || b.IsNull() || b.IsUnknown() {
		return false
	}
	ta, okA := parseRFC3339(a.ValueString())
	tb, okB := parseRFC3339(b.ValueString())
	return okA && okB && ta.Equal(tb)
}

// caseInsensitiveModifier keeps the prior state's spelling of a value that
// the service compares without regard to letter case (source_protocol: the
// service echoes "RTMP" for "rtmp").
type caseInsensitiveModifier struct{}

var _ planmodifier.String = caseInsensitiveModifier{}

// Description tells what the modifier does.
func (caseInsensitiveModifier) Description(_ context.Context) string {
	return "A change of letter case only is not a change."
}

// MarkdownDescription tells what the modifier does.
func (m caseInsensitiveModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

// PlanModifyString plans the prior value when both differ in case only.
func (caseInsensitiveModifier) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	s, c := req.StateValue, req.ConfigValue
	if s.IsNull() || s.IsUnknown() || c.IsNull() || c.IsUnknown() {
		return
	}
	if strings.EqualFold(s.ValueString(), c.ValueString()) {
		resp.PlanValue = s
	}
}

// playlistDefaultModifier plans the default of an argument that only vod
// and url tasks have (repeat_number, file_index, offset) when it is not
// configured: the default for vod and url, null for live, unknown while
// source_type is unknown.
type playlistDefaultModifier struct {
	value int64
}

var _ planmodifier.Int64 = playlistDefaultModifier{}

// Description tells what the modifier does.
func (m playlistDefaultModifier) Description(_ context.Context) string {
	return "Defaults to the documented value for vod and url tasks; always null for live tasks."
}

// MarkdownDescription tells what the modifier does.
func (m playlistDefaultModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

// PlanModifyInt64 fills the default when the configuration leaves it out.
func (m playlistDefaultModifier) PlanModifyInt64(ctx context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	if !req.ConfigValue.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var sourceType types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("source_type"), &sourceType)...)
	switch {
	case sourceType.IsUnknown() || sourceType.IsNull():
		resp.PlanValue = types.Int64Unknown()
	case isPlaylist(sourceType.ValueString()):
		resp.PlanValue = types.Int64Value(m.value)
	default:
		resp.PlanValue = types.Int64Null()
	}
}

// startTimeReplaceIfStarted plans a replacement when start_time changes on
// a task that has already started: the service ignores a new start time
// once the task has started.
func startTimeReplaceIfStarted() planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(
		func(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			var status types.String
			resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("status"), &status)...)
			resp.RequiresReplace = status.IsNull() || status.IsUnknown() || status.ValueString() != statusIdle
		},
		"Changing start_time of a task that has already started (status other than idle) forces replacement.",
		"Changing `start_time` of a task that has already started (`status` other than `idle`) forces replacement.",
	)
}
