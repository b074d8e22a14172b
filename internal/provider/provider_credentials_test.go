package provider

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// credResult is what resolveSettings chose, for comparison.
type credResult struct {
	origin, name, kind          string
	accessKey, secretKey, token string
	profile, profileFile        string
	roleARN, ecsRole            string
	roleFromProfile             bool
}

func credResultOf(s *settings) credResult {
	return credResult{
		origin: s.credentialOrigin, name: s.credentialName, kind: s.kind,
		accessKey: s.accessKey, secretKey: s.secretKey, token: s.securityToken,
		profile: s.profile, profileFile: s.profileFile, roleARN: s.roleARN, ecsRole: s.ecsRoleName,
		roleFromProfile: s.roleFromProfile,
	}
}

// TestCredentialPrecedence resolves every source the provider block can
// name against every source the environment can hold: whatever the block
// names wins and nothing of another source is taken from the environment;
// the environment is used only when the block names nothing.
func TestCredentialPrecedence(t *testing.T) {
	blockCases := []struct {
		name string
		mod  func(m *providerModel)
		want credResult
		// profileFromEnv: the block names a file but no profile, so
		// ALIBABA_CLOUD_PROFILE (same source) chooses the profile in it.
		profileFromEnv bool
	}{
		{name: "none", mod: func(*providerModel) {}},
		{
			name: "access key",
			mod:  func(m *providerModel) { m.AccessKey, m.SecretKey = sv("B-AK"), sv("B-SK") },
			want: credResult{origin: originBlock, name: "access key", kind: "access_key", accessKey: "B-AK", secretKey: "B-SK"},
		},
		{
			name: "access key with security token",
			mod: func(m *providerModel) {
				m.AccessKey, m.SecretKey, m.SecurityToken = sv("B-AK"), sv("B-SK"), sv("B-TOKEN")
			},
			want: credResult{origin: originBlock, name: "access key", kind: "sts", accessKey: "B-AK", secretKey: "B-SK",
				token: "B-TOKEN"},
		},
		{
			name: "profile",
			mod:  func(m *providerModel) { m.Profile, m.SharedCredentialsFile = sv("b-profile"), sv("/b/config.json") },
			want: credResult{origin: originBlock, name: "profile", kind: "profile", profile: "b-profile",
				profileFile: "/b/config.json"},
		},
		{
			name:           "shared_credentials_file",
			mod:            func(m *providerModel) { m.SharedCredentialsFile = sv("/b/config.json") },
			want:           credResult{origin: originBlock, name: "profile", kind: "profile", profileFile: "/b/config.json"},
			profileFromEnv: true,
		},
		{
			name: "assume_role with access key",
			mod: func(m *providerModel) {
				m.AccessKey, m.SecretKey = sv("B-AK"), sv("B-SK")
				m.AssumeRole = &assumeRoleModel{RoleARN: sv("B-ROLE")}
			},
			want: credResult{origin: originBlock, name: "assume_role with access key", kind: "ram_role_arn",
				accessKey: "B-AK", secretKey: "B-SK", roleARN: "B-ROLE"},
		},
		{
			name: "assume_role with profile",
			mod: func(m *providerModel) {
				m.Profile = sv("b-profile")
				m.AssumeRole = &assumeRoleModel{RoleARN: sv("B-ROLE")}
			},
			want: credResult{origin: originBlock, name: "assume_role with profile", kind: "profile", profile: "b-profile",
				roleARN: "B-ROLE", roleFromProfile: true},
		},
		{
			name: "ecs_role_name",
			mod:  func(m *providerModel) { m.ECSRoleName = sv("b-ecs-role") },
			want: credResult{origin: originBlock, name: "ecs_role_name", kind: "ecs_ram_role", ecsRole: "b-ecs-role"},
		},
	}
	envCases := []struct {
		name string
		env  map[string]string
		want *credResult // nil: no credentials at all
	}{
		{name: "none"},
		{
			name: "access key",
			env:  map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "ENV-AK", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "ENV-SK"},
			want: &credResult{origin: originEnv, name: "access key", kind: "access_key", accessKey: "ENV-AK", secretKey: "ENV-SK"},
		},
		{
			name: "access key with security token (alicloud names)",
			env: map[string]string{"ALICLOUD_ACCESS_KEY": "ENV-AK", "ALICLOUD_SECRET_KEY": "ENV-SK",
				"ALICLOUD_SECURITY_TOKEN": "ENV-TOKEN"},
			want: &credResult{origin: originEnv, name: "access key", kind: "sts", accessKey: "ENV-AK", secretKey: "ENV-SK",
				token: "ENV-TOKEN"},
		},
		{
			name: "role ARN with access key",
			env: map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "ENV-AK", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "ENV-SK",
				"ALIBABA_CLOUD_ROLE_ARN": "ENV-ROLE"},
			want: &credResult{origin: originEnv, name: "assume_role with access key", kind: "ram_role_arn",
				accessKey: "ENV-AK", secretKey: "ENV-SK", roleARN: "ENV-ROLE"},
		},
		{
			name: "profile",
			env:  map[string]string{"ALIBABA_CLOUD_PROFILE": "env-profile"},
			want: &credResult{origin: originEnv, name: "profile", kind: "profile", profile: "env-profile"},
		},
		{
			name: "access key and profile",
			env: map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "ENV-AK", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "ENV-SK",
				"ALIBABA_CLOUD_PROFILE": "env-profile"},
			want: &credResult{origin: originEnv, name: "access key", kind: "access_key", accessKey: "ENV-AK", secretKey: "ENV-SK"},
		},
	}
	for _, bc := range blockCases {
		for _, ec := range envCases {
			t.Run(bc.name+" in the block, "+ec.name+" in the environment", func(t *testing.T) {
				m := providerModel{Region: sv("cn-shanghai")}
				bc.mod(&m)
				s, p := resolveSettings(&m, mapEnv(ec.env))
				if bc.name == "none" && ec.want == nil {
					if p == nil || p.summary != "Missing Credentials" {
						t.Fatalf("got %+v %+v, want the Missing Credentials error", s, p)
					}
					return
				}
				if p != nil {
					t.Fatalf("unexpected problem at %s: %s: %s", p.path, p.summary, p.detail)
				}
				want := bc.want
				switch {
				case bc.name == "none":
					want = *ec.want
				case bc.profileFromEnv:
					want.profile = ec.env["ALIBABA_CLOUD_PROFILE"]
				}
				if got := credResultOf(s); got != want {
					t.Fatalf("got  %+v\nwant %+v", got, want)
				}
			})
		}
	}
}

