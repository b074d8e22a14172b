package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// The account of these tests, its role, and two RAM users' keys.
const (
	testAccount     = "1234567890123456"
	testRoleARN     = "acs:ram::" + testAccount + ":role/live-deployer"
	testUserAKey    = "ram-user-a-key-id"
	testUserASecret = "ram-user-a-secret"
	testUserBKey    = "ram-user-b-key-id"
	testUserBSecret = "ram-user-b-secret"
)

// assumeRoleEnv is an emulator whose account has two RAM users; user a
// may call no Live operation itself (its RAM policy allows only
// sts:AssumeRole), so every Live call that succeeds was signed with the
// role's temporary keys.
func assumeRoleEnv(t *testing.T, opts emulator.Options) *ptpAcc {
	t.Helper()
	testAccPreCheck(t)
	opts.Credentials = []emulator.Credential{
		{AccessKeyID: testUserAKey, AccessKeySecret: testUserASecret, Account: testAccount, User: "deployer-a"},
		{AccessKeyID: testUserBKey, AccessKeySecret: testUserBSecret, Account: testAccount, User: "deployer-b"},
	}
	if opts.Deny == nil {
		opts.Deny = map[string][]string{testUserAKey: {"*"}}
	}
	a := &ptpAcc{alilivetest.NewEnv(t, opts)}
	a.Provider = ""
	return a
}

// assumeRoleProvider is the provider block: user a's key as the source of
// assume_role, STS on the emulator's address (the default: endpoint names
// a host outside aliyuncs.com), plus extra lines in the block.
func (a *ptpAcc) assumeRoleProvider(extra string) string {
	return fmt.Sprintf(`
provider "alilive" {
  region     = "cn-shanghai"
  endpoint   = %[1]q
  protocol   = "http"
  access_key = %[2]q
  secret_key = %[3]q
  %[4]s

  assume_role {
    role_arn           = %[5]q
    session_name       = "acceptance"
    session_expiration = 900
  }
}
`, a.Emulator.Endpoint(), testUserAKey, testUserASecret, extra, testRoleARN)
}

