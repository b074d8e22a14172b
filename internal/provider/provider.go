// Package provider implements the alilive Terraform provider on
// terraform-plugin-framework: the provider configuration, the
// alilive_pull_to_push_task resource, list resource and data source, the
// alilive_pull_to_push_tasks data source, the
// alilive_pull_to_push_task_restart action and the sign_url function.
//
// Files are layered: vocabulary.go, diagnostics.go, redact.go and
// provider_settings.go at the bottom; then the task's validators, rules,
// model, waits and plan logic; the resource, list resource, data sources
// and action on top of those; the provider's schema and configuration
// last. No file uses a name defined in a file built on it.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	fwlist "github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Ensure the implementation satisfies the framework interfaces.
var (
	_ provider.Provider                   = (*aliliveProvider)(nil)
	_ provider.ProviderWithValidateConfig = (*aliliveProvider)(nil)
	_ provider.ProviderWithFunctions      = (*aliliveProvider)(nil)
	_ provider.ProviderWithListResources  = (*aliliveProvider)(nil)
	_ provider.ProviderWithActions        = (*aliliveProvider)(nil)
)

// aliliveProvider is the provider implementation.
type aliliveProvider struct {
	version string
}

// New returns a constructor of the provider for the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &aliliveProvider{version: version}
	}
}

// Metadata sets the type name and version.
func (p *aliliveProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "alilive"
	resp.Version = p.version
}

// Resources lists the resources of the provider.
func (p *aliliveProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewPullToPushTaskResource,
	}
}

// ListResources lists the list resources of the provider (terraform query).
func (p *aliliveProvider) ListResources(_ context.Context) []func() fwlist.ListResource {
	return []func() fwlist.ListResource{
		NewPullToPushTaskListResource,
	}
}

// DataSources lists the data sources of the provider.
func (p *aliliveProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewPullToPushTaskDataSource,
		NewPullToPushTasksDataSource,
	}
}

// Functions lists the provider functions.
func (p *aliliveProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		NewSignURLFunction,
	}
}

// Actions lists the actions of the provider (Terraform 1.14 and later).
func (p *aliliveProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		NewPullToPushTaskRestartAction,
	}
}
