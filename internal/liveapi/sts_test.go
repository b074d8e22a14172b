package liveapi

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

const (
	stsAccount = "1234567890123456"
	stsRole    = "acs:ram::" + stsAccount + ":role/live"
)

func stsEmulator(t *testing.T, opts emulator.Options) (*emulator.Server, STSEndpoint) {
	t.Helper()
	opts.QPS = -1
	opts.Credentials = []emulator.Credential{
		{AccessKeyID: "user-key", AccessKeySecret: "user-secret", Account: stsAccount, User: "deployer"},
	}
	e := startEmulator(t, opts)
	return e, STSEndpoint{Host: e.Endpoint(), Protocol: "http"}
}

func TestCallerAccountAndAssumeRole(t *testing.T) {
	e, ep := stsEmulator(t, emulator.Options{})
	user := staticCred(t, "user-key", "user-secret")
	if got, err := CallerAccount(context.Background(), user, ep); err != nil || got != stsAccount {
		t.Fatalf("CallerAccount(user) = %q, %v; want %s", got, err, stsAccount)
	}
	p, err := NewAssumeRoleProvider(AssumeRole{Source: user, STS: ep, RoleARN: stsRole, SessionName: "test", Seconds: 900})
	if err != nil {
		t.Fatal(err)
	}
	c1, err := p.GetCredentials()
	if err != nil {
		t.Fatal(err)
	}
	if c2, _ := p.GetCredentials(); c2.AccessKeyId != c1.AccessKeyId || p.Sessions() != 1 {
		t.Fatalf("a fresh session was renewed: %s then %s, %d sessions", c1.AccessKeyId, c2.AccessKeyId, p.Sessions())
	}
	role := credentials.FromCredentialsProvider("ram_role_arn", p)
	if got, err := CallerAccount(context.Background(), role, ep); err != nil || got != stsAccount {
		t.Fatalf("CallerAccount(role) = %q, %v; want %s", got, err, stsAccount)
	}
	if st := e.Stats().STS; st[emulator.OpAssumeRole] != 1 || st[emulator.OpGetCallerIdentity] != 2 {
		t.Fatalf("STS calls %v, want 1 AssumeRole and 2 GetCallerIdentity", st)
	}
}

func TestAssumeRoleErrors(t *testing.T) {
	_, ep := stsEmulator(t, emulator.Options{Roles: []string{stsRole}})
	user := staticCred(t, "user-key", "user-secret")
	for _, c := range []struct {
		role    string
		seconds int
		code    string
		message string
	}{
		{stsRole, 600, "InvalidParameter.DurationSeconds", "The Min/Max value of DurationSeconds is 15min/12hr."},
		{stsRole, 43201, "InvalidParameter.DurationSeconds", "The Min/Max value of DurationSeconds is 15min/12hr."},
		{"acs:ram::" + stsAccount + ":role/other", 900, "EntityNotExist.Role", "The role not exists: acs:ram::" + stsAccount + ":role/other."},
	} {
		p, err := NewAssumeRoleProvider(AssumeRole{Source: user, STS: ep, RoleARN: c.role, SessionName: "test", Seconds: c.seconds})
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.GetCredentials()
		var ae *APIError
		if !errors.As(err, &ae) || ae.Code != c.code || ae.Message != c.message || ae.Operation != OpAssumeRole {
			t.Errorf("%s %d: %v, want %s %q", c.role, c.seconds, err, c.code, c.message)
		}
	}
	if _, err := NewAssumeRoleProvider(AssumeRole{Source: user, RoleARN: "live"}); err == nil ||
		err.Error() != `assume role: "live" is not a role ARN (acs:ram::<account-id>:role/<name>)` {
		t.Errorf("bad ARN: %v", err)
	}
}

