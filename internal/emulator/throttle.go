// Throttling: the per-account, per-operation QPS limit and the header of
// a throttled answer.

package emulator

import (
	"fmt"
	"time"
)

func normQPS(q int) int {
	if q == 0 {
		return DefaultQPS
	}
	if q < 0 {
		return -1
	}
	return q
}

// SetQPS changes the throttling limit (negative turns it off, 0 means
// DefaultQPS) and clears the throttling windows.
func (s *Server) SetQPS(qps int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.qps = normQPS(qps)
	s.windows = map[string]*window{}
}

// headerRateLimit carries the gateway's advice on a throttled answer.
const headerRateLimit = "x-ratelimit-user-api"

// rateLimitHeaderLocked renders the x-ratelimit-user-api header of a
// throttled answer as the gateway sends it:
//
//	Limit:<calls per second>,Remain:0,TimeLeft:<ms>,Reset:<Unix ms>
//
// TimeLeft is the time until the window admits a call again, rounded up to
// a millisecond (0 when the window has room: a throttle injected by a
// fault); Reset is the Unix time in milliseconds at which that is (the
// gateway's own meaning of Reset is undocumented; clients read TimeLeft,
// as the official SDK does).
func (s *Server) rateLimitHeaderLocked(account, op string, now time.Time) string {
	var left time.Duration
	if wd := s.windows[account+"\x00"+op]; wd != nil && s.qps > 0 && len(wd.times) >= s.qps {
		left = max(0, wd.times[len(wd.times)-s.qps].Add(time.Second).Sub(now))
	}
	if r := left % time.Millisecond; r != 0 {
		left += time.Millisecond - r // rounded up: waiting TimeLeft is always enough
	}
	ms := left.Milliseconds()
	limit := max(s.qps, 0)
	return fmt.Sprintf("Limit:%d,Remain:0,TimeLeft:%d,Reset:%d", limit, ms, now.Add(left).UnixMilli())
}

// allowLocked applies the per-account, per-operation QPS limit on the
// wall clock.
func (s *Server) allowLocked(account, op string, now time.Time) bool {
	if s.qps < 0 {
		return true
	}
	key := account + "\x00" + op
	wd := s.windows[key]
	if wd == nil {
		wd = &window{}
		s.windows[key] = wd
	}
	cut := now.Add(-time.Second)
	i := 0
	for i < len(wd.times) && !wd.times[i].After(cut) {
		i++
	}
	wd.times = wd.times[i:]
	if len(wd.times) >= s.qps {
		return false
	}
	wd.times = append(wd.times, now)
	return true
}
