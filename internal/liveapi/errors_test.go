package liveapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	live "github.com/alibabacloud-go/live-20161101/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

func TestAPIErrorFromSDK(t *testing.T) {
	se := tea.NewSDKError(map[string]any{
		"code": "SignatureDoesNotMatch", "statusCode": 400,
		"message": "code: 400, Specified signature is not matched. request id: R-1",
		"data": map[string]any{"RequestId": "R-1", "Code": "SignatureDoesNotMatch", "HostId": "live.aliyuncs.com",
			"Message": "Specified signature is not matched with our calculation. server string to sign is: GET&%2F&x"},
	})
	e := apiErrorFromSDK(OpList, "", se)
	want := "DescribeLivePullToPushList failed: SignatureDoesNotMatch (HTTP 400, request ID R-1): Specified " +
		"signature is not matched with our calculation."
	if e.Error() != want {
		t.Fatalf("got  %s\nwant %s", e.Error(), want)
	}
	if classifyAPI(e) != classPermanent || errors.Is(e, ErrNotFound) {
		t.Fatal("signature errors are permanent and not 'not found'")
	}
	// Without a body: the SDK's own message, and a placeholder code.
	e = apiErrorFromSDK(OpDescribe, "t-1", tea.NewSDKError(map[string]any{"statusCode": 502, "message": "bad gateway"}))
	if e.Error() != "DescribeLivePullToPush failed for task t-1: UnknownError (HTTP 502): bad gateway" {
		t.Fatalf("got %s", e.Error())
	}
}

func TestClassifyAPI(t *testing.T) {
	for _, tc := range []struct {
		code   string
		status int
		want   errClass
	}{
		{"Throttling", 400, classThrottled},
		{"Throttling.User", 400, classThrottled},
		{"Throttling.Api", 400, classThrottled},
		{"Throttling.User", 429, classThrottled},
		{"InternalError", 500, classServer},
		{"ServiceUnavailable", 503, classServer},
		{"HTTP502", 502, classServer},
		{"InvalidParameter", 400, classPermanent},
		{"MissingParameter", 400, classPermanent},
		{"InvalidParam.CodeIllegalDuration", 400, classPermanent},
		{"InvalidAccessKeyId.NotFound", 404, classPermanent},
		{"SignatureDoesNotMatch", 400, classPermanent},
		{"InvalidTimeStamp.Expired", 400, classPermanent},
		{"Forbidden.RAM", 403, classPermanent},
		{CodeTaskNotExist, 400, classPermanent},
		{CodeNotEnoughResource, 400, classPermanent},
		{CodeConfigAlreadyExists, 400, classPermanent},
		{CodeTaskHasStopped, 400, classPermanent},
	} {
		if got := classifyAPI(&APIError{Code: tc.code, HTTPStatus: tc.status}); got != tc.want {
			t.Errorf("%s/%d: %s, want %s", tc.code, tc.status, got, tc.want)
		}
	}
}

func TestClassifyTransport(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	noHost := &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Name: "x.invalid", Err: "no such host", IsNotFound: true}}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	for _, tc := range []struct {
		name string
		err  error
		sent bool
		want errClass
	}{
		{"refused", refused, false, classDial},
		{"no such host", noHost, false, classNoHost},
		{"reset after sending", reset, true, classBroken},
		{"EOF after sending", io.ErrUnexpectedEOF, true, classBroken},
		{"canceled", context.Canceled, true, classContext},
		{"deadline before sending", context.DeadlineExceeded, false, classContext},
		{"deadline after sending", context.DeadlineExceeded, true, classBroken},
	} {
		if got := classifyTransport(tc.err, tc.sent); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	te := &TransportError{Operation: OpCreate, Endpoint: "127.0.0.1:1", Err: reset, Attempts: 2}
	want := "CreateLivePullToPush failed: no valid answer from the API endpoint 127.0.0.1:1 (connection reset by " +
		"peer) (gave up after 2 attempts)"
	if te.Error() != want {
		t.Fatalf("got  %s\nwant %s", te.Error(), want)
	}
}

func TestRetryAfterHint(t *testing.T) {
	h := http.Header{}
	if retryAfterHint(h) != 0 {
		t.Fatal("no advice")
	}
	h.Set("Retry-After", "2")
	if got := retryAfterHint(h); got != 2*time.Second {
		t.Fatalf("Retry-After: %v", got)
	}
	h = http.Header{}
	h.Set("x-ratelimit-user-api", "Limit:10,Remain:0,TimeLeft:150,Reset:1700000000")
	h.Set("x-ratelimit-user", "Limit:100,Remain:3,TimeLeft:40")
	if got := retryAfterHint(h); got != 150*time.Millisecond {
		t.Fatalf("x-ratelimit: %v", got)
	}
}

