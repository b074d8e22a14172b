package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// allProviderEnv lists every environment variable the provider reads.
func allProviderEnv() []string {
	var out []string
	for _, g := range [][]string{envAccessKey, envSecretKey, envSecurityToken, envRegion, envProfile, envRoleARN,
		envEndpoint, envProtocol, envSharedRate} {
		out = append(out, g...)
	}
	return append(out, "ALIBABA_CLOUD_CONFIG_FILE", "ALIBABA_CLOUD_CREDENTIALS_FILE", "ALIBABA_CLOUD_ROLE_SESSION_NAME")
}

// clearProviderEnv empties every variable the provider reads for the test.
func clearProviderEnv(t *testing.T) {
	t.Helper()
	for _, name := range allProviderEnv() {
		t.Setenv(name, "")
	}
}

func mapEnv(m map[string]string) lookupEnv {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func sv(v string) types.String { return types.StringValue(v) }

// TestResolveSettings pins every configuration error: its attribute, its
// summary and its detail.
func TestResolveSettings(t *testing.T) {
	base := func() providerModel {
		return providerModel{Region: sv("cn-shanghai"), AccessKey: sv("AK"), SecretKey: sv("SK")}
	}
	for _, tc := range []struct {
		name    string
		mod     func(m *providerModel)
		env     map[string]string
		path    path.Path
		summary string
		detail  string
	}{
		{
			name: "no credentials at all",
			mod:  func(m *providerModel) { m.AccessKey, m.SecretKey = types.StringNull(), types.StringNull() },
			path: path.Root("access_key"), summary: "Missing Credentials",
			detail: "No Alibaba Cloud credentials are configured: set access_key and secret_key (or " +
				"ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET), or profile (or " +
				"ALIBABA_CLOUD_PROFILE), or ecs_role_name on an ECS instance.",
		},
		{
			name: "access key without secret",
			mod:  func(m *providerModel) { m.SecretKey = types.StringNull() },
			path: path.Root("secret_key"), summary: "Incomplete Credentials",
			detail: "access_key is set but no secret key is: set secret_key to the access key's secret (an " +
				"access key set in the configuration takes its secret and security token from the " +
				"configuration only, never from the environment).",
		},
		{
			name: "configured access key ignores a secret in the environment",
			mod:  func(m *providerModel) { m.SecretKey = types.StringNull() },
			env:  map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "ENV-SK"},
			path: path.Root("secret_key"), summary: "Incomplete Credentials",
			detail: "access_key is set but no secret key is: set secret_key to the access key's secret (an " +
				"access key set in the configuration takes its secret and security token from the " +
				"configuration only, never from the environment).",
		},
		{
			name: "access key from the environment without secret",
			mod:  func(m *providerModel) { m.AccessKey, m.SecretKey = types.StringNull(), types.StringNull() },
			env:  map[string]string{"ALICLOUD_ACCESS_KEY": "AK"},
			path: path.Root("secret_key"), summary: "Incomplete Credentials",
			detail: "environment variable ALICLOUD_ACCESS_KEY is set but no secret key is: set " +
				"ALIBABA_CLOUD_ACCESS_KEY_SECRET to the access key's secret, or unset it.",
		},
		{
			name: "secret from the environment without access key",
			mod:  func(m *providerModel) { m.AccessKey, m.SecretKey = types.StringNull(), types.StringNull() },
			env:  map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "SK"},
			path: path.Root("access_key"), summary: "Incomplete Credentials",
			detail: "environment variable ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but no access key ID is: set " +
				"ALIBABA_CLOUD_ACCESS_KEY_ID to the ID of the key the secret belongs to, or unset it.",
		},
		{
			name: "security token from the environment without access key",
			mod:  func(m *providerModel) { m.AccessKey, m.SecretKey = types.StringNull(), types.StringNull() },
			env:  map[string]string{"ALICLOUD_SECURITY_TOKEN": "T"},
			path: path.Root("security_token"), summary: "Incomplete Credentials",
			detail: "environment variable ALICLOUD_SECURITY_TOKEN is set but no access key is: set " +
				"ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET to the temporary key pair the " +
				"security token belongs to, or unset it.",
		},
		{
			name: "secret without access key",
			mod:  func(m *providerModel) { m.AccessKey = types.StringNull() },
			path: path.Root("access_key"), summary: "Incomplete Credentials",
			detail: "secret_key is set but no access key ID is: set access_key to the ID of the key the secret " +
				"belongs to (credentials named in the provider block are never completed from the environment).",
		},
		{
			name: "secret in the block and an access key ID in the environment",
			mod:  func(m *providerModel) { m.AccessKey = types.StringNull() },
			env:  map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "ENV-AK"},
			path: path.Root("access_key"), summary: "Incomplete Credentials",
			detail: "secret_key is set but no access key ID is: set access_key to the ID of the key the secret " +
				"belongs to (credentials named in the provider block are never completed from the environment).",
		},
		{
			name: "security token without access key",
			mod: func(m *providerModel) {
				m.AccessKey, m.SecretKey, m.SecurityToken = types.StringNull(), types.StringNull(), sv("TOKEN")
			},
			path: path.Root("security_token"), summary: "Incomplete Credentials",
			detail: "security_token is set but no access key is: set access_key and secret_key to the temporary " +
				"key pair the security token belongs to (credentials named in the provider block are never " +
				"completed from the environment).",
		},
		{
			name: "assume_role with ecs_role_name",
			mod: func(m *providerModel) {
				m.AccessKey, m.SecretKey = types.StringNull(), types.StringNull()
				m.ECSRoleName = sv("role")
				m.AssumeRole = &assumeRoleModel{RoleARN: sv("acs:ram::1:role/x")}
			},
			path: path.Root("assume_role"), summary: "Conflicting Credential Settings",
			detail: "assume_role and ecs_role_name are two different ways to obtain credentials: remove the " +
				"assume_role block to use the ECS instance's RAM role, or remove ecs_role_name to assume the role " +
				"with an access key or profile.",
		},
		{
			name: "ecs_role_name with access_key",
			mod:  func(m *providerModel) { m.ECSRoleName = sv("role") },
			path: path.Root("ecs_role_name"), summary: "Conflicting Credential Settings",
			detail: "ecs_role_name and access_key are two different ways to obtain credentials: remove one of them.",
		},
		{
			name: "ecs_role_name with profile",
			mod: func(m *providerModel) {
				m.AccessKey, m.SecretKey = types.StringNull(), types.StringNull()
				m.ECSRoleName, m.Profile = sv("role"), sv("prod")
			},
			path: path.Root("ecs_role_name"), summary: "Conflicting Credential Settings",
			detail: "ecs_role_name and profile are two different ways to obtain credentials: remove one of them.",
		},
		{
			name: "access_key with shared_credentials_file",
			mod:  func(m *providerModel) { m.SharedCredentialsFile = sv("/etc/aliyun.json") },
			path: path.Root("shared_credentials_file"), summary: "Conflicting Credential Settings",
			detail: "access_key and shared_credentials_file are two different ways to obtain credentials: remove " +
				"one of them (with assume_role, the one you keep is the source credentials of the role).",
		},
		{
			name: "assume_role without role_arn",
			mod:  func(m *providerModel) { m.AssumeRole = &assumeRoleModel{SessionName: sv("s")} },
			path: path.Root("assume_role").AtName("role_arn"), summary: "Missing Role ARN",
			detail: "The assume_role block needs role_arn (or ALIBABA_CLOUD_ROLE_ARN): set it to the ARN of the " +
				"RAM role to assume, e.g. acs:ram::123456789012:role/live-admin.",
		},
		{
			name: "assume_role without source credentials",
			mod: func(m *providerModel) {
				m.AccessKey, m.SecretKey = types.StringNull(), types.StringNull()
				m.AssumeRole = &assumeRoleModel{RoleARN: sv("acs:ram::1:role/x")}
			},
			path: path.Root("assume_role"), summary: "Missing Source Credentials",
			detail: "assume_role needs source credentials to call STS with: set access_key and secret_key, or " +
				"profile, in the provider block (credentials in the environment are not used when the provider " +
				"block names a credential source).",
		},
		{
			name: "assume_role with source credentials only in the environment",
			mod: func(m *providerModel) {
				m.AccessKey, m.SecretKey = types.StringNull(), types.StringNull()
				m.AssumeRole = &assumeRoleModel{RoleARN: sv("acs:ram::1:role/x")}
			},
			env: map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "ENV-AK", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "ENV-SK",
				"ALIBABA_CLOUD_PROFILE": "dev"},
			path: path.Root("assume_role"), summary: "Missing Source Credentials",
			detail: "assume_role needs source credentials to call STS with: set access_key and secret_key, or " +
				"profile, in the provider block (credentials in the environment are not used when the provider " +
				"block names a credential source).",
		},
		{
			name: "no region",
			mod:  func(m *providerModel) { m.Region = types.StringNull() },
			path: path.Root("region"), summary: "Missing Region",
			detail: "The provider needs a default live center: set region (or ALIBABA_CLOUD_REGION / " +
				"ALICLOUD_REGION) to one of ap-southeast-1, ap-southeast-5, cn-beijing, cn-shanghai, cn-shenzhen.",
		},
		{
			name: "bad region from the environment",
			mod:  func(m *providerModel) { m.Region = types.StringNull() },
			env:  map[string]string{"ALIBABA_CLOUD_REGION": "us-east-1"},
			path: path.Root("region"), summary: "Invalid Region",
			detail: `environment variable ALIBABA_CLOUD_REGION is "us-east-1", which is not a live center: set ` +
				"region to one of ap-southeast-1, ap-southeast-5, cn-beijing, cn-shanghai, cn-shenzhen.",
		},
		{
			name: "bad protocol from the environment",
			env:  map[string]string{"ALILIVE_PROTOCOL": "ftp"},
			path: path.Root("protocol"), summary: "Invalid Protocol",
			detail: `environment variable ALILIVE_PROTOCOL is "ftp": set protocol to "https" (the default) or ` +
				`"http" (for the local emulator).`,
		},
		{
			name: "bad protocol in the block",
			mod:  func(m *providerModel) { m.Protocol = sv("ftp") },
			env:  map[string]string{"ALILIVE_PROTOCOL": "http"},
			path: path.Root("protocol"), summary: "Invalid Protocol",
			detail: `protocol is "ftp": set protocol to "https" (the default) or "http" (for the local emulator).`,
		},
		{
			name: "endpoint port out of range",
			mod:  func(m *providerModel) { m.Endpoint = sv("127.0.0.1:99999") },
			path: path.Root("endpoint"), summary: "Invalid Endpoint",
			detail: `endpoint "127.0.0.1:99999" has the port "99999", which is not a number from 1 to 65535: set a ` +
				`port in that range, or leave the port out to use the protocol's default (443 for https, 80 for http).`,
		},
		{
			name: "endpoint port 0 from the environment",
			env:  map[string]string{"ALILIVE_ENDPOINT": "live.aliyuncs.com:0"},
			path: path.Root("endpoint"), summary: "Invalid Endpoint",
			detail: `environment variable ALILIVE_ENDPOINT "live.aliyuncs.com:0" has the port "0", which is not a ` +
				`number from 1 to 65535: set a port in that range, or leave the port out to use the protocol's ` +
				`default (443 for https, 80 for http).`,
		},
		{
			name: "endpoint port that is not a number",
			mod:  func(m *providerModel) { m.Endpoint = sv("localhost:http") },
			path: path.Root("endpoint"), summary: "Invalid Endpoint",
			detail: `endpoint "localhost:http" has the port "http", which is not a number from 1 to 65535: set a ` +
				`port in that range, or leave the port out to use the protocol's default (443 for https, 80 for http).`,
		},
		{
			name: "endpoint with an empty port",
			mod:  func(m *providerModel) { m.Endpoint = sv("127.0.0.1:") },
			path: path.Root("endpoint"), summary: "Invalid Endpoint",
			detail: `endpoint "127.0.0.1:" ends with a colon but names no port: add a port from 1 to 65535, or ` +
				`remove the colon to use the protocol's default port (443 for https, 80 for http).`,
		},
		{
			name: "endpoint without a host",
			mod:  func(m *providerModel) { m.Endpoint = sv(":9180") },
			path: path.Root("endpoint"), summary: "Invalid Endpoint",
			detail: `endpoint ":9180" has no host: set it to host or host:port, such as 127.0.0.1:9180.`,
		},
		{
			name: "negative rate_limit",
			mod:  func(m *providerModel) { m.RateLimit = types.Float64Value(-0.5) },
			path: path.Root("rate_limit"), summary: "Invalid Rate Limit",
			detail: "rate_limit is -0.5: set a number of calls per second from 0.01 to 100, or 0 to turn the " +
				"client-side limiter off.",
		},
		{
			name: "rate_limit above the bound",
			mod:  func(m *providerModel) { m.RateLimit = types.Float64Value(1e9) },
			path: path.Root("rate_limit"), summary: "Invalid Rate Limit",
			detail: "rate_limit is 1e+09: set a number of calls per second from 0.01 to 100, or 0 to turn the " +
				"client-side limiter off.",
		},
		{
			name: "rate_limit below the bound",
			mod:  func(m *providerModel) { m.RateLimit = types.Float64Value(0.001) },
			path: path.Root("rate_limit"), summary: "Invalid Rate Limit",
			detail: "rate_limit is 0.001: set a number of calls per second from 0.01 to 100, or 0 to turn the " +
				"client-side limiter off.",
		},
		{
			name: "max_retries above the bound",
			mod:  func(m *providerModel) { m.MaxRetries = types.Int64Value(101) },
			path: path.Root("max_retries"), summary: "Invalid Max Retries",
			detail: "max_retries is 101: set a number of retries from 0 (no retries) to 100.",
		},
		{
			name: "endpoint with a scheme from the environment",
			env:  map[string]string{"ALILIVE_ENDPOINT": "https://live.aliyuncs.com"},
			path: path.Root("endpoint"), summary: "Invalid Endpoint",
			detail: `environment variable ALILIVE_ENDPOINT "https://live.aliyuncs.com" must be host or ` +
				`host:port without a scheme: remove "https://" and set protocol ("https" or "http") instead.`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := base()
			if tc.mod != nil {
				tc.mod(&m)
			}
			_, p := resolveSettings(&m, mapEnv(tc.env))
			if p == nil {
				t.Fatal("no error")
			}
			if !p.path.Equal(tc.path) || p.summary != tc.summary || p.detail != tc.detail {
				t.Fatalf("got  %s | %s | %s\nwant %s | %s | %s", p.path, p.summary, p.detail, tc.path, tc.summary, tc.detail)
			}
			// Only contradictions inside the configuration fail
			// `terraform validate`; the rest waits for Configure, where
			// the environment is known to be the one of the run.
			if want := tc.summary == "Conflicting Credential Settings"; p.configOnly != want {
				t.Fatalf("configOnly = %v, want %v", p.configOnly, want)
			}
		})
	}
}

