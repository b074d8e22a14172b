package provider

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/aliyun/credentials-go/credentials"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// testAccProtoV6ProviderFactories starts the provider in-process for
// acceptance tests, with the protocol server the provider binary serves.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"alilive": func() (tfprotov6.ProviderServer, error) { return testAccProtocolServer(), nil },
}

// testAccProtocolServer makes the servers of one provider instance, as
// providerserver.NewProtocol6WithError(New("test")()) did.
var testAccProtocolServer = ProtocolServer(New("test")())

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
	if !alilivetest.RealMode() {
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