func TestTaskMappers(t *testing.T) {
	b := &live.DescribeLivePullToPushResponseBody{
		TaskId: tea.String("t-1"), TaskStatus: tea.Int32(3), TaskInvalidReason: tea.String("PullStreamFailed"),
		CurrentFileIndex: tea.Int32(2), CurrentOffset: tea.Int32(30),
		TaskInfo: &live.DescribeLivePullToPushResponseBodyTaskInfo{
			TaskName: tea.String("n"), StartTime: tea.String("2030-01-02T03:04:05Z"),
			EndTime: tea.String("2030-01-02T05:04:05+00:00"), SourceType: tea.String("live"),
			SourceProtocol: tea.String("HTTP-FLV"), SourceUrls: []*string{tea.String("http://a/b.flv")},
			DstUrl: tea.String("rtmp://d/a"), CallbackURL: tea.String("https://cb"), RetryCount: tea.Int32(3),
			RetryInterval: tea.Int32(60),
		},
	}
	task, err := taskFrom("cn-beijing", b)
	if err != nil {
		t.Fatal(err)
	}
	want := Spec{Region: "cn-beijing", TaskName: "n", StartTime: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC),
		EndTime: time.Date(2030, 1, 2, 5, 4, 5, 0, time.UTC), SourceType: "live", SourceProtocol: "http-flv",
		SourceURLs: []string{"http://a/b.flv"}, DstURL: "rtmp://d/a", CallbackURL: "https://cb", RetryCount: 3,
		RetryInterval: 60}
	if !SameSpec(task.Spec, want) || task.Spec.Region != "cn-beijing" || task.Spec.SourceProtocol != "http-flv" ||
		task.Status != StatusOffline || task.InvalidReason != "PullStreamFailed" || task.CurrentFileIndex != 2 ||
		task.CurrentOffset != 30 || task.ID != "t-1" {
		t.Fatalf("task = %+v", task)
	}
	b.TaskInfo.StartTime = tea.String("yesterday")
	if _, err := taskFrom("cn-beijing", b); err == nil || err.Error() != `StartTime "yesterday" is not an RFC 3339 time` {
		t.Fatalf("bad time: %v", err)
	}
	e := &live.DescribeLivePullToPushListResponseBodyTaskList{
		TaskStatus: tea.Int32(1),
		TaskInfo: &live.DescribeLivePullToPushListResponseBodyTaskListTaskInfo{TaskId: tea.String("t-2"),
			SourceType: tea.String("vod"), SourceUrls: []*string{tea.String("m1"), tea.String("m2")},
			RepeatNumber: tea.Int32(-1), FileIndex: tea.Int32(1), Offset: tea.Int32(5)},
	}
	lt, err := taskFrom("cn-shanghai", e)
	if err != nil || lt.ID != "t-2" || lt.Status != StatusRunning || lt.Spec.RepeatNumber != -1 ||
		lt.Spec.FileIndex != 1 || lt.Spec.Offset != 5 || len(lt.Spec.SourceURLs) != 2 || !lt.Spec.StartTime.IsZero() {
		t.Fatalf("list entry = %+v %v", lt, err)
	}
}