// TestResolveSettingsSources pins which source wins.
func TestResolveSettingsSources(t *testing.T) {
	env := mapEnv(map[string]string{
		"ALIBABA_CLOUD_ACCESS_KEY_ID": "ENV-AK", "ALICLOUD_ACCESS_KEY": "OLD-AK",
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "ENV-SK", "ALICLOUD_SECURITY_TOKEN": "ENV-TOKEN",
		"ALICLOUD_REGION": "cn-beijing", "ALILIVE_ENDPOINT": "127.0.0.1:9180", "ALILIVE_PROTOCOL": "HTTP",
	})
	s, p := resolveSettings(&providerModel{}, env)
	if p != nil {
		t.Fatal(p.detail)
	}
	if s.kind != "sts" || s.accessKey != "ENV-AK" || s.secretKey != "ENV-SK" || s.securityToken != "ENV-TOKEN" ||
		s.region != "cn-beijing" || s.endpoint != "127.0.0.1:9180" || s.protocol != "http" ||
		s.rateLimit != 10 || s.maxRetries != 8 || s.clientRateLimit() != 10 {
		t.Fatalf("env settings: %+v", s)
	}
	// Attributes win over the environment.
	m := &providerModel{Region: sv("ap-southeast-1"), AccessKey: sv("AK"), SecretKey: sv("SK"),
		SecurityToken: sv("TOKEN"), Endpoint: sv("example.com"), Protocol: sv("https"),
		RateLimit: types.Float64Value(0), MaxRetries: types.Int64Value(0)}
	s, p = resolveSettings(m, env)
	if p != nil {
		t.Fatal(p.detail)
	}
	if s.accessKey != "AK" || s.secretKey != "SK" || s.securityToken != "TOKEN" || s.region != "ap-southeast-1" ||
		s.endpoint != "example.com" || s.protocol != "https" || s.clientRateLimit() != -1 || s.maxRetries != 0 {
		t.Fatalf("attribute settings: %+v", s)
	}
	// ALIBABA_CLOUD_ROLE_ARN turns an access key from the environment into
	// an assumed role.
	s, p = resolveSettings(&providerModel{Region: sv("cn-shanghai")},
		mapEnv(map[string]string{"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/x", "ALIBABA_CLOUD_ACCESS_KEY_ID": "AK",
			"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "SK"}))
	if p != nil || s.kind != "ram_role_arn" || s.roleARN != "acs:ram::1:role/x" {
		t.Fatalf("role from env: %+v %v", s, p)
	}
	// ... and supplies role_arn to an assume_role block.
	s, p = resolveSettings(&providerModel{Region: sv("cn-shanghai"), AccessKey: sv("AK"), SecretKey: sv("SK"),
		AssumeRole: &assumeRoleModel{SessionName: sv("tf")}},
		mapEnv(map[string]string{"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/x"}))
	if p != nil || s.kind != "ram_role_arn" || s.roleARN != "acs:ram::1:role/x" || s.sessionName != "tf" {
		t.Fatalf("role_arn from env: %+v %v", s, p)
	}
	// A profile from the environment.
	s, p = resolveSettings(&providerModel{Region: sv("cn-shanghai")}, mapEnv(map[string]string{"ALIBABA_CLOUD_PROFILE": "dev"}))
	if p != nil || s.kind != "profile" || s.profile != "dev" {
		t.Fatalf("profile from env: %+v %v", s, p)
	}
	// ECS RAM role.
	s, p = resolveSettings(&providerModel{Region: sv("cn-shanghai"), ECSRoleName: sv("r")}, mapEnv(nil))
	if p != nil || s.kind != "ecs_ram_role" {
		t.Fatalf("ecs role: %+v %v", s, p)
	}
}

// TestCheckEndpointAccepts pins the endpoints that pass.
func TestCheckEndpointAccepts(t *testing.T) {
	for _, ep := range []string{"live.aliyuncs.com", "live.aliyuncs.com:443", "127.0.0.1:9180", "127.0.0.1:1",
		"localhost:65535", "[::1]:9180", "::1"} {
		if msg := checkEndpoint(ep, "endpoint"); msg != "" {
			t.Errorf("%s: %s", ep, msg)
		}
	}
	for _, v := range []float64{0, 0.01, 0.5, 10, 100} {
		if msg := checkRateLimit(v); msg != "" {
			t.Errorf("rate_limit %g: %s", v, msg)
		}
	}
}

// TestCredentialKinds builds each kind of credential without the network.
func TestCredentialKinds(t *testing.T) {
	for _, s := range []*settings{
		{kind: "access_key", accessKey: "AK", secretKey: "SK"},
		{kind: "sts", accessKey: "AK", secretKey: "SK", securityToken: "T"},
		{kind: "ram_role_arn", accessKey: "AK", secretKey: "SK", roleARN: "acs:ram::1:role/x", sessionName: "s",
			sessionSeconds: 900},
		{kind: "ecs_ram_role", ecsRoleName: "r"},
		{kind: "profile", profile: "p", profileFile: filepath.Join(t.TempDir(), "config.json")},
	} {
		c, err := s.credential()
		if err != nil || c == nil {
			t.Errorf("%s: %v", s.kind, err)
			continue
		}
		if got := *c.GetType(); got != s.kind {
			t.Errorf("type = %s, want %s", got, s.kind)
		}
	}
	c, _ := (&settings{kind: "sts", accessKey: "AK", secretKey: "SK", securityToken: "T"}).credential()
	m, err := c.GetCredential()
	if err != nil || *m.AccessKeyId != "AK" || *m.SecurityToken != "T" {
		t.Fatalf("sts credential: %v %v", m, err)
	}
}

// TestCredentialSourcesDoNotMix: the way of obtaining credentials written
// in the configuration is never combined with, or displaced by, leftovers
// in the environment.
func TestCredentialSourcesDoNotMix(t *testing.T) {
	// A long-term key pair in the configuration and a stale STS token in
	// the shell: the token must not be used.
	s, p := resolveSettings(&providerModel{Region: sv("cn-shanghai"), AccessKey: sv("AK"), SecretKey: sv("SK")},
		mapEnv(map[string]string{"ALIBABA_CLOUD_SECURITY_TOKEN": "STALE", "ALICLOUD_SECURITY_TOKEN": "STALE"}))
	if p != nil {
		t.Fatalf("unexpected problem: %s", p.detail)
	}
	if s.kind != "access_key" || s.accessKey != "AK" || s.secretKey != "SK" || s.securityToken != "" {
		t.Errorf("configured key pair: kind %q, key %q, secret %q, token %q; want access_key, AK, SK and no token",
			s.kind, s.accessKey, s.secretKey, s.securityToken)
	}

	// A token written next to the configured key pair is still used.
	s, p = resolveSettings(&providerModel{Region: sv("cn-shanghai"), AccessKey: sv("AK"), SecretKey: sv("SK"),
		SecurityToken: sv("T")}, mapEnv(map[string]string{"ALIBABA_CLOUD_SECURITY_TOKEN": "STALE"}))
	if p != nil || s.kind != "sts" || s.securityToken != "T" {
		t.Errorf("configured STS triple: %+v %v; want kind sts with token T", s, p)
	}

	// ecs_role_name in the configuration and a key pair in the environment
	// (as on many CI runners): the role is used.
	s, p = resolveSettings(&providerModel{Region: sv("cn-shanghai"), ECSRoleName: sv("live-role")},
		mapEnv(map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "ENV-AK", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "ENV-SK"}))
	if p != nil {
		t.Fatalf("unexpected problem: %s", p.detail)
	}
	if s.kind != "ecs_ram_role" || s.ecsRoleName != "live-role" || s.accessKey != "" {
		t.Errorf("ecs_role_name with an environment key pair: kind %q, role %q, key %q; want ecs_ram_role, live-role, none",
			s.kind, s.ecsRoleName, s.accessKey)
	}

	// Without anything in the configuration, the environment's key pair and
	// token are used together.
	s, p = resolveSettings(&providerModel{Region: sv("cn-shanghai")}, mapEnv(map[string]string{
		"ALIBABA_CLOUD_ACCESS_KEY_ID": "EAK", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "ESK", "ALIBABA_CLOUD_SECURITY_TOKEN": "ET",
	}))
	if p != nil || s.kind != "sts" || s.accessKey != "EAK" || s.secretKey != "ESK" || s.securityToken != "ET" {
		t.Errorf("environment STS triple: %+v %v", s, p)
	}
}

// wordsRegexp matches msg with any whitespace (Terraform wraps long lines)
// between its words.
func wordsRegexp(msg string) *regexp.Regexp {
	words := strings.Fields(msg)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(strings.Join(words, `\s+`))
}

const listAllConfig = `
data "alilive_pull_to_push_tasks" "all" {}
`

// listAll is the address of the data source of listAllConfig.
const listAll = "data.alilive_pull_to_push_tasks.all"

// TestAccProviderConfig_invalid: every missing or contradictory setting
// is rejected at plan time with its message, and no API call is made.
func TestAccProviderConfig_invalid(t *testing.T) {
	testAccPreCheck(t)
	clearProviderEnv(t)
	e := alilivetest.StartEmulator(t, emulator.Options{QPS: -1})
	ep := e.Endpoint()
	providerConfig := func(body string) string {
		return "provider \"alilive\" {\n" + body + "\n}\n" + listAllConfig
	}
	good := fmt.Sprintf("region = \"cn-shanghai\"\nendpoint = %q\nprotocol = \"http\"\n", ep)
	steps := []struct {
		body string
		want string
	}{
		{good, "No Alibaba Cloud credentials are configured: set access_key and secret_key"},
		{good + `access_key = "AK"`, "access_key is set but no secret key is: set secret_key"},
		{good + `secret_key = "SK"`, "secret_key is set but no access key ID is: set access_key"},
		{good + `security_token = "T"`, "security_token is set but no access key is: set access_key and secret_key"},
		{good + "ecs_role_name = \"r\"\nassume_role {\n  role_arn = \"acs:ram::1:role/x\"\n}",
			"assume_role and ecs_role_name are two different ways to obtain credentials"},
		{good + "access_key = \"AK\"\nsecret_key = \"SK\"\nassume_role {\n  session_name = \"tf\"\n}",
			"The assume_role block needs role_arn (or ALIBABA_CLOUD_ROLE_ARN)"},
		{strings.Replace(good, `protocol = "http"`, `protocol = "ftp"`, 1) + "access_key = \"AK\"\nsecret_key = \"SK\"",
			`Error: Invalid Protocol with provider["` + testAccProviderAddress() + `"], on ` +
				`terraform_plugin_test.tf line 14, in provider "alilive": 14: protocol = "ftp" protocol is "ftp": set ` +
				`protocol to "https" (the default) or "http" (for the local emulator).`},
		{strings.Replace(good, "cn-shanghai", "us-east-1", 1) + "access_key = \"AK\"\nsecret_key = \"SK\"",
			`Invalid Region with provider["` + testAccProviderAddress() + `"], on terraform_plugin_test.tf line 12, ` +
				`in provider "alilive": 12: region = "us-east-1" region is "us-east-1", which is not a live center: set ` +
				`region to one of ap-southeast-1, ap-southeast-5, cn-beijing, cn-shanghai, cn-shenzhen.`},
		{fmt.Sprintf("region = \"cn-shanghai\"\nendpoint = \"http://%s\"\naccess_key = \"AK\"\nsecret_key = \"SK\"", ep),
			fmt.Sprintf(`endpoint "http://%s" must be host or host:port without a scheme: remove "http://"`, ep)},
		{fmt.Sprintf("endpoint = %q\naccess_key = \"AK\"\nsecret_key = \"SK\"", ep),
			"The provider needs a default live center: set region (or ALIBABA_CLOUD_REGION / ALICLOUD_REGION)"},
		{good + "access_key = \"AK\"\nsecret_key = \"SK\"\nrate_limit = -1",
			"rate_limit is -1: set a number of calls per second from 0.01 to 100, or 0 to turn the client-side " +
				"limiter off."},
		{good + "access_key = \"AK\"\nsecret_key = \"SK\"\nrate_limit = 1e9",
			"Error: Invalid Rate Limit with provider[\"" + testAccProviderAddress() + "\"], on " +
				"terraform_plugin_test.tf line 17, in provider \"alilive\": 17: rate_limit = 1e9 rate_limit is " +
				"1e+09: set a number of calls per second from 0.01 to 100, or 0 to turn the client-side limiter off."},
		{good + "access_key = \"AK\"\nsecret_key = \"SK\"\nrate_limit = 0.001",
			"rate_limit is 0.001: set a number of calls per second from 0.01 to 100, or 0 to turn the " +
				"client-side limiter off."},
		{good + "access_key = \"AK\"\nsecret_key = \"SK\"\nmax_retries = 101",
			"Attribute max_retries value must be between 0 and 100, got: 101"},
		{"region = \"cn-shanghai\"\nendpoint = \"127.0.0.1:99999\"\naccess_key = \"AK\"\nsecret_key = \"SK\"",
			`endpoint "127.0.0.1:99999" has the port "99999", which is not a number from 1 to 65535: set a port in ` +
				`that range, or leave the port out to use the protocol's default (443 for https, 80 for http).`},
		{good + "access_key = \"AK\"\nsecret_key = \"SK\"\nmax_retries = -1",
			"Attribute max_retries value must be between 0 and 100, got: -1"},
	}
	var ts []resource.TestStep
	for _, s := range steps {
		ts = append(ts, resource.TestStep{Config: providerConfig(s.body), PlanOnly: true, ExpectError: wordsRegexp(s.want)})
	}
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    ts,
	})
	if n := e.Stats().TotalCalls(); n != 0 {
		t.Fatalf("invalid configurations made %d API calls", n)
	}
	t.Logf("%d invalid configurations rejected in %v", len(steps), time.Since(start))
}

