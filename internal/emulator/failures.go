// Why a task cannot relay when it starts, and whether the cause of a
// failure has healed at a retry.

package emulator

import (
	"net/url"
	"strings"
	"time"
)

// Causes of a recovering task's failure: they decide whether it heals.
const (
	causeManual      = ""            // FailTask or PatchTask: goes offline after its retries
	causeSource      = "source"      // a source host under .invalid
	causeDestination = "destination" // the destination host under .invalid
	causeConflict    = "conflict"    // another running task pushes to DstUrl
	causeFlaky       = "flaky"       // drawn by the flaky variant
	causePushAuth    = "push-auth"   // the destination host's ingest key rejects DstUrl
)

// invalidHost reports whether raw is a URL whose host lies in the
// reserved .invalid domain (RFC 2606), which never resolves.
func invalidHost(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	return h == "invalid" || strings.HasSuffix(h, ".invalid")
}

// startFailureLocked says why t cannot relay when it starts running at
// at: a source or destination host under .invalid, a destination host
// with an ingest key and no valid auth_key in DstUrl, or, with
// dst-conflict-at-runtime, another running task pushing to its DstUrl.
func (s *Server) startFailureLocked(t *task, at time.Time) (reason, cause string) {
	for _, u := range t.SourceUrls {
		if invalidHost(u) {
			return ReasonPullStreamFailed, causeSource
		}
	}
	if invalidHost(t.DstUrl) {
		return ReasonPushStreamFailed, causeDestination
	}
	if s.pushAuthRejectsLocked(t, at) {
		return ReasonPushStreamFailed, causePushAuth
	}
	if s.on(VariantDstConflictAtRuntime) && s.dstTakenLocked(t) {
		return ReasonPushStreamFailed, causeConflict
	}
	return "", ""
}

// dstTakenLocked reports whether another running task of t's account
// pushes to t's DstUrl.
func (s *Server) dstTakenLocked(t *task) bool {
	for _, o := range s.order {
		if o != t && o.Account == t.Account && o.Status == StatusRunning && o.DstUrl == t.DstUrl {
			return true
		}
	}
	return false
}

// healedLocked reports whether the cause of a recovering task's failure
// is gone at its current retry, at.
func (s *Server) healedLocked(t *task, at time.Time) bool {
	switch t.Cause {
	case causeSource, causeDestination, causePushAuth:
		reason, _ := s.startFailureLocked(t, at)
		return reason == ""
	case causeConflict:
		return !s.dstTakenLocked(t)
	case causeFlaky:
		return t.RecoverTick > 0 && t.Retries == t.RecoverTick
	}
	return false
}