func TestProtocolAndSilentErrors(t *testing.T) {
	const ep = "127.0.0.1:9"
	urlErr := urlErrOf
	for _, tc := range []struct {
		name string
		err  error
		want string // TransportError text after "Describe... failed: "
	}{
		{"https to http", urlErr(errors.New("http: server gave HTTP response to HTTPS client")),
			`the API endpoint 127.0.0.1:9 answers plain HTTP, not HTTPS (server gave HTTP response to HTTPS client); ` +
				`set protocol = "http" (or ALILIVE_PROTOCOL=http) to use it, or point the endpoint setting at an HTTPS server`},
		{"not TLS", urlErr(tls.RecordHeaderError{Msg: "tls: first record does not look like a TLS handshake",
			RecordHeader: [5]byte{'S', 'S', 'H', '-', '2'}}),
			"the API endpoint 127.0.0.1:9 does not speak TLS (tls: first record does not look like a TLS handshake); " +
				"check the provider's endpoint and protocol settings"},
		{"record header that is HTTP", urlErr(tls.RecordHeaderError{Msg: "tls: first record does not look like a " +
			"TLS handshake", RecordHeader: [5]byte{'H', 'T', 'T', 'P', '/'}}),
			`the API endpoint 127.0.0.1:9 answers plain HTTP, not HTTPS (tls: first record does not look like a TLS ` +
				`handshake); set protocol = "http" (or ALILIVE_PROTOCOL=http) to use it, or point the endpoint ` +
				`setting at an HTTPS server`},
		{"hostname mismatch", urlErr(&tls.CertificateVerificationError{Err: x509.HostnameError{
			Certificate: &x509.Certificate{}, Host: "live.example.com"}}),
			"the API endpoint 127.0.0.1:9 presented a TLS certificate that cannot be trusted (x509: certificate is " +
				"not valid for any names, but wanted to match live.example.com); check that the provider's endpoint " +
				"setting names the API by the host name of its certificate, and that no proxy intercepts TLS"},
		{"TLS alert from the server", urlErr(&net.OpError{Op: "remote error", Err: errors.New("tls: handshake failure")}),
			"the TLS handshake with the API endpoint 127.0.0.1:9 failed (remote error: tls: handshake failure); " +
				"check the provider's endpoint and protocol settings"},
		{"TLS record read as HTTP", urlErr(errors.New(`net/http: HTTP/1.x transport connection broken: malformed ` +
			`HTTP response "\x15\x03\x01\x00\x02\x02F"`)),
			`the API endpoint 127.0.0.1:9 expects HTTPS, not plain HTTP (the answer is a TLS record); set protocol = ` +
				`"https" (or ALILIVE_PROTOCOL=https), or leave protocol unset`},
		{"not HTTP", urlErr(errors.New(`net/http: HTTP/1.x transport connection broken: malformed HTTP response ` +
			`"SSH-2.0-OpenSSH_9.6"`)),
			`the API endpoint 127.0.0.1:9 does not answer HTTP (net/http: HTTP/1.x transport connection broken: ` +
				`malformed HTTP response "SSH-2.0-OpenSSH_9.6"); check the provider's endpoint and protocol settings`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := explainTransport(tc.err, &attemptInfo{})
			if c := classifyTransport(err, true); c != classProtocol {
				t.Fatalf("class = %s, want protocol", c)
			}
			te := &TransportError{Operation: OpDescribe, Endpoint: ep, Err: err, Attempts: 1}
			if got := te.Error(); got != "DescribeLivePullToPush failed: "+tc.want {
				t.Fatalf("got  %s\nwant DescribeLivePullToPush failed: %s", got, tc.want)
			}
			if adv := Advice(fmt.Errorf("wrapped: %w", te)); adv == "" || !strings.HasSuffix(tc.want, "; "+adv) {
				t.Fatalf("Advice = %q", adv)
			}
		})
	}
	// No byte back in time: the three stages.
	a := &attemptInfo{respTimeout: 5 * time.Second}
	a.silent.Store(true)
	for _, tc := range []struct {
		err  error
		a    *attemptInfo
		sent bool
		want string
	}{
		{context.Canceled, a, true, "accepted the connection but sent no answer within 5s of the request"},
		{&net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}, &attemptInfo{}, false,
			"did not accept a connection within 5s"},
		{urlErrOf(errors.New("net/http: TLS handshake timeout")), &attemptInfo{}, false,
			"accepted the connection but did not answer the TLS handshake within 5s"},
	} {
		err := explainTransport(tc.err, tc.a)
		if c := classifyTransport(err, tc.sent); c != classSilent {
			t.Errorf("%v: class = %s, want silent", tc.err, c)
		}
		if got := (&TransportError{Endpoint: ep, Err: err}).Error(); !strings.Contains(got, tc.want) {
			t.Errorf("%v: %s lacks %q", tc.err, got, tc.want)
		}
	}
	// Errors without advice leave it to the caller.
	if adv := Advice(&TransportError{Endpoint: ep, Err: io.ErrUnexpectedEOF}); adv != "" {
		t.Fatalf("Advice of a broken connection = %q", adv)
	}
	if adv := Advice(errors.New("x")); adv != "" {
		t.Fatalf("Advice of a plain error = %q", adv)
	}
	if adv := Advice(&ConflictError{DstURL: "rtmp://d/a", TaskID: "t-1"}); adv != "delete or import that task, or "+
		"choose another dst_url" {
		t.Fatalf("Advice of a conflict = %q", adv)
	}
}

func urlErrOf(err error) error { return &url.Error{Op: "Get", URL: "https://127.0.0.1:9/", Err: err} }