// TestAccProviderConfig_env: the environment variables configure the
// provider, in both spellings, and attributes win over them.
func TestAccProviderConfig_env(t *testing.T) {
	testAccPreCheck(t)
	e := alilivetest.StartEmulator(t, emulator.Options{QPS: -1})
	for _, tc := range []struct {
		name   string
		env    map[string]string
		config string
	}{
		{"alibaba_cloud names", map[string]string{
			"ALIBABA_CLOUD_ACCESS_KEY_ID": emulator.DefaultAccessKeyID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": emulator.DefaultAccessKeySecret,
			"ALIBABA_CLOUD_REGION": "cn-shanghai", "ALILIVE_ENDPOINT": e.Endpoint(), "ALILIVE_PROTOCOL": "http",
		}, `provider "alilive" {}`},
		{"alicloud names with sts", map[string]string{
			"ALICLOUD_ACCESS_KEY": emulator.DefaultSTSAccessKeyID, "ALICLOUD_SECRET_KEY": emulator.DefaultSTSAccessKeySecret,
			"ALICLOUD_SECURITY_TOKEN": emulator.DefaultSTSSecurityToken, "ALICLOUD_REGION": "cn-shanghai",
			"ALILIVE_ENDPOINT": e.Endpoint(), "ALILIVE_PROTOCOL": "http",
		}, `provider "alilive" {}`},
		{"protocol in upper case from the environment", map[string]string{
			"ALIBABA_CLOUD_ACCESS_KEY_ID": emulator.DefaultAccessKeyID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": emulator.DefaultAccessKeySecret,
			"ALIBABA_CLOUD_REGION": "cn-shanghai", "ALILIVE_ENDPOINT": e.Endpoint(), "ALILIVE_PROTOCOL": "HTTP",
		}, `provider "alilive" {}`},
		{"protocol in upper case in the block", nil, fmt.Sprintf(`
provider "alilive" {
  region     = "cn-shanghai"
  endpoint   = %q
  protocol   = "HTTP"
  access_key = %q
  secret_key = %q
}
`, e.Endpoint(), emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret)},
		{"attributes win", map[string]string{
			"ALIBABA_CLOUD_ACCESS_KEY_ID": "wrong", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "wrong",
			"ALIBABA_CLOUD_REGION": "cn-beijing", "ALILIVE_ENDPOINT": "127.0.0.1:1", "ALILIVE_PROTOCOL": "https",
		}, alilivetest.ProviderBlock(e)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearProviderEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			e.ResetStats()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: tc.config + listAllConfig,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(listAll, tfjsonpath.New("region"), knownvalue.StringExact("cn-shanghai")),
						statecheck.ExpectKnownValue(listAll, tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
					},
					Check: func(*terraform.State) error {
						if e.Stats().Calls["DescribeLivePullToPushList"] == 0 {
							return fmt.Errorf("the emulator saw no List call")
						}
						return nil
					},
				}},
			})
		})
	}
}

