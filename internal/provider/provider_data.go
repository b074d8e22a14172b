package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// clientFromProviderData is the shared API client the provider's
// Configure handed over, or nil (with an error when the data is of another
// type) for the resource, list resource, data source or action named by
// what.
func clientFromProviderData(data any, what string, diags *diag.Diagnostics) *liveapi.Client {
	if data == nil {
		return nil
	}
	client, ok := data.(*liveapi.Client)
	if !ok {
		diags.AddError("Unexpected Provider Data Type",
			fmt.Sprintf("The pull-to-push task %s expected a *liveapi.Client, got %T. This is a bug in the "+
				"provider; please report it.", what, data))
		return nil
	}
	return client
}

// operationContext bounds ctx by the timeout that timeout reads from a
// timeouts block (defaultOperationTimeout when the block leaves it out). ok
// is false when the block could not be read; the reason is in diags.
func operationContext(ctx context.Context, timeout func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	diags *diag.Diagnostics) (context.Context, context.CancelFunc, bool) {
	d, problems := timeout(ctx, defaultOperationTimeout)
	diags.Append(problems...)
	if diags.HasError() {
		return ctx, func() {}, false
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	return ctx, cancel, true
}
