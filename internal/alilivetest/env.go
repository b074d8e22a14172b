package alilivetest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// Resource is the address every acceptance test gives its task.
const Resource = "alilive_pull_to_push_task.test"

// EnvVariant names the variants of the documentation the acceptance tests'
// emulator follows, in the emulator's -variant syntax (NAME[,NAME...] or
// all; empty: the emulator's defaults, no variant). make test-variants sets
// it.
const EnvVariant = "ALILIVE_EMULATOR_VARIANT"

// RealMode reports whether acceptance tests run against the real service
// (ALILIVE_ACC_REAL=1) instead of the in-process emulator.
func RealMode() bool {
	return os.Getenv("ALILIVE_ACC_REAL") == "1"
}

// openTofuVersion is the version of OpenTofu the acceptance tests run:
// the CLI that TF_ACC_TERRAFORM_PATH names (or terraform on PATH) says so
// in its version output (OpenTofu 1.12 may print the problems of its CLI
// configuration file first); nil for Terraform.
var openTofuVersion = sync.OnceValue(func() *version.Version {
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		bin = "terraform"
	}
	cmd := exec.CommandContext(context.Background(), bin, "version")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		return nil
	}
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "OpenTofu v"); ok {
			if v, err := version.NewVersion(strings.TrimSpace(rest)); err == nil {
				return v
			}
		}
	}
	return nil
})

// OpenTofu reports whether the acceptance tests run OpenTofu.
func OpenTofu() bool { return openTofuVersion() != nil }

// SkipOnOpenTofuBelow skips a test under an OpenTofu older than first,
// saying why.
func SkipOnOpenTofuBelow(t *testing.T, first, why string) {
	t.Helper()
	if v := openTofuVersion(); v != nil && v.LessThan(version.Must(version.NewVersion(first))) {
		t.Skipf("skipped under OpenTofu %s (before %s): %s", v, first, why)
	}
}

// Variants parses ALILIVE_EMULATOR_VARIANT.
func Variants(t *testing.T) []emulator.Variant {
	t.Helper()
	vs, err := emulator.ParseVariants(os.Getenv(EnvVariant))
	if err != nil {
		t.Fatalf("%s: %v", EnvVariant, err)
	}
	return vs
}

// StartEmulator starts an in-process emulator on 127.0.0.1:0 with opts and
// closes it when the test ends. In real mode the test is skipped, so use it
// only in tests that need the emulator's control methods.
func StartEmulator(t *testing.T, opts emulator.Options) *emulator.Server {
	t.Helper()
	if RealMode() {
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

// ProviderBlock returns the provider block that points at e with the
// emulator's default static access key in region cn-shanghai, plus the
// extra attribute lines. In real mode (or without an emulator) it returns
// "", so the provider takes everything from the environment.
func ProviderBlock(e *emulator.Server, extra ...string) string {
	if RealMode() || e == nil {
		return ""
	}
	var lines strings.Builder
	for _, l := range extra {
		lines.WriteString("  " + l + "\n")
	}
	return fmt.Sprintf(`
provider "alilive" {
  region     = "cn-shanghai"
  endpoint   = %q
  protocol   = "http"
  access_key = %q
  secret_key = %q
%s}
`, e.Endpoint(), emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret, lines.String())
}

// Env is the set-up of one acceptance test: its own emulator (nil against
// the real service), the provider block, the test's clock and the suffix
// that keeps its destination URLs apart from other tests'.
type Env struct {
	T        *testing.T
	Emulator *emulator.Server
	Variants []emulator.Variant // the variants the emulator follows
	Provider string             // the provider block Config puts first
	Now      time.Time          // the service's time when the test started, whole seconds
	Suffix   string
}

// NewRealEnv is an Env for the real service: no emulator, no provider block
// (the provider reads the environment), the local clock.
func NewRealEnv(t *testing.T) *Env {
	return &Env{T: t, Suffix: acctest.RandString(8), Now: time.Now().UTC().Truncate(time.Second)}
}

// NewEnv starts an emulator with opts (throttling off unless opts.QPS says
// otherwise) and returns the Env around it. It skips the test in real mode.
func NewEnv(t *testing.T, opts emulator.Options) *Env {
	t.Helper()
	if opts.QPS == 0 {
		opts.QPS = -1
	}
	e := StartEmulator(t, opts)
	return &Env{T: t, Emulator: e, Variants: opts.Variants, Provider: ProviderBlock(e),
		Now: e.Now().UTC().Truncate(time.Second), Suffix: acctest.RandString(8)}
}

// At is the test's start time moved by d, in the service's spelling.
func (a *Env) At(d time.Duration) string {
	return liveapi.FormatTime(a.Now.Add(d).UTC())
}

// Dst is a destination URL unique to the test.
func (a *Env) Dst(n string) string {
	return "rtmp://push.example.com/live/" + a.Suffix + "-" + n
}

// NotOnOpenTofu is a TerraformVersionChecks entry that skips the test under
// OpenTofu, saying why: a feature OpenTofu does not have, named with the
// OpenTofu versions it was checked against.
func NotOnOpenTofu(why string) tfversion.TerraformVersionCheck {
	return notOnOpenTofu(why)
}

type notOnOpenTofu string

// CheckTerraformVersion implements tfversion.TerraformVersionCheck.
func (why notOnOpenTofu) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest,
	resp *tfversion.CheckTerraformVersionResponse) {
	if OpenTofu() {
		resp.Skip = "skipped under OpenTofu: " + string(why)
	}
}