// closedAddr returns a 127.0.0.1 address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// silentAddr returns the address of a listener that accepts connections,
// reads them and never answers, and a counter of its connections.
func silentAddr(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns atomic.Int32
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
			go func() { _, _ = io.Copy(io.Discard, c) }()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			_ = c.Close()
		}
	})
	return l.Addr().String(), &conns
}

// TestAccProviderConfig_unreachable: a wrong secret, a closed port, an
// unknown host, a protocol mismatch either way and an endpoint that never
// answers each fail with one clear error within seconds.
func TestAccProviderConfig_unreachable(t *testing.T) {
	testAccPreCheck(t)
	clearProviderEnv(t)
	e := alilivetest.StartEmulator(t, emulator.Options{QPS: -1})
	closed := closedAddr(t)
	var tlsServed atomic.Int32
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { tlsServed.Add(1) }))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	tlsEP := strings.TrimPrefix(tlsSrv.URL, "https://")
	silent, silentConns := silentAddr(t)
	providerAt := func(endpoint, protocol string) string {
		return fmt.Sprintf(`provider "alilive" {
  region     = "cn-shanghai"
  endpoint   = %q
  protocol   = %q
  access_key = "AK"
  secret_key = "SK"
}`, endpoint, protocol)
	}
	for _, tc := range []struct {
		name     string
		provider string
		want     *regexp.Regexp
		calls    int
		within   time.Duration // 10 s unless set
		check    func(t *testing.T)
	}{
		{name: "wrong secret key", provider: fmt.Sprintf(`provider "alilive" {
  region     = "cn-shanghai"
  endpoint   = %q
  protocol   = "http"
  access_key = %q
  secret_key = "this-is-not-the-secret"
}`, e.Endpoint(), emulator.DefaultAccessKeyID),
			want: regexp.MustCompile(`SignatureDoesNotMatch"?\s+\(HTTP\s+(status\s+)?400,\s+request\s+ID\s+"?[0-9A-F-]+"?\):\s+` +
				`Specified\s+signature\s+does\s+not\s+match\s+our\s+calculation\.\s+` + wordsRegexp("The access key secret "+
				"does not belong to the access key ID: check secret_key in the provider block, which must be the secret "+
				"of the key in access_key in the provider block, then try again.").String()), calls: 1},
		{name: "unknown access key", provider: fmt.Sprintf(`provider "alilive" {
  region     = "cn-shanghai"
  endpoint   = %q
  protocol   = "http"
  access_key = "no-such-access-key"
  secret_key = "whatever"
}`, e.Endpoint()),
			want: regexp.MustCompile(`InvalidAccessKeyId\.NotFound"?\s+\(HTTP\s+(status\s+)?404,\s+request\s+ID\s+"?[0-9A-F-]+"?\):` +
				`[^\n]*(\n[^\n]*)*?` + wordsRegexp("The service knows no AccessKey with that ID: check access_key in the "+
				"provider block (a mistyped, deleted or disabled key), then try again.").String()), calls: 1},
		{name: "closed port", provider: providerAt(closed, "http"),
			want: wordsRegexp(fmt.Sprintf("DescribeLivePullToPushList failed: the API endpoint %s refused the "+
				"connection; check the provider's endpoint and protocol settings and that the service is running "+
				"(gave up after 3 attempts)", closed))},
		{name: "unknown host", provider: `provider "alilive" {
  region     = "cn-shanghai"
  endpoint   = "alilive-no-such-host.invalid"
  access_key = "AK"
  secret_key = "SK"
}`, want: wordsRegexp(`DescribeLivePullToPushList failed: the API endpoint host "alilive-no-such-host.invalid" ` +
			`cannot be resolved (no such host); check the provider's endpoint setting`)},
		{name: "https to the plain HTTP emulator", provider: providerAt(e.Endpoint(), "https"),
			want: wordsRegexp(fmt.Sprintf(`DescribeLivePullToPushList failed: the API endpoint %s answers plain `+
				`HTTP, not HTTPS (server gave HTTP response to HTTPS client); set protocol = "http" (or `+
				`ALILIVE_PROTOCOL=http) to use it, or point the endpoint setting at an HTTPS server`, e.Endpoint()))},
		{name: "http to a TLS endpoint", provider: providerAt(tlsEP, "http"),
			want: wordsRegexp(fmt.Sprintf(`DescribeLivePullToPushList failed: the API endpoint %s expects HTTPS, `+
				`not plain HTTP (HTTP 400: Client sent an HTTP request to an HTTPS server.); set protocol = "https" `+
				`(or ALILIVE_PROTOCOL=https), or leave protocol unset`, tlsEP)),
			check: func(t *testing.T) {
				if n := tlsServed.Load(); n != 0 {
					t.Fatalf("the TLS server served %d requests", n)
				}
			}},
		{name: "endpoint that never answers", provider: providerAt(silent, "http"),
			want: wordsRegexp(fmt.Sprintf("DescribeLivePullToPushList failed: the API endpoint %s accepted the "+
				"connection but sent no answer within 5s of the request; check that the provider's endpoint setting "+
				"names the API, and its protocol setting (gave up after 2 attempts)", silent)),
			// STS GetCallerIdentity at the same address first (it gives up
			// after 3 s and the limiter is keyed by the access key), then two
			// attempts of 5 s, a backoff and the Terraform CLI's own time.
			within: 18 * time.Second,
			check: func(t *testing.T) {
				if n := silentConns.Load(); n != 3 {
					t.Fatalf("connections = %d, want 3 (one GetCallerIdentity, two attempts)", n)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.ResetStats()
			var elapsed time.Duration
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					PreConfig:   func() { elapsed = -time.Duration(time.Now().UnixNano()) },
					Config:      tc.provider + listAllConfig,
					ExpectError: tc.want,
				}},
			})
			elapsed += time.Duration(time.Now().UnixNano())
			within := tc.within
			if within == 0 {
				within = 10 * time.Second
			}
			if elapsed > within {
				t.Fatalf("took %v, want at most %v", elapsed, within)
			}
			if n := e.Stats().TotalCalls(); n != tc.calls {
				t.Fatalf("emulator saw %d calls, want %d", n, tc.calls)
			}
			if tc.check != nil {
				tc.check(t)
			}
			t.Logf("%s: failed after %v", tc.name, elapsed)
		})
	}
}

