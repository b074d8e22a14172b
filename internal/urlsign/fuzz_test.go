package urlsign

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzSign checks what holds for every URL Sign accepts: the result parses
// as a URL, carries exactly one auth_key, verifies with the key until its
// timestamp, and signing it again changes nothing.
func FuzzSign(f *testing.F) {
	for _, u := range []string{
		"rtmp://push.example.com/live/news",
		"rtmp://push.example.com/live/news?vhost=a&auth_key=1-0-0-x",
		"RTMP://Push.Example.com:1935/live/news%20hd?&a=1&&",
		"https://example.com/image/阿里云.jpg",
		"http://user@h/a b/c?x=y z",
		"rtmp://h/%zz",
		"rtmp://h/a#f",
	} {
		f.Add(u, "key", int64(1796133600))
	}
	f.Fuzz(func(t *testing.T, raw, key string, ts int64) {
		at := time.Unix(ts, 0)
		out, err := Sign(raw, key, at)
		if err != nil {
			return
		}
		if _, err := url.Parse(out); err != nil {
			t.Fatalf("Sign(%q) = %q, which does not parse: %v", raw, out, err)
		}
		if n := strings.Count("&"+out[strings.IndexByte(out, '?')+1:], "&"+Param+"="); n != 1 {
			t.Fatalf("Sign(%q) = %q holds %d auth_key", raw, out, n)
		}
		if err := Verify(out, key, at); err != nil {
			t.Fatalf("Verify(Sign(%q) = %q): %v", raw, out, err)
		}
		if err := Verify(out, key, at.Add(time.Second)); err == nil {
			t.Fatalf("Verify(%q) passed after its timestamp", out)
		}
		again, err := Sign(out, key, at)
		if err != nil || again != out {
			t.Fatalf("Sign(Sign(%q)) = %q, %v; want %q", raw, again, err, out)
		}
	})
}
