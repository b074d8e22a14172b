package ratelimit

import (
	"math"
	"sync"
	"time"
)

// Constants of the adaptive rate, relative to the configured rate (the
// ceiling). The AWS SDKs' adaptive retry mode cuts its rate by a factor on
// every throttled answer and regains it along a CUBIC curve within
// seconds; at a quota of only a few calls per second shared by several
// hosts, that meets about one throttled call in five (measured with the
// simulation in TestAdaptiveHostsConvergeNearTheirFairShare), and the
// service says each of them hurts the whole account. The choices below
// meet a few in a hundred and still use over 80% of the quota.
const (
	// cutShare is the fraction of its share of the service's window a
	// process keeps right after a throttled answer.
	cutShare = 0.7
	// increase is the additive increase, per second since the last cut,
	// as a fraction of the ceiling (0.02 calls per second per second at
	// 10 calls per second): slow enough that five hosts together cross
	// the quota again only every several seconds, and, being the same for
	// every process, what moves their shares towards equal (AIMD).
	increase = 0.002
	// quietAfter: once this long has passed without a throttled answer,
	// the rate grows along a cubic curve (cubicScale times the ceiling
	// times the cube of the seconds beyond quietAfter) on top of the
	// additive increase, so a process whose rate was cut by a passing
	// burst of another tool is back at the ceiling within about ten
	// seconds more.
	quietAfter = 30 * time.Second
	cubicScale = 0.001
	// minRate is the floor of the adaptive rate, as a fraction of the
	// ceiling, and never above one call per second.
	minRate = 0.05
)

// adaptive is the rate at which one process paces the calls of one quota,
// following the throttled answers it gets. Processes that share nothing
// (on separate hosts) learn about each other only from those answers.
//
// A throttled answer means the service's one-second window held a full
// quota of calls. The calls this process had answered in the last second
// (at least one, at most its rate) are its share of that window, so it
// cuts its rate to cutShare times that share: when every process does the
// same, together they ask for cutShare times the quota, and one round of
// cuts ends the throttling however many processes there are (a cut of the
// rate itself needs several rounds when many processes share the quota,
// and each round costs throttled calls). A throttled call that was
// admitted before the last cut does not cut again: it was sent at the old
// rate. The rate then grows back additively (see increase and quietAfter)
// up to the configured rate.
type adaptive struct {
	mu       sync.Mutex
	ceiling  float64 // the configured rate
	rate     float64 // current rate, <= ceiling
	cutRate  float64 // the rate right after the last cut
	lastCut  time.Time
	accepted []time.Time // this process's answered calls in the last second, oldest first
}

func newAdaptive(ceiling float64) *adaptive {
	return &adaptive{ceiling: ceiling, rate: ceiling}
}

// trim drops the accepted calls older than one second.
func (a *adaptive) trim(now time.Time) {
	i := 0
	for i < len(a.accepted) && !a.accepted[i].After(now.Add(-time.Second)) {
		i++
	}
	a.accepted = a.accepted[i:]
}

// onAccepted records an answered call (not throttled) at now and returns
// the rate to use from now on.
func (a *adaptive) onAccepted(now time.Time) float64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.trim(now)
	a.accepted = append(a.accepted, now)
	if a.rate < a.ceiling {
		t := now.Sub(a.lastCut).Seconds()
		quiet := max(0, t-quietAfter.Seconds())
		grown := a.cutRate + a.ceiling*(increase*t+cubicScale*quiet*quiet*quiet)
		a.rate = min(a.ceiling, max(a.rate, grown))
	}
	return a.rate
}

// onThrottled records a throttled answer at now to a call admitted at
// start. It returns the rate to use from now on and whether it was cut.
func (a *adaptive) onThrottled(start, now time.Time) (float64, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if start.Before(a.lastCut) {
		return a.rate, false
	}
	a.trim(now)
	share := min(max(float64(len(a.accepted)), 1), a.rate)
	a.rate = max(a.floor(), share*cutShare)
	a.cutRate = a.rate
	a.lastCut = now
	return a.rate, true
}

// floor is the lowest rate.
func (a *adaptive) floor() float64 {
	return min(a.ceiling*minRate, 1)
}

// current returns the rate.
func (a *adaptive) current() float64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.rate
}

// waitAfterThrottle is how long after a throttled answer the next call of
// the process may go at the earliest: the service's advice (timeLeft) plus
// a random part of one interval at the new rate, so that processes given
// the same advice do not all come back at the same instant. jitter is in
// [0, 1).
func waitAfterThrottle(timeLeft time.Duration, rate, jitter float64) time.Duration {
	return timeLeft + time.Duration(jitter*float64(time.Second)/math.Max(rate, 1e-3))
}
