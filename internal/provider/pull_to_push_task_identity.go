package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// pullToPushTaskIdentityModel is the resource identity of a task: the live
// center and the task ID, which together name one task of an account.
type pullToPushTaskIdentityModel struct {
	Region types.String `tfsdk:"region"`
	ID     types.String `tfsdk:"id"`
}

// identityFromImport reads the region and task ID of an import block's
// identity argument. The region defaults to defaultRegion (the provider's).
// The resource has its own region argument, so an identity may name any
// live center, also one other than the provider's; a value that is not a
// live center, or a malformed ID, is an error naming the attribute.
func identityFromImport(ctx context.Context, identity *tfsdk.ResourceIdentity, defaultRegion string) (region, id string, diags diag.Diagnostics) {
	var m pullToPushTaskIdentityModel
	diags.Append(identity.Get(ctx, &m)...)
	if diags.HasError() {
		return "", "", diags
	}
	region, id = m.Region.ValueString(), m.ID.ValueString()
	if region == "" {
		region = defaultRegion
	}
	switch {
	case !taskIDPattern.MatchString(id):
		diags.AddAttributeError(path.Root("id"), "Invalid Import Identity",
			fmt.Sprintf("The identity attribute id is %s, which is not a task ID: a task ID consists of 1 to 55 "+
				"letters, digits, - and _.", quoteValue(id)))
	case region == "":
		diags.AddAttributeError(path.Root("region"), "Invalid Import Identity",
			fmt.Sprintf("The identity names no region and the provider has no region configured: set the identity "+
				"attribute region to one of %s.", strings.Join(liveRegions, ", ")))
	case !contains(liveRegions, region):
		diags.AddAttributeError(path.Root("region"), "Invalid Import Identity",
			fmt.Sprintf("The identity attribute region is %q, which is not a live center: set it to one of %s.",
				region, strings.Join(liveRegions, ", ")))
	}
	return region, id, diags
}

// syncIdentity sets the identity from the region and id of state, after
// Create, Read and Update wrote it. A state without an ID (nothing was
// created, or the task left the state) sets nothing; so does a Terraform
// that does not support identities (identity nil).
func syncIdentity(ctx context.Context, state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	if identity == nil || state.Raw.IsNull() || !state.Raw.IsKnown() {
		return
	}
	var m pullToPushTaskIdentityModel
	diags.Append(state.GetAttribute(ctx, path.Root("region"), &m.Region)...)
	diags.Append(state.GetAttribute(ctx, path.Root("id"), &m.ID)...)
	if diags.HasError() || m.ID.ValueString() == "" || m.Region.ValueString() == "" {
		return
	}
	diags.Append(identity.Set(ctx, m)...)
}
