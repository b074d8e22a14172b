package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccPullToPushTask_listDenied: a key whose RAM policy allows
// DescribeLivePullToPush but not DescribeLivePullToPushList creates,
// refreshes, plans, updates and destroys four relays (enough for reads to
// be batched); the denied list is tried once for the whole run and
// reported with exactly one warning.
func TestAccPullToPushTask_listDenied(t *testing.T) {
	t.Parallel()
	e := testAccRAMEmulator(t, emulator.Options{Deny: map[string][]string{testRAMUserKey: {liveapi.OpList}}})
	provider := testAccProviderConfig_key(e, testRAMUserKey, testRAMUserSecret)
	var rec warningRecorder
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: rec.factories(),
		CheckDestroy:             checkNoTasksLeft(e, 0),
		Steps: []resource.TestStep{
			{
				Config: provider + testAccPullToPushTaskConfig_relays(e, 4, "ram", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("alilive_pull_to_push_task.relay[3]", tfjsonpath.New("status"),
						knownvalue.StringExact("idle")),
				},
			},
			{
				Config: provider + testAccPullToPushTaskConfig_relays(e, 4, "ram", "https://hooks.example.com/relay"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("alilive_pull_to_push_task.relay[0]", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("alilive_pull_to_push_task.relay[3]", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("alilive_pull_to_push_task.relay[2]", tfjsonpath.New("callback_url"),
						knownvalue.StringExact("https://hooks.example.com/relay")),
				},
			},
			{
				// A refresh of the four after the denial: no list call.
				RefreshState: true,
			},
		},
	})
	st := e.Stats()
	if st.Calls[liveapi.OpList] != 1 || st.Errors[liveapi.OpList] != 1 {
		t.Errorf("List calls %d (errors %d), want exactly 1 denied call for the whole test (all calls %v)",
			st.Calls[liveapi.OpList], st.Errors[liveapi.OpList], st.Calls)
	}
	for _, op := range []string{liveapi.OpCreate, liveapi.OpDescribe, liveapi.OpUpdate, liveapi.OpDelete} {
		if st.Calls[op] == 0 || st.Errors[op] != 0 {
			t.Errorf("%s calls %d (errors %d), want some and no errors", op, st.Calls[op], st.Errors[op])
		}
	}
	want := `Missing Permission live:DescribeLivePullToPushList: DescribeLivePullToPushList failed: Forbidden.RAM ` +
		`(HTTP 403, request ID <rid>): User not authorized to operate on the specified resource, or this API ` +
		`doesn't support RAM. The credentials lack the RAM permission live:DescribeLivePullToPushList, so for the ` +
		`rest of this Terraform run every task is read with its own DescribeLivePullToPush call instead of up to ` +
		`100 tasks per DescribeLivePullToPushList call, which spends more of the account's quota of API calls. ` +
		`Add live:DescribeLivePullToPushList to the RAM policy of the credentials to read tasks in pages again.`
	got := rec.all()
	if len(got) != 1 || testRequestIDs.ReplaceAllString(got[0], "request ID <rid>") != want {
		t.Errorf("warnings:\n got %q\nwant exactly [%q]", got, want)
	}
}

// TestAccPullToPushTask_describeDenied: when DescribeLivePullToPush itself
// is denied, refresh fails at once with an error that names that
// operation and the RAM action to add.
func TestAccPullToPushTask_describeDenied(t *testing.T) {
	t.Parallel()
	e := testAccRAMEmulator(t, emulator.Options{})
	config := testAccProviderConfig_key(e, testRAMUserKey, testRAMUserSecret) +
		testAccPullToPushTaskConfig_relays(e, 1, "nodescribe", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNoTasksLeft(e, 0),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					if err := e.SetDenied(testRAMUserKey, liveapi.OpDescribe); err != nil {
						t.Fatal(err)
					}
					e.ResetStats()
				},
				Config:   config,
				PlanOnly: true,
				ExpectError: alilivetest.MsgRegexp("Unable to Read Pull-to-Push Task",
					`The DescribeLivePullToPush call (reading pull-to-push task "`,
					`" in region "cn-shanghai") failed with error code "Forbidden.RAM" (HTTP status 403, request ID "`,
					`"): User not authorized to operate on the specified resource, or this API doesn't support RAM. `+
						`The state was left unchanged. The credentials are not allowed to call DescribeLivePullToPush: `+
						`add the RAM action live:DescribeLivePullToPush to the RAM policy of the user or role they `+
						`belong to (the provider documentation lists the actions each resource and data source `+
						`needs), then try again.`),
			},
			{
				PreConfig: func() {
					if st := e.Stats(); st.Calls[liveapi.OpDescribe] != 1 || st.TotalCalls() != 1 {
						t.Errorf("the denied refresh made calls %v, want exactly 1 Describe", st.Calls)
					}
					if err := e.SetDenied(testRAMUserKey); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
			},
		},
	})
}

