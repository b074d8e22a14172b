package urlsign

import (
	"regexp"
	"strings"
)

// Redaction.
//
// An auth_key lets anyone push to an ingest point until it expires, and the
// user info of a URL (user:password@) is a credential too. Neither may reach
// a message, a log line or an error. Redact removes both from any text:
// every auth_key query parameter (its name in any letter case, also
// percent-encoded as auth%5Fkey, and its value up to the next &, #, white
// space or quote) is dropped together with its separator, and the user info
// of every URL (scheme://user:password@host) is dropped, so that a URL shows
// as it would without them: rtmp://push.example.com/live/a?x=1.

var (
	authKeyParam = regexp.MustCompile(`(?i)([?&])auth(?:_|%5f)key(?:=|%3d)[^&#\s"'\\<>]*(&?)`)
	// A bare auth_key=value with no ? or & before it (a query string alone).
	authKeyBare = regexp.MustCompile(`(?i)\bauth(?:_|%5f)key(?:=|%3d)[^&#\s"'\\<>]*`)
	userInfo    = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s"'\\<>@]*@`)
)

// Redact returns text without any auth_key parameter and without the user
// info of any URL in it. Text without either is returned unchanged.
func Redact(text string) string {
	if !strings.Contains(text, "@") && !containsFold(text, "auth") {
		return text
	}
	text = userInfo.ReplaceAllString(text, "$1")
	for {
		m := authKeyParam.FindStringSubmatchIndex(text)
		if m == nil {
			break
		}
		sep, rest := text[m[2]:m[3]], text[m[4]:m[5]]
		// A sentence's punctuation after the value is not part of it.
		end := m[5]
		if rest == "" {
			for end > m[3] && strings.ContainsRune(".,;:)", rune(text[end-1])) {
				end--
			}
		}
		keep := ""
		switch {
		case sep == "?" && rest == "&":
			keep = "?"
		case sep == "&" && rest == "&":
			keep = "&"
		}
		text = text[:m[0]] + keep + text[end:]
	}
	return authKeyBare.ReplaceAllString(text, "")
}

// containsFold reports whether s contains sub in any letter case.
func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), sub)
}
