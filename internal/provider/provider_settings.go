package provider

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
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

// Environment variables the provider reads when the matching attribute is
// not set. Where two names are listed, the first one set wins.
var (
	envAccessKey       = []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"}
	envSecretKey       = []string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"}
	envSecurityToken   = []string{"ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"}
	envRegion          = []string{"ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"}
	envProfile         = []string{"ALIBABA_CLOUD_PROFILE"}
	envRoleARN         = []string{"ALIBABA_CLOUD_ROLE_ARN"}
	envRoleSessionName = []string{"ALIBABA_CLOUD_ROLE_SESSION_NAME"}
	envEndpoint        = []string{"ALILIVE_ENDPOINT"}
	envProtocol        = []string{"ALILIVE_PROTOCOL"}
	envSharedRate      = []string{"ALILIVE_SHARED_RATE_LIMIT"}
	envAccountID       = []string{"ALIBABA_CLOUD_ACCOUNT_ID"}
	envSTSEndpoint     = []string{"ALIBABA_CLOUD_STS_ENDPOINT"}
	// envRateLimitDir moves the directory of the shared rate limiters
	// (there is no attribute for it: it belongs to the host, not to a
	// configuration).
	envRateLimitDir = []string{"ALILIVE_RATE_LIMIT_DIR"}
)

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

// stsEndpointValidator is endpointValidator's rule for sts_endpoint.
var stsEndpointValidator = settingValidator{name: "sts_endpoint", summary: "Invalid STS Endpoint",
	rule: "must be host or host:port, without a scheme or path", check: checkEndpoint}

// accountIDValidator accepts an account ID: letters, digits and hyphens
// (the service's IDs are 16 digits; the emulator's accounts have names).
var accountIDValidator = settingValidator{name: "account_id", summary: "Invalid Account ID",
	rule: "must be the account's ID: 1 to 64 letters, digits or hyphens", check: checkAccountID}

// checkAccountID returns "" when v can be an account ID, else the message.
func checkAccountID(v, source string) string {
	if len(v) >= 1 && len(v) <= 64 && strings.Trim(v, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") == "" {
		return ""
	}
	return fmt.Sprintf("%s is %q: set it to the ID of the account the credentials act for (1 to 64 letters, "+
		"digits or hyphens, such as 1234567890123456), or leave it unset to let the provider ask STS.", source, v)
}

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
	secretSource     string    // the setting or variable of the access key secret, for messages
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

	accountID   string // account_id or ALIBABA_CLOUD_ACCOUNT_ID; "" = from the role ARN or STS
	stsEndpoint string // host[:port] of STS (see stsHost)
	// roleProvider is the assumed role's session source that credential
	// built, told about sessions the service found expired.
	roleProvider *liveapi.AssumeRoleProvider
}

// stsHost is where STS is: sts_endpoint (assume_role's, the provider's,
// then ALIBABA_CLOUD_STS_ENDPOINT); else endpoint, when it names a host
// outside aliyuncs.com (a private endpoint or the emulator, which serves
// STS too); else the public STS endpoint.
func (s *settings) stsHost() string {
	if s.stsEndpoint != "" {
		return s.stsEndpoint
	}
	host := s.endpoint
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if s.endpoint != "" && !strings.HasSuffix(strings.ToLower(host), ".aliyuncs.com") {
		return s.endpoint
	}
	return liveapi.DefaultSTSHost
}

// quotaAccount is the account the limiters are keyed by when it is known
// without a call: account_id, else the account in the assumed role's ARN.
func (s *settings) quotaAccount() string {
	if s.accountID != "" {
		return s.accountID
	}
	account, _ := liveapi.RoleAccount(s.roleARN)
	return account
}

type lookupEnv func(string) (string, bool)

// pick returns the attribute's value when set, else the first non-empty
// environment variable of names, and where it came from.
func pick(attr types.String, attribute string, env lookupEnv, names []string) (value, source string) {
	if !attr.IsNull() {
		return attr.ValueString(), attribute
	}
	for _, n := range names {
		if v, ok := env(n); ok && v != "" {
			return v, "environment variable " + n
		}
	}
	return "", ""
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