// TestAccProviderConfig_noSecretsInLogOrState applies and destroys a task
// with TF_LOG=trace and STS credentials, then searches the whole log (the
// Terraform CLI's and the provider's) and every state for the secret key
// and the security token. The secrets reach the provider through the
// environment or through sensitive variables, never as literals in the
// configuration, because the test harness itself logs the configuration
// text at trace level.
func TestAccProviderConfig_noSecretsInLogOrState(t *testing.T) {
	testAccPreCheck(t)
	e := alilivetest.StartEmulator(t, emulator.Options{QPS: -1})
	secrets := []string{emulator.DefaultSTSAccessKeySecret, emulator.DefaultSTSSecurityToken}
	for _, tc := range []struct {
		name     string
		env      map[string]string
		provider string
	}{
		{"environment", map[string]string{
			"ALIBABA_CLOUD_ACCESS_KEY_ID":     emulator.DefaultSTSAccessKeyID,
			"ALIBABA_CLOUD_ACCESS_KEY_SECRET": secrets[0], "ALIBABA_CLOUD_SECURITY_TOKEN": secrets[1],
		}, fmt.Sprintf(`
provider "alilive" {
  region   = "cn-shanghai"
  endpoint = %q
  protocol = "http"
}
`, e.Endpoint())},
		{"sensitive variables", map[string]string{"TF_VAR_secret_key": secrets[0], "TF_VAR_security_token": secrets[1]},
			fmt.Sprintf(`
variable "secret_key" {
  type      = string
  sensitive = true
}

variable "security_token" {
  type      = string
  sensitive = true
}

provider "alilive" {
  region         = "cn-shanghai"
  endpoint       = %q
  protocol       = "http"
  access_key     = %q
  secret_key     = var.secret_key
  security_token = var.security_token
}
`, e.Endpoint(), emulator.DefaultSTSAccessKeyID)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearProviderEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			logFile := filepath.Join(t.TempDir(), "terraform.log")
			t.Setenv("TF_LOG", "TRACE")
			t.Setenv("TF_LOG_PATH", logFile)
			t.Setenv("TF_ACC_LOG_PATH", logFile)
			t.Setenv("TF_LOG_PATH_MASK", "")
			t.Setenv("TF_ACC_LOG", "")
			testAccNoSecrets(t, e, tc.provider, logFile, secrets)
		})
	}
}

