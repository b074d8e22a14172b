package emulator_test

import (
	"context"
	"encoding/json"
	"testing"

	live "github.com/alibabacloud-go/live-20161101/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// Access keys of the access tests: an account's full key and a RAM user's
// key with a least-privilege policy, both in account "default".
const (
	ramUserKey    = "ram-user-key-id"
	ramUserSecret = "ram-user-key-secret"
)

func accessCredentials() []emulator.Credential {
	return []emulator.Credential{
		{AccessKeyID: emulator.DefaultAccessKeyID, AccessKeySecret: emulator.DefaultAccessKeySecret},
		{AccessKeyID: ramUserKey, AccessKeySecret: ramUserSecret},
		{AccessKeyID: "other-account-key", AccessKeySecret: "other-account-secret", Account: "other"},
	}
}

// sdkAs is an SDK client signing with the given key pair.
func sdkAs(t *testing.T, e *emulator.Server, ak, secret string) *live.Client {
	t.Helper()
	cfg := config(e)
	cfg.AccessKeyId, cfg.AccessKeySecret = tea.String(ak), tea.String(secret)
	return newClient(t, cfg)
}

func listErr(c *live.Client) error {
	_, err := c.DescribeLivePullToPushListWithContext(context.Background(),
		&live.DescribeLivePullToPushListRequest{Region: tea.String(region)}, rt)
	return err
}

// TestDenyAnswersForbiddenRAM: an operation denied to an access key is
// answered as the gateway answers a call the RAM policy does not allow,
// and only to that key and only for that operation.
func TestDenyAnswersForbiddenRAM(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, Credentials: accessCredentials(),
		Deny: map[string][]string{ramUserKey: {"list"}}})
	owner := sdk(t, e)
	user := sdkAs(t, e, ramUserKey, ramUserSecret)
	id := create(t, owner, createReq(e.Now(), "rtmp://push.example.com/app/deny"))

	se := mustSDKErr(t, listErr(user), 403, "Forbidden.RAM")
	if got := bodyMessage(t, se); got != "User not authorized to operate on the specified resource, or this API doesn't support RAM." {
		t.Fatalf("message = %q", got)
	}
	want := map[string]any{
		"AuthAction": "live:DescribeLivePullToPushList", "AuthPrincipalType": "SubUser",
		"AuthPrincipalDisplayName": ramUserKey, "AuthPrincipalOwnerId": "default",
		"NoPermissionType": "ImplicitDeny", "PolicyType": "AccountLevelIdentityBasedPolicy",
	}
	if len(se.AccessDeniedDetail) != len(want) {
		t.Fatalf("AccessDeniedDetail = %v, want %v", se.AccessDeniedDetail, want)
	}
	for k, v := range want {
		if se.AccessDeniedDetail[k] != v {
			t.Fatalf("AccessDeniedDetail[%s] = %v, want %v", k, se.AccessDeniedDetail[k], v)
		}
	}
	// The same key may describe; the account's own key may list.
	if got := tea.StringValue(describe(t, user, id).TaskId); got != id {
		t.Fatalf("Describe with the RAM user's key = %s", got)
	}
	if err := listErr(owner); err != nil {
		t.Fatalf("List with the owner's key: %v", err)
	}
	st := e.Stats()
	if st.Calls[emulator.OpList] != 2 || st.Errors[emulator.OpList] != 1 {
		t.Fatalf("stats = %+v, want 2 List calls, 1 of them an error", st)
	}
	// The signature is checked first: a bad one is not a denial.
	sdkErr(t, listErr(sdkAs(t, e, ramUserKey, "wrong")), 400, "SignatureDoesNotMatch")

	// "*" denies everything; no operations allows everything again.
	if err := e.SetDenied(ramUserKey, "*"); err != nil {
		t.Fatal(err)
	}
	sdkErr(t, describeErr(user, id), 403, "Forbidden.RAM")
	if err := e.SetDenied(ramUserKey); err != nil {
		t.Fatal(err)
	}
	if err := listErr(user); err != nil {
		t.Fatalf("List after the denial was lifted: %v", err)
	}
	if err := e.SetDenied(ramUserKey, "describe", "nope"); err == nil ||
		err.Error() != `emulator: deny ram-user-key-id: "nope" is not one of the seven operations (full or short names, or *) or sts:AssumeRole` {
		t.Fatalf("bad operation: %v", err)
	}
}

// TestDenyControlSurface sets and reads denials through /_emulator/deny.
func TestDenyControlSurface(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, Credentials: accessCredentials()})
	user := sdkAs(t, e, ramUserKey, ramUserSecret)
	if code, body := control(t, e, "GET", "deny", ""); code != 200 || body != `{}` {
		t.Fatalf("GET deny: %d %s", code, body)
	}
	code, body := control(t, e, "POST", "deny",
		`{"access_key_id":"`+ramUserKey+`","operations":["DescribeLivePullToPushList","update"]}`)
	if code != 200 || body != `{"ram-user-key-id":["UpdateLivePullToPush","DescribeLivePullToPushList"]}` {
		t.Fatalf("POST deny: %d %s", code, body)
	}
	sdkErr(t, listErr(user), 403, "Forbidden.RAM")
	if code, body := control(t, e, "POST", "deny", `{"operations":["list"]}`); code != 400 ||
		body != `{"Code":"InvalidParameter","Message":"The body must be JSON {\"access_key_id\":\"<key>\",\"operations\":[\"DescribeLivePullToPushList\"]}."}` {
		t.Fatalf("POST deny without a key: %d %s", code, body)
	}
	if code, body := control(t, e, "POST", "deny", `{"access_key_id":"`+ramUserKey+`","operations":[]}`); code != 200 || body != `{}` {
		t.Fatalf("POST deny clearing: %d %s", code, body)
	}
	if err := listErr(user); err != nil {
		t.Fatalf("List after clearing: %v", err)
	}
}

