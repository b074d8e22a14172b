package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// privateNotApplied is the private state key that lists the arguments the
// service accepted a change of but did not change in place.
const privateNotApplied = "not_applied_in_place"

// notApplied names the arguments whose change in in the task t read back
// does not show (liveapi.NotApplied, by the provider's attribute names).
func notApplied(in liveapi.UpdateInput, t *liveapi.Task) []string {
	var out []string
	for _, p := range liveapi.NotApplied(in, t) {
		out = append(out, updateParameterAttrs[p])
	}
	return out
}

// updateParameterAttrs maps UpdateLivePullToPush's parameters to the
// attributes that set them.
var updateParameterAttrs = map[string]string{
	"StartTime": "start_time", "EndTime": "end_time", "SourceUrls": "source_urls", "RepeatNumber": "repeat_number",
	"FileIndex": "file_index", "Offset": "offset", "CallbackUrl": "callback_url",
}

// privateSetter is the part of a response's private state Update uses.
type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// recordNotApplied remembers in the private state which arguments the
// service did not change in place, so the next plan replaces the task, and
// returns the error of the apply that found out.
func recordNotApplied(ctx context.Context, private privateSetter, id string, attrs []string, want, got *pullToPushTaskModel) diag.Diagnostics {
	data, _ := json.Marshal(attrs)
	diags := private.SetKey(ctx, privateNotApplied, data)
	var b strings.Builder
	fmt.Fprintf(&b, "The service accepted the update of pull-to-push task %q but did not apply ", id)
	for i, a := range attrs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s (requested %s, the task has %s)", a, describeValue(attrValue(want, a)), describeValue(attrValue(got, a)))
	}
	b.WriteString(". The service cannot make this change in place, so the state records the task as it is, and the " +
		"next plan replaces the task to apply it (delete, then create, which interrupts the relay). Run terraform apply " +
		"again to do that, or change the configuration back to keep the task.")
	diags.AddError("Pull-to-Push Task Update Not Applied", b.String())
	return diags
}

// planNotApplied plans the replacement of a task whose arguments the
// service did not change in place on an earlier apply, when the plan still
// changes them, with a warning that says why.
func planNotApplied(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, plan, state *pullToPushTaskModel) {
	if req.Private == nil {
		return
	}
	data, diags := req.Private.GetKey(ctx, privateNotApplied)
	resp.Diagnostics.Append(diags...)
	var attrs []string
	if len(data) == 0 || json.Unmarshal(data, &attrs) != nil {
		return
	}
	var changed []string
	for _, a := range attrs {
		if p, s := attrValue(plan, a), attrValue(state, a); p != nil && s != nil && !p.Equal(s) {
			resp.RequiresReplace.Append(path.Root(a))
			changed = append(changed, a)
		}
	}
	if len(changed) == 0 {
		return
	}
	resp.Diagnostics.AddWarning("Pull-to-Push Task Will Be Replaced",
		fmt.Sprintf("On an earlier apply the service accepted a change of %s of pull-to-push task %q but did not apply "+
			"it, so it cannot make this change in place: this plan replaces the task (delete, then create), which "+
			"interrupts the relay.", strings.Join(changed, ", "), state.ID.ValueString()))
}

// attrValue is the value of an updatable argument of m by name.
func attrValue(m *pullToPushTaskModel, name string) attr.Value {
	switch name {
	case "start_time":
		return m.StartTime
	case "end_time":
		return m.EndTime
	case "source_urls":
		return m.SourceURLs
	case "repeat_number":
		return m.RepeatNumber
	case "file_index":
		return m.FileIndex
	case "offset":
		return m.Offset
	case "callback_url":
		return m.CallbackURL
	}
	return nil
}

// describeValue writes a value for a message: null as "none".
func describeValue(v attr.Value) string {
	if v == nil || v.IsNull() {
		return "none"
	}
	return v.String()
}

