package liveapi

import (
	"errors"
	"regexp"
	"strconv"
)

// Account conditions the Create documentation lists. Both are answered
// before anything is created and cannot heal by repeating the call, so the
// retry loop fails them at once (classifyAPI: every 4xx that is not
// throttling is permanent).
const (
	// CodeInvalidAliUid: the account has no ApsaraVideo Live domain ("This
	// aliuid does not have a live domain name.").
	CodeInvalidAliUid = "CodeInvalidAliUid"
)

// taskLimitRe finds a limit in a CodeNotEnoughResource message: "limit of
// 100", "maximum: 100", or "already has 100 tasks". The documented message
// ("Exceeded configuration limits or insufficient resources.") states none.
var taskLimitRe = regexp.MustCompile(`(?i)(?:limit|maximum|quota)(?:\s+is|\s+of|:)?\s+(\d+)|(\d+)\s+(?:pull-to-push\s+)?tasks?\b`)

// TaskLimit returns the limit that err's CodeNotEnoughResource answer
// states, or false when err is another error or the message states none.
func TaskLimit(err error) (int, bool) {
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != CodeNotEnoughResource {
		return 0, false
	}
	m := taskLimitRe.FindStringSubmatch(ae.Message)
	if m == nil {
		return 0, false
	}
	digits := m[1]
	if digits == "" {
		digits = m[2]
	}
	n, convErr := strconv.Atoi(digits)
	return n, convErr == nil
}
