package emulator_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	live "github.com/alibabacloud-go/live-20161101/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// benchSetup starts an emulator without throttling, fills the default
// account with 1,000 tasks and returns one of them.
func benchSetup(b *testing.B) (*emulator.Server, string) {
	b.Helper()
	e := startEmulator(b, emulator.Options{QPS: -1, MaxTasks: -1, Now: time.Now})
	var id string
	for i := range 1000 {
		var err error
		id, err = e.AddTask(region, emulator.TaskInfo{
			SourceType: "live", SourceProtocol: "rtmp", SourceUrls: []string{"rtmp://src.example.com/a/s"},
			DstUrl: fmt.Sprintf("rtmp://push.example.com/app/%d", i),
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return e, id
}

func reportRate(b *testing.B, start time.Time) {
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "calls/s")
}

// BenchmarkDescribeSigned: signed Describe calls through the official SDK
// (ACS3-HMAC-SHA256), client and server in one process.
func BenchmarkDescribeSigned(b *testing.B) {
	e, id := benchSetup(b)
	c := sdk(b, e)
	req := &live.DescribeLivePullToPushRequest{Region: tea.String(region), TaskId: tea.String(id)}
	var failed atomic.Int64
	// One caller per core: the SDK keeps at most two idle connections per
	// host, so more callers would mostly measure connection set-up.
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.DescribeLivePullToPushWithContext(context.Background(), req, rt); err != nil {
				failed.Add(1)
			}
		}
	})
	reportRate(b, start)
	if n := failed.Load(); n != 0 {
		b.Fatalf("%d calls failed", n)
	}
}

// BenchmarkDescribeSignedRaw: the same signed requests built by a minimal
// ACS3 signer of our own over net/http, to measure the emulator without the
// SDK's per-call overhead.
func BenchmarkDescribeSignedRaw(b *testing.B) {
	e, id := benchSetup(b)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var seq atomic.Int64
	var failed atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := signedDescribe(e.Endpoint(), id, seq.Add(1))
			resp, err := client.Do(req)
			if err != nil {
				failed.Add(1)
				continue
			}
			var buf [4096]byte
			for {
				if _, err := resp.Body.Read(buf[:]); err != nil {
					break
				}
			}
			_ = resp.Body.Close()
			if resp.StatusCode != 200 {
				failed.Add(1)
			}
		}
	})
	reportRate(b, start)
	if n := failed.Load(); n != 0 {
		b.Fatalf("%d calls failed", n)
	}
}

// signedDescribe signs a Describe request the way the SDK does (ACS3).
func signedDescribe(endpoint, id string, n int64) *http.Request {
	q := url.Values{"Region": {region}, "TaskId": {id}}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "http://"+endpoint+"/?"+q.Encode(), nil)
	h := map[string]string{
		"host":                  endpoint,
		"x-acs-action":          "DescribeLivePullToPush",
		"x-acs-version":         "2016-11-01",
		"x-acs-date":            time.Now().UTC().Format("2006-01-02T15:04:05Z"),
		"x-acs-signature-nonce": fmt.Sprintf("%032x", n) + fmt.Sprint(time.Now().UnixNano()),
		"x-acs-content-sha256":  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	}
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	var canon strings.Builder
	canon.WriteString("GET\n/\n")
	canon.WriteString("Region=" + region + "&TaskId=" + id + "\n")
	for _, k := range names {
		canon.WriteString(k + ":" + h[k] + "\n")
	}
	signed := strings.Join(names, ";")
	canon.WriteString("\n" + signed + "\n" + h["x-acs-content-sha256"])
	sum := sha256.Sum256([]byte(canon.String()))
	mac := hmac.New(sha256.New, []byte(emulator.DefaultAccessKeySecret))
	mac.Write([]byte("ACS3-HMAC-SHA256\n" + hex.EncodeToString(sum[:])))
	for k, v := range h {
		if k != "host" {
			req.Header.Set(k, v)
		}
	}
	req.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential="+emulator.DefaultAccessKeyID+",SignedHeaders="+signed+",Signature="+hex.EncodeToString(mac.Sum(nil)))
	return req
}

// TestRawSignerMatchesServer keeps the benchmark's signer honest.
func TestRawSignerMatchesServer(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, Now: time.Now})
	id, err := e.AddTask(region, emulator.TaskInfo{SourceType: "live", DstUrl: "rtmp://push.example.com/app/raw"})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(signedDescribe(e.Endpoint(), id, 1))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

// BenchmarkServeHTTPDescribe: the emulator's handler alone (signature
// verification, lookup, JSON answer) without sockets; the request is
// signed inside the loop by our own signer.
func BenchmarkServeHTTPDescribe(b *testing.B) {
	e, id := benchSetup(b)
	var seq atomic.Int64
	var failed atomic.Int64
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := signedDescribe(e.Endpoint(), id, seq.Add(1))
			req.RemoteAddr = "127.0.0.1:1"
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != 200 {
				failed.Add(1)
			}
		}
	})
	reportRate(b, start)
	if n := failed.Load(); n != 0 {
		b.Fatalf("%d calls failed", n)
	}
}
