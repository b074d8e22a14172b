package emulator_test

import (
	"crypto/md5" //nolint:gosec // type A signing is defined with MD5
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

const pushKey = "s3cr3t-ingest-key"

// signA builds a type A auth_key by hand (not with package urlsign), so the
// emulator's check is tested against an independent signer.
func signA(path string, ts int64, key string) string {
	sum := md5.Sum([]byte(path + "-" + strconv.FormatInt(ts, 10) + "-0-0-" + key)) //nolint:gosec // type A
	return fmt.Sprintf("auth_key=%d-0-0-%x", ts, sum)
}

// TestPushAuthKey: a destination host with an ingest key accepts a task
// whose DstUrl carries a valid auth_key that has not expired when the task
// starts; every other task pushing there fails at its start with
// PushStreamFailed, retries, and goes offline; hosts without a key are not
// affected. Under the emulator's defaults (no variant) and under all variants together.
func TestPushAuthKey(t *testing.T) {
	for _, vs := range [][]emulator.Variant{nil, emulator.AllVariants} {
		t.Run(fmt.Sprint(vs), func(t *testing.T) {
			// The host is normalised: letter case and a trailing dot.
			e := startEmulator(t, emulator.Options{QPS: -1, Variants: vs,
				PushAuthKeys: map[string]string{"Push.Example.com.": pushKey}})
			c := sdk(t, e)
			now := e.Now()
			// The relays start now, or under async once the start shows.
			startAt := now
			if slices.Contains(vs, emulator.VariantAsync) {
				startAt = now.Add(emulator.DefaultAsyncDelay)
			}
			settle := func() { e.Advance(startAt.Sub(now)) }
			exp := now.Add(2 * time.Hour).Unix()
			const base = "rtmp://push.example.com"
			start := func(path, query string) string {
				return create(t, c, runningReq(now, base+path+query))
			}
			valid := start("/live/valid", "?vhost=a&"+signA("/live/valid", exp, pushKey))
			upper := create(t, c, runningReq(now, "RTMP://PUSH.EXAMPLE.COM:1935/live/upper?"+signA("/live/upper", exp, pushKey)))
			untilNow := start("/live/now", "?"+signA("/live/now", startAt.Unix(), pushKey))
			wrongKey := start("/live/wrong", "?"+signA("/live/wrong", exp, "other-key"))
			otherPath := start("/live/path", "?"+signA("/live/other", exp, pushKey))
			expired := start("/live/expired", "?"+signA("/live/expired", startAt.Unix()-1, pushKey))
			missing := start("/live/missing", "?vhost=a")
			handWritten := start("/live/hand", "?auth_key=1767225600-0-0-example")
			noKey := create(t, c, runningReq(now, "rtmp://other.example.com/live/any"))
			settle()
			for _, id := range []string{valid, upper, untilNow, noKey} {
				wantStatus(t, c, id, 1, "")
			}
			for _, id := range []string{wrongKey, otherPath, expired, missing, handWritten} {
				wantStatus(t, c, id, 2, "PushStreamFailed")
			}
			// The retries find the URL still rejected: offline after
			// RetryCount x RetryInterval, keeping the reason. A relay that
			// runs is not checked again (its auth_key expired meanwhile).
			e.Advance(3 * time.Minute)
			wantStatus(t, c, missing, 3, "PushStreamFailed")
			wantStatus(t, c, untilNow, 1, "")
		})
	}
}

// TestPushAuthKey_checkedAtStart: the auth_key must still be valid when the
// task starts, not when it is created; and removing the host's key lets
// the next retry relay.
func TestPushAuthKey_checkedAtStart(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, PushAuthKeys: map[string]string{"push.example.com": pushKey}})
	c := sdk(t, e)
	now := e.Now()
	// Starts in an hour; signed until 30 minutes from now.
	late := create(t, c, createReq(now, "rtmp://push.example.com/live/late?"+signA("/live/late", now.Add(30*time.Minute).Unix(), pushKey)))
	// Starts in an hour; signed until its start.
	onTime := create(t, c, createReq(now, "rtmp://push.example.com/live/ontime?"+signA("/live/ontime", now.Add(time.Hour).Unix(), pushKey)))
	wantStatus(t, c, late, 0, "")
	e.Advance(time.Hour)
	wantStatus(t, c, late, 2, "PushStreamFailed")
	wantStatus(t, c, onTime, 1, "")
	if err := e.SetPushAuthKey("PUSH.example.com", ""); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c, late, 2, "PushStreamFailed")
	e.Advance(time.Minute) // the first retry
	wantStatus(t, c, late, 1, "")
}

