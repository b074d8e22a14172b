package urlsign

import (
	"errors"
	"testing"
	"time"
)

// ts is 2026-12-01T22:00:00+08:00, Unix 1796133600.
var ts = time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC)

const key = "s3cr3t-ingest-key"

// TestSign_vendorVectors signs the examples of Alibaba Cloud's type A
// documentation and expects their published md5hash: the current example
// (/video/standard/test.mp4) and the one of earlier editions
// (/video/standard/1K.html), key aliyuncdnexp1234, timestamp 1444435200.
func TestSign_vendorVectors(t *testing.T) {
	at := time.Unix(1444435200, 0)
	for _, c := range []struct{ in, want string }{
		{"http://domain.example.com/video/standard/test.mp4",
			"http://domain.example.com/video/standard/test.mp4?auth_key=1444435200-0-0-23bf85053008f5c0e791667a313e28ce"},
		{"http://cdn.example.com/video/standard/1K.html",
			"http://cdn.example.com/video/standard/1K.html?auth_key=1444435200-0-0-80cd3862d699b7118eed99103f2a3a4f"},
	} {
		got, err := Sign(c.in, "aliyuncdnexp1234", at)
		if err != nil || got != c.want {
			t.Errorf("Sign(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

// TestSign_cases pins the outputs. The expected values were computed with
// the vendor's Python a_auth (rtmp, http and https schemes allowed) and with
// md5sum(1), not with this package.
func TestSign_cases(t *testing.T) {
	const live = "1796133600-0-0-372beb4b0ac637a452acacadb524bc1d" // md5("/live/news-1796133600-0-0-s3cr3t-ingest-key")
	for _, c := range []struct{ name, in, want string }{
		{"plain", "rtmp://push.example.com/live/news",
			"rtmp://push.example.com/live/news?auth_key=" + live},
		{"query kept in order", "rtmp://push.example.com/live/news?vhost=pull.example.com&txSecret=x",
			"rtmp://push.example.com/live/news?vhost=pull.example.com&txSecret=x&auth_key=" + live},
		{"auth_key replaced", "rtmp://push.example.com/live/news?auth_key=1767225600-0-0-example&vhost=a",
			"rtmp://push.example.com/live/news?vhost=a&auth_key=" + live},
		{"every auth_key replaced", "rtmp://push.example.com/live/news?auth_key=1&a=1&auth_key&auth_key=2",
			"rtmp://push.example.com/live/news?a=1&auth_key=" + live},
		{"other parameters named alike kept", "rtmp://push.example.com/live/news?my_auth_key=1&AUTH_KEY=2",
			"rtmp://push.example.com/live/news?my_auth_key=1&AUTH_KEY=2&auth_key=" + live},
		{"empty items dropped", "rtmp://push.example.com/live/news?&a=1&&",
			"rtmp://push.example.com/live/news?a=1&auth_key=" + live},
		{"trailing question mark", "rtmp://push.example.com/live/news?",
			"rtmp://push.example.com/live/news?auth_key=" + live},
		// md5("/live/news%20hd-1796133600-0-0-s3cr3t-ingest-key")
		{"escapes signed as written", "RTMP://Push.Example.com:1935/live/news%20hd",
			"RTMP://Push.Example.com:1935/live/news%20hd?auth_key=1796133600-0-0-816afa21f41aa13b8c3b9614696e8408"},
		{"space encoded first", "rtmp://push.example.com:1935/live/news hd",
			"rtmp://push.example.com:1935/live/news%20hd?auth_key=1796133600-0-0-816afa21f41aa13b8c3b9614696e8408"},
		{"https streaming URL", "https://play.example.com/live/news.flv",
			"https://play.example.com/live/news.flv?auth_key=1796133600-0-0-7cbb975d885abac697fc55188a5a5c2f"},
	} {
		got, err := Sign(c.in, key, ts)
		if err != nil || got != c.want {
			t.Errorf("%s: Sign(%q) = %q, %v; want %q", c.name, c.in, got, err, c.want)
		}
	}
}

// TestSign_nonASCIIPath encodes a non-ASCII path as the vendor's
// documentation does (阿里云 -> %E9%98%BF%E9%87%8C%E4%BA%91) before signing;
// md5 computed with md5sum(1).
func TestSign_nonASCIIPath(t *testing.T) {
	got, err := Sign("https://example.com/image/阿里云.jpg", "aliyuncdnexp1234", time.Unix(1444435200, 0))
	want := "https://example.com/image/%E9%98%BF%E9%87%8C%E4%BA%91.jpg?auth_key=1444435200-0-0-e157f336888555a85cab7eb10fe673ce"
	if err != nil || got != want {
		t.Errorf("Sign = %q, %v; want %q", got, err, want)
	}
}

func TestSign_rejects(t *testing.T) {
	for _, c := range []struct {
		in, key string
		arg     Arg
		msg     string
	}{
		{"rtmp://push.example.com/live/%zz", key, ArgURL, `url must be a valid URL: invalid URL escape "%zz"`},
		{"push.example.com/live/news", key, ArgURL,
			`url must start with rtmp://, http:// or https:// (the URLs ApsaraVideo Live signs), got "push.example.com/live/news"`},
		{"srt://push.example.com/live/news", key, ArgURL,
			`url must start with rtmp://, http:// or https:// (the URLs ApsaraVideo Live signs), got "srt://push.example.com/live/news"`},
		{"rtmp:push.example.com/live", key, ArgURL,
			`url must start with rtmp://, http:// or https:// (the URLs ApsaraVideo Live signs), got "rtmp:push.example.com/live"`},
		{"rtmp://push.example.com:0/live/news", key, ArgURL, `url must have a port from 1 to 65535, got "rtmp://push.example.com:0/live/news"`},
		{"rtmp://push.example.com:65536/live/news", key, ArgURL, `url must have a port from 1 to 65535, got "rtmp://push.example.com:65536/live/news"`},
		{"rtmp:///live/news", key, ArgURL, `url must have a host, got "rtmp:///live/news"`},
		{"rtmp://push.example.com", key, ArgURL, `url must have a path, such as /AppName/StreamName, got "rtmp://push.example.com"`},
		{"rtmp://push.example.com/?a=1", key, ArgURL, `url must have a path, such as /AppName/StreamName, got "rtmp://push.example.com/?a=1"`},
		{"rtmp://push.example.com/live/news#x", key, ArgURL, `url must not have a fragment (#...), got "rtmp://push.example.com/live/news#x"`},
		{"rtmp://push.example.com/live/news", "", ArgKey,
			"key must not be empty: use the primary or secondary key of the domain's URL signing settings"},
	} {
		_, err := Sign(c.in, c.key, ts)
		var e *Error
		if !errors.As(err, &e) || e.Arg != c.arg || err.Error() != c.msg {
			t.Errorf("Sign(%q, %q) error = %v; want %s: %q", c.in, c.key, err, c.arg, c.msg)
		}
	}
	if _, err := Sign("rtmp://push.example.com/live/news", key, time.Unix(0, 0)); err == nil ||
		err.Error() != "timestamp must lie between 1970-01-01T00:00:01Z and 2286-11-20T17:46:39Z" {
		t.Errorf("Sign at the epoch: %v", err)
	}
}

func TestParseTimestamp(t *testing.T) {
	for in, want := range map[string]int64{
		"2026-12-01T22:00:00+08:00": 1796133600,
		"2026-12-01T14:00:00Z":      1796133600,
		"1970-01-01T00:00:01Z":      1,
		"2286-11-20T17:46:39Z":      9999999999,
	} {
		got, err := ParseTimestamp(in)
		if err != nil || got.Unix() != want {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want Unix %d", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{
		"2026-12-01 22:00:00": `timestamp must be an RFC 3339 time such as 2026-12-01T22:00:00Z or 2026-12-02T06:00:00+08:00, got "2026-12-01 22:00:00"`,
		"1796133600":          `timestamp must be an RFC 3339 time such as 2026-12-01T22:00:00Z or 2026-12-02T06:00:00+08:00, got "1796133600"`,
		"2026-12-01T14:00:00.5Z": `timestamp must be in whole seconds (auth_key holds Unix seconds; remove the fractional part), ` +
			`got "2026-12-01T14:00:00.5Z"`,
		"1970-01-01T00:00:00Z": `timestamp must lie between 1970-01-01T00:00:01Z and 2286-11-20T17:46:39Z (a Unix time of at most ` +
			`ten digits), got "1970-01-01T00:00:00Z"`,
		"2286-11-20T17:46:40Z": `timestamp must lie between 1970-01-01T00:00:01Z and 2286-11-20T17:46:39Z (a Unix time of at most ` +
			`ten digits), got "2286-11-20T17:46:40Z"`,
	} {
		_, err := ParseTimestamp(in)
		var e *Error
		if !errors.As(err, &e) || e.Arg != ArgTimestamp || err.Error() != msg {
			t.Errorf("ParseTimestamp(%q) error = %v; want %q", in, err, msg)
		}
	}
}

// TestVerify checks signatures built by hand (md5 from md5sum(1)), so a
// fault shared by Sign and Verify would still show.
func TestVerify(t *testing.T) {
	const base = "rtmp://push.example.com/live/news"
	exp := time.Unix(1796133600, 0)
	for _, c := range []struct {
		name, url string
		now       time.Time
		want      string
	}{
		{"valid", base + "?auth_key=1796133600-0-0-372beb4b0ac637a452acacadb524bc1d", exp.Add(-time.Hour), ""},
		{"valid until its second", base + "?vhost=a&auth_key=1796133600-0-0-372beb4b0ac637a452acacadb524bc1d", exp, ""},
		{"rand and uid as sent",
			"rtmp://push.example.com/app/stream?auth_key=1796133600-477b3bbc253f467b8def6711128c7bec-0-47e4cc016c7aab34449560dea44a81b1",
			exp, ""},
		{"expired", base + "?auth_key=1796133600-0-0-372beb4b0ac637a452acacadb524bc1d", exp.Add(time.Second),
			"the auth_key expired at 2026-12-01T14:00:00Z"},
		{"wrong key", base + "?auth_key=1796133600-0-0-" + Hash("/live/news", 1796133600, "0", "0", "other"), exp,
			"the auth_key md5hash does not match the path and the key"},
		{"other path", base + "2?auth_key=1796133600-0-0-372beb4b0ac637a452acacadb524bc1d", exp,
			"the auth_key md5hash does not match the path and the key"},
		{"timestamp changed", base + "?auth_key=1796133601-0-0-372beb4b0ac637a452acacadb524bc1d", exp,
			"the auth_key md5hash does not match the path and the key"},
		{"upper-case hash", base + "?auth_key=1796133600-0-0-372BEB4B0AC637A452ACACADB524BC1D", exp,
			"auth_key is not timestamp-rand-uid-md5hash"},
		{"missing", base + "?vhost=a", exp, "the URL has no auth_key"},
		{"twice", base + "?auth_key=1796133600-0-0-372beb4b0ac637a452acacadb524bc1d&auth_key=1796133600-0-0-372beb4b0ac637a452acacadb524bc1d",
			exp, "the URL has 2 auth_key parameters"},
		{"hand-written", base + "?auth_key=1767225600-0-0-example", exp, "auth_key is not timestamp-rand-uid-md5hash"},
		{"five fields", base + "?auth_key=1796133600-0-0-0-372beb4b0ac637a452acacadb524bc1d", exp,
			"auth_key is not timestamp-rand-uid-md5hash"},
		{"eleven digits", base + "?auth_key=17961336000-0-0-372beb4b0ac637a452acacadb524bc1d", exp,
			"the auth_key timestamp is not a Unix time of at most ten digits"},
	} {
		err := Verify(c.url, key, c.now)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("%s: Verify = %q, want %q", c.name, got, c.want)
		}
	}
}

// TestVerify_signed closes the loop: what Sign returns verifies until its
// timestamp and not a second later.
func TestVerify_signed(t *testing.T) {
	u, err := Sign("rtmp://push.example.com/live/news hd?vhost=a&auth_key=old", key, ts)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(u, key, ts); err != nil {
		t.Errorf("Verify(%q) at its timestamp: %v", u, err)
	}
	if err := Verify(u, key, ts.Add(time.Second)); err == nil {
		t.Errorf("Verify(%q) a second after its timestamp passed", u)
	}
	if err := Verify(u, key+"x", ts); err == nil {
		t.Errorf("Verify(%q) with another key passed", u)
	}
}
