package provider

import (
	"context"
	"crypto/md5" //nolint:gosec // type A signing is defined with MD5
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// runSignURL calls the function as the framework does.
func runSignURL(t *testing.T, args ...string) (string, *function.FuncError) {
	t.Helper()
	values := make([]attr.Value, len(args))
	for i, a := range args {
		values[i] = types.StringValue(a)
	}
	resp := &function.RunResponse{Result: function.NewResultData(types.StringUnknown())}
	NewSignURLFunction().Run(context.Background(), function.RunRequest{Arguments: function.NewArgumentsData(values)}, resp)
	if resp.Error != nil {
		return "", resp.Error
	}
	v, ok := resp.Result.Value().(types.String)
	if !ok {
		t.Fatalf("result is %T", resp.Result.Value())
	}
	return v.ValueString(), nil
}

// TestSignURLFunction_documentedExample signs the example of Alibaba
// Cloud's type A documentation (key aliyuncdnexp1234, timestamp 1444435200,
// 2015-10-10T08:00:00+08:00) and expects its published md5hash.
func TestSignURLFunction_documentedExample(t *testing.T) {
	got, ferr := runSignURL(t, "http://domain.example.com/video/standard/test.mp4", "aliyuncdnexp1234", "2015-10-10T08:00:00+08:00")
	want := "http://domain.example.com/video/standard/test.mp4?auth_key=1444435200-0-0-23bf85053008f5c0e791667a313e28ce"
	if ferr != nil || got != want {
		t.Errorf("sign_url = %q, %v; want %q", got, ferr, want)
	}
}

// TestSignURLFunction_errors: every rejected argument is named by its
// position, and the key never shows in a message.
func TestSignURLFunction_errors(t *testing.T) {
	const u = "rtmp://push.example.com/live/news"
	for _, c := range []struct {
		args []string
		arg  int64
		msg  string
	}{
		{[]string{"rtmp://push.example.com", "k3y-never-shown", "bad"}, 0,
			`must have a path, such as /AppName/StreamName, got "rtmp://push.example.com"`},
		{[]string{"ftp://push.example.com/live/news", "k3y-never-shown", "2026-12-01T22:00:00+08:00"}, 0,
			`must start with rtmp://, http:// or https:// (the URLs ApsaraVideo Live signs), got "ftp://push.example.com/live/news"`},
		{[]string{u, "", "2026-12-01T22:00:00+08:00"}, 1,
			"must not be empty: use the primary or secondary key of the domain's URL signing settings"},
		{[]string{u, "k3y-never-shown", "tomorrow"}, 2,
			`must be an RFC 3339 time such as 2026-12-01T22:00:00Z or 2026-12-02T06:00:00+08:00, got "tomorrow"`},
	} {
		_, ferr := runSignURL(t, c.args...)
		if ferr == nil || ferr.FunctionArgument == nil || *ferr.FunctionArgument != c.arg || ferr.Text != c.msg {
			t.Errorf("sign_url%q: error %+v; want argument %d %q", c.args, ferr, c.arg, c.msg)
		}
	}
}

// testAccSignURLConfig calls the function in an output, as a user would.
func testAccSignURLConfig(url, key, timestamp string) string {
	return fmt.Sprintf(`
output "signed" {
  value = provider::alilive::sign_url(%[1]q, %[2]q, %[3]q)
}
`, url, key, timestamp)
}

// TestAccSignURLFunction_basic runs the function through Terraform (1.8
// or later) and checks the output exactly: the existing query is kept and
// the hand-written auth_key replaced. Expected md5 from md5sum(1) of
// "/live/news-1796133600-0-0-s3cr3t-ingest-key".
func TestAccSignURLFunction_basic(t *testing.T) {
	testAccFunctionTest(t, resource.TestStep{
		Config: testAccSignURLConfig("rtmp://push.example.com/live/news?vhost=pull.example.com&auth_key=1767225600-0-0-example",
			"s3cr3t-ingest-key", "2026-12-01T22:00:00+08:00"),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("signed", knownvalue.StringExact(
				"rtmp://push.example.com/live/news?vhost=pull.example.com&auth_key=1796133600-0-0-372beb4b0ac637a452acacadb524bc1d")),
		},
	})
}