func testAccNoSecrets(t *testing.T, e *emulator.Server, provider, logFile string, secrets []string) {
	start := e.Now().Add(time.Hour).UTC().Truncate(time.Second)
	config := provider + fmt.Sprintf(`
resource "alilive_pull_to_push_task" "test" {
  task_name       = "log-check"
  start_time      = %q
  end_time        = %q
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://src.example.com/app/stream"]
  dst_url         = "rtmp://dst.example.com/app/log-check"
}
`, start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339))
	noSecretInState := func(s *terraform.State) error {
		b, err := json.Marshal(s)
		if err != nil {
			return err
		}
		for _, secret := range secrets {
			if strings.Contains(string(b), secret) {
				return fmt.Errorf("the state holds a secret")
			}
		}
		if !strings.Contains(string(b), "log-check") {
			return fmt.Errorf("the state check saw no task: %s", b)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n := len(e.Tasks()); n != 0 {
				return fmt.Errorf("%d tasks left after destroy", n)
			}
			return nil
		},
		Steps: []resource.TestStep{{Config: config, Check: noSecretInState}},
	})
	data, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(data)
	// Proof that the log holds the whole run: the provider's own API
	// lines for the create and the delete, and the configuration's task.
	for _, want := range []string{"alilive API call succeeded", "CreateLivePullToPush", "DeleteLivePullToPush",
		"log-check"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the trace log (%d bytes) lacks %q: the check could not have found a secret either", len(log), want)
		}
	}
	for _, secret := range secrets {
		if i := strings.Index(log, secret); i >= 0 {
			t.Fatalf("the trace log holds a secret near: %q", log[max(0, i-300):i])
		}
	}
	t.Logf("searched %d bytes of trace log", len(log))
}

