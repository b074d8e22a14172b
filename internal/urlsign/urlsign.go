// Package urlsign signs and verifies ApsaraVideo Live URLs with Alibaba
// Cloud's type A URL signing: a query parameter
//
//	auth_key={timestamp}-{rand}-{uid}-{md5hash}
//
// where md5hash is the lower-case hexadecimal MD5 of
// "{path}-{timestamp}-{rand}-{uid}-{key}", timestamp is Unix seconds, and
// key is the primary or secondary key of the domain's URL signing settings.
// It has no Terraform in it: the provider function sign_url and the
// emulator's ingest check both use it.
//
// # The timestamp
//
// The ApsaraVideo Live documentation says a signed URL stops working at
// timestamp plus the validity period configured for the domain, and that
// the signer may put a time later than now into the timestamp to extend it;
// Alibaba Cloud CDN's signing examples call the same field the expiry
// ("current time plus the desired TTL"). This package takes the stricter
// reading of the two: the timestamp is the last second at which the URL is
// accepted (as if the domain's validity period were 0). A URL signed with
// the time until which it must work is then accepted until at least that
// time whatever validity period the domain has.
//
// # The path
//
// The path is signed as it is written in the URL, without its query:
// existing percent-escapes are kept (never decoded or re-encoded), and only
// bytes that cannot appear in a URL at all (spaces and non-ASCII bytes) are
// percent-encoded first, as UTF-8 with upper-case hexadecimal digits, the
// way the vendor's documentation encodes a path before signing it. rand and
// uid are "0", as the documentation's examples set them.
package urlsign

import (
	"crypto/md5" //nolint:gosec // type A signing is defined with MD5
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Param is the query parameter that carries the signature.
const Param = "auth_key"

// Schemes are the URL schemes Sign accepts: the ingest and streaming URLs
// of ApsaraVideo Live that a pull-to-push task pushes to (rtmp) or pulls
// from (rtmp, http-flv and HLS over http or https).
var Schemes = []string{"rtmp", "http", "https"}

// maxTimestamp is the largest timestamp of ten digits, the length the
// documentation gives the field.
const maxTimestamp = 9999999999

// Arg names the input of Sign that an error is about.
type Arg int

// The inputs of Sign, in the order of the provider function's arguments.
const (
	ArgURL Arg = iota
	ArgKey
	ArgTimestamp
)

// String is the argument's name.
func (a Arg) String() string {
	switch a {
	case ArgURL:
		return "url"
	case ArgKey:
		return "key"
	case ArgTimestamp:
		return "timestamp"
	}
	return "argument " + strconv.Itoa(int(a))
}

// Error is a rejected input of Sign. Its message never holds the key.
type Error struct {
	Arg  Arg
	Rule string
}

// Error implements error: "url must ...".
func (e *Error) Error() string { return e.Arg.String() + " " + e.Rule }

func argErr(a Arg, format string, args ...any) error {
	return &Error{Arg: a, Rule: fmt.Sprintf(format, args...)}
}

// ParseTimestamp reads an RFC 3339 time in whole seconds, between
// 1970-01-01T00:00:01Z and the last second whose Unix time has ten digits.
func ParseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, argErr(ArgTimestamp, "must be an RFC 3339 time such as 2026-12-01T22:00:00Z or "+
			"2026-12-02T06:00:00+08:00, got %q", s)
	}
	if t.Nanosecond() != 0 {
		return time.Time{}, argErr(ArgTimestamp, "must be in whole seconds (auth_key holds Unix seconds; remove "+
			"the fractional part), got %q", s)
	}
	if u := t.Unix(); u < 1 || u > maxTimestamp {
		return time.Time{}, argErr(ArgTimestamp, "must lie between 1970-01-01T00:00:01Z and 2286-11-20T17:46:39Z "+
			"(a Unix time of at most ten digits), got %q", s)
	}
	return t, nil
}

// parts is a URL split as it is written.
type parts struct {
	prefix string   // scheme://authority
	path   string   // the path as written, spaces and non-ASCII encoded
	query  []string // the query's non-empty key=value items, in order
}

// split checks raw and cuts it into its parts as written.
func split(raw string) (parts, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return parts{}, argErr(ArgURL, "must be a valid URL: %s", err)
	}
	ok := false
	for _, s := range Schemes {
		ok = ok || strings.EqualFold(u.Scheme, s)
	}
	if !ok || u.Opaque != "" {
		return parts{}, argErr(ArgURL, "must start with rtmp://, http:// or https:// (the URLs ApsaraVideo Live "+
			"signs), got %q", raw)
	}
	if u.Hostname() == "" {
		return parts{}, argErr(ArgURL, "must have a host, got %q", raw)
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return parts{}, argErr(ArgURL, "must have a port from 1 to 65535, got %q", raw)
		}
	}
	if strings.Contains(raw, "#") {
		return parts{}, argErr(ArgURL, "must not have a fragment (#...), got %q", raw)
	}
	rest := raw[len(u.Scheme)+len("://"):]
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	p := parts{prefix: raw[:len(u.Scheme)+len("://")+end]}
	rest = rest[end:]
	query := ""
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest, query = rest[:i], rest[i+1:]
	}
	p.path = escape(rest)
	if strings.Trim(p.path, "/") == "" {
		return parts{}, argErr(ArgURL, "must have a path, such as /AppName/StreamName, got %q", raw)
	}
	for _, item := range strings.Split(query, "&") {
		if item != "" {
			p.query = append(p.query, escape(item))
		}
	}
	return p, nil
}