// TestAccPullToPushTasksDataSource_listDenied: the list data source cannot
// fall back; its error names DescribeLivePullToPushList and what to add.
func TestAccPullToPushTasksDataSource_listDenied(t *testing.T) {
	t.Parallel()
	e := testAccRAMEmulator(t, emulator.Options{Deny: map[string][]string{testRAMUserKey: {"list"}}})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testAccProviderConfig_key(e, testRAMUserKey, testRAMUserSecret) + `
data "alilive_pull_to_push_tasks" "all" {}
`,
			ExpectError: alilivetest.MsgRegexp("Unable to List Pull-to-Push Tasks",
				`The DescribeLivePullToPushList call (listing tasks in region "cn-shanghai") failed with error code `+
					`"Forbidden.RAM" (HTTP status 403, request ID "`,
				`"): User not authorized to operate on the specified resource, or this API doesn't support RAM. This `+
					`data source lists tasks only with DescribeLivePullToPushList and cannot read them one by one `+
					`instead. The credentials are not allowed to call DescribeLivePullToPushList: add the RAM action `+
					`live:DescribeLivePullToPushList to the RAM policy of the user or role they belong to (the `+
					`provider documentation lists the actions each resource and data source needs), then try again.`),
		}},
	})
}

// TestAccPullToPushTask_accountConditions: an account without a live
// domain, or at a limit, fails Create after one call with a diagnostic
// that says what to do, naming the limit when the service states it.
func TestAccPullToPushTask_accountConditions(t *testing.T) {
	t.Parallel()
	const head = `The CreateLivePullToPush call (creating a pull-to-push task in region "cn-shanghai") failed with ` +
		`error code "%s" (HTTP status 400, request ID "`
	for _, tc := range []struct {
		name      string
		opts      emulator.Options
		existing  int
		code      string
		message   string
		advice    string
		condition emulator.AccountCondition
	}{
		{
			name: "no live domain", condition: emulator.AccountNoLiveDomain, code: "CodeInvalidAliUid",
			message: "This aliuid does not have a live domain name.",
			advice: "The account has no ApsaraVideo Live domain, which pull-to-push tasks need: add a live domain in " +
				"the ApsaraVideo Live console, then try again.",
		},
		{
			name: "limit reached", condition: emulator.AccountLimitReached, code: "CodeNotEnoughResource",
			message: "Exceeded configuration limits or insufficient resources.",
			advice: "The account has reached a limit of the service: delete pull-to-push tasks the account no longer " +
				"needs, or ask Alibaba Cloud to raise the limit, then try again.",
		},
		{
			name: "limit stated", opts: emulator.Options{MaxTasks: 2}, existing: 2, code: "CodeNotEnoughResource",
			message: "Exceeded configuration limits or insufficient resources: the account already has 2 tasks, the " +
				"maximum allowed.",
			advice: "The account has reached the service's limit of 2 pull-to-push tasks: delete pull-to-push tasks " +
				"the account no longer needs, or ask Alibaba Cloud to raise the limit, then try again.",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := tc.opts
			opts.AccountConditions = map[string]emulator.AccountCondition{"default": tc.condition}
			e := testAccRAMEmulator(t, opts)
			for i := range tc.existing {
				if _, err := e.AddTask("cn-shanghai", emulator.TaskInfo{
					DstUrl: fmt.Sprintf("rtmp://push.example.com/live/existing-%d", i)}); err != nil {
					t.Fatal(err)
				}
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             checkNoTasksLeft(e, tc.existing),
				Steps: []resource.TestStep{{
					Config: alilivetest.ProviderBlock(e) + testAccPullToPushTaskConfig_relays(e, 1, "cond", ""),
					ExpectError: alilivetest.MsgRegexp("Unable to Create Pull-to-Push Task", fmt.Sprintf(head, tc.code),
						`"): `+strings.TrimSuffix(tc.message, ".")+`. Nothing was recorded in the Terraform state. `+
							tc.advice),
				}},
			})
			// The list of the destination's tasks before the create gets the
			// same answer; the create then fails at once, without retries.
			if st := e.Stats(); st.Calls[liveapi.OpCreate] != 1 || st.Calls[liveapi.OpList] != 1 || st.TotalCalls() != 2 {
				t.Errorf("calls %v, want exactly 1 List and 1 Create (no retries)", st.Calls)
			}
		})
	}
}