// TestCredentialTableDocs: docs/index.md holds credentialTable as it is,
// and each row names every setting and environment variable it reads.
func TestCredentialTableDocs(t *testing.T) {
	for _, r := range credentialTable {
		for _, setting := range r.block {
			if !strings.Contains(r.docBlock, "`"+setting+"`") {
				t.Errorf("row %q: the block column does not name %s", r.source, setting)
			}
		}
		for _, name := range r.env {
			if !strings.Contains(r.docEnv, "`"+name+"`") {
				t.Errorf("row %q: the environment column does not name %s", r.source, name)
			}
		}
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	if table := credentialTableMarkdown(); !strings.Contains(string(doc), table) {
		t.Fatalf("docs/index.md does not hold the credential table of the code (edit templates/index.md.tmpl and "+
			"run make generate):\n%s", table)
	}
}

// providerConfig builds the provider's configuration from attribute values
// (the rest null), as Terraform sends it to Configure.
func providerConfig(t *testing.T, attrs map[string]string) tfsdk.Config {
	t.Helper()
	ctx := context.Background()
	var sresp provider.SchemaResponse
	New("test")().Schema(ctx, provider.SchemaRequest{}, &sresp)
	typ, ok := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the provider schema is not an object")
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = tftypes.NewValue(at, v)
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	return tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, vals)}
}