// escape percent-encodes the bytes that cannot appear in a URL as written:
// spaces, other control bytes and non-ASCII bytes.
func escape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f {
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isAuthKey reports whether a query item is an auth_key parameter.
func isAuthKey(item string) bool {
	name, _, _ := strings.Cut(item, "=")
	return name == Param
}

// Hash is the type A md5hash of path, timestamp, rand, uid and key.
func Hash(path string, timestamp int64, rand, uid, key string) string {
	sum := md5.Sum([]byte(path + "-" + strconv.FormatInt(timestamp, 10) + "-" + rand + "-" + uid + "-" + key)) //nolint:gosec // type A
	return hex.EncodeToString(sum[:])
}

// Sign returns raw with a type A auth_key for key that holds the Unix time
// of expires, rand and uid "0". The query's other items keep their order;
// every auth_key already in it is removed and the new one is appended
// last; empty items (a trailing ? or &) are dropped. A rejected input is
// an *Error naming it.
func Sign(raw, key string, expires time.Time) (string, error) {
	p, err := check(raw, key)
	if err != nil {
		return "", err
	}
	ts := expires.Unix()
	if ts < 1 || ts > maxTimestamp {
		return "", argErr(ArgTimestamp, "must lie between 1970-01-01T00:00:01Z and 2286-11-20T17:46:39Z")
	}
	query := make([]string, 0, len(p.query)+1)
	for _, item := range p.query {
		if !isAuthKey(item) {
			query = append(query, item)
		}
	}
	query = append(query, fmt.Sprintf("%s=%d-0-0-%s", Param, ts, Hash(p.path, ts, "0", "0", key)))
	return p.prefix + p.path + "?" + strings.Join(query, "&"), nil
}

// SignRFC3339 is Sign with the time in RFC 3339 (see ParseTimestamp). The
// inputs are checked in the order url, key, timestamp, and the first
// rejected one is reported.
func SignRFC3339(raw, key, timestamp string) (string, error) {
	if _, err := check(raw, key); err != nil {
		return "", err
	}
	expires, err := ParseTimestamp(timestamp)
	if err != nil {
		return "", err
	}
	return Sign(raw, key, expires)
}

// check checks the URL and the key of Sign.
func check(raw, key string) (parts, error) {
	p, err := split(raw)
	if err != nil {
		return parts{}, err
	}
	if key == "" {
		return parts{}, argErr(ArgKey, "must not be empty: use the primary or secondary key of the domain's URL signing settings")
	}
	return p, nil
}

// Verify reports why raw does not carry a valid type A auth_key for key at
// now, or nil when it does: exactly one auth_key parameter of the form
// timestamp-rand-uid-md5hash (timestamp in digits, rand and uid without
// hyphens, md5hash 32 lower-case hexadecimal digits) whose md5hash matches
// the path as written and whose timestamp is not before now (see the
// package documentation). The reasons never hold the key.
func Verify(raw, key string, now time.Time) error {
	p, err := split(raw)
	if err != nil {
		return err
	}
	var values []string
	for _, item := range p.query {
		if isAuthKey(item) {
			_, v, _ := strings.Cut(item, "=")
			values = append(values, v)
		}
	}
	switch len(values) {
	case 0:
		return errors.New("the URL has no auth_key")
	case 1:
	default:
		return fmt.Errorf("the URL has %d auth_key parameters", len(values))
	}
	f := strings.Split(values[0], "-")
	if len(f) != 4 || !digits(f[0]) || f[1] == "" || f[2] == "" || !lowerHex32(f[3]) {
		return errors.New("auth_key is not timestamp-rand-uid-md5hash")
	}
	ts, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || ts > maxTimestamp {
		return errors.New("the auth_key timestamp is not a Unix time of at most ten digits")
	}
	want := Hash(p.path, ts, f[1], f[2], key)
	if subtle.ConstantTimeCompare([]byte(want), []byte(f[3])) != 1 {
		return errors.New("the auth_key md5hash does not match the path and the key")
	}
	if exp := time.Unix(ts, 0).UTC(); now.After(exp) {
		return fmt.Errorf("the auth_key expired at %s", exp.Format(time.RFC3339))
	}
	return nil
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func lowerHex32(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
