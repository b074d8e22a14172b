package emulator_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// enc is the RFC 3986 encoding of Alibaba Cloud signatures, written
// independently of the emulator's.
func enc(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

var fuzzNonce atomic.Int64

// signACS3 signs r (whose body is body) with the default key pair, adding
// the date, nonce and content hash headers.
func signACS3(r *http.Request, body []byte) {
	sum := sha256.Sum256(body)
	r.Header.Set("x-acs-content-sha256", hex.EncodeToString(sum[:]))
	r.Header.Set("x-acs-date", time.Now().UTC().Format("2006-01-02T15:04:05Z"))
	r.Header.Set("x-acs-signature-nonce", fmt.Sprintf("fuzz-%d-%d", time.Now().UnixNano(), fuzzNonce.Add(1)))
	if r.Header.Get("x-acs-version") == "" {
		r.Header.Set("x-acs-version", "2016-11-01")
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]string, 0, len(keys))
	for _, k := range keys {
		pairs = append(pairs, enc(k)+"="+enc(q.Get(k)))
	}
	names := []string{"host"}
	for k := range r.Header {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, "x-acs-") {
			names = append(names, lk)
		}
	}
	sort.Strings(names)
	var canon strings.Builder
	canon.WriteString(r.Method + "\n" + r.URL.EscapedPath() + "\n" + strings.Join(pairs, "&") + "\n")
	for _, n := range names {
		v := r.Host
		if n != "host" {
			v = strings.Join(r.Header.Values(n), ",")
		}
		canon.WriteString(n + ":" + strings.TrimSpace(v) + "\n")
	}
	signed := strings.Join(names, ";")
	canon.WriteString("\n" + signed + "\n" + r.Header.Get("x-acs-content-sha256"))
	h := sha256.Sum256([]byte(canon.String()))
	mac := hmac.New(sha256.New, []byte(emulator.DefaultAccessKeySecret))
	mac.Write([]byte("ACS3-HMAC-SHA256\n" + hex.EncodeToString(h[:])))
	r.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential="+emulator.DefaultAccessKeyID+",SignedHeaders="+signed+",Signature="+hex.EncodeToString(mac.Sum(nil)))
}

// serve runs one request through the handler and checks the reply.
func serve(t *testing.T, e *emulator.Server, r *http.Request) (int, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, r.WithContext(ctx))
	body := rec.Body.Bytes()
	if rec.Code == http.StatusNoContent && len(body) == 0 {
		return rec.Code, body
	}
	if !json.Valid(body) {
		t.Fatalf("status %d, body is not JSON: %q", rec.Code, body)
	}
	if rec.Code >= 400 {
		var m struct{ Code string }
		if err := json.Unmarshal(body, &m); err != nil || m.Code == "" {
			t.Fatalf("status %d without Code: %s", rec.Code, body)
		}
	}
	for _, secret := range []string{emulator.DefaultAccessKeySecret, emulator.DefaultSTSAccessKeySecret, emulator.DefaultSTSSecurityToken} {
		if bytes.Contains(body, []byte(secret)) {
			t.Fatalf("reply contains a secret: %s", body)
		}
	}
	return rec.Code, body
}

// noNetwork answers every callback with 204 without touching the network.
type noNetwork struct{}

func (noNetwork) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
}