// TestAccSignURLFunction_invalid shows how Terraform reports a rejected
// argument: the call, the argument's name and the rule.
func TestAccSignURLFunction_invalid(t *testing.T) {
	testAccFunctionTest(t,
		resource.TestStep{
			Config: testAccSignURLConfig("rtmp://push.example.com/live/news", "s3cr3t-ingest-key", "2026-12-01 22:00"),
			ExpectError: alilivetest.MsgRegexp(`Invalid value for "timestamp" parameter: must be an RFC 3339 time such as`,
				`2026-12-01T22:00:00Z or 2026-12-02T06:00:00+08:00, got "2026-12-01 22:00".`),
		},
		resource.TestStep{
			Config: testAccSignURLConfig("rtmp://push.example.com/live/news", "", "2026-12-01T22:00:00Z"),
			ExpectError: alilivetest.MsgRegexp(`Invalid value for "key" parameter: must not be empty: use the primary or`,
				`secondary key of the domain's URL signing settings.`),
		},
		resource.TestStep{
			Config: testAccSignURLConfig("rtmp://push.example.com:99999/live/news", "s3cr3t-ingest-key", "2026-12-01T22:00:00Z"),
			ExpectError: alilivetest.MsgRegexp(`Invalid value for "url" parameter: must have a port from 1 to 65535, got`,
				`"rtmp://push.example.com:99999/live/news".`),
		},
	)
}

// testAccFunctionTest runs steps that call provider functions, which
// Terraform has since 1.8 (OpenTofu since 1.7); older CLIs skip.
func testAccFunctionTest(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	t.Parallel()
	testAccPreCheck(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		Steps:                    steps,
	})
}

// testAccSignedTaskConfig is a running live relay to push.example.com whose
// dst_url is the given HCL expression, with the ingest key in a sensitive
// variable and the task's end_time in a local, as the guide writes it.
func testAccSignedTaskConfig(a *ptpAcc, name, dstExpr string) string {
	return a.Config(`
variable "ingest_key" {
  type      = string
  sensitive = true
  default   = "{{.ingest_key}}"
}

locals {
  end_time = "{{at "2h"}}"
}

resource "alilive_pull_to_push_task" "test" {
  start_time      = "{{at "-1m"}}"
  end_time        = local.end_time
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/{{.name}}"]
  dst_url         = {{.dst_url}}
}
`, alilivetest.Vars{"ingest_key": testIngestKey, "name": name, "dst_url": dstExpr})
}

const testIngestKey = "s3cr3t-ingest-key"

// handSigned signs a URL of push.example.com by hand with crypto/md5 (not
// with the provider's code), for the emulator's clock-relative times.
func handSigned(path string, expires time.Time, key string) string {
	ts := expires.Unix()
	sum := md5.Sum([]byte(fmt.Sprintf("%s-%d-0-0-%s", path, ts, key))) //nolint:gosec // type A signing is defined with MD5
	return fmt.Sprintf("rtmp://push.example.com%s?auth_key=%d-0-0-%x", path, ts, sum)
}

// TestAccPullToPushTask_signedDestination feeds dst_url from sign_url,
// signed until the task's end_time, to an emulator whose ingest host
// checks the signature: the relay runs, and the state holds exactly the
// URL a hand-made signature gives.
func TestAccPullToPushTask_signedDestination(t *testing.T) {
	t.Parallel()
	a := newPtpAccWith(t, emulator.Options{PushAuthKeys: map[string]string{"push.example.com": testIngestKey}})
	path := "/live/" + a.Suffix + "-signed"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{{
			Config: testAccSignedTaskConfig(a, "signed",
				fmt.Sprintf(`provider::alilive::sign_url(%q, var.ingest_key, local.end_time)`, "rtmp://push.example.com"+path)),
			ConfigStateChecks: []statecheck.StateCheck{
				expect("dst_url", str(handSigned(path, a.Now.Add(2*time.Hour), testIngestKey))),
				expect("status", str("running")),
				expect("invalid_reason", knownvalue.Null()),
			},
		}},
	})
}

// TestAccPullToPushTask_signedDestinationRejected: a destination signed
// with the wrong key is created, and the relay fails at its start; the
// state shows why.
func TestAccPullToPushTask_signedDestinationRejected(t *testing.T) {
	t.Parallel()
	a := newPtpAccWith(t, emulator.Options{PushAuthKeys: map[string]string{"push.example.com": testIngestKey}})
	dst := handSigned("/live/"+a.Suffix+"-rejected", a.Now.Add(2*time.Hour), "not-the-ingest-key")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{{
			Config: testAccSignedTaskConfig(a, "rejected", alilivetest.Quote(dst)),
			ConfigStateChecks: []statecheck.StateCheck{
				expect("dst_url", str(dst)),
				expect("status", str("recovering")),
				expect("invalid_reason", str("PushStreamFailed")),
			},
		}},
	})
}