func TestParsePushAuthKey(t *testing.T) {
	host, key, err := emulator.ParsePushAuthKey("Push.Example.com=k=ey")
	if err != nil || host != "push.example.com" || key != "k=ey" {
		t.Fatalf("ParsePushAuthKey = %q, %q, %v", host, key, err)
	}
	for spec, msg := range map[string]string{
		"push.example.com":        `push auth key for "push.example.com": want HOST=KEY with a non-empty key`,
		"push.example.com=":       `push auth key for "push.example.com": want HOST=KEY with a non-empty key`,
		"=key":                    `push auth key: host "" must be a host name without scheme, port or path, such as push.example.com`,
		"push.example.com:1935=k": `push auth key: host "push.example.com:1935" must be a host name without scheme, port or path, such as push.example.com`,
		"rtmp://push.example.com=k": `push auth key: host "rtmp://push.example.com" must be a host name without scheme, port or path, ` +
			`such as push.example.com`,
	} {
		if _, _, err := emulator.ParsePushAuthKey(spec); err == nil || err.Error() != msg {
			t.Errorf("ParsePushAuthKey(%q) = %v, want %q", spec, err, msg)
		}
	}
	if _, err := emulator.New(emulator.Options{PushAuthKeys: map[string]string{"push.example.com": ""}}); err == nil ||
		err.Error() != `emulator: push auth key for "push.example.com": the key must not be empty` {
		t.Errorf("New with an empty key: %v", err)
	}
}

// TestPushAuthControl: the control surface sets and removes keys and lists
// the hosts, never the keys.
func TestPushAuthControl(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, PushAuthKeys: map[string]string{"b.example.com": pushKey}})
	for _, c := range []struct {
		method, body string
		status       int
		want         string
	}{
		{http.MethodGet, "", 200, `{"hosts":["b.example.com"]}`},
		{http.MethodPost, `{"host":"A.example.com","key":"k2"}`, 200, `{"hosts":["a.example.com","b.example.com"]}`},
		{http.MethodPost, `{"host":"b.example.com","key":""}`, 200, `{"hosts":["a.example.com"]}`},
		{http.MethodPost, `{"host":"a.example.com"}`, 400,
			`{"Code":"InvalidParameter","Message":"The body must be JSON {\"host\":\"push.example.com\",\"key\":\"<ingest key>\"} (\"\" removes the key)."}`},
		{http.MethodPost, `{"host":"a.example.com:1935","key":"k"}`, 400,
			`{"Code":"InvalidParameter","Message":"emulator: push auth key: host \"a.example.com:1935\" must be a host name without scheme, port or path, such as push.example.com"}`},
		{http.MethodDelete, "", 405, `{"Code":"MethodNotAllowed","Message":"Use GET or POST on /_emulator/pushauth."}`},
	} {
		if status, body := control(t, e, c.method, "pushauth", c.body); status != c.status || body != c.want {
			t.Errorf("%s %s: %d %s, want %d %s", c.method, c.body, status, body, c.status, c.want)
		}
	}
	if got := e.PushAuthHosts(); !slices.Equal(got, []string{"a.example.com"}) {
		t.Errorf("PushAuthHosts = %v", got)
	}
	// Reset keeps the keys: they are configuration.
	e.Reset()
	if got := e.PushAuthHosts(); !slices.Equal(got, []string{"a.example.com"}) {
		t.Errorf("PushAuthHosts after Reset = %v", got)
	}
}
