package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/models"
	live "github.com/alibabacloud-go/live-20161101/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startRun runs the program with the access key "ak", the given secret and
// more flags, waits until it listens and returns an SDK client for it, the
// function that stops it and the channel run's result arrives on.
func startRun(t *testing.T, logs *syncBuf, secret string, flags ...string) (*live.Client, context.CancelFunc, chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	args := append([]string{"-addr", "127.0.0.1:0", "-access-key-id", "ak", "-access-key-secret", secret}, flags...)
	go func() { done <- run(ctx, args, logs, func(ep string) { ready <- ep }) }()
	var ep string
	select {
	case ep = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("run: %v", err)
	case <-time.After(5 * time.Second):
		cancel()
		t.Fatal("not ready")
	}
	c, err := live.NewClient(&openapi.Config{AccessKeyId: tea.String("ak"), AccessKeySecret: tea.String(secret),
		Endpoint: tea.String(ep), Protocol: tea.String("http"), RegionId: tea.String("cn-shanghai")})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	return c, cancel, done
}

func TestRunServesAndShutsDown(t *testing.T) {
	state := filepath.Join(t.TempDir(), "s.json")
	var logs syncBuf
	c, cancel, done := startRun(t, &logs, "sk-very-secret", "-qps", "0", "-max-tasks", "5", "-state-file", state,
		"-faults", "op=stop,kinds=internal,every=1")
	defer cancel()
	_, err := c.DescribeLivePullToPushWithContext(context.Background(), &live.DescribeLivePullToPushRequest{Region: tea.String("cn-shanghai"), TaskId: tea.String("x")}, &dara.RuntimeOptions{})
	var se *tea.SDKError
	if !errors.As(err, &se) || tea.StringValue(se.Code) != "CodeTaskNotExist" {
		t.Fatalf("describe: %v", err)
	}
	_, err = c.StopLivePullToPushWithContext(context.Background(), &live.StopLivePullToPushRequest{Region: tea.String("cn-shanghai"), TaskId: tea.String("x")}, &dara.RuntimeOptions{})
	if !errors.As(err, &se) || tea.StringValue(se.Code) != "InternalError" {
		t.Fatalf("stop with fault: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no shutdown")
	}
	out := logs.String()
	for _, want := range []string{"msg=\"emulator listening\"", "msg=request operation=DescribeLivePullToPush status=400 code=CodeTaskNotExist latency=",
		"msg=request operation=StopLivePullToPush status=500 code=InternalError", "msg=\"shutting down\""} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "sk-very-secret") {
		t.Fatal("secret logged")
	}
}

func TestRunFlagErrors(t *testing.T) {
	var out syncBuf
	if err := run(context.Background(), []string{"-faults", "rate=9"}, &out, nil); err == nil || !strings.Contains(err.Error(), "rate must be a number from 0 to 1") {
		t.Fatalf("bad faults: %v", err)
	}
	if err := run(context.Background(), []string{"-h"}, &out, nil); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	for _, want := range []string{"-addr", "127.0.0.1:9180", "-access-key-id", "-access-key-secret", "-qps", "-max-tasks", "-state-file", "-faults", "rate=0.3,seed=7", "-deny", "-account-condition"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("usage lacks %q", want)
		}
	}
	if err := run(context.Background(), []string{"extra"}, &out, nil); err == nil {
		t.Fatal("extra argument accepted")
	}
	want := `-variant: unknown variant "sometimes"; known variants: exited-visible, update-ignored, endtime-while-running, ` +
		`callback-unclearable, dst-conflict-at-runtime, restart-new-id, stop-idle-noop, omit-empty, protocol-as-sent, flaky, async, or all`
	if err := run(context.Background(), []string{"-variant", "async,sometimes"}, &out, nil); err == nil || err.Error() != want {
		t.Fatalf("bad variant:\n got %v\nwant %s", err, want)
	}
	for _, w := range []string{"-variant", "exited-visible, update-ignored", "flaky, async"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("usage lacks %q", w)
		}
	}
}