// writeProfiles writes an Alibaba Cloud CLI configuration file with the
// profile "prod" (the emulator's default key pair) and "other".
func writeProfiles(t *testing.T) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "config.json")
	cfg := fmt.Sprintf(`{"current": "other", "profiles": [
  {"name": "other", "mode": "AK", "access_key_id": "other-key-id", "access_key_secret": "other-key-secret"},
  {"name": "prod", "mode": "AK", "access_key_id": %q, "access_key_secret": %q}
]}`, emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret)
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestConfigureLogsCredentialSource: Configure logs at INFO which source
// it chose and where it came from, never a value of it.
func TestConfigureLogsCredentialSource(t *testing.T) {
	clearProviderEnv(t)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "ENV-KEY-ID-IN-THE-SHELL")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ENV-SECRET-IN-THE-SHELL")
	file := writeProfiles(t)
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	var resp provider.ConfigureResponse
	New("test")().Configure(ctx, provider.ConfigureRequest{Config: providerConfig(t, map[string]string{
		"region": "cn-shanghai", "endpoint": "127.0.0.1:9180", "protocol": "http",
		"profile": "prod", "shared_credentials_file": file,
	})}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("Configure: %v", resp.Diagnostics)
	}
	entries, err := tflogtest.MultilineJSONDecode(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var chosen []map[string]any
	for _, e := range entries {
		if e["@message"] == "alilive credentials chosen" {
			chosen = append(chosen, e)
		}
	}
	if len(chosen) != 1 {
		t.Fatalf("%d lines say which credentials were chosen, want 1; the log:\n%s", len(chosen), out.String())
	}
	for k, want := range map[string]string{"@level": "info", "credential_source": "profile",
		"credential_origin": "provider block", "selected_by": "profile"} {
		if got := chosen[0][k]; got != want {
			t.Errorf("%s = %v, want %q", k, got, want)
		}
	}
	for _, value := range []string{emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret, "ENV-KEY-ID-IN-THE-SHELL",
		"ENV-SECRET-IN-THE-SHELL", `"prod"`, file} {
		if strings.Contains(out.String(), value) {
			t.Errorf("the log holds the value %q:\n%s", value, out.String())
		}
	}
}

// TestAccProviderConfig_credentialPrecedence: a profile (and a key pair)
// written in the provider block is used although the shell exports the
// access key of another account; the environment's key is used only when
// the block names no credentials. Each account holds one task with its own
// name, so the listing shows which account Terraform acted on.
func TestAccProviderConfig_credentialPrecedence(t *testing.T) {
	testAccPreCheck(t)
	e := alilivetest.StartEmulator(t, emulator.Options{QPS: -1, Credentials: []emulator.Credential{
		// AddTask adds to the account "default": here the one of profile prod.
		{AccessKeyID: emulator.DefaultAccessKeyID, AccessKeySecret: emulator.DefaultAccessKeySecret, Account: "default"},
		{AccessKeyID: "dev-key-id", AccessKeySecret: "dev-key-secret", Account: "dev"},
	}})
	file := writeProfiles(t)
	if _, err := e.AddTask("cn-shanghai", emulator.TaskInfo{TaskName: "prod-relay", SourceType: "live",
		SourceProtocol: "rtmp", SourceUrls: []string{"rtmp://src.example.com/a/s"},
		DstUrl: "rtmp://dst.example.com/a/prod"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, credentials string
		want              int // the number of tasks listed: 1 in account prod, 0 in dev
	}{
		{"profile in the block", fmt.Sprintf("  profile = \"prod\"\n  shared_credentials_file = %q\n", file), 1},
		{"key pair in the block", fmt.Sprintf("  access_key = %q\n  secret_key = %q\n", emulator.DefaultAccessKeyID,
			emulator.DefaultAccessKeySecret), 1},
		{"nothing in the block", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearProviderEnv(t)
			t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "dev-key-id")
			t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "dev-key-secret")
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf("provider \"alilive\" {\n  region = \"cn-shanghai\"\n  endpoint = %q\n"+
						"  protocol = \"http\"\n%s}\n", e.Endpoint(), tc.credentials) + listAllConfig,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(listAll, tfjsonpath.New("ids"), knownvalue.ListSizeExact(tc.want)),
					},
				}},
			})
		})
	}
}