// TestAccProviderAssumeRole_endToEnd creates, updates, refreshes and
// destroys a relay through an assumed role against the emulator's STS.
// The account comes from the role's ARN, so nothing asks STS who the
// credentials are; one session serves the whole test.
func TestAccProviderAssumeRole_endToEnd(t *testing.T) {
	t.Parallel()
	a := assumeRoleEnv(t, emulator.Options{})
	cfg := func(callback string) string {
		return a.assumeRoleProvider("") + a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time   = "{{at "-1m"}}"
  end_time     = "{{at "2h"}}"
  source_type  = "url"
  source_urls  = ["https://media.example.com/role/a.mp4", "https://media.example.com/role/b.flv"]
  dst_url      = "{{dst "role"}}"
  callback_url = "{{.callback}}"
}
`, alilivetest.Vars{"callback": callback})
	}
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config: cfg("http://127.0.0.1:9/one"),
				Check:  resource.ComposeTestCheckFunc(alilivetest.CaptureID(&id), a.CheckStatus(emulator.StatusRunning)),
			},
			{
				Config: cfg("http://127.0.0.1:9/two"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionUpdate)},
				},
				Check: a.CheckTask(func(tk emulator.Task) error {
					if tk.TaskId != id || tk.TaskInfo.CallbackURL != "http://127.0.0.1:9/two" {
						return fmt.Errorf("task %s has callback %q, want %s with http://127.0.0.1:9/two", tk.TaskId, tk.TaskInfo.CallbackURL, id)
					}
					return nil
				}),
			},
			{
				// A refresh through the role finds nothing to change.
				RefreshState: true,
			},
			{
				Config: cfg("http://127.0.0.1:9/two"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					st := a.Emulator.Stats()
					if st.STS[emulator.OpGetCallerIdentity] != 0 {
						return fmt.Errorf("GetCallerIdentity calls = %d, want 0 (the account is in the role ARN)", st.STS[emulator.OpGetCallerIdentity])
					}
					if st.STS[emulator.OpAssumeRole] < 1 {
						return fmt.Errorf("AssumeRole calls = %d, want at least 1", st.STS[emulator.OpAssumeRole])
					}
					if st.Errors[emulator.OpCreate]+st.Errors[emulator.OpUpdate]+st.Errors[emulator.OpDescribe] != 0 {
						return fmt.Errorf("errors: %v", st.Errors)
					}
					return nil
				},
			},
		},
	})
}

// TestAccProviderAssumeRole_sourceDenied: a source key that may not call
// sts:AssumeRole fails the first call with STS's own answer, naming the
// role, and no Live call is made.
func TestAccProviderAssumeRole_sourceDenied(t *testing.T) {
	t.Parallel()
	a := assumeRoleEnv(t, emulator.Options{Deny: map[string][]string{testUserAKey: {"*", emulator.STSActionAssumeRole}}})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: a.assumeRoleProvider("") + `
data "alilive_pull_to_push_tasks" "all" {}
`,
			ExpectError: alilivetest.MsgRegexp("assuming role "+testRoleARN, "NoPermission",
				"You are not authorized to do this action. You should be authorized by RAM."),
		}},
	})
	if n := a.Emulator.Stats().TotalCalls(); n != 0 {
		t.Fatalf("%d Live calls, want 0", n)
	}
}

// testAccRelaysConfig is count idle relays (they start in an hour) named
// by prefix, through the provider alias given ("" = the default provider).
func (a *ptpAcc) testAccRelaysConfig(count int, prefix, alias, endOffset string) string {
	provider := ""
	if alias != "" {
		provider = "provider = alilive." + alias
	}
	return a.Config(`
resource "alilive_pull_to_push_task" "{{.prefix}}" {
  count       = {{.count}}
  {{.provider}}
  start_time  = "{{at "1h"}}"
  end_time    = "{{.end}}"
  source_type = "url"
  source_urls = ["https://media.example.com/{{.prefix}}/${count.index}.mp4"]
  dst_url     = "{{dst .prefix}}-${count.index}"
}
`, alilivetest.Vars{"count": count, "prefix": prefix, "provider": provider, "end": a.At(mustDuration(endOffset))})
}

func mustDuration(s string) time.Duration {
	d, err := time.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestAccProviderAssumeRole_sessionsExpireMidApply: sessions that last 4 s
// (announced as such) outlive no apply of 10 relays at 2 calls per second:
// the provider renews each one before it ends, every call succeeds, and
// no call is answered InvalidSecurityToken.Expired. The AssumeRole calls
// are the sessions the run needed: one per 3 s of calls (a session is
// renewed when a quarter of it is left), plus the refreshes' first.
func TestAccProviderAssumeRole_sessionsExpireMidApply(t *testing.T) {
	t.Parallel()
	a := assumeRoleEnv(t, emulator.Options{STSSessionLimit: 4 * time.Second})
	testAccSessionsStep(t, a, func(t *testing.T, st emulator.Stats, elapsed time.Duration) {
		if st.Expired != 0 {
			t.Errorf("%d calls were answered InvalidSecurityToken.Expired, want 0", st.Expired)
		}
		// One session per 3 s of each CLI command (apply, refreshes,
		// destroy: each is its own provider process with its own session).
		if most := int(elapsed/(3*time.Second)) + 8; st.STS[emulator.OpAssumeRole] > most {
			t.Errorf("AssumeRole calls = %d over %v, want at most %d", st.STS[emulator.OpAssumeRole], elapsed, most)
		}
	})
}

// TestAccProviderAssumeRole_sessionsRevokedEarly: sessions that end after
// 4 s although STS announced an hour. The provider learns it from the
// answer InvalidSecurityToken.Expired, renews the session and repeats the
// call (once per session that ended: a repeat that waited for the limiter
// longer than a session lasts may meet the next one's end): every call
// succeeds, and each expired answer costs at most one AssumeRole call.
func TestAccProviderAssumeRole_sessionsRevokedEarly(t *testing.T) {
	t.Parallel()
	a := assumeRoleEnv(t, emulator.Options{STSSessionLimit: 4 * time.Second, STSRevokeEarly: true})
	testAccSessionsStep(t, a, func(t *testing.T, st emulator.Stats, _ time.Duration) {
		if st.Expired == 0 {
			t.Errorf("no call was answered InvalidSecurityToken.Expired: the sessions did not end within the run")
		}
		// Each provider process starts with one session; each renewal
		// follows at least one expired answer.
		if st.STS[emulator.OpAssumeRole] > st.Expired+8 {
			t.Errorf("AssumeRole calls = %d for %d expired answers, want at most %d", st.STS[emulator.OpAssumeRole],
				st.Expired, st.Expired+8)
		}
	})
}

// testAccSessionsStep creates 10 relays at 2 calls per second per
// operation (about 5 s of creates and their reads), moves their end_time
// (5 s of updates), then destroys them, and hands the emulator's counters
// and the time taken to check.
func testAccSessionsStep(t *testing.T, a *ptpAcc, check func(*testing.T, emulator.Stats, time.Duration)) {
	const n = 10
	provider := a.assumeRoleProvider("rate_limit = 2")
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := a.CheckDestroyed(s); err != nil {
				return err
			}
			st := a.Emulator.Stats()
			// A call answered InvalidSecurityToken.Expired is counted, and
			// so is its repeat; every answer that was an error was that one.
			for _, op := range []string{emulator.OpCreate, emulator.OpUpdate, emulator.OpDelete} {
				if ok := st.Calls[op] - st.Errors[op]; ok != n {
					return fmt.Errorf("%d successful %s calls, want %d (calls %v, errors %v)", ok, op, n, st.Calls, st.Errors)
				}
			}
			errs := 0
			for _, v := range st.Errors {
				errs += v
			}
			if errs != st.Expired {
				return fmt.Errorf("errors %v besides %d expired answers", st.Errors, st.Expired)
			}
			t.Logf("%v: AssumeRole %d, GetCallerIdentity %d, expired answers %d, calls %v",
				time.Since(start).Truncate(time.Second), st.STS[emulator.OpAssumeRole],
				st.STS[emulator.OpGetCallerIdentity], st.Expired, st.Calls)
			check(t, st, time.Since(start))
			return nil
		},
		Steps: []resource.TestStep{
			{Config: provider + a.testAccRelaysConfig(n, "relay", "", "3h"), Check: a.CheckTaskCount(n)},
			{Config: provider + a.testAccRelaysConfig(n, "relay", "", "4h"), Check: a.CheckTaskCount(n)},
		},
	})
}

// TestAccProviderAccount_twoUsers: two RAM users of one account manage
// the same relays, one after the other (two pipelines of one account):
// user a creates them, user b changes and destroys them. The tasks are the
// account's, and so is the quota: each key's account is found once with
// GetCallerIdentity (the answer is kept), and nothing is throttled at a
// quota of 2 calls per second per operation with rate_limit = 2. (Two
// provider configurations in one run would share one in-process provider
// server, where the framework's ConfigureProvider races with planning;
// liveapi's TestSharedQuotaAcrossKeys covers concurrent keys, and make
// bench's k5x40-users five processes.)
func TestAccProviderAccount_twoUsers(t *testing.T) {
	t.Parallel()
	a := assumeRoleEnv(t, emulator.Options{QPS: 2, Deny: map[string][]string{}})
	cfg := func(key, secret, callback string) string {
		return fmt.Sprintf(`
provider "alilive" {
  region     = "cn-shanghai"
  endpoint   = %q
  protocol   = "http"
  access_key = %q
  secret_key = %q
  rate_limit = 2
}
`, a.Emulator.Endpoint(), key, secret) + a.Config(`
resource "alilive_pull_to_push_task" "relay" {
  count        = 6
  start_time   = "{{at "1h"}}"
  end_time     = "{{at "3h"}}"
  source_type  = "url"
  source_urls  = ["https://media.example.com/users/${count.index}.mp4"]
  dst_url      = "{{dst "users"}}-${count.index}"
  callback_url = "{{.callback}}"
}
`, alilivetest.Vars{"callback": callback})
	}
	ids := statecheck.CompareValue(compare.ValuesSame())
	noThrottle := func(*terraform.State) error {
		st := a.Emulator.Stats()
		for op, n := range st.Throttled {
			if n != 0 {
				return fmt.Errorf("%d %s calls were throttled", n, op)
			}
		}
		if got := st.STS[emulator.OpGetCallerIdentity]; got > 2 {
			return fmt.Errorf("GetCallerIdentity calls = %d, want at most one per key", got)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := a.CheckDestroyed(s); err != nil {
				return err
			}
			if got := a.Emulator.Stats().STS[emulator.OpGetCallerIdentity]; got != 2 {
				return fmt.Errorf("GetCallerIdentity calls = %d, want 2 (one per key)", got)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config:            cfg(testUserAKey, testUserASecret, "http://127.0.0.1:9/a"),
				Check:             resource.ComposeTestCheckFunc(a.CheckTaskCount(6), noThrottle),
				ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue("alilive_pull_to_push_task.relay[5]", tfjsonpath.New("id"))},
			},
			{
				Config: cfg(testUserBKey, testUserBSecret, "http://127.0.0.1:9/b"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("alilive_pull_to_push_task.relay[5]", plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(a.CheckTaskCount(6), noThrottle),
				ConfigStateChecks: []statecheck.StateCheck{
					ids.AddStateValue("alilive_pull_to_push_task.relay[5]", tfjsonpath.New("id")),
					statecheck.ExpectKnownValue("alilive_pull_to_push_task.relay[5]", tfjsonpath.New("callback_url"),
						knownvalue.StringExact("http://127.0.0.1:9/b")),
				},
			},
		},
	})
}

// TestQuotaAccount pins the precedence of the account the limiters are
// keyed by: account_id, else the role ARN's account, else none (STS).
func TestQuotaAccount(t *testing.T) {
	for _, c := range []struct {
		s    settings
		want string
	}{
		{settings{accountID: "42", roleARN: testRoleARN}, "42"},
		{settings{roleARN: testRoleARN}, testAccount},
		{settings{roleARN: "not-an-arn"}, ""},
		{settings{}, ""},
	} {
		if got := c.s.quotaAccount(); got != c.want {
			t.Errorf("quotaAccount(%+v) = %q, want %q", c.s, got, c.want)
		}
	}
	for _, c := range []struct {
		s    settings
		want string
	}{
		{settings{stsEndpoint: "sts.example.com:8443", endpoint: "127.0.0.1:9180"}, "sts.example.com:8443"},
		{settings{endpoint: "127.0.0.1:9180"}, "127.0.0.1:9180"},
		{settings{endpoint: "live.aliyuncs.com"}, liveapi.DefaultSTSHost},
		{settings{endpoint: "LIVE.ALIYUNCS.COM:443"}, liveapi.DefaultSTSHost},
		{settings{}, liveapi.DefaultSTSHost},
	} {
		if got := c.s.stsHost(); got != c.want {
			t.Errorf("stsHost(%+v) = %q, want %q", c.s, got, c.want)
		}
	}
}
