package emulator_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/models"
	live "github.com/alibabacloud-go/live-20161101/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

func describeMissing(c *live.Client) error {
	return describeErr(c, "00000000-0000-4000-8000-000000000000")
}

func TestAuthWrongSecret(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	cfg := config(e)
	cfg.AccessKeySecret = tea.String("not-the-secret")
	se := mustSDKErr(t, describeMissing(newClient(t, cfg)), 400, "SignatureDoesNotMatch")
	msg := bodyMessage(t, se)
	if !strings.HasPrefix(msg, "Specified signature does not match our calculation. server string to sign is: ACS3-HMAC-SHA256\n") {
		t.Fatalf("message %q", msg)
	}
	if strings.Contains(tea.StringValue(se.Data), emulator.DefaultAccessKeySecret) {
		t.Fatal("secret in the error body")
	}
	if st := e.Stats(); st.Calls["DescribeLivePullToPush"] != 1 || st.Errors["DescribeLivePullToPush"] != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestAuthUnknownKey(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	cfg := config(e)
	cfg.AccessKeyId = tea.String("nobody")
	sdkErrMsg(t, describeMissing(newClient(t, cfg)), 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
}

func TestAuthStaleDate(t *testing.T) {
	for _, skew := range []time.Duration{20 * time.Minute, -20 * time.Minute} {
		e := startEmulator(t, emulator.Options{QPS: -1, Now: func() time.Time { return time.Now().Add(skew) }})
		sdkErrMsg(t, describeMissing(sdk(t, e)), 400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
	}
	// 14 minutes is inside the window.
	e := startEmulator(t, emulator.Options{QPS: -1, Now: func() time.Time { return time.Now().Add(14 * time.Minute) }})
	sdkErr(t, describeMissing(sdk(t, e)), 400, "CodeTaskNotExist")
}

func TestAuthAdvanceDoesNotExpireSignatures(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	e.Advance(72 * time.Hour)
	sdkErr(t, describeMissing(sdk(t, e)), 400, "CodeTaskNotExist")
}

func TestAuthNonceReplay(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	tr := newTransport()
	tr.replay = true // the captured signed request is sent twice
	cfg := config(e)
	cfg.HttpClient = tr
	id := create(t, sdk(t, e), createReq(e.Now(), "rtmp://push.example.com/app/n"))
	_, err := newClient(t, cfg).DescribeLivePullToPushWithContext(context.Background(), &live.DescribeLivePullToPushRequest{Region: tea.String(region), TaskId: tea.String(id)}, rt)
	sdkErrMsg(t, err, 400, "SignatureNonceUsed", "Specified signature nonce was used already.")
}

func TestAuthMissingSignature(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	tr := newTransport()
	tr.edit = func(r *http.Request) { r.Header.Del("Authorization") }
	cfg := config(e)
	cfg.HttpClient = tr
	sdkErrMsg(t, describeMissing(newClient(t, cfg)), 400, "IncompleteSignature",
		"The request signature does not conform to Aliyun standards: the request carries neither an Authorization header nor a Signature parameter.")
	// An unsigned x-acs- header.
	tr.edit = func(r *http.Request) { r.Header.Set("x-acs-extra", "1") }
	sdkErrMsg(t, describeMissing(newClient(t, cfg)), 400, "IncompleteSignature",
		"The request signature does not conform to Aliyun standards: the header x-acs-extra is present but not signed.")
	// A bearer token is not a signature.
	bcfg := config(e)
	bcfg.AccessKeyId, bcfg.AccessKeySecret, bcfg.BearerToken = nil, nil, tea.String("token")
	sdkErr(t, describeMissing(newClient(t, bcfg)), 400, "IncompleteSignature")
	// A tampered query breaks the signature.
	tr.edit = func(r *http.Request) {
		r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "Region=cn-shanghai", "Region=cn-beijing", 1)
	}
	sdkErr(t, describeMissing(newClient(t, cfg)), 400, "SignatureDoesNotMatch")
	// A body that does not match x-acs-content-sha256.
	tr.edit = func(r *http.Request) { r.Header.Set("x-acs-content-sha256", strings.Repeat("0", 64)) }
	sdkErrMsg(t, describeMissing(newClient(t, cfg)), 400, "SignatureDoesNotMatch", "The header x-acs-content-sha256 does not match the SHA-256 of the request body.")
	// A bad date format.
	tr.edit = func(r *http.Request) { r.Header.Set("x-acs-date", "yesterday") }
	sdkErrMsg(t, describeMissing(newClient(t, cfg)), 400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
}

func v2Config(e *emulator.Server) *openapiutil.Config {
	cfg := config(e)
	cfg.SignatureAlgorithm = tea.String("v2")
	return cfg
}

func TestAuthLegacyV2(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := newClient(t, v2Config(e))
	now := e.Now()
	req := createReq(now, "rtmp://push.example.com/app/v2")
	req.TaskName = tea.String("name with space *~&=+")
	id := create(t, c, req)
	b := describe(t, c, id)
	if tea.StringValue(b.TaskInfo.TaskName) != "name with space *~&=+" {
		t.Fatalf("TaskName %q", tea.StringValue(b.TaskInfo.TaskName))
	}
	if tea.StringValue(b.TaskId) != id || tea.StringValue(b.TaskInfo.SourceProtocol) != "RTMP" {
		t.Fatalf("describe over v2: %v", b)
	}
	if err := update(c, &live.UpdateLivePullToPushRequest{TaskId: tea.String(id), SourceUrls: tea.StringSlice([]string{"rtmp://src.example.com/app/x*~?a=b&c=d"})}); err != nil {
		t.Fatal(err)
	}
	if err := del(c, id); err != nil {
		t.Fatal(err)
	}
	bad := v2Config(e)
	bad.AccessKeySecret = tea.String("wrong")
	se := mustSDKErr(t, describeMissing(newClient(t, bad)), 400, "SignatureDoesNotMatch")
	if msg := bodyMessage(t, se); !strings.HasPrefix(msg, "Specified signature does not match our calculation. server string to sign is: GET&%2F&AccessKeyId%3D") {
		t.Fatalf("message %q", msg)
	}
	unknown := v2Config(e)
	unknown.AccessKeyId = tea.String("nobody")
	sdkErr(t, describeMissing(newClient(t, unknown)), 404, "InvalidAccessKeyId.NotFound")
	tr := newTransport()
	tr.edit = func(r *http.Request) {
		q := r.URL.Query()
		q.Del("Signature")
		r.URL.RawQuery = q.Encode()
	}
	missing := v2Config(e)
	missing.HttpClient = tr
	sdkErrMsg(t, describeMissing(newClient(t, missing)), 400, "IncompleteSignature", "The request signature does not conform to Aliyun standards: the Signature parameter is missing.")
	tr.edit = func(r *http.Request) {
		q := r.URL.Query()
		q.Del("SignatureNonce")
		r.URL.RawQuery = q.Encode()
	}
	sdkErrMsg(t, describeMissing(newClient(t, missing)), 400, "MissingParameter", `The input parameter "SignatureNonce" that is mandatory for processing this request is not supplied.`)
	skewed := startEmulator(t, emulator.Options{QPS: -1, Now: func() time.Time { return time.Now().Add(-20 * time.Minute) }})
	sdkErr(t, describeMissing(newClient(t, v2Config(skewed))), 400, "InvalidTimeStamp.Expired")
}

func stsConfig(e *emulator.Server, token string) *openapiutil.Config {
	cfg := config(e)
	cfg.AccessKeyId = tea.String(emulator.DefaultSTSAccessKeyID)
	cfg.AccessKeySecret = tea.String(emulator.DefaultSTSAccessKeySecret)
	cfg.SecurityToken = tea.String(token)
	return cfg
}

func TestAuthSTS(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := newClient(t, stsConfig(e, emulator.DefaultSTSSecurityToken))
	id := create(t, c, createReq(e.Now(), "rtmp://push.example.com/app/sts"))
	// Same account as the static pair.
	describe(t, sdk(t, e), id)
	sdkErrMsg(t, describeMissing(newClient(t, stsConfig(e, "wrong-token"))), 400, "InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey.")
	// Without the token.
	noTok := stsConfig(e, "")
	sdkErr(t, describeMissing(newClient(t, noTok)), 400, "InvalidSecurityToken.MismatchWithAccessKey")
	// STS over the legacy signature.
	v2 := stsConfig(e, emulator.DefaultSTSSecurityToken)
	v2.SignatureAlgorithm = tea.String("v2")
	describe(t, newClient(t, v2), id)
	v2bad := stsConfig(e, "wrong-token")
	v2bad.SignatureAlgorithm = tea.String("v2")
	sdkErr(t, describeMissing(newClient(t, v2bad)), 400, "InvalidSecurityToken.MismatchWithAccessKey")
	// A static key with a token.
	st := config(e)
	st.SecurityToken = tea.String("token")
	sdkErr(t, describeMissing(newClient(t, st)), 400, "InvalidSecurityToken.MismatchWithAccessKey")
}

func TestThrottling(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	c := sdk(t, e)
	ok, throttled := 0, 0
	for range 15 {
		err := describeMissing(c)
		se := mustSDKErr(t, err, 400, tea.StringValue(codeOf(err)))
		switch tea.StringValue(se.Code) {
		case "CodeTaskNotExist":
			ok++
		case "Throttling.User":
			throttled++
			if msg := bodyMessage(t, se); msg != "Request was denied due to user flow control." {
				t.Fatalf("message %q", msg)
			}
		}
	}
	if ok != 10 || throttled != 5 {
		t.Fatalf("ok %d throttled %d, want 10 and 5", ok, throttled)
	}
	// Another operation has its own window.
	_, err := c.DescribeLivePullToPushListWithContext(context.Background(), &live.DescribeLivePullToPushListRequest{Region: tea.String(region)}, rt)
	if err != nil {
		t.Fatal(err)
	}
	st := e.Stats()
	if st.Calls["DescribeLivePullToPush"] != 15 || st.Errors["DescribeLivePullToPush"] != 15 || st.Throttled["DescribeLivePullToPush"] != 5 ||
		st.Calls["DescribeLivePullToPushList"] != 1 || st.Errors["DescribeLivePullToPushList"] != 0 || st.TotalCalls() != 16 {
		t.Fatalf("stats %+v", st)
	}
	// SetQPS off.
	e.SetQPS(-1)
	for range 20 {
		sdkErr(t, describeMissing(c), 400, "CodeTaskNotExist")
	}
	e.ResetStats()
	if st := e.Stats(); st.TotalCalls() != 0 || len(st.Errors) != 0 {
		t.Fatalf("after reset %+v", st)
	}
	// SetQPS 3.
	e.SetQPS(3)
	n := 0
	for range 5 {
		if err := describeMissing(c); tea.StringValue(codeOf(err)) == "Throttling.User" {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("throttled %d of 5 at QPS 3", n)
	}
}

func TestThrottlingWindowSlides(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: 2})
	c := sdk(t, e)
	sdkErr(t, describeMissing(c), 400, "CodeTaskNotExist")
	sdkErr(t, describeMissing(c), 400, "CodeTaskNotExist")
	sdkErr(t, describeMissing(c), 400, "Throttling.User")
	time.Sleep(1100 * time.Millisecond)
	sdkErr(t, describeMissing(c), 400, "CodeTaskNotExist")
}

func codeOf(err error) *string {
	var se *tea.SDKError
	if err == nil {
		return nil
	}
	if asSDK(err, &se) {
		return se.Code
	}
	return nil
}