// TestCredentialAdvice: a rejected key names the setting or variable it
// came from, for each source the provider reads a key from itself.
func TestCredentialAdvice(t *testing.T) {
	for _, tc := range []struct {
		name             string
		block            providerModel
		env              map[string]string
		unknown, signing string
	}{
		{
			name:  "provider block",
			block: providerModel{AccessKey: sv("AK"), SecretKey: sv("SK")},
			unknown: "The service knows no AccessKey with that ID: check access_key in the provider block (a mistyped, " +
				"deleted or disabled key), then try again.",
			signing: "The access key secret does not belong to the access key ID: check secret_key in the provider " +
				"block, which must be the secret of the key in access_key in the provider block, then try again.",
		},
		{
			name: "environment",
			env:  map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "AK", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "SK"},
			unknown: "The service knows no AccessKey with that ID: check environment variable ALIBABA_CLOUD_ACCESS_KEY_ID " +
				"(a mistyped, deleted or disabled key), then try again.",
			signing: "The access key secret does not belong to the access key ID: check environment variable ALIBABA_CLOUD_ACCESS_KEY_SECRET, which must be the secret of the key in " +
				"environment variable ALIBABA_CLOUD_ACCESS_KEY_ID, then try again.",
		},
		{
			name: "older variable names",
			env:  map[string]string{"ALICLOUD_ACCESS_KEY": "AK", "ALICLOUD_SECRET_KEY": "SK"},
			unknown: "The service knows no AccessKey with that ID: check environment variable ALICLOUD_ACCESS_KEY " +
				"(a mistyped, deleted or disabled key), then try again.",
			signing: "The access key secret does not belong to the access key ID: check environment variable ALICLOUD_SECRET_KEY, which must be the secret of the key in environment variable ALICLOUD_ACCESS_KEY, then try again.",
		},
		{
			name:  "profile",
			block: providerModel{Profile: sv("ops")},
			unknown: "The service knows no AccessKey with that ID: check the access key ID of profile \"ops\" in the " +
				"Alibaba Cloud CLI configuration file (a mistyped, deleted or disabled key), then try again.",
			signing: "The access key secret does not belong to the access key ID: check the access key secret of " +
				"profile \"ops\" in the Alibaba Cloud CLI configuration file, which must be the secret of the key in " +
				"the access key ID of profile \"ops\" in the Alibaba Cloud CLI configuration file, then try again.",
		},
		{
			name:  "assumed role: its temporary key comes from STS",
			block: providerModel{AccessKey: sv("AK"), SecretKey: sv("SK"), AssumeRole: &assumeRoleModel{RoleARN: sv("acs:ram::1:role/r")}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.block
			m.Region = sv("cn-shanghai")
			s, p := resolveSettings(&m, mapEnv(tc.env))
			if p != nil {
				t.Fatalf("%s: %s", p.summary, p.detail)
			}
			if got := s.credentialAdvice("InvalidAccessKeyId.NotFound"); got != tc.unknown {
				t.Errorf("unknown key:\n got %q\nwant %q", got, tc.unknown)
			}
			if got := s.credentialAdvice("SignatureDoesNotMatch"); got != tc.signing {
				t.Errorf("wrong secret:\n got %q\nwant %q", got, tc.signing)
			}
			if got := s.credentialAdvice("Forbidden.RAM"); got != "" {
				t.Errorf("another code: %q", got)
			}
		})
	}
}