// openTofuUnknownProviderConfig says why the tests of an unknown provider
// configuration skip under OpenTofu 1.11 (1.12.6 plans them as Terraform
// does, and they pass there).
const openTofuUnknownProviderConfig = "OpenTofu 1.11 neither plans a resource nor reads a data source while its " +
	"provider configuration is unknown (it stops with \"Provider configuration is incomplete\" and advises -exclude), " +
	"so the provider never receives the unknown configuration this test is about"

// TestAccProviderConfig_unknownValues: a provider setting computed from
// another resource is unknown while planning; the plan still succeeds
// (no error, no client) and the apply configures the provider with the
// value once it is known.
func TestAccProviderConfig_unknownValues(t *testing.T) {
	testAccPreCheck(t)
	alilivetest.SkipOnOpenTofuBelow(t, "1.12.0", openTofuUnknownProviderConfig)
	clearProviderEnv(t)
	e := alilivetest.StartEmulator(t, emulator.Options{QPS: -1})
	start := e.Now().Add(time.Hour).UTC().Truncate(time.Second)
	config := fmt.Sprintf(`
resource "terraform_data" "region" {
  input = "cn-shanghai"
}

provider "alilive" {
  region     = terraform_data.region.output
  endpoint   = %q
  protocol   = "http"
  access_key = %q
  secret_key = %q
}

resource "alilive_pull_to_push_task" "test" {
  start_time      = %q
  end_time        = %q
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://src.example.com/app/stream"]
  dst_url         = "rtmp://dst.example.com/app/unknown-config"
}
`, e.Endpoint(), emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret,
		start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            config,
			ConfigStateChecks: []statecheck.StateCheck{expect("region", str("cn-shanghai"))},
			Check: func(*terraform.State) error {
				if n := len(e.Tasks()); n != 1 {
					return fmt.Errorf("emulator holds %d tasks, want 1", n)
				}
				return nil
			},
		}},
	})
}

