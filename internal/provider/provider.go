// Package provider implements the alilive Terraform provider on
// terraform-plugin-framework: the provider configuration, the
// alilive_pull_to_push_task resource and its data sources.
package provider

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	fwlist "github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// Ensure the implementation satisfies the framework interfaces.
var (
	_ provider.Provider                   = (*aliliveProvider)(nil)
	_ provider.ProviderWithValidateConfig = (*aliliveProvider)(nil)
	_ provider.ProviderWithFunctions      = (*aliliveProvider)(nil)
	_ provider.ProviderWithListResources  = (*aliliveProvider)(nil)
	_ provider.ProviderWithActions        = (*aliliveProvider)(nil)
)

// Defaults of the provider configuration.
const (
	defaultProtocol   = "https"
	defaultRateLimit  = 10.0
	defaultMaxRetries = 8
)

// Bounds of rate_limit (0, the limiter off, is allowed too) and
// max_retries.
//
// The client's limiter keeps one token bucket per call its window admits,
// so its memory and the work of every call grow with the rate: the upper
// bound keeps both small while leaving ten times the service's documented
// quota (10 calls per second per account and operation) for an account
// whose quota was raised; above it the limiter has nothing left to protect,
// and 0 turns it off. The lower bound stops at one call per 100 seconds,
// below which a limit no longer describes a share of a quota; a call whose
// turn would come after its operation's timeout fails at once anyway.
// Retries stop at the operation's timeout whatever max_retries is; its
// bound only catches typing mistakes.
const (
	minRateLimit  = 0.01
	maxRateLimit  = 100.0
	maxMaxRetries = 100
)

// liveRegions are the live centers the service runs tasks in.
var liveRegions = []string{"ap-southeast-1", "ap-southeast-5", "cn-beijing", "cn-shanghai", "cn-shenzhen"}