// The key pair of a RAM user of the emulator's account "default", whose
// policy the permission tests narrow.
const (
	testRAMUserKey    = "ram-user-key-id"
	testRAMUserSecret = "ram-user-key-secret"
)

// testAccRAMEmulator starts an emulator that accepts its default key pair
// and the RAM user's, with opts' denials and account conditions.
func testAccRAMEmulator(t *testing.T, opts emulator.Options) *emulator.Server {
	t.Helper()
	testAccPreCheck(t)
	opts.QPS = -1
	opts.Credentials = []emulator.Credential{
		{AccessKeyID: emulator.DefaultAccessKeyID, AccessKeySecret: emulator.DefaultAccessKeySecret},
		{AccessKeyID: testRAMUserKey, AccessKeySecret: testRAMUserSecret},
	}
	return alilivetest.StartEmulator(t, opts)
}

// testAccProviderConfig_key is the provider block for e with a key pair.
func testAccProviderConfig_key(e *emulator.Server, key, secret string) string {
	return fmt.Sprintf(`
provider "alilive" {
  region     = "cn-shanghai"
  endpoint   = %[1]q
  protocol   = "http"
  access_key = %[2]q
  secret_key = %[3]q
}
`, e.Endpoint(), key, secret)
}

// testAccPullToPushTaskConfig_relays is count relays that start in an hour,
// with an optional callback URL.
func testAccPullToPushTaskConfig_relays(e *emulator.Server, count int, name, callback string) string {
	start := e.Now().Add(time.Hour).UTC().Truncate(time.Second)
	cb := ""
	if callback != "" {
		cb = fmt.Sprintf("callback_url    = %q", callback)
	}
	return fmt.Sprintf(`
resource "alilive_pull_to_push_task" "relay" {
  count           = %[1]d
  start_time      = %[2]q
  end_time        = %[3]q
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/%[4]s-${count.index}"]
  dst_url         = "rtmp://push.example.com/live/%[4]s-${count.index}"
  %[5]s
}
`, count, liveapi.FormatTime(start), liveapi.FormatTime(start.Add(time.Hour)), name, cb)
}

// warningRecorder keeps the warnings the provider returns to Terraform,
// which terraform-plugin-testing does not expose.
type warningRecorder struct {
	mu       sync.Mutex
	warnings []string // "summary: detail"
}

func (r *warningRecorder) record(diags []*tfprotov6.Diagnostic) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range diags {
		if d != nil && d.Severity == tfprotov6.DiagnosticSeverityWarning {
			r.warnings = append(r.warnings, d.Summary+": "+d.Detail)
		}
	}
}

func (r *warningRecorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.warnings)
}

// factories are the provider factories of a test, recording warnings.
func (r *warningRecorder) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"alilive": func() (tfprotov6.ProviderServer, error) {
			s, err := providerserver.NewProtocol6WithError(New("test")())()
			if err != nil {
				return nil, err
			}
			return &recordingServer{ProviderServer: s, rec: r}, nil
		},
	}
}

// recordingServer is a provider server whose responses pass a recorder.
type recordingServer struct {
	tfprotov6.ProviderServer
	rec *warningRecorder
}

func (s *recordingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	resp, err := s.ProviderServer.ReadResource(ctx, req)
	if resp != nil {
		s.rec.record(resp.Diagnostics)
	}
	return resp, err
}

func (s *recordingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		s.rec.record(resp.Diagnostics)
	}
	return resp, err
}

func (s *recordingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := s.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		s.rec.record(resp.Diagnostics)
	}
	return resp, err
}

func (s *recordingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	resp, err := s.ProviderServer.ReadDataSource(ctx, req)
	if resp != nil {
		s.rec.record(resp.Diagnostics)
	}
	return resp, err
}

// testRequestIDs matches the request IDs in a text, which change every call.
var testRequestIDs = regexp.MustCompile(`request ID "?[0-9A-F-]{36}"?`)

// checkNoTasksLeft is the CheckDestroy of the permission tests.
func checkNoTasksLeft(e *emulator.Server, keep int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := len(e.Tasks()); n != keep {
			return fmt.Errorf("the emulator holds %d tasks after destroy, want %d", n, keep)
		}
		return nil
	}
}
