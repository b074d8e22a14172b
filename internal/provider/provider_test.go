package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/aliyun/credentials-go/credentials"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// testAccProtoV6ProviderFactories starts the provider in-process for
// acceptance tests.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"alilive": providerserver.NewProtocol6WithError(New("test")()),
}

// testAccProviderAddress is the address under which terraform-plugin-testing
// runs the in-process provider: TF_ACC_PROVIDER_HOST (registry.opentofu.org
// under OpenTofu, which reads a provider block without a source address as
// registry.opentofu.org/hashicorp/<name>; scripts/with-cli.sh sets it) or
// registry.terraform.io, and the namespace hashicorp. Diagnostics name it.
func testAccProviderAddress() string {
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	return host + "/hashicorp/alilive"
}

// testAccOpenTofu reports whether the acceptance tests run OpenTofu: the CLI
// that TF_ACC_TERRAFORM_PATH names (or terraform on PATH) says so in the first
// line of its version output. make test-matrix runs them under OpenTofu 1.11.
var testAccOpenTofu = sync.OnceValue(func() bool {
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		bin = "terraform"
	}
	cmd := exec.CommandContext(context.Background(), bin, "version")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	return err == nil && strings.HasPrefix(string(out), "OpenTofu ")
})

// testAccSkipOnOpenTofu skips a test whose subject OpenTofu never lets the
// provider see, saying why.
func testAccSkipOnOpenTofu(t *testing.T, why string) {
	t.Helper()
	if testAccOpenTofu() {
		t.Skip("skipped under OpenTofu: " + why)
	}
}

// testAccRealMode reports whether acceptance tests run against the real
// service (ALILIVE_ACC_REAL=1) instead of the in-process emulator.
func testAccRealMode() bool {
	return os.Getenv("ALILIVE_ACC_REAL") == "1"
}

// testAccPreCheck stops a test early when its prerequisites are missing:
// the terraform CLI always, and in real mode credentials and a region in
// the environment.
func testAccPreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		if _, err := exec.LookPath("terraform"); err != nil {
			t.Fatal("acceptance tests need the terraform CLI on PATH (or TF_ACC_TERRAFORM_PATH); none was found")
		}
	}
	if !testAccRealMode() {
		return
	}
	for _, group := range [][]string{envAccessKey, envSecretKey, envRegion} {
		found := false
		for _, name := range group {
			if os.Getenv(name) != "" {
				found = true
			}
		}
		if !found {
			t.Fatalf("ALILIVE_ACC_REAL=1 needs one of %v in the environment", group)
		}
	}
}

// envEmulatorVariant names the variants of the documentation the
// acceptance tests' emulator follows, in the emulator's -variant syntax
// (NAME[,NAME...] or all; empty: the emulator's defaults (no variant)). make test-variants
// sets it.
const envEmulatorVariant = "ALILIVE_EMULATOR_VARIANT"

// testAccVariants parses ALILIVE_EMULATOR_VARIANT.
func testAccVariants(t *testing.T) []emulator.Variant {
	t.Helper()
	vs, err := emulator.ParseVariants(os.Getenv(envEmulatorVariant))
	if err != nil {
		t.Fatalf("%s: %v", envEmulatorVariant, err)
	}
	return vs
}

// testAccEmulator starts an in-process emulator on 127.0.0.1:0 with opts
// and closes it when the test ends. In real mode the test is skipped, so
// use it only in tests that need the emulator's control methods.
func testAccEmulator(t *testing.T, opts emulator.Options) *emulator.Server {
	t.Helper()
	if testAccRealMode() {
		t.Skip("needs the emulator's control methods; skipped with ALILIVE_ACC_REAL=1")
	}
	e, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	if err := e.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("emulator.Start: %v", err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("emulator.Close: %v", err)
		}
	})
	return e
}

// testAccProviderConfig returns the provider block that points at e with
// the emulator's default static access key in region cn-shanghai, plus the
// extra attribute lines. In real mode it returns "" so the provider takes
// everything from the environment.
func testAccProviderConfig(e *emulator.Server, extra ...string) string {
	if testAccRealMode() || e == nil {
		return ""
	}
	return fmt.Sprintf(`
provider "alilive" {
  region     = "cn-shanghai"
  endpoint   = %q
  protocol   = "http"
  access_key = %q
  secret_key = %q
%s}
`, e.Endpoint(), emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret, linesOf(extra))
}

// linesOf renders attribute lines for a block.
func linesOf(lines []string) string {
	out := ""
	for _, l := range lines {
		out += "  " + l + "\n"
	}
	return out
}

// emulatorTestClient is an API client of the emulator's default account
// in cn-shanghai, without a rate limit.
func emulatorTestClient(t *testing.T, e *emulator.Server, maxRetries int) *liveapi.Client {
	t.Helper()
	cred, err := credentials.NewCredential(new(credentials.Config).SetType("access_key").
		SetAccessKeyId(emulator.DefaultAccessKeyID).SetAccessKeySecret(emulator.DefaultAccessKeySecret))
	if err != nil {
		t.Fatal(err)
	}
	c, err := liveapi.New(liveapi.Config{Credential: cred, Region: "cn-shanghai", Endpoint: e.Endpoint(),
		Protocol: "http", RateLimit: -1, MaxRetries: maxRetries})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSchemasAreValid(t *testing.T) {
	ctx := context.Background()
	rresp := &resource.SchemaResponse{}
	NewPullToPushTaskResource().Schema(ctx, resource.SchemaRequest{}, rresp)
	assertDiags(t, rresp.Diagnostics)
	assertDiags(t, rresp.Schema.ValidateImplementation(ctx))
	for name, a := range rresp.Schema.Attributes {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("resource attribute %s has no MarkdownDescription", name)
		}
	}
	for _, ds := range []datasource.DataSource{NewPullToPushTaskDataSource(), NewPullToPushTasksDataSource()} {
		dresp := &datasource.SchemaResponse{}
		ds.Schema(ctx, datasource.SchemaRequest{}, dresp)
		assertDiags(t, dresp.Diagnostics)
		assertDiags(t, dresp.Schema.ValidateImplementation(ctx))
		for name, a := range dresp.Schema.Attributes {
			if a.GetMarkdownDescription() == "" {
				t.Errorf("data source attribute %s has no MarkdownDescription", name)
			}
		}
	}
	// The data sources describe every attribute the resource has.
	dresp := &datasource.SchemaResponse{}
	NewPullToPushTaskDataSource().Schema(ctx, datasource.SchemaRequest{}, dresp)
	for name := range rresp.Schema.Attributes {
		if _, ok := dresp.Schema.Attributes[name]; !ok {
			t.Errorf("data source lacks the resource attribute %s", name)
		}
	}
}