// Environment variables the provider reads when the matching attribute is
// not set. Where two names are listed, the first one set wins.
var (
	envAccessKey     = []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"}
	envSecretKey     = []string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"}
	envSecurityToken = []string{"ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"}
	envRegion        = []string{"ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"}
	envProfile       = []string{"ALIBABA_CLOUD_PROFILE"}
	envRoleARN       = []string{"ALIBABA_CLOUD_ROLE_ARN"}
	envEndpoint      = []string{"ALILIVE_ENDPOINT"}
	envProtocol      = []string{"ALILIVE_PROTOCOL"}
	envSharedRate    = []string{"ALILIVE_SHARED_RATE_LIMIT"}
	// envRateLimitDir moves the directory of the shared rate limiters
	// (there is no attribute for it: it belongs to the host, not to a
	// configuration).
	envRateLimitDir = []string{"ALILIVE_RATE_LIMIT_DIR"}
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

// providerModel maps the provider block.
type providerModel struct {
	Region                types.String     `tfsdk:"region"`
	AccessKey             types.String     `tfsdk:"access_key"`
	SecretKey             types.String     `tfsdk:"secret_key"`
	SecurityToken         types.String     `tfsdk:"security_token"`
	Profile               types.String     `tfsdk:"profile"`
	SharedCredentialsFile types.String     `tfsdk:"shared_credentials_file"`
	AssumeRole            *assumeRoleModel `tfsdk:"assume_role"`
	ECSRoleName           types.String     `tfsdk:"ecs_role_name"`
	Endpoint              types.String     `tfsdk:"endpoint"`
	Protocol              types.String     `tfsdk:"protocol"`
	RateLimit             types.Float64    `tfsdk:"rate_limit"`
	MaxRetries            types.Int64      `tfsdk:"max_retries"`
	SharedRateLimit       types.Bool       `tfsdk:"shared_rate_limit"`
}

// assumeRoleModel maps the assume_role block.
type assumeRoleModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	ExternalID        types.String `tfsdk:"external_id"`
	Policy            types.String `tfsdk:"policy"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
}

// Metadata sets the type name and version.
func (p *aliliveProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "alilive"
	resp.Version = p.version
}

// Schema describes the provider block.
func (p *aliliveProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The `alilive` provider manages ApsaraVideo Live pull-to-push (pulled-stream relay) " +
			"tasks of Alibaba Cloud. Credentials are resolved with the official Alibaba Cloud credentials library. " +
			"When the provider block names a source of credentials (an access key, a profile, `assume_role` or " +
			"`ecs_role_name`), the credentials come from the block alone; the environment supplies credentials " +
			"only when the block names none. Other attributes fall back to the environment variable named in " +
			"their description, and a value set in the configuration always wins over the environment. All " +
			"API calls go through one client per provider " +
			"configuration, which keeps under the service's limit of 10 calls per second per operation, retries " +
			"throttled and failed calls with backoff, and serves bursts of reads from list pages.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				MarkdownDescription: "Default live center of tasks that do not name their own `region`: one of " +
					"`ap-southeast-1`, `ap-southeast-5`, `cn-beijing`, `cn-shanghai`, `cn-shenzhen`. " +
					"Environment: `ALIBABA_CLOUD_REGION` or `ALICLOUD_REGION`. Required (in the configuration " +
					"or the environment).",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(liveRegions...)},
			},
			"access_key": schema.StringAttribute{
				MarkdownDescription: "Access key ID. Needs `secret_key`. Cannot be combined with `profile`, " +
					"`shared_credentials_file` or `ecs_role_name`. Environment, read only when the provider block " +
					"names no source of credentials: `ALIBABA_CLOUD_ACCESS_KEY_ID` or `ALICLOUD_ACCESS_KEY`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"secret_key": schema.StringAttribute{
				MarkdownDescription: "Access key secret. Needs `access_key`. Environment, read only when the " +
					"provider block names no source of credentials: `ALIBABA_CLOUD_ACCESS_KEY_SECRET` or " +
					"`ALICLOUD_SECRET_KEY`. Never logged or stored in the state.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"security_token": schema.StringAttribute{
				MarkdownDescription: "STS security token that belongs to a temporary `access_key`/`secret_key` " +
					"pair. Environment, read only when the provider block names no source of credentials: " +
					"`ALIBABA_CLOUD_SECURITY_TOKEN` or `ALICLOUD_SECURITY_TOKEN` (so a token left in the shell is " +
					"never paired with a key written here). Never logged or stored in the state.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"profile": schema.StringAttribute{
				MarkdownDescription: "Name of a profile in the Alibaba Cloud CLI configuration file " +
					"(see `shared_credentials_file`). Cannot be combined with `access_key` or `ecs_role_name`. " +
					"Environment: `ALIBABA_CLOUD_PROFILE`, which selects the profile when the provider block names " +
					"no source of credentials or names only `shared_credentials_file`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"shared_credentials_file": schema.StringAttribute{
				MarkdownDescription: "Path of the Alibaba Cloud CLI configuration file that holds `profile` " +
					"(without `profile`, the file's current profile). Setting it selects a profile as the source " +
					"of credentials. Defaults to `ALIBABA_CLOUD_CONFIG_FILE` or `~/.aliyun/config.json`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"ecs_role_name": schema.StringAttribute{
				MarkdownDescription: "Name of the RAM role attached to the ECS instance Terraform runs on; " +
					"credentials then come from the instance metadata service. Cannot be combined with " +
					"`assume_role`, `access_key` or `profile`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "API endpoint as `host` or `host:port`, without a scheme (choose the scheme " +
					"with `protocol`). Defaults to the SDK's endpoint for the region (`live.aliyuncs.com`). " +
					"Point it at the local emulator, for example `127.0.0.1:9180`. Environment: `ALILIVE_ENDPOINT`.",
				Optional:   true,
				Validators: []validator.String{endpointValidator},
			},
			"protocol": schema.StringAttribute{
				MarkdownDescription: "`https` (default) or `http` (for the local emulator), in any letter case, " +
					"as URL schemes are. Environment: `ALILIVE_PROTOCOL`, under the same rule.",
				Optional:   true,
				Validators: []validator.String{protocolValidator},
			},
			"rate_limit": schema.Float64Attribute{
				MarkdownDescription: "Client-side limit in calls per second for each API operation, shared by " +
					"every provider configuration in the process that uses the same access key and endpoint " +
					"(and, with `shared_rate_limit`, by the other processes on the host): " +
					"`0.01` to `100`, or `0`. Defaults to `10`, the service's own limit per account and " +
					"operation. Lower it when other tools use the same account's quota; raise it only for an " +
					"account whose quota was raised. `0` turns the client-side limiter off (throttled calls are " +
					"then only retried). A call whose turn would come after its operation's timeout (see each " +
					"resource's and data source's `timeouts`) fails at once with an error that names `rate_limit`.",
				Optional:   true,
				Validators: []validator.Float64{rateLimitValidator{}},
			},
			"shared_rate_limit": schema.BoolAttribute{
				MarkdownDescription: "Whether the client-side limiter is shared with the other processes on this " +
					"host that use the same access key and endpoint, so that several `terraform` runs against " +
					"one account at once (a CI runner applying several stacks, `terragrunt run-all`) together " +
					"stay under the service's limit. Defaults to `true`. The processes share small files under " +
					"`alilive/ratelimit` in the user's cache directory (`$XDG_CACHE_HOME` or `~/.cache` on " +
					"Linux, `~/Library/Caches` on macOS; the environment variable `ALILIVE_RATE_LIMIT_DIR` " +
					"names another directory), named by a SHA-256 hash so that no key reaches them; nothing " +
					"runs in the background. When the directory cannot be written, or on Windows, the limiter " +
					"counts this process's calls only and says so in one debug log line. Whether shared or " +
					"not, the pace also adapts to throttled answers, so that runs on separate hosts settle " +
					"near equal shares of the limit. `false` limits each process on its own. Environment: " +
					"`ALILIVE_SHARED_RATE_LIMIT` (`true` or `false`).",
				Optional: true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "Maximum number of retries of one API call after throttling, a server error " +
					"or a network error, with exponential backoff and full jitter (base 200 ms, cap 5 s). " +
					"Retries also stop at the operation's timeout. `0` to `100`; defaults to `8`; `0` disables " +
					"retries. " +
					"Whatever the value, a wrong endpoint fails within seconds: an unknown host and a " +
					"protocol mismatch or untrusted certificate are not retried, a refused connection is " +
					"retried at most twice, and an attempt that gets no answer in time (no connection within " +
					"5 s, no TLS handshake within 5 s, or no answer within 5 s of sending the request) is " +
					"retried at most once.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxMaxRetries)},
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.SingleNestedBlock{
				MarkdownDescription: "Assume a RAM role with STS, using the access key or `profile` of the " +
					"provider block as the source credentials (never credentials from the environment). When " +
					"the provider block names no source of credentials, `ALIBABA_CLOUD_ROLE_ARN` together with an " +
					"access key from the environment assumes a role too.",
				Attributes: map[string]schema.Attribute{
					"role_arn": schema.StringAttribute{
						MarkdownDescription: "ARN of the RAM role, e.g. `acs:ram::123456789012:role/live-admin`. " +
							"Required in the block. Environment: `ALIBABA_CLOUD_ROLE_ARN`.",
						Optional:   true,
						Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
					},
					"session_name": schema.StringAttribute{
						MarkdownDescription: "Role session name recorded in the audit logs. Defaults to " +
							"`ALIBABA_CLOUD_ROLE_SESSION_NAME` or a generated name.",
						Optional:   true,
						Validators: []validator.String{stringvalidator.LengthBetween(2, 64)},
					},
					"external_id": schema.StringAttribute{
						MarkdownDescription: "External ID the role's trust policy requires, if any.",
						Optional:            true,
						Validators:          []validator.String{stringvalidator.LengthBetween(2, 1224)},
					},
					"policy": schema.StringAttribute{
						MarkdownDescription: "Policy document (JSON) that further restricts the assumed role's " +
							"permissions.",
						Optional:   true,
						Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
					},
					"session_expiration": schema.Int64Attribute{
						MarkdownDescription: "Lifetime of the STS credentials in seconds, 900 to 43200 " +
							"(default 3600). The credentials are renewed before they expire.",
						Optional:   true,
						Validators: []validator.Int64{int64validator.Between(900, 43200)},
					},
				},
			},
		},
	}
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

// ValidateConfig reports, at validate and plan time, the contradictions
// that are wrong whatever the environment holds (two credential sources
// that exclude each other); the attribute validators check single values.
// Rules that the environment can satisfy (a missing secret key, region or
// credentials) are checked by Configure, which also runs at plan time
// before any API call, so that `terraform validate` works without
// credentials. Values that are still unknown are skipped.
func (p *aliliveProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	defer redactDiagnostics(&resp.Diagnostics)
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.hasUnknown() {
		return
	}
	_, problem := resolveSettings(&m, os.LookupEnv)
	if problem != nil && problem.configOnly {
		resp.Diagnostics.AddAttributeError(problem.path, problem.summary, problem.detail)
	}
}

// Configure resolves the settings and credentials and builds the one API
// client every resource and data source of this configuration shares.
func (p *aliliveProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.hasUnknown() {
		// The configuration depends on values known only after apply
		// (attributes of other resources). Defer when Terraform allows it;
		// otherwise configure nothing for this plan: resources then refresh
		// to their prior state and plan without a client (a task keeps the
		// region in its state), data sources report that they cannot be
		// read yet, and Terraform configures the provider again with the
		// known values during apply.
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
			return
		}
		tflog.Warn(ctx, "alilive provider configuration is not known yet; no API client for this plan",
			map[string]any{"unknown_attribute": m.firstUnknown().String()})
		return
	}
	s, problem := resolveSettings(&m, os.LookupEnv)
	if problem != nil {
		resp.Diagnostics.AddAttributeError(problem.path, problem.summary, problem.detail)
		return
	}
	// Which source was chosen, never its values: the settings or
	// environment variables that chose it, not a key ID or profile name.
	tflog.Info(ctx, "alilive credentials chosen", map[string]any{
		"credential_source": s.credentialName,
		"credential_origin": s.credentialOrigin,
		"selected_by":       s.credentialSource,
	})
	cred, err := s.credential()
	if err == nil && s.kind == "profile" && s.roleARN == "" {
		// A profile is read from a local file: check it now, so that a
		// missing file or profile is one error at plan time rather than
		// one per resource. (Role-based credentials are left to the first
		// call, which needs them anyway: resolving them costs an STS or
		// metadata request.)
		_, err = cred.GetCredential()
	}
	if err != nil {
		resp.Diagnostics.AddAttributeError(s.credentialPath, "Unable to Load Alibaba Cloud Credentials",
			fmt.Sprintf("The credentials selected by %s could not be loaded: %s. Check that the profile or "+
				"role exists and is complete, or set access_key and secret_key instead.", s.credentialSource,
				strings.TrimRight(err.Error(), ".")))
		return
	}
	ua := "terraform-provider-alilive/" + p.version
	if req.TerraformVersion != "" {
		ua += " terraform/" + req.TerraformVersion
	}
	client, err := liveapi.New(liveapi.Config{
		Credential: cred,
		Region:     s.region,
		Endpoint:   s.endpoint,
		Protocol:   s.protocol,
		UserAgent:  ua,
		RateLimit:  s.clientRateLimit(),
		MaxRetries: s.maxRetries,
		Logger:     tflogLogger{},

		ShareRateLimit: s.sharedRateLimit,
		RateLimitDir:   s.rateLimitDir,
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to Create the Alilive API Client", err.Error())
		return
	}
	tflog.Debug(ctx, "alilive provider configured", map[string]any{
		"region":            s.region,
		"endpoint":          s.endpointForLog(),
		"protocol":          s.protocol,
		"credential_source": s.credentialSource,
		"rate_limit":        s.rateLimit,
		"max_retries":       s.maxRetries,
		"shared_rate_limit": s.sharedRateLimit,
	})
	resp.ResourceData = client
	resp.DataSourceData = client
	resp.ListResourceData = client
	resp.ActionData = client
}

// hasUnknown reports whether any attribute is unknown (computed from
// resources that do not exist yet).
func (m *providerModel) hasUnknown() bool {
	return !m.firstUnknown().Equal(path.Empty())
}

// firstUnknown returns the path of the first unknown attribute, or the
// empty path when every value is known.
func (m *providerModel) firstUnknown() path.Path {
	strs := []struct {
		name string
		v    types.String
	}{
		{"region", m.Region}, {"access_key", m.AccessKey}, {"secret_key", m.SecretKey},
		{"security_token", m.SecurityToken}, {"profile", m.Profile},
		{"shared_credentials_file", m.SharedCredentialsFile}, {"ecs_role_name", m.ECSRoleName},
		{"endpoint", m.Endpoint}, {"protocol", m.Protocol},
	}
	for _, s := range strs {
		if s.v.IsUnknown() {
			return path.Root(s.name)
		}
	}
	if m.RateLimit.IsUnknown() {
		return path.Root("rate_limit")
	}
	if m.MaxRetries.IsUnknown() {
		return path.Root("max_retries")
	}
	if m.SharedRateLimit.IsUnknown() {
		return path.Root("shared_rate_limit")
	}
	if a := m.AssumeRole; a != nil {
		ar := path.Root("assume_role")
		for name, v := range map[string]types.String{
			"role_arn": a.RoleARN, "session_name": a.SessionName, "external_id": a.ExternalID, "policy": a.Policy,
		} {
			if v.IsUnknown() {
				return ar.AtName(name)
			}
		}
		if a.SessionExpiration.IsUnknown() {
			return ar.AtName("session_expiration")
		}
	}
	return path.Empty()
}

// settingValidator applies to an attribute the check that resolveSettings
// applies to the attribute's environment variable, so that both follow one
// rule with one message. check returns "" for a valid value, else the
// message; its second argument names where the value came from.
type settingValidator struct {
	name    string // the attribute
	summary string
	rule    string
	check   func(v, source string) string
}

// endpointValidator rejects an endpoint that carries a scheme or a path.
var endpointValidator = settingValidator{name: "endpoint", summary: "Invalid Endpoint",
	rule: "must be host or host:port, without a scheme or path", check: checkEndpoint}

// protocolValidator accepts "https" and "http" in any letter case, as
// ALILIVE_PROTOCOL does (stringvalidator.OneOf would reject "HTTP", which
// the environment variable accepts, and word its error differently).
var protocolValidator = settingValidator{name: "protocol", summary: "Invalid Protocol",
	rule: `must be "https" or "http", in any letter case`, check: checkProtocol}

func (v settingValidator) Description(context.Context) string { return v.rule }

func (v settingValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v settingValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := v.check(req.ConfigValue.ValueString(), v.name); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, msg)
	}
}

// checkEndpoint returns "" when ep is a valid host[:port], else the message.
func checkEndpoint(ep, source string) string {
	switch {
	case strings.TrimSpace(ep) == "":
		return fmt.Sprintf("%s must not be empty: set it to host or host:port, or leave it unset to use the "+
			"service's default endpoint.", source)
	case strings.Contains(ep, "://"):
		return fmt.Sprintf("%s %q must be host or host:port without a scheme: remove %q and set protocol "+
			"(\"https\" or \"http\") instead.", source, ep, ep[:strings.Index(ep, "://")+3])
	case strings.ContainsAny(ep, "/?# "):
		return fmt.Sprintf("%s %q must be host or host:port, without a path, query or spaces.", source, ep)
	}
	host, port, err := net.SplitHostPort(ep)
	if err != nil {
		// No port (or a bare IPv6 address, which the SDK cannot use with a
		// port either): nothing more to check.
		return ""
	}
	if host == "" {
		return fmt.Sprintf("%s %q has no host: set it to host or host:port, such as 127.0.0.1:9180.", source, ep)
	}
	if port == "" {
		return fmt.Sprintf("%s %q ends with a colon but names no port: add a port from 1 to 65535, or remove "+
			"the colon to use the protocol's default port (443 for https, 80 for http).", source, ep)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Sprintf("%s %q has the port %q, which is not a number from 1 to 65535: set a port in that "+
			"range, or leave the port out to use the protocol's default (443 for https, 80 for http).",
			source, ep, port)
	}
	return ""
}

// checkProtocol returns "" when v names a protocol the client speaks, in
// any letter case (URL schemes are case-insensitive), else the message;
// source names where v came from.
func checkProtocol(v, source string) string {
	switch strings.ToLower(v) {
	case "https", "http":
		return ""
	}
	return fmt.Sprintf("%s is %q: set protocol to \"https\" (the default) or \"http\" (for the local emulator).",
		source, v)
}

// rateLimitValidator rejects a rate_limit outside its bounds with a
// message that names the attribute and the rule (float64validator.Between
// prints its bounds as 0.010000 and cannot allow 0 besides the range).
type rateLimitValidator struct{}

func (rateLimitValidator) Description(context.Context) string {
	return fmt.Sprintf("must be 0 (client-side limiter off) or from %g to %g calls per second", minRateLimit,
		maxRateLimit)
}

func (v rateLimitValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (rateLimitValidator) ValidateFloat64(_ context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := checkRateLimit(req.ConfigValue.ValueFloat64()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Rate Limit", msg)
	}
}

// checkRateLimit returns "" when v is a valid rate_limit, else the message.
func checkRateLimit(v float64) string {
	if v == 0 || (v >= minRateLimit && v <= maxRateLimit) {
		return ""
	}
	return fmt.Sprintf("rate_limit is %s: set a number of calls per second from %g to %g, or 0 to turn the "+
		"client-side limiter off.", strconv.FormatFloat(v, 'g', -1, 64), minRateLimit, maxRateLimit)
}

// settingProblem is one configuration error, reported on one attribute.
type settingProblem struct {
	path    path.Path
	summary string
	detail  string
	// configOnly marks a contradiction in the configuration itself, which
	// no environment variable can resolve.
	configOnly bool
}

func problemAt(p path.Path, summary, detail string) *settingProblem {
	return &settingProblem{path: p, summary: summary, detail: detail}
}

// conflictAt reports two settings that exclude each other.
func conflictAt(p path.Path, detail string) *settingProblem {
	return &settingProblem{path: p, summary: "Conflicting Credential Settings", detail: detail, configOnly: true}
}

// settings is the resolved provider configuration: attributes first, then
// the environment, then defaults.
type settings struct {
	region     string
	endpoint   string
	protocol   string
	rateLimit  float64 // 0 = client-side limiter off
	maxRetries int

	sharedRateLimit bool   // share the limiter with the host's other processes
	rateLimitDir    string // where; "" = liveapi.DefaultRateLimitDir

	// credential selection (see credentialTable)
	credentialName   string    // the chosen source, as credentialTable names it
	credentialOrigin string    // originBlock or originEnv
	credentialSource string    // the settings that selected the credentials, for messages
	credentialPath   path.Path // attribute errors about loading the credentials go here
	kind             string    // "access_key", "sts", "ram_role_arn", "ecs_ram_role", "profile"
	accessKey        string
	secretKey        string
	securityToken    string
	profile          string
	profileFile      string
	ecsRoleName      string
	roleARN          string
	sessionName      string
	externalID       string
	policy           string
	sessionSeconds   int
	roleFromProfile  bool // assume_role with a profile as source credentials
}

type lookupEnv func(string) (string, bool)

// pick returns the attribute's value when set, else the first non-empty
// environment variable of names, and where it came from.
func pick(attr types.String, attrName string, env lookupEnv, names []string) (value, source string) {
	if !attr.IsNull() {
		return attr.ValueString(), attrName
	}
	for _, n := range names {
		if v, ok := env(n); ok && v != "" {
			return v, "environment variable " + n
		}
	}
	return "", ""
}

// resolveSettings merges attributes, environment and defaults and checks
// every rule that needs no network. It returns the first problem found.
func resolveSettings(m *providerModel, env lookupEnv) (*settings, *settingProblem) {
	s := &settings{}

	// Region.
	region, regionSrc := pick(m.Region, "region", env, envRegion)
	switch {
	case region == "":
		return nil, problemAt(path.Root("region"), "Missing Region",
			"The provider needs a default live center: set region (or ALIBABA_CLOUD_REGION / ALICLOUD_REGION) "+
				"to one of "+strings.Join(liveRegions, ", ")+".")
	case !contains(liveRegions, region):
		return nil, problemAt(path.Root("region"), "Invalid Region",
			fmt.Sprintf("%s is %q, which is not a live center: set region to one of %s.",
				regionSrc, region, strings.Join(liveRegions, ", ")))
	}
	s.region = region

	// Endpoint and protocol.
	endpoint, endpointSrc := pick(m.Endpoint, "endpoint", env, envEndpoint)
	if endpointSrc != "" {
		if msg := checkEndpoint(endpoint, endpointSrc); msg != "" {
			return nil, problemAt(path.Root("endpoint"), "Invalid Endpoint", msg)
		}
	}
	s.endpoint = endpoint
	protocol, protocolSrc := pick(m.Protocol, "protocol", env, envProtocol)
	s.protocol = defaultProtocol
	if protocolSrc != "" {
		if msg := checkProtocol(protocol, protocolSrc); msg != "" {
			return nil, problemAt(path.Root("protocol"), "Invalid Protocol", msg)
		}
		s.protocol = strings.ToLower(protocol)
	}

	// Rate limit and retries.
	s.rateLimit = defaultRateLimit
	if !m.RateLimit.IsNull() {
		s.rateLimit = m.RateLimit.ValueFloat64()
		if msg := checkRateLimit(s.rateLimit); msg != "" {
			return nil, problemAt(path.Root("rate_limit"), "Invalid Rate Limit", msg)
		}
	}
	s.maxRetries = defaultMaxRetries
	if !m.MaxRetries.IsNull() {
		s.maxRetries = int(m.MaxRetries.ValueInt64())
		if s.maxRetries < 0 || s.maxRetries > maxMaxRetries {
			return nil, problemAt(path.Root("max_retries"), "Invalid Max Retries",
				fmt.Sprintf("max_retries is %d: set a number of retries from 0 (no retries) to %d.", s.maxRetries,
					maxMaxRetries))
		}
	}

	if p := resolveSharing(m, env, s); p != nil {
		return nil, p
	}
	if p := resolveCredentials(m, env, s); p != nil {
		return nil, p
	}
	return s, nil
}

// resolveSharing decides whether the rate limiter is shared with the
// host's other processes (shared_rate_limit, else ALILIVE_SHARED_RATE_LIMIT,
// else true), and where (ALILIVE_RATE_LIMIT_DIR, else liveapi's default).
func resolveSharing(m *providerModel, env lookupEnv, s *settings) *settingProblem {
	s.sharedRateLimit = true
	if !m.SharedRateLimit.IsNull() {
		s.sharedRateLimit = m.SharedRateLimit.ValueBool()
	} else if raw, src := pick(types.StringNull(), "", env, envSharedRate); src != "" {
		b, err := strconv.ParseBool(strings.TrimSpace(raw))
		if err != nil {
			return problemAt(path.Root("shared_rate_limit"), "Invalid Shared Rate Limit",
				fmt.Sprintf("%s is %q: set it to true (share the rate limit with the other processes on this "+
					"host, the default) or false.", src, raw))
		}
		s.sharedRateLimit = b
	}
	s.rateLimitDir, _ = pick(types.StringNull(), "", env, envRateLimitDir)
	return nil
}

// clientRateLimit converts rate_limit (0 = off) into liveapi's convention
// (negative = off).
func (s *settings) clientRateLimit() float64 {
	if s.rateLimit == 0 {
		return -1
	}
	return s.rateLimit
}

// endpointForLog names the endpoint for log lines.
func (s *settings) endpointForLog() string {
	if s.endpoint == "" {
		return "(SDK default for the region)"
	}
	return s.endpoint
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
