package provider

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

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

		ShareRateLimit:   s.sharedRateLimit,
		RateLimitDir:     s.rateLimitDir,
		CredentialAdvice: s.credentialAdvice,
		Account:          s.quotaAccount(),
		STS:              liveapi.STSEndpoint{Host: s.stsHost(), Protocol: s.protocol},
		ExpireSession:    s.expireSession(),
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
		"sts_endpoint":      s.stsHost(),
		"account_known":     s.quotaAccount() != "",
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
		{"endpoint", m.Endpoint}, {"protocol", m.Protocol}, {"account_id", m.AccountID},
		{"sts_endpoint", m.STSEndpoint},
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
			"sts_endpoint": a.STSEndpoint,
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
			notLiveCenter(regionSrc, "region", region))
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
	if p := resolveAccount(m, env, s); p != nil {
		return nil, p
	}
	if p := resolveCredentials(m, env, s); p != nil {
		return nil, p
	}
	return s, nil
}

// resolveAccount reads account_id (else ALIBABA_CLOUD_ACCOUNT_ID) and the
// STS endpoint (assume_role's sts_endpoint, the provider's, else
// ALIBABA_CLOUD_STS_ENDPOINT; see settings.stsHost for the default).
func resolveAccount(m *providerModel, env lookupEnv, s *settings) *settingProblem {
	account, accountSrc := pick(m.AccountID, "account_id", env, envAccountID)
	if accountSrc != "" {
		if msg := checkAccountID(account, accountSrc); msg != "" {
			return problemAt(path.Root("account_id"), "Invalid Account ID", msg)
		}
	}
	s.accountID = account
	sts, stsSrc := pick(m.STSEndpoint, "sts_endpoint", env, envSTSEndpoint)
	stsPath := path.Root("sts_endpoint")
	if m.AssumeRole != nil && !m.AssumeRole.STSEndpoint.IsNull() {
		sts, stsSrc = m.AssumeRole.STSEndpoint.ValueString(), "assume_role.sts_endpoint"
		stsPath = path.Root("assume_role").AtName("sts_endpoint")
	}
	if stsSrc != "" {
		if msg := checkEndpoint(sts, stsSrc); msg != "" {
			return problemAt(stsPath, "Invalid STS Endpoint", msg)
		}
	}
	s.stsEndpoint = sts
	return nil
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