// TestAccountConditionNoLiveDomain: an account without a live domain is
// answered CodeInvalidAliUid on every operation; other accounts are not.
func TestAccountConditionNoLiveDomain(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, Credentials: accessCredentials(),
		AccountConditions: map[string]emulator.AccountCondition{"": emulator.AccountNoLiveDomain}})
	c := sdk(t, e)
	_, err := c.CreateLivePullToPushWithContext(context.Background(), createReq(e.Now(), "rtmp://push.example.com/app/d"), rt)
	sdkErrMsg(t, err, 400, "CodeInvalidAliUid", "This aliuid does not have a live domain name.")
	sdkErrMsg(t, describeErr(c, "any"), 400, "CodeInvalidAliUid", "This aliuid does not have a live domain name.")
	sdkErrMsg(t, listErr(c), 400, "CodeInvalidAliUid", "This aliuid does not have a live domain name.")
	if st := e.Stats(); st.Calls[emulator.OpCreate] != 1 || st.Errors[emulator.OpCreate] != 1 {
		t.Fatalf("stats = %+v", st)
	}
	other := sdkAs(t, e, "other-account-key", "other-account-secret")
	create(t, other, createReq(e.Now(), "rtmp://push.example.com/app/d"))

	// The control surface ends the condition.
	if code, body := control(t, e, "GET", "conditions", ""); code != 200 || body != `{"default":"no-live-domain"}` {
		t.Fatalf("GET conditions: %d %s", code, body)
	}
	if code, body := control(t, e, "POST", "conditions", `{"account":"default","condition":""}`); code != 200 || body != `{}` {
		t.Fatalf("POST conditions: %d %s", code, body)
	}
	create(t, c, createReq(e.Now(), "rtmp://push.example.com/app/d"))
}

// TestAccountConditionLimitReached: an account whose resources are
// exhausted is answered CodeNotEnoughResource with the documented message
// on Create; reads still work.
func TestAccountConditionLimitReached(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, Credentials: accessCredentials()})
	c := sdk(t, e)
	id := create(t, c, createReq(e.Now(), "rtmp://push.example.com/app/l1"))
	code, body := control(t, e, "POST", "conditions", `{"account":"default","condition":"limit-reached"}`)
	if code != 200 || body != `{"default":"limit-reached"}` {
		t.Fatalf("POST conditions: %d %s", code, body)
	}
	_, err := c.CreateLivePullToPushWithContext(context.Background(), createReq(e.Now(), "rtmp://push.example.com/app/l2"), rt)
	sdkErrMsg(t, err, 400, "CodeNotEnoughResource", "Exceeded configuration limits or insufficient resources.")
	if got := tea.StringValue(describe(t, c, id).TaskId); got != id {
		t.Fatalf("Describe = %s", got)
	}
	if code, body := control(t, e, "POST", "conditions", `{"account":"default","condition":"broke"}`); code != 400 ||
		body != `{"Code":"InvalidParameter","Message":"emulator: account condition \"broke\" is not one of no-live-domain, limit-reached (or empty)"}` {
		t.Fatalf("bad condition: %d %s", code, body)
	}
	if err := e.SetAccountCondition("default", emulator.AccountNormal); err != nil {
		t.Fatal(err)
	}
	create(t, c, createReq(e.Now(), "rtmp://push.example.com/app/l2"))
}

// TestParseAccessFlags pins the flag syntax and its errors.
func TestParseAccessFlags(t *testing.T) {
	ak, ops, err := emulator.ParseDeny("key=list,DescribeLivePullToPush")
	if err != nil || ak != "key" || len(ops) != 2 {
		t.Fatalf("ParseDeny = %q %v %v", ak, ops, err)
	}
	for spec, want := range map[string]string{
		"key":          `deny "key": want ACCESSKEYID=Operation[,Operation...]`,
		"=list":        `deny "=list": want ACCESSKEYID=Operation[,Operation...]`,
		"key=list,bad": `deny "key=list,bad": "bad" is not one of the seven operations (full or short names, or *) or sts:AssumeRole`,
	} {
		if _, _, err := emulator.ParseDeny(spec); err == nil || err.Error() != want {
			t.Errorf("ParseDeny(%q) = %v, want %s", spec, err, want)
		}
	}
	account, c, err := emulator.ParseAccountCondition("default=no-live-domain")
	if err != nil || account != "default" || c != emulator.AccountNoLiveDomain {
		t.Fatalf("ParseAccountCondition = %q %q %v", account, c, err)
	}
	if _, _, err := emulator.ParseAccountCondition("default"); err == nil ||
		err.Error() != `account condition "default": want ACCOUNT=CONDITION (no-live-domain, limit-reached)` {
		t.Fatalf("ParseAccountCondition without a condition: %v", err)
	}
	if _, err := emulator.New(emulator.Options{Deny: map[string][]string{"k": {"x"}}}); err == nil ||
		err.Error() != `emulator: deny k: "x" is not one of the seven operations (full or short names, or *) or sts:AssumeRole` {
		t.Fatalf("New with a bad denial: %v", err)
	}
	data, _ := json.Marshal(emulator.AccountConditionNames)
	if string(data) != `["no-live-domain","limit-reached"]` {
		t.Fatalf("AccountConditionNames = %s", data)
	}
}
