package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// TestSaveApplied checks what an apply records from its read-back: the
// status as read, enabled as applied, and a warning for a task that is
// offline although enabled is true.
func TestSaveApplied(t *testing.T) {
	ctx := context.Background()
	r := &pullToPushTaskResource{}
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	plan := &pullToPushTaskResourceModel{Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
		"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType,
	})}}
	cases := []struct {
		status          int32
		enabled         bool
		wantStatus      string
		wantWarning     bool
		wantWarningText string
	}{
		{liveapi.StatusRecovering, true, "recovering", false, ""},
		{liveapi.StatusOffline, false, "offline", false, ""},
		{liveapi.StatusOffline, true, "offline", true, `Pull-to-push task "t-1" was created, but it is offline: its ` +
			`source or destination failed and its retries ran out (invalid_reason "PullStreamFailed"). The next plan ` +
			`shows enabled changing from false to true, which restarts the task; check the source and the ` +
			`destination first.`},
	}
	for _, c := range cases {
		task := vodTask()
		task.Status, task.InvalidReason = c.status, "PullStreamFailed"
		plan.Enabled = types.BoolValue(c.enabled)
		state := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)}
		var diags diag.Diagnostics
		r.saveApplied(ctx, task, plan, "created", &state, &diags)
		if diags.HasError() {
			t.Fatalf("status %d: %v", c.status, diags)
		}
		var got pullToPushTaskResourceModel
		if d := state.Get(ctx, &got); d.HasError() {
			t.Fatal(d)
		}
		if got.Status.ValueString() != c.wantStatus || got.Enabled.ValueBool() != c.enabled ||
			got.InvalidReason.ValueString() != "PullStreamFailed" {
			t.Errorf("status %d: state status %s enabled %v invalid_reason %s, want %s %v PullStreamFailed",
				c.status, got.Status, got.Enabled, got.InvalidReason, c.wantStatus, c.enabled)
		}
		warnings := diags.Warnings()
		switch {
		case !c.wantWarning && len(warnings) != 0:
			t.Errorf("status %d enabled %v: unexpected warnings %v", c.status, c.enabled, warnings)
		case c.wantWarning && (len(warnings) != 1 || warnings[0].Summary() != "Pull-to-Push Task Is Offline" ||
			warnings[0].Detail() != c.wantWarningText):
			t.Errorf("status %d enabled %v: warnings %v, want one %q: %q", c.status, c.enabled, warnings,
				"Pull-to-Push Task Is Offline", c.wantWarningText)
		}
	}
}