// A session that ends before STS said it would is answered
// InvalidSecurityToken.Expired; the client renews it and repeats the call
// once, and the call succeeds.
func TestExpiredSessionRenewedOnce(t *testing.T) {
	e, ep := stsEmulator(t, emulator.Options{STSSessionLimit: time.Second, STSRevokeEarly: true})
	p, err := NewAssumeRoleProvider(AssumeRole{Source: staticCred(t, "user-key", "user-secret"), STS: ep,
		RoleARN: stsRole, SessionName: "test", Seconds: 3600})
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{Credential: credentials.FromCredentialsProvider("ram_role_arn", p), Region: "cn-shanghai",
		Endpoint: e.Endpoint(), Protocol: "http", RateLimit: -1, Account: stsAccount, ExpireSession: p.Expire})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.List(ctx, "cn-shanghai", ListFilter{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond)
	if _, err := c.List(ctx, "cn-shanghai", ListFilter{}); err != nil {
		t.Fatalf("after the session ended: %v", err)
	}
	st := e.Stats()
	if st.Expired != 1 || st.STS[emulator.OpAssumeRole] != 2 || st.Calls[emulator.OpList] != 3 {
		t.Fatalf("expired %d, AssumeRole %d, List %d; want 1, 2, 3", st.Expired, st.STS[emulator.OpAssumeRole], st.Calls[emulator.OpList])
	}
}

// The account a key acts for keys the limiters: two keys of one account
// share them, and the account is remembered in the shared directory under
// a hash of the key.
func TestQuotaIdentityByAccount(t *testing.T) {
	e, ep := stsEmulator(t, emulator.Options{})
	dir := t.TempDir()
	mk := func(account string, sts STSEndpoint) *Client {
		c, err := New(Config{Credential: staticCred(t, "user-key", "user-secret"), Region: "cn-shanghai",
			Endpoint: e.Endpoint(), Protocol: "http", ShareRateLimit: true, RateLimitDir: dir, Account: account, STS: sts})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, c := range []struct {
		client *Client
		want   string
	}{
		{mk("42", ep), "account:42"},
		{mk("", ep), "account:" + stsAccount},
		{mk("", STSEndpoint{}), "user-key"},
	} {
		if got, err := c.client.quotaIdentity(); err != nil || got != c.want {
			t.Errorf("quotaIdentity = %q, %v; want %q", got, err, c.want)
		}
	}
	if n := e.Stats().STS[emulator.OpGetCallerIdentity]; n != 1 {
		t.Errorf("GetCallerIdentity calls = %d, want 1", n)
	}
	// A failed lookup keys by the access key and warns once.
	bad, err := New(Config{Credential: staticCred(t, "user-key", "user-secret"), Region: "cn-shanghai",
		Endpoint: e.Endpoint(), Protocol: "http", STS: STSEndpoint{Host: "127.0.0.1:1", Protocol: "http"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := bad.quotaIdentity(); got != "user-key" {
		t.Errorf("quotaIdentity after a failed lookup = %q", got)
	}
	if w := bad.Warnings(); len(w) != 1 || w[0].Summary != "Rate Limit Shared by Access Key Only" {
		t.Errorf("warnings %+v", w)
	}
	if w := bad.Warnings(); len(w) != 0 {
		t.Errorf("warned twice: %+v", w)
	}
}

// Two keys of one account, each with its own client in one process, call
// List at once: the account's quota (2 calls per second per operation
// here) holds both, so no call is throttled. Keyed by access key, the two
// limiters would admit twice the quota.
func TestSharedQuotaAcrossKeys(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: 2, Credentials: []emulator.Credential{
		{AccessKeyID: "user-a", AccessKeySecret: "secret-a", Account: stsAccount, User: "a"},
		{AccessKeyID: "user-b", AccessKeySecret: "secret-b", Account: stsAccount, User: "b"},
	}})
	ep := STSEndpoint{Host: e.Endpoint(), Protocol: "http"}
	var clients []*Client
	for _, k := range []string{"a", "b"} {
		c, err := New(Config{Credential: staticCred(t, "user-"+k, "secret-"+k), Region: "cn-shanghai",
			Endpoint: e.Endpoint(), Protocol: "http", RateLimit: 2, MaxRetries: 8, STS: ep})
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 12)
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := clients[i%2].List(context.Background(), "cn-shanghai", ListFilter{}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st := e.Stats()
	if st.Throttled[emulator.OpList] != 0 || st.Calls[emulator.OpList] != 12 {
		t.Fatalf("List calls %d, throttled %d; want 12 and 0", st.Calls[emulator.OpList], st.Throttled[emulator.OpList])
	}
	if st.STS[emulator.OpGetCallerIdentity] != 2 {
		t.Fatalf("GetCallerIdentity calls = %d, want one per key", st.STS[emulator.OpGetCallerIdentity])
	}
}
