package urlsign

import (
	"strings"
	"testing"
	"time"
)

func TestRedact(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"rtmp://push.example.com/live/a?auth_key=1767225600-0-0-0123456789abcdef0123456789abcdef",
			"rtmp://push.example.com/live/a"},
		{"rtmp://push.example.com/live/a?x=1&auth_key=secret&y=2", "rtmp://push.example.com/live/a?x=1&y=2"},
		{"rtmp://push.example.com/live/a?auth_key=secret&y=2", "rtmp://push.example.com/live/a?y=2"},
		{"rtmp://push.example.com/live/a?x=1&AUTH_KEY=secret", "rtmp://push.example.com/live/a?x=1"},
		{"rtmp://push.example.com/live/a?x=1&Auth%5FKey%3Dsecret", "rtmp://push.example.com/live/a?x=1"},
		{"rtmp://push.example.com/a?auth_key=s1&auth_key=s2", "rtmp://push.example.com/a"},
		{`dst_url "rtmp://user:pass@push.example.com/live/a?auth_key=secret" is used`,
			`dst_url "rtmp://push.example.com/live/a" is used`},
		{"https://user@media.example.com/a.mp4 and http://u:p@cb.example.com/x",
			"https://media.example.com/a.mp4 and http://cb.example.com/x"},
		{`"auth_key=secret"`, `""`},
		{"no URL here, mail me at ops@example.com", "no URL here, mail me at ops@example.com"},
		{"rtmp://push.example.com/live/a?x=1", "rtmp://push.example.com/live/a?x=1"},
	} {
		if got := Redact(c.in); got != c.want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

// A signed URL, redacted inside any text, never shows its auth_key's hash
// or the key; the rest of the URL stays.
func TestRedactSigned(t *testing.T) {
	signed, err := Sign("rtmp://push.example.com/live/stream?vhost=a", "ingest-key", time.Unix(1767225600, 0))
	if err != nil {
		t.Fatal(err)
	}
	hash := signed[strings.LastIndex(signed, "-")+1:]
	got := Redact("the task pushes to " + signed + ".")
	if strings.Contains(got, hash) || strings.Contains(got, "auth_key") {
		t.Errorf("Redact left the auth_key: %q", got)
	}
	if want := "the task pushes to rtmp://push.example.com/live/stream?vhost=a."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func FuzzRedact(f *testing.F) {
	f.Add("rtmp://u:p@h/a?auth_key=SECRET&x=1", "SECRET")
	f.Add("x AUTH_KEY=SECRET y", "SECRET")
	f.Fuzz(func(t *testing.T, prefix, secret string) {
		if len(secret) < 4 || strings.ContainsAny(secret, "&#\"'\\<> \t\n\r\f\v@/?%=") {
			return
		}
		for _, text := range []string{
			prefix + " rtmp://push.example.com/a?auth_key=" + secret,
			prefix + " rtmp://push.example.com/a?x=1&Auth_Key=" + secret + "&y=2",
			prefix + " rtmp://" + secret + "@push.example.com/a",
			prefix + " rtmp://user:" + secret + "@push.example.com/a",
		} {
			if got := Redact(text); strings.Contains(got, "="+secret) || strings.Contains(got, secret+"@") ||
				strings.Contains(got, ":"+secret+"@") {
				t.Errorf("Redact(%q) = %q keeps the secret", text, got)
			}
		}
	})
}