// mayRestart reports whether an update from state to plan may stop or
// restart the task: it changes something other than callback_url and
// repeat_number, which the service changes on a running task.
func mayRestart(plan, state *pullToPushTaskModel) bool {
	return !plan.StartTime.Equal(state.StartTime) || !plan.EndTime.Equal(state.EndTime) ||
		!plan.SourceURLs.Equal(state.SourceURLs) || !plan.FileIndex.Equal(state.FileIndex) ||
		!plan.Offset.Equal(state.Offset) || !plan.Enabled.Equal(state.Enabled)
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
		// One variant of the documentation gives a restarted task a new ID.
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
	changed := restrictedChanges(plan, state)
	for _, name := range changed {
		switch name {
		case "start_time":
			t, d := plan.StartTime.ValueRFC3339Time()
			diags.Append(d...)
			t = t.UTC()
			in.StartTime = &t
		case "end_time":
			t, d := plan.EndTime.ValueRFC3339Time()
			diags.Append(d...)
			t = t.UTC()
			in.EndTime = &t
		case "source_urls":
			urls, d := listStrings(ctx, plan.SourceURLs)
			diags.Append(d...)
			in.SourceURLs = urls
		case "file_index":
			v := int32(plan.FileIndex.ValueInt64())
			in.FileIndex = &v
		case "offset":
			v := int32(plan.Offset.ValueInt64())
			in.Offset = &v
		}
	}
	restricted := len(changed) > 0
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

// restrictedChanges names the arguments the plan changes in place that the
// service changes only on a task that does not run: start_time, end_time,
// source_urls, file_index and offset (the last two only when set). An
// update of any of them stops and restarts a running task.
func restrictedChanges(plan, state *pullToPushTaskModel) []string {
	var out []string
	if !sameInstant(plan.StartTime.StringValue, state.StartTime.StringValue) {
		out = append(out, "start_time")
	}
	if !sameInstant(plan.EndTime.StringValue, state.EndTime.StringValue) {
		out = append(out, "end_time")
	}
	if !plan.SourceURLs.Equal(state.SourceURLs) {
		out = append(out, "source_urls")
	}
	if !plan.FileIndex.Equal(state.FileIndex) && !plan.FileIndex.IsNull() {
		out = append(out, "file_index")
	}
	if !plan.Offset.Equal(state.Offset) && !plan.Offset.IsNull() {
		out = append(out, "offset")
	}
	return out
}

// interruptedAttrs names the arguments whose in-place change makes the
// apply stop a task that runs (or recovers) and restart it: its
// restrictedChanges (a start_time change of a started task replaces it, so
// it never appears here). It is nil when the task is not running in the
// state or is not to keep running, and for a replacement.
func interruptedAttrs(plan, state *pullToPushTaskModel) []string {
	status := state.Status.ValueString()
	if status != statusRunning && status != statusRecovering || !plan.Enabled.ValueBool() || plansReplacement(plan, state) {
		return nil
	}
	return restrictedChanges(plan, state)
}

// interruptionWarning says, at plan time, that the apply will interrupt a
// running relay to change attrs in place.
func interruptionWarning(id, status, sourceType string, attrs []string) (summary, detail string) {
	list := strings.Join(attrs, ", ")
	if n := len(attrs); n > 1 {
		list = strings.Join(attrs[:n-1], ", ") + " and " + attrs[n-1]
	}
	playlist := ""
	if isPlaylist(sourceType) {
		playlist = ", and the playlist starts again from file_index and offset"
	}
	return "Pull-to-Push Task Will Be Interrupted", fmt.Sprintf("Pull-to-push task %q is %s, and this plan changes "+
		"%s in place, which the service makes only on a task that does not run: the apply stops the task, "+
		"updates it and restarts it. The relay is interrupted for a moment%s. To avoid that, make the change "+
		"before start_time or after the event.", id, status, list, playlist)
}
