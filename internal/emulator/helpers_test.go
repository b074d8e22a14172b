package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/models"
	live "github.com/alibabacloud-go/live-20161101/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

const region = "cn-shanghai"

// frozenClock returns a base clock fixed at the start of the test (the
// emulator's clock then only moves with Advance).
func frozenClock() func() time.Time {
	base := time.Now().UTC().Truncate(time.Second)
	return func() time.Time { return base }
}

// startEmulator starts an in-process emulator; opts.Now defaults to a frozen clock.
func startEmulator(t testing.TB, opts emulator.Options) *emulator.Server {
	t.Helper()
	if opts.Now == nil {
		opts.Now = frozenClock()
	}
	e, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := e.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return e
}

// config is the minimal SDK configuration for the emulator.
func config(e *emulator.Server) *openapi.Config {
	return &openapi.Config{
		AccessKeyId:     tea.String(emulator.DefaultAccessKeyID),
		AccessKeySecret: tea.String(emulator.DefaultAccessKeySecret),
		Endpoint:        tea.String(e.Endpoint()),
		Protocol:        tea.String("http"),
		RegionId:        tea.String(region),
	}
}

func newClient(t testing.TB, cfg *openapi.Config) *live.Client {
	t.Helper()
	c, err := live.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

func sdk(t testing.TB, e *emulator.Server) *live.Client {
	t.Helper()
	return newClient(t, config(e))
}

var rt = &dara.RuntimeOptions{}

// sdkErr asserts err is a *tea.SDKError with code and status.
func sdkErr(t testing.TB, err error, status int, code string) {
	t.Helper()
	_ = mustSDKErr(t, err, status, code)
}

// mustSDKErr is sdkErr returning the error for further checks.
func mustSDKErr(t testing.TB, err error, status int, code string) *tea.SDKError {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %d %s, got success", status, code)
	}
	var se *tea.SDKError
	if !errors.As(err, &se) {
		t.Fatalf("want *tea.SDKError, got %T: %v", err, err)
	}
	if got := tea.StringValue(se.Code); got != code {
		t.Fatalf("want code %s, got %s (%v)", code, got, err)
	}
	if got := tea.IntValue(se.StatusCode); got != status {
		t.Fatalf("want status %d, got %d (%v)", status, got, err)
	}
	return se
}

// sdkErrMsg also pins the message.
func sdkErrMsg(t testing.TB, err error, status int, code, msg string) {
	t.Helper()
	se := mustSDKErr(t, err, status, code)
	if got := bodyMessage(t, se); got != msg {
		t.Fatalf("message:\n got %q\nwant %q", got, msg)
	}
}

// bodyMessage extracts Message from the SDK error's Data (the whole body).
func bodyMessage(t testing.TB, se *tea.SDKError) string {
	t.Helper()
	var m map[string]any
	if err := jsonUnmarshal(tea.StringValue(se.Data), &m); err != nil {
		t.Fatalf("error data is not JSON: %v", err)
	}
	for _, k := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
		if _, ok := m[k]; !ok {
			t.Fatalf("error body lacks %s: %v", k, m)
		}
	}
	s, _ := m["Message"].(string)
	return s
}

// fmtT formats a time the way the wire wants it.
func fmtT(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// createReq is a valid live Create request starting in one hour.
func createReq(now time.Time, dst string) *live.CreateLivePullToPushRequest {
	return &live.CreateLivePullToPushRequest{
		Region:         tea.String(region),
		StartTime:      tea.String(fmtT(now.Add(time.Hour))),
		EndTime:        tea.String(fmtT(now.Add(2 * time.Hour))),
		SourceType:     tea.String("live"),
		SourceProtocol: tea.String("rtmp"),
		SourceUrls:     []*string{tea.String("rtmp://src.example.com/app/stream")},
		DstUrl:         tea.String(dst),
	}
}

func create(t testing.TB, c *live.Client, req *live.CreateLivePullToPushRequest) string {
	t.Helper()
	resp, err := c.CreateLivePullToPushWithContext(context.Background(), req, rt)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return tea.StringValue(resp.Body.TaskId)
}

func describe(t testing.TB, c *live.Client, id string) *live.DescribeLivePullToPushResponseBody {
	t.Helper()
	resp, err := c.DescribeLivePullToPushWithContext(context.Background(), &live.DescribeLivePullToPushRequest{
		Region: tea.String(region), TaskId: tea.String(id)}, rt)
	if err != nil {
		t.Fatalf("Describe: %v", err)
	}
	return resp.Body
}

func describeErr(c *live.Client, id string) error {
	_, err := c.DescribeLivePullToPushWithContext(context.Background(), &live.DescribeLivePullToPushRequest{
		Region: tea.String(region), TaskId: tea.String(id)}, rt)
	return err
}

// transport lets a test rewrite or replay SDK requests (Config.HttpClient).
type transport struct {
	mu     sync.Mutex
	edit   func(*http.Request)
	replay bool
	client *http.Client
	last   []byte // body of the last response
}

func newTransport() *transport { return &transport{client: &http.Client{}} }

func (tr *transport) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	tr.mu.Lock()
	edit, replay := tr.edit, tr.replay
	tr.mu.Unlock()
	if edit != nil {
		edit(req)
	}
	if replay {
		first, err := tr.client.Do(req.Clone(req.Context()))
		if err != nil {
			return nil, err
		}
		_ = first.Body.Close()
		if first.StatusCode != http.StatusOK {
			return nil, errors.New("first send was not accepted: " + first.Status)
		}
	}
	resp, err := tr.client.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	tr.mu.Lock()
	tr.last = body
	tr.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// rawBody calls Describe or List through the SDK and returns the sorted
// top-level keys of the raw JSON body.
func rawBody(t testing.TB, e *emulator.Server, action string, p map[string]string) string {
	t.Helper()
	tr := newTransport()
	cfg := config(e)
	cfg.HttpClient = tr
	c := newClient(t, cfg)
	var err error
	switch action {
	case "DescribeLivePullToPush":
		_, err = c.DescribeLivePullToPushWithContext(context.Background(), &live.DescribeLivePullToPushRequest{Region: tea.String(p["Region"]), TaskId: tea.String(p["TaskId"])}, rt)
	case "DescribeLivePullToPushList":
		_, err = c.DescribeLivePullToPushListWithContext(context.Background(), &live.DescribeLivePullToPushListRequest{Region: tea.String(p["Region"])}, rt)
	default:
		t.Fatalf("rawBody: unsupported %s", action)
	}
	if err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(tr.last, &m); err != nil {
		t.Fatalf("body %s: %v", tr.last, err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}
