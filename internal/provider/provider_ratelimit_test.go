package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/alilive/terraform-provider-alilive/internal/ratelimit"
)

// TestMain points the host-shared rate limiter of every test in this
// package at a directory of its own, removed at the end: the tests never
// write to the user's cache directory, and concurrent test processes
// (go test runs packages in parallel) never share a limiter. Each test's
// emulator listens on its own port, so within the process the limiters of
// different tests are apart too.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "alilive-provider-test-ratelimit-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.Setenv(envRateLimitDir[0], dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func TestResolveSharedRateLimit(t *testing.T) {
	base := func() *providerModel {
		return &providerModel{Region: sv("cn-shanghai"), AccessKey: sv("AK"), SecretKey: sv("SK")}
	}
	for _, tc := range []struct {
		name  string
		attr  types.Bool
		env   map[string]string
		want  bool
		dir   string
		fails string
	}{
		{name: "default", attr: types.BoolNull(), want: true},
		{name: "environment false", attr: types.BoolNull(), env: map[string]string{"ALILIVE_SHARED_RATE_LIMIT": "false"}},
		{name: "environment 0", attr: types.BoolNull(), env: map[string]string{"ALILIVE_SHARED_RATE_LIMIT": "0"}},
		{name: "environment TRUE", attr: types.BoolNull(), env: map[string]string{"ALILIVE_SHARED_RATE_LIMIT": "TRUE"}, want: true},
		{name: "attribute wins", attr: types.BoolValue(false), env: map[string]string{"ALILIVE_SHARED_RATE_LIMIT": "true"}},
		{name: "directory", attr: types.BoolNull(), env: map[string]string{"ALILIVE_RATE_LIMIT_DIR": "/var/cache/x"}, want: true, dir: "/var/cache/x"},
		{
			name: "environment not a boolean", attr: types.BoolNull(), env: map[string]string{"ALILIVE_SHARED_RATE_LIMIT": "off"},
			fails: `environment variable ALILIVE_SHARED_RATE_LIMIT is "off": set it to true (share the rate limit ` +
				`with the other processes on this host, the default) or false.`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := base()
			m.SharedRateLimit = tc.attr
			s, p := resolveSettings(m, mapEnv(tc.env))
			if tc.fails != "" {
				if p == nil || !p.path.Equal(path.Root("shared_rate_limit")) || p.summary != "Invalid Shared Rate Limit" || p.detail != tc.fails {
					t.Fatalf("problem = %+v", p)
				}
				return
			}
			if p != nil {
				t.Fatal(p.detail)
			}
			if s.sharedRateLimit != tc.want || s.rateLimitDir != tc.dir {
				t.Fatalf("shared %v dir %q, want %v %q", s.sharedRateLimit, s.rateLimitDir, tc.want, tc.dir)
			}
		})
	}
}

// TestAccProviderConfig_sharedRateLimit: by default the provider keeps its
// limiters in ALILIVE_RATE_LIMIT_DIR, in files named by a hash of the
// account (which STS GetCallerIdentity told, once) and the account itself
// in a file named by a hash of the key; with shared_rate_limit = false it
// writes nothing there.
func TestAccProviderConfig_sharedRateLimit(t *testing.T) {
	testAccPreCheck(t)
	e := alilivetest.StartEmulator(t, emulator.Options{})
	for _, tc := range []struct {
		name   string
		extra  []string
		shared bool
	}{
		{"default", nil, true},
		{"off", []string{"shared_rate_limit = false"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("ALILIVE_RATE_LIMIT_DIR", dir)
			config := alilivetest.ProviderBlock(e, tc.extra...) + listAllConfig
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: config,
					Check: func(*terraform.State) error {
						log := filepath.Join(dir, ratelimit.Name("account:default", e.Endpoint(), liveapi.OpList))
						_, err := os.Stat(log)
						if tc.shared && err != nil {
							return fmt.Errorf("no shared limiter file for List: %w", err)
						}
						if !tc.shared && err == nil {
							return fmt.Errorf("shared_rate_limit = false wrote %s", log)
						}
						accounts, _ := filepath.Glob(filepath.Join(dir, "accounts", "*"))
						if !tc.shared {
							if len(accounts) != 0 {
								return fmt.Errorf("shared_rate_limit = false wrote %v", accounts)
							}
							return nil
						}
						if len(accounts) != 1 {
							return fmt.Errorf("account files: %v, want one", accounts)
						}
						b, err := os.ReadFile(accounts[0])
						if err != nil {
							return err
						}
						if string(b) != "default\n" || strings.Contains(accounts[0], emulator.DefaultAccessKeyID) {
							return fmt.Errorf("account file %s holds %q, want \"default\\n\" under a hash", accounts[0], b)
						}
						if got := e.Stats().STS[emulator.OpGetCallerIdentity]; got != 1 {
							return fmt.Errorf("GetCallerIdentity calls = %d, want 1", got)
						}
						return nil
					},
				}},
			})
		})
	}
}

// TestAccProviderConfig_sharedRateLimitInvalidEnv: a value that is not a
// boolean is an error at plan time naming the variable.
func TestAccProviderConfig_sharedRateLimitInvalidEnv(t *testing.T) {
	testAccPreCheck(t)
	e := alilivetest.StartEmulator(t, emulator.Options{})
	t.Setenv("ALILIVE_SHARED_RATE_LIMIT", "sometimes")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      alilivetest.ProviderBlock(e) + listAllConfig,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`Invalid Shared Rate Limit(.|\n)*ALILIVE_SHARED_RATE_LIMIT is(.|\n)*"sometimes"`),
		}},
	})
	if n := e.Stats().TotalCalls(); n != 0 {
		t.Fatalf("%d API calls", n)
	}
}
