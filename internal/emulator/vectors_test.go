package emulator_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // the legacy signature is HMAC-SHA1
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// vectorServer accepts the key pair of the reference test vectors at the
// vectors' date.
func vectorServer(t *testing.T) *emulator.Server {
	t.Helper()
	at := time.Date(2024, 8, 26, 10, 30, 0, 0, time.UTC)
	e, err := emulator.New(emulator.Options{QPS: -1, Now: func() time.Time { return at },
		Credentials: []emulator.Credential{{AccessKeyID: "testak", AccessKeySecret: "testsecret"}}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func codeOfRecorder(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var m struct{ Code string }
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body %q: %v", rec.Body.String(), err)
	}
	return m.Code
}

// TestSignatureVectors replays the request/signature pairs computed with
// the SDK's own signing functions (reference document, section 9.5/9.6):
// the signature must be accepted, so the answer is the business error.
func TestSignatureVectors(t *testing.T) {
	e := vectorServer(t)
	q := url.Values{"Region": {"cn-shanghai"}, "TaskId": {"t-1"}, "SourceUrls": {`["rtmp://a.example.com/app/s?k=v 1"]`}}
	req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "http://127.0.0.1:8080/?"+q.Encode(), nil)
	req.Host = "127.0.0.1:8080"
	req.RemoteAddr = "127.0.0.1:5000"
	for k, v := range map[string]string{
		"x-acs-action": "DescribeLivePullToPush", "x-acs-version": "2016-11-01", "x-acs-date": "2024-08-26T10:30:00Z",
		"x-acs-signature-nonce": "0123456789abcdef0123456789abcdef",
		"x-acs-content-sha256":  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"user-agent":            "vector", "accept": "application/json",
		"Authorization": "ACS3-HMAC-SHA256 Credential=testak,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=0f9afdaa53a74bff7b9dc9dd4807905a082c958f2112f051eb5b63d5258f7460",
	} {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if got := codeOfRecorder(t, rec); rec.Code != 400 || got != "CodeTaskNotExist" {
		t.Fatalf("ACS3 vector: %d %s", rec.Code, rec.Body.String())
	}
	if strings.Contains(rec.Body.String(), `\u0026`) || !strings.Contains(rec.Body.String(), "&product=live&requestId=") {
		t.Fatalf("Recommend is HTML-escaped: %s", rec.Body.String())
	}

	v2 := url.Values{
		"AccessKeyId": {"testak"}, "Action": {"DescribeLivePullToPush"}, "Format": {"json"}, "Region": {"cn-shanghai"},
		"SignatureMethod": {"HMAC-SHA1"}, "SignatureNonce": {"0123456789abcdef0123456789abcdef"}, "SignatureVersion": {"1.0"},
		"TaskId": {"t-1"}, "Timestamp": {"2024-08-26T10:30:00Z"}, "Version": {"2016-11-01"},
		"Signature": {"LUQTOhN29gx2mNNJSi9F5E02YfA="},
	}
	e = vectorServer(t) // a fresh nonce store: both vectors use the same nonce
	req = httptest.NewRequestWithContext(context.Background(), http.MethodGet, "http://127.0.0.1:8080/?"+v2.Encode(), nil)
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if got := codeOfRecorder(t, rec); rec.Code != 400 || got != "CodeTaskNotExist" {
		t.Fatalf("v2 vector: %d %s", rec.Code, rec.Body.String())
	}
	// The same vector again: the nonce is spent.
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequestWithContext(context.Background(), http.MethodGet, "http://127.0.0.1:8080/?"+v2.Encode(), nil))
	if got := codeOfRecorder(t, rec); got != "SignatureNonceUsed" {
		t.Fatalf("v2 replay: %d %s", rec.Code, rec.Body.String())
	}
}

// signV2 is an independent legacy signer for clients that post forms.
func signV2(method string, p url.Values, secret string) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]string, 0, len(keys))
	for _, k := range keys {
		pairs = append(pairs, enc(k)+"="+enc(p.Get(k)))
	}
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(method + "&%2F&" + enc(strings.Join(pairs, "&"))))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// TestLegacyFormBody: the legacy parameters (Action, Version, signature
// parameters and business parameters) may come as a form body, as other
// Alibaba Cloud clients send them.
func TestLegacyFormBody(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	now := time.Now().UTC()
	p := url.Values{
		"Action": {"CreateLivePullToPush"}, "Version": {"2016-11-01"}, "Format": {"JSON"},
		"AccessKeyId": {emulator.DefaultAccessKeyID}, "SignatureMethod": {"HMAC-SHA1"}, "SignatureVersion": {"1.0"},
		"SignatureNonce": {"form-nonce-1"}, "Timestamp": {now.Format("2006-01-02T15:04:05Z")},
		"Region": {"cn-shanghai"}, "SourceType": {"url"}, "SourceUrls.1": {"http://a.example.com/1.mp4"}, "SourceUrls.2": {"http://a.example.com/2.mp4"},
		"DstUrl": {"rtmp://push.example.com/app/form"}, "TaskName": {"from a form"},
		"StartTime": {now.Add(time.Hour).Format("2006-01-02T15:04:05Z")}, "EndTime": {now.Add(2 * time.Hour).Format("2006-01-02T15:04:05Z")},
	}
	p.Set("Signature", signV2("POST", p, emulator.DefaultAccessKeySecret))
	post := func(form url.Values) (int, map[string]any) {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, "http://"+e.Endpoint()+"/", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, m
	}
	code, body := post(p)
	if code != 200 || body["TaskId"] == nil {
		t.Fatalf("form create: %d %v", code, body)
	}
	tasks := e.Tasks()
	if len(tasks) != 1 || strings.Join(tasks[0].TaskInfo.SourceUrls, " ") != "http://a.example.com/1.mp4 http://a.example.com/2.mp4" || tasks[0].TaskInfo.TaskName != "from a form" {
		t.Fatalf("form task %+v", tasks)
	}
	// A tampered form breaks the signature.
	p.Set("TaskName", "changed")
	if code, body := post(p); code != 400 || body["Code"] != "SignatureDoesNotMatch" {
		t.Fatalf("tampered form: %d %v", code, body)
	}
	// Missing Action and unknown Action.
	if code, body := post(url.Values{"Version": {"2016-11-01"}}); code != 400 || body["Code"] != "MissingParameter" || body["Message"] != `The input parameter "Action" that is mandatory for processing this request is not supplied.` {
		t.Fatalf("no action: %d %v", code, body)
	}
	if code, body := post(url.Values{"Action": {"DescribeLiveStreams"}}); code != 404 || body["Code"] != "InvalidAction.NotFound" {
		t.Fatalf("unknown action: %d %v", code, body)
	}
	if code, body := post(url.Values{"Action": {"DescribeLivePullToPush"}, "Version": {"2014-01-01"}}); code != 400 || body["Code"] != "InvalidVersion" {
		t.Fatalf("bad version: %d %v", code, body)
	}
}

// TestNilBody: a request built by hand with no Body (as http.NewRequest
// leaves it on the client side) is served, not a panic.
func TestNilBody(t *testing.T) {
	e := vectorServer(t)
	for _, path := range []string{"/", "/_emulator/clock"} {
		req := &http.Request{Method: http.MethodPost, URL: &url.URL{Path: path}, Header: http.Header{}, RemoteAddr: "127.0.0.1:1"}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != 400 || !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
		}
	}
}
