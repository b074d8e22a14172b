package liveapi

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
	"github.com/alilive/terraform-provider-alilive/internal/ratelimit"
)

// TestEmulatorRetryWaitsTimeLeft: with the client-side limiter off, a
// throttled call is retried no sooner than the TimeLeft of the answer's
// x-ratelimit-user-api header, so the retry is admitted. Without the
// advice the retries (2.5 to 20 ms apart here) would all be throttled.
func TestEmulatorRetryWaitsTimeLeft(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: 1})
	ids := addEmulatorTasks(t, e, 1)
	c := emulatorClient(t, e, -1, "")
	c.backoffBase, c.backoffCap, c.maxRetries = 5*time.Millisecond, 40*time.Millisecond, 4
	c.jitter = func() float64 { return 0.5 }
	e.ResetStats()
	for range 2 {
		if _, err := c.describeOne(context.Background(), "cn-shanghai", ids[0]); err != nil {
			t.Fatal(err)
		}
	}
	st := e.Stats()
	if st.Calls[OpDescribe] != 3 || st.Throttled[OpDescribe] != 1 {
		t.Fatalf("calls %v, throttled %v: want 3 calls, 1 throttled", st.Calls, st.Throttled)
	}
}

// sharedClient is a client of the emulator's key whose limiters are
// shared through dir.
func sharedClient(t *testing.T, e *emulator.Server, dir string, log Logger) *Client {
	t.Helper()
	c, err := New(Config{
		Credential: staticCred(t, emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret), Region: "cn-shanghai",
		Endpoint: e.Endpoint(), Protocol: "http", MaxRetries: 2, Logger: log,
		ShareRateLimit: true, RateLimitDir: dir,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSharedLimiterFilesHoldNoKey(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	ids := addEmulatorTasks(t, e, 1)
	dir := t.TempDir()
	c := sharedClient(t, e, dir, nil)
	if _, err := c.describeOne(context.Background(), "cn-shanghai", ids[0]); err != nil {
		t.Fatal(err)
	}
	name := ratelimit.Name(emulator.DefaultAccessKeyID, e.Endpoint(), OpDescribe)
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("no shared log for Describe: %v", err)
	}
	var all []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		all = append(all, p)
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			all = append(all, string(b))
		}
		return nil
	})
	for _, s := range all {
		if strings.Contains(s, emulator.DefaultAccessKeyID) || strings.Contains(s, emulator.DefaultAccessKeySecret) {
			t.Fatalf("key material in the shared directory: %q", s)
		}
	}
	if !strings.Contains(string(data), "\ncall ") {
		t.Fatalf("the log holds no call: %q", data)
	}
}

func TestSharedLimiterUnwritableDirectoryLogsOnceAndLimitsThisProcess(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	ids := addEmulatorTasks(t, e, 1)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(file, "ratelimit")
	log := &recLogger{}
	c := sharedClient(t, e, dir, log)
	e.ResetStats()
	for range 12 {
		if _, err := c.describeOne(context.Background(), "cn-shanghai", ids[0]); err != nil {
			t.Fatal(err)
		}
	}
	var lines []logEvent
	for _, ev := range log.events {
		if strings.Contains(ev.msg, "not shared") {
			lines = append(lines, ev)
		}
	}
	want := "alilive rate limiter is not shared with other processes on this host; it counts this process's calls only"
	if len(lines) != 1 || lines[0].level != "debug" || lines[0].msg != want || lines[0].fields["directory"] != dir ||
		!strings.Contains(fmt.Sprint(lines[0].fields["error"]), "not a directory") {
		t.Fatalf("fall-back log lines: %+v", lines)
	}
	if st := e.Stats(); st.Calls[OpDescribe] != 12 || st.Throttled[OpDescribe] != 0 {
		t.Fatalf("calls %v, throttled %v", st.Calls, st.Throttled)
	}
}
