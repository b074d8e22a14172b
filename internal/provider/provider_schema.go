package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

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
	AccountID             types.String     `tfsdk:"account_id"`
	STSEndpoint           types.String     `tfsdk:"sts_endpoint"`
}

// assumeRoleModel maps the assume_role block.
type assumeRoleModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	ExternalID        types.String `tfsdk:"external_id"`
	Policy            types.String `tfsdk:"policy"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
	STSEndpoint       types.String `tfsdk:"sts_endpoint"`
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
				Validators: []validator.String{liveRegionValidator{}},
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
			"account_id": schema.StringAttribute{
				MarkdownDescription: "ID of the Alibaba Cloud account the credentials act for. The service's " +
					"quota of calls is per account, so the client-side rate limit is shared by every key of " +
					"the account; set it when the provider cannot ask STS (see \"Rate limit, retries and the account\" above). " +
					"Environment: `ALIBABA_CLOUD_ACCOUNT_ID`.",
				Optional:   true,
				Validators: []validator.String{accountIDValidator},
			},
			"sts_endpoint": schema.StringAttribute{
				MarkdownDescription: "STS endpoint as `host` or `host:port`, called with `protocol` to assume " +
					"`assume_role`'s role and to ask which account the credentials act for. Defaults to " +
					"`endpoint` when that names a host outside `aliyuncs.com` (the emulator serves both), " +
					"else `sts.aliyuncs.com`. Environment: `ALIBABA_CLOUD_STS_ENDPOINT`.",
				Optional:   true,
				Validators: []validator.String{stsEndpointValidator},
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
				MarkdownDescription: "Client-side limit in calls per second for each API operation and account: `0.01` to " +
					"`100`, or `0` to turn it off. Defaults to `10`, the service's own limit. See \"Rate limit, " +
					"retries and the account\" above.",
				Optional:   true,
				Validators: []validator.Float64{rateLimitValidator{}},
			},
			"shared_rate_limit": schema.BoolAttribute{
				MarkdownDescription: "Whether the client-side limit is shared with the other processes on this host " +
					"(default `true`). Environment: `ALILIVE_SHARED_RATE_LIMIT` (`true` or `false`).",
				Optional: true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "Maximum number of retries of one API call after throttling, a server error or a " +
					"network error: `0` to `100`, default `8`, `0` for none. Retries also stop at the " +
					"operation's timeout.",
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
					"sts_endpoint": schema.StringAttribute{
						MarkdownDescription: "STS endpoint of the AssumeRole calls, as `host` or `host:port`; " +
							"overrides the provider's `sts_endpoint`.",
						Optional:   true,
						Validators: []validator.String{stsEndpointValidator},
					},
				},
			},
		},
	}
}