// TestRunVariant starts the program with -variant all and checks that the
// readings are active: Stop of a task that has not started succeeds
// (stop-idle-noop), and the log names every variant.
func TestRunVariant(t *testing.T) {
	var logs syncBuf
	c, cancel, done := startRun(t, &logs, "sk", "-variant", "all")
	defer cancel()
	ctx := context.Background()
	now := time.Now().UTC()
	resp, err := c.CreateLivePullToPushWithContext(ctx, liveReq(now.Add(time.Hour), now.Add(2*time.Hour),
		"rtmp://dst.example.com/a/b"), &dara.RuntimeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.StopLivePullToPushWithContext(ctx, &live.StopLivePullToPushRequest{Region: tea.String("cn-shanghai"),
		TaskId: resp.Body.TaskId}, &dara.RuntimeOptions{}); err != nil {
		t.Fatalf("stop of an idle task under -variant all: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run returned %v", err)
	}
	if want := "variants=\"[exited-visible update-ignored endtime-while-running callback-unclearable dst-conflict-at-runtime " +
		"restart-new-id stop-idle-noop omit-empty protocol-as-sent flaky async]\""; !strings.Contains(logs.String(), want) {
		t.Fatalf("log lacks %s:\n%s", want, logs.String())
	}
}

// TestRunDenyAndAccountCondition: -deny answers an operation to a key with
// Forbidden.RAM and -account-condition puts the account into a condition.
func TestRunDenyAndAccountCondition(t *testing.T) {
	var logs syncBuf
	c, cancel, done := startRun(t, &logs, "sk", "-deny", "ak=list", "-deny", "ak=restart",
		"-account-condition", "default=limit-reached")
	defer cancel()
	var se *tea.SDKError
	_, err := c.DescribeLivePullToPushListWithContext(context.Background(), &live.DescribeLivePullToPushListRequest{Region: tea.String("cn-shanghai")}, &dara.RuntimeOptions{})
	if !errors.As(err, &se) || tea.StringValue(se.Code) != "Forbidden.RAM" || tea.IntValue(se.StatusCode) != 403 {
		t.Fatalf("list: %v", err)
	}
	start := time.Now().Add(time.Hour).UTC()
	_, err = c.CreateLivePullToPushWithContext(context.Background(), &live.CreateLivePullToPushRequest{
		Region: tea.String("cn-shanghai"), StartTime: tea.String(start.Format("2006-01-02T15:04:05Z")),
		EndTime: tea.String(start.Add(time.Hour).Format("2006-01-02T15:04:05Z")), SourceType: tea.String("live"),
		SourceProtocol: tea.String("rtmp"), SourceUrls: []*string{tea.String("rtmp://s.example.com/a/b")},
		DstUrl: tea.String("rtmp://d.example.com/a/b")}, &dara.RuntimeOptions{})
	if !errors.As(err, &se) || tea.StringValue(se.Code) != "CodeNotEnoughResource" {
		t.Fatalf("create: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run returned %v", err)
	}
	if want := `deny="map[ak:[DescribeLivePullToPushList RestartLivePullToPush]]" account_conditions=map[default:limit-reached]`; !strings.Contains(logs.String(), want) {
		t.Fatalf("start-up log lacks %s:\n%s", want, logs.String())
	}
	var out syncBuf
	if err := run(context.Background(), []string{"-deny", "ak"}, &out, nil); err == nil ||
		!strings.Contains(err.Error(), `deny "ak": want ACCESSKEYID=Operation[,Operation...]`) {
		t.Fatalf("bad -deny: %v", err)
	}
	if err := run(context.Background(), []string{"-account-condition", "default=broke"}, &out, nil); err == nil ||
		!strings.Contains(err.Error(), `account condition "broke" is not one of no-live-domain, limit-reached (or empty)`) {
		t.Fatalf("bad -account-condition: %v", err)
	}
}

func TestRunListLagFlag(t *testing.T) {
	var out syncBuf
	if err := run(context.Background(), []string{"-h"}, &out, nil); !errors.Is(err, flag.ErrHelp) ||
		!strings.Contains(out.String(), "-list-lag") {
		t.Fatalf("-h: %v; usage lacks -list-lag:\n%s", err, out.String())
	}
	if err := run(context.Background(), []string{"-list-lag", "soon"}, &out, nil); err == nil ||
		!strings.Contains(err.Error(), `invalid value "soon" for flag -list-lag`) {
		t.Fatalf("bad -list-lag: %v", err)
	}
}

// TestRunPushAuthKey: -push-auth-key gives a destination host an ingest
// key; a task pushing there without a valid auth_key fails at its start,
// and the log names the host but never the key.
func TestRunPushAuthKey(t *testing.T) {
	var logs syncBuf
	c, cancel, done := startRun(t, &logs, "sk", "-push-auth-key", "push.example.com=ingest-key-never-logged")
	defer cancel()
	ctx := context.Background()
	now := time.Now().UTC()
	resp, err := c.CreateLivePullToPushWithContext(ctx, liveReq(now.Add(-time.Minute), now.Add(time.Hour),
		"rtmp://push.example.com/a/b?auth_key=1767225600-0-0-example"), &dara.RuntimeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeLivePullToPushWithContext(ctx, &live.DescribeLivePullToPushRequest{Region: tea.String("cn-shanghai"),
		TaskId: resp.Body.TaskId}, &dara.RuntimeOptions{})
	if err != nil || tea.Int32Value(d.Body.TaskStatus) != 2 || tea.StringValue(d.Body.TaskInvalidReason) != "PushStreamFailed" {
		t.Fatalf("Describe: %v %v", d, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run returned %v", err)
	}
	for _, want := range []string{`push_auth_hosts=[push.example.com]`,
		`msg="push auth rejected" task_id=` + tea.StringValue(resp.Body.TaskId) + ` host=push.example.com reason="auth_key is not timestamp-rand-uid-md5hash"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, logs.String())
		}
	}
	if strings.Contains(logs.String(), "ingest-key-never-logged") {
		t.Error("the ingest key was logged")
	}
	var out syncBuf
	if err := run(context.Background(), []string{"-push-auth-key", "push.example.com"}, &out, nil); err == nil ||
		!strings.Contains(err.Error(), `push auth key for "push.example.com": want HOST=KEY with a non-empty key`) {
		t.Fatalf("bad -push-auth-key: %v", err)
	}
	if !strings.Contains(out.String(), "-push-auth-key") {
		t.Errorf("usage lacks -push-auth-key:\n%s", out.String())
	}
}

// liveReq is a Create request of a live relay from start to end.
func liveReq(start, end time.Time, dst string) *live.CreateLivePullToPushRequest {
	return &live.CreateLivePullToPushRequest{
		Region: tea.String("cn-shanghai"), StartTime: tea.String(start.Format("2006-01-02T15:04:05Z")),
		EndTime: tea.String(end.Format("2006-01-02T15:04:05Z")), SourceType: tea.String("live"),
		SourceProtocol: tea.String("rtmp"), SourceUrls: []*string{tea.String("rtmp://src.example.com/a/b")},
		DstUrl: tea.String(dst),
	}
}