func newFuzzServer(t *testing.T) *emulator.Server {
	e, err := emulator.New(emulator.Options{QPS: -1, MaxTasks: 50, CallbackTransport: noNetwork{}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func FuzzRequestParsing(f *testing.F) {
	f.Add("GET", "/", "Region=cn-shanghai&TaskId=x", "x-acs-action: DescribeLivePullToPush", []byte(nil), true)
	f.Add("POST", "/", "Region=cn-shanghai&StartTime=2030-01-01T00:00:00Z&EndTime=2030-01-02T00:00:00Z&SourceType=vod&SourceUrls=%5B%22a%22%5D&DstUrl=rtmp%3A%2F%2Fa%2Fb",
		"x-acs-action: CreateLivePullToPush", []byte(nil), true)
	f.Add("POST", "/", "", "Content-Type: application/x-www-form-urlencoded", []byte("Action=DescribeLivePullToPushList&Version=2016-11-01&Region=cn-beijing&PageSize=7"), false)
	f.Add("GET", "/", "Action=DescribeLivePullToPush&Version=2016-11-01&AccessKeyId=emulator-access-key-id&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=1&Timestamp=2026-01-01T00:00:00Z&Signature=x", "", []byte(nil), false)
	f.Add("GET", "/", "", "Authorization: ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=00\nx-acs-action: StopLivePullToPush\nx-acs-version: 2016-11-01", []byte(nil), false)
	f.Add("GET", "/", "SourceUrls.1=rtmp%3A%2F%2Fa%2Fb&Region=cn-shanghai&TaskId=x&SourceUrls=%5B1%2C2%5D", "x-acs-action: UpdateLivePullToPush", []byte(nil), true)
	f.Add("POST", "/_emulator/clock", "", "", []byte(`{"advance":"1h"}`), false)
	f.Add("POST", "/_emulator/faults", "", "", []byte(`{"plan":"rate=1,kinds=latency,latency=1h"}`), false)
	f.Add("PATCH", "/_emulator/tasks/x", "", "", []byte(`{"TaskStatus":2}`), false)
	f.Add("GET", "/%zz", "%zz=1", "x-acs-action: DescribeLivePullToPushList", []byte{0xff}, true)
	e := newFuzzServer(&testing.T{})
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, method, path, query, headers string, body []byte, sign bool) {
		if n.Add(1)%500 == 0 {
			e.Reset()
		}
		if method == "" || strings.ContainsAny(method, " \r\n\t") {
			method = "GET"
		}
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		r := &http.Request{
			Method:     method,
			URL:        &url.URL{Path: path, RawPath: path, RawQuery: query},
			Header:     http.Header{},
			Host:       "127.0.0.1:9180",
			RemoteAddr: "127.0.0.1:40000",
			Body:       io.NopCloser(bytes.NewReader(body)),
			Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		}
		for _, line := range strings.Split(headers, "\n") {
			k, v, ok := strings.Cut(line, ":")
			if ok && k != "" {
				r.Header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
			}
		}
		if sign {
			signACS3(r, body)
		}
		serve(t, e, r)
	})
}

// createRequest is a signed Create with the given source settings.
func createRequest(sourceType, protocol, urls string) *http.Request {
	q := url.Values{
		"Region": {"cn-shanghai"}, "SourceType": {sourceType}, "SourceUrls": {urls},
		"StartTime": {time.Now().UTC().Add(time.Hour).Format("2006-01-02T15:04:05Z")},
		"EndTime":   {time.Now().UTC().Add(2 * time.Hour).Format("2006-01-02T15:04:05Z")},
		"DstUrl":    {fmt.Sprintf("rtmp://push.example.com/app/%d", fuzzNonce.Add(1))},
	}
	if protocol != "" {
		q.Set("SourceProtocol", protocol)
	}
	r := &http.Request{
		Method: http.MethodPost, URL: &url.URL{Path: "/", RawQuery: q.Encode()}, Header: http.Header{},
		Host: "127.0.0.1:9180", RemoteAddr: "127.0.0.1:40000", Body: http.NoBody,
	}
	r.Header.Set("x-acs-action", "CreateLivePullToPush")
	signACS3(r, nil)
	return r
}

func FuzzSourceUrls(f *testing.F) {
	f.Add("live", "rtmp", `["rtmp://a.example.com/app/s"]`)
	f.Add("live", "srt", `["srt://a.example.com:9000?streamid=#!::r=live/s"]`)
	f.Add("live", "http-flv", `["https://a.example.com/app/s.flv?auth=1&x=2"]`)
	f.Add("vod", "", `["3f1c9a","b_2-x"]`)
	f.Add("url", "", `["http://a.example.com/x.mp4","https://b.example.com/y.flv?a=%20b"]`)
	f.Add("url", "", `[]`)
	f.Add("url", "", `["http://a/b", null]`)
	f.Add("live", "rtmp", `"rtmp://a/b"`)
	f.Add("vod", "", `["`+strings.Repeat("a", 65)+`"]`)
	f.Add("url", "", `["http://\u0000/x"]`)
	e := newFuzzServer(&testing.T{})
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, sourceType, protocol, urls string) {
		if n.Add(1)%40 == 0 {
			e.Reset()
		}
		code, body := serve(t, e, createRequest(sourceType, protocol, urls))
		if code != http.StatusOK {
			var m struct{ Code string }
			_ = json.Unmarshal(body, &m)
			switch m.Code {
			case "InvalidParameter", "MissingParameter", "CodeNotEnoughResource":
			default:
				t.Fatalf("unexpected code %s: %s", m.Code, body)
			}
			return
		}
		// Accepted: the list obeys every documented rule and reads back
		// unchanged.
		var list []string
		if err := json.Unmarshal([]byte(urls), &list); err != nil {
			t.Fatalf("accepted SourceUrls that is not a JSON string array: %q", urls)
		}
		if sourceType == "live" && len(list) != 1 || len(list) < 1 || len(list) > 30 {
			t.Fatalf("accepted %d URLs for %s", len(list), sourceType)
		}
		var created struct{ TaskId string }
		if err := json.Unmarshal(body, &created); err != nil {
			t.Fatal(err)
		}
		task, ok := e.Task(created.TaskId)
		if !ok {
			t.Fatalf("created task %s missing", created.TaskId)
		}
		got, _ := json.Marshal(task.TaskInfo.SourceUrls)
		want, _ := json.Marshal(list)
		if !bytes.Equal(got, want) {
			t.Fatalf("SourceUrls read back %s, sent %s", got, want)
		}
		for _, u := range list {
			if len(u) > 2000 || strings.ContainsAny(u, " \t\r\n") {
				t.Fatalf("accepted entry %q", u)
			}
		}
	})
}
