package provider

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

const (
	leakDst    = "rtmp://ingest:pa55word@push.example.com/live/leak?vhost=a&auth_key=1767225600-0-0-5ecre7hash5ecre7hash5ecre7hash00"
	leakShown  = "rtmp://push.example.com/live/leak?vhost=a"
	leakSecret = "5ecre7hash"
)

// Every diagnostic that leaves an entry point is redacted, keeping its
// severity, summary and path.
func TestRedactDiagnostics(t *testing.T) {
	var diags diag.Diagnostics
	diags.AddError("Unable to Create Pull-to-Push Task", apiErrorDetail(apiCall{
		op: "CreateLivePullToPush", doing: `creating a pull-to-push task in region "cn-shanghai"`, region: "cn-shanghai",
	}, &liveapi.ConflictError{DstURL: leakDst, TaskID: "holder"}, "Nothing was recorded in the Terraform state.", ""))
	diags.AddAttributeWarning(path.Root("dst_url"), "Check", "dst_url "+leakDst+" is odd.")
	diags.AddWarning("Plain", "nothing to hide")
	redactDiagnostics(&diags)
	want := `The CreateLivePullToPush call (creating a pull-to-push task in region "cn-shanghai") failed because ` +
		`dst_url "` + leakShown + `" is already used by pull-to-push task "holder". Nothing was recorded in the Terraform state.`
	if got := diags[0].Detail(); !strings.HasPrefix(got, want) || strings.Contains(got, leakSecret) || strings.Contains(got, "pa55word") {
		t.Errorf("detail\n got %s\nwant prefix %s", got, want)
	}
	if d, ok := diags[1].(diag.DiagnosticWithPath); !ok || !d.Path().Equal(path.Root("dst_url")) ||
		d.Severity() != diag.SeverityWarning || d.Detail() != "dst_url "+leakShown+" is odd." {
		t.Errorf("second diagnostic %v", diags[1])
	}
	if diags[2].Detail() != "nothing to hide" || diags[0].Summary() != "Unable to Create Pull-to-Push Task" {
		t.Errorf("diagnostics %v", diags)
	}
}

// The client's log events (which carry error texts) are redacted too.
func TestClientLogsRedacted(t *testing.T) {
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	tflogLogger{}.Warn(ctx, "lookup of "+leakDst+" failed", map[string]any{
		"error": (&liveapi.ConflictError{DstURL: leakDst, TaskID: "t"}).Error(), "dst": leakDst, "attempt": 2,
	})
	tflogLogger{}.Debug(ctx, "call", map[string]any{"url": leakDst})
	out := buf.String()
	if strings.Contains(out, leakSecret) || strings.Contains(out, "pa55word") || strings.Count(out, leakShown) != 4 {
		t.Errorf("log output %s", out)
	}
}

// A validator that quotes a value leaves the auth_key out of it.
func TestQuoteValueRedacts(t *testing.T) {
	if got, want := quoteValue(leakDst), fmt.Sprintf("%q", leakShown); got != want {
		t.Errorf("quoteValue = %s, want %s", got, want)
	}
}

// End to end: a destination signed with a sensitive key that another task
// already uses fails the create with an error that names the URL without
// its auth_key (and in ConflictError's own text too).
func TestAccPullToPushTask_conflictHidesAuthKey(t *testing.T) {
	t.Parallel()
	a := newPtpAccWith(t, emulator.Options{})
	path := "/live/" + a.Suffix + "-leak"
	signed := handSigned(path, a.Now.Add(2*time.Hour), testIngestKey)
	if _, err := a.Emulator.AddTask("cn-shanghai", emulator.TaskInfo{TaskId: "holder-" + a.Suffix, SourceType: "live",
		SourceProtocol: "rtmp", DstUrl: signed, SourceUrls: []string{"rtmp://origin.example.com/live/other"},
		StartTime: a.At(-time.Minute), EndTime: a.At(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		Steps: []resource.TestStep{{
			Config: testAccSignedTaskConfig(a, "leak",
				fmt.Sprintf(`provider::alilive::sign_url(%q, var.ingest_key, local.end_time)`, "rtmp://push.example.com"+path)),
			ExpectError: alilivetest.MsgRegexp(`Unable to Create Pull-to-Push Task`, `failed because dst_url "rtmp://push.example.com`+path+`"`,
				`is already used by pull-to-push task "holder-`+a.Suffix+`"`),
		}},
	})
	err := (&liveapi.ConflictError{DstURL: signed, TaskID: "x"}).Error()
	if strings.Contains(err, "auth_key") || !strings.Contains(err, `"rtmp://push.example.com`+path+`"`) || errors.Unwrap(errors.New(err)) != nil {
		t.Errorf("ConflictError text %s", err)
	}
}