// TestAccProviderConfig_profile: credentials from a profile of the Alibaba
// Cloud CLI configuration file, chosen by attribute or environment; a
// missing profile is one attribute error at plan time.
func TestAccProviderConfig_profile(t *testing.T) {
	testAccPreCheck(t)
	e := alilivetest.StartEmulator(t, emulator.Options{QPS: -1})
	file := writeProfiles(t)
	provider := func(body string) string {
		return fmt.Sprintf("provider \"alilive\" {\n  region = \"cn-shanghai\"\n  endpoint = %q\n  protocol = \"http\"\n"+
			"  shared_credentials_file = %q\n%s\n}\n", e.Endpoint(), file, body) + listAllConfig
	}
	t.Run("attribute", func(t *testing.T) {
		clearProviderEnv(t)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: provider(`  profile = "prod"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(listAll, tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
				},
			}},
		})
	})
	t.Run("environment", func(t *testing.T) {
		clearProviderEnv(t)
		t.Setenv("ALIBABA_CLOUD_PROFILE", "prod")
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: provider(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(listAll, tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
				},
			}},
		})
	})
	t.Run("missing profile", func(t *testing.T) {
		clearProviderEnv(t)
		e.ResetStats()
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: provider(`  profile = "nope"`),
				ExpectError: wordsRegexp("The credentials selected by profile could not be loaded: unable to get " +
					"profile with 'nope'. Check that the profile or role exists and is complete, or set access_key " +
					"and secret_key instead."),
				PlanOnly: true,
			}},
		})
		if n := e.Stats().TotalCalls(); n != 0 {
			t.Fatalf("%d API calls", n)
		}
	})
}

// testAccProviderConfig_endpointFrom is a provider block whose endpoint is
// the output of a terraform_data resource, replaced whenever generation
// changes: while it is being replaced, the provider's configuration is
// unknown at plan time.
func testAccProviderConfig_endpointFrom(endpoint string, generation int) string {
	return fmt.Sprintf(`
resource "terraform_data" "endpoint" {
  input            = %[1]q
  triggers_replace = [%[2]d]
}

provider "alilive" {
  region     = "cn-shanghai"
  endpoint   = terraform_data.endpoint.output
  protocol   = "http"
  access_key = %[3]q
  secret_key = %[4]q
}
`, endpoint, generation, emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret)
}

// TestAccProviderConfig_unknownAtPlan: while the endpoint comes from a
// resource that is being replaced, the refresh keeps the prior state
// without calling the API, a change of callback_url plans an update in
// place (region keeps its value from the state instead of becoming
// unknown and forcing a replacement), and the apply, with the endpoint
// known again, updates the task.
func TestAccProviderConfig_unknownAtPlan(t *testing.T) {
	testAccPreCheck(t)
	alilivetest.SkipOnOpenTofuBelow(t, "1.12.0", openTofuUnknownProviderConfig)
	clearProviderEnv(t)
	a := newPtpAcc(t, true)
	a.Provider = "" // each step writes its own provider block
	relay := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/unknown-at-plan"]
  dst_url         = "{{dst "unknown-at-plan"}}"
}
`)
	withCallback := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/unknown-at-plan"]
  dst_url         = "{{dst "unknown-at-plan"}}"
  callback_url    = "https://hooks.example.com/relay"
}
`)
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config: testAccProviderConfig_endpointFrom(a.Emulator.Endpoint(), 1) + relay,
				Check:  resource.ComposeTestCheckFunc(alilivetest.CaptureID(&id), a.CheckTaskCount(1)),
			},
			{
				// The refresh of this plan runs while the endpoint is unknown.
				PreConfig: a.ResetStats,
				Config:    testAccProviderConfig_endpointFrom(a.Emulator.Endpoint(), 2) + withCallback,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						noCallsYet{a.Emulator},
						plancheck.ExpectResourceAction("terraform_data.endpoint", plancheck.ResourceActionReplace),
						plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(alilivetest.Resource, tfjsonpath.New("region"), knownvalue.StringExact("cn-shanghai")),
						plancheck.ExpectKnownValue(alilivetest.Resource, tfjsonpath.New("callback_url"),
							knownvalue.StringExact("https://hooks.example.com/relay")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("region", str("cn-shanghai")),
					expect("callback_url", str("https://hooks.example.com/relay")),
				},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrPtr(alilivetest.Resource, "id", &id),
					a.CheckTask(func(et emulator.Task) error {
						if et.TaskInfo.CallbackURL != "https://hooks.example.com/relay" {
							return fmt.Errorf("emulator CallbackURL = %q", et.TaskInfo.CallbackURL)
						}
						return nil
					}),
					a.CheckTaskCount(1),
				),
			},
		},
	})
}

// noCallsYet is a plan check that fails when the emulator saw an API call
// since its counters were last reset.
type noCallsYet struct{ e *emulator.Server }

// CheckPlan implements plancheck.PlanCheck.
func (c noCallsYet) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if st := c.e.Stats(); st.TotalCalls() != 0 {
		resp.Error = fmt.Errorf("the plan made API calls: %v", st.Calls)
	}
}

// TestAccProviderConfig_unknownAtPlanDataSource: a data source cannot be
// read while the provider's configuration is unknown; the error says why
// and what to do, and the advice it gives (depends_on, so that Terraform
// reads the data source during the apply) works.
func TestAccProviderConfig_unknownAtPlanDataSource(t *testing.T) {
	testAccPreCheck(t)
	alilivetest.SkipOnOpenTofuBelow(t, "1.12.0", openTofuUnknownProviderConfig)
	clearProviderEnv(t)
	e := alilivetest.StartEmulator(t, emulator.Options{QPS: -1})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccProviderConfig_endpointFrom(e.Endpoint(), 1) + listAllConfig,
				ExpectError: wordsRegexp(`Error: Provider Configuration Not Known Yet ` +
					`with data.alilive_pull_to_push_tasks.all, ` +
					`on terraform_plugin_test.tf line 25, in data "alilive_pull_to_push_tasks" "all": ` +
					`25: data "alilive_pull_to_push_tasks" "all" {} ` +
					`The alilive provider's configuration depends on values that are known only after apply ` +
					`(for example an endpoint or region taken from another resource), so this data source cannot ` +
					`be read during the plan. Add depends_on with the resources the provider configuration uses ` +
					`to the data source, so that Terraform reads it during the apply, or apply those resources ` +
					`first (terraform apply -target=ADDRESS).`),
			},
			{
				Config: testAccProviderConfig_endpointFrom(e.Endpoint(), 1) + `
data "alilive_pull_to_push_tasks" "all" {
  depends_on = [terraform_data.endpoint]
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(listAll, tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}

// TestAccProviderConfig_rateLimitWithinTimeout: at a very low rate_limit a
// refresh whose turn would come after its read timeout fails at once, with
// an error that names rate_limit, instead of waiting for the turn (here
// about 110 s at 0.01 calls per second). The same holds for a data source.
func TestAccProviderConfig_rateLimitWithinTimeout(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	a.Provider = "" // each step writes its own provider block
	slow := testAccProviderConfigWith(a.Emulator, "  rate_limit = 0.01\n")
	relay := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/slow"]
  dst_url         = "{{dst "slow"}}"

  timeouts {
    read = "2s"
  }
}
`)
	var elapsed time.Duration
	start := func() { elapsed = -time.Duration(time.Now().UnixNano()) }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				// The apply's Create and its read-back go out at once (the
				// first call of each operation); the refresh after it
				// would have to wait for the read-back's slot.
				PreConfig: start,
				Config:    slow + relay,
				ExpectError: alilivetest.MsgRegexp(`Error: Unable to Read Pull-to-Push Task`,
					`The DescribeLivePullToPush call (reading pull-to-push task "`,
					`" in region "cn-shanghai") was not sent: at the provider's rate_limit of 0.01 calls per second, `+
						`its turn would come only after the operation's timeout. The state was left unchanged. Raise `+
						`rate_limit in the provider block (0 turns the client-side limiter off), or give the operation `+
						`more time in the timeouts block.`),
			},
			{
				// Without the limiter the task refreshes, and is destroyed.
				PreConfig: func() {
					if elapsed += time.Duration(time.Now().UnixNano()); elapsed > time.Minute {
						t.Fatalf("the refresh failed after %v, not at once", elapsed)
					}
				},
				Config: testAccProviderConfigWith(a.Emulator, "  rate_limit = 0\n") + relay,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(alilivetest.Resource, tfjsonpath.New("timeouts").AtMapKey("read"), str("2s")),
				},
			},
		},
	})
	t.Logf("the apply and the failed refresh took %v", elapsed)

	list := `
data "alilive_pull_to_push_tasks" "all" {
  timeouts {
    read = "2s"
  }
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// The plan lists at once; the read during the apply would wait.
			Config: slow + list,
			ExpectError: alilivetest.MsgRegexp(`Error: Unable to List Pull-to-Push Tasks`,
				`The DescribeLivePullToPushList call (listing tasks in region "cn-shanghai") was not sent: at the `+
					`provider's rate_limit of 0.01 calls per second, its turn would come only after the operation's `+
					`timeout. Raise rate_limit in the provider block (0 turns the client-side limiter off), or give `+
					`the operation more time in the timeouts block.`),
		}},
	})
}
