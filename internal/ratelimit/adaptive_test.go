package ratelimit

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestAdaptiveCutsToItsShareAndRecovers(t *testing.T) {
	a := newAdaptive(10)
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	// Four calls answered in the last second: this process's share of the
	// full window the service just refused a call from.
	for i := range 4 {
		a.onAccepted(t0.Add(time.Duration(i) * 100 * time.Millisecond))
	}
	at := t0.Add(500 * time.Millisecond)
	r, cut := a.onThrottled(at, at)
	if !cut || math.Abs(r-4*cutShare) > 1e-9 {
		t.Fatalf("after the throttle: rate %v (cut %v), want %v", r, cut, 4*cutShare)
	}
	// A call admitted before the cut was sent at the old rate: its
	// throttled answer does not cut again.
	if r, cut := a.onThrottled(at.Add(-time.Millisecond), at.Add(10*time.Millisecond)); cut || math.Abs(r-4*cutShare) > 1e-9 {
		t.Fatalf("second throttle of an older call: rate %v, cut %v", r, cut)
	}
	// Additive increase of 0.02 calls per second per second...
	if got := a.onAccepted(at.Add(10 * time.Second)); math.Abs(got-(2.8+0.2)) > 1e-9 {
		t.Fatalf("rate 10 s after the cut = %v, want 3.0", got)
	}
	// ... then, after 30 quiet seconds, a cubic climb to the ceiling.
	if got := a.onAccepted(at.Add(35 * time.Second)); math.Abs(got-(2.8+0.7+1.25)) > 1e-9 {
		t.Fatalf("rate 35 s after the cut = %v, want 4.75", got)
	}
	if got := a.onAccepted(at.Add(40 * time.Second)); got != 10 {
		t.Fatalf("rate 40 s after the cut = %v, want the ceiling 10", got)
	}
}

func TestAdaptiveWithNothingAcceptedCutsTheRate(t *testing.T) {
	a := newAdaptive(10)
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	// Nothing answered in the last second: the share counts as one call.
	r, _ := a.onThrottled(now, now)
	if want := 1 * cutShare; math.Abs(r-want) > 1e-9 {
		t.Fatalf("rate = %v, want %v", r, want)
	}
	for range 20 {
		now = now.Add(time.Millisecond)
		r, _ = a.onThrottled(now, now)
	}
	if r != 0.5 {
		t.Fatalf("rate after many throttles = %v, want the floor 0.5", r)
	}
}

func TestWaitAfterThrottle(t *testing.T) {
	if got := waitAfterThrottle(300*time.Millisecond, 2, 0.5); got != 550*time.Millisecond {
		t.Fatalf("wait = %v, want 300ms advice + half of a 500ms interval", got)
	}
}

// simulateHosts runs k processes that share nothing against a service
// that admits quota calls in any sliding second, on a simulated clock:
// each process sends as fast as its adaptive rate allows and holds its
// calls for the advice of a throttled answer, as a Limiter does. It
// returns the answered and throttled calls per process.
func simulateHosts(k int, quota int, d time.Duration, starts []time.Duration) (answered, throttled []int) {
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	type proc struct {
		a    *adaptive
		next time.Time
	}
	ps := make([]*proc, k)
	for i := range ps {
		ps[i] = &proc{a: newAdaptive(float64(quota)), next: t0.Add(starts[i])}
	}
	answered, throttled = make([]int, k), make([]int, k)
	var window []time.Time // the service's accepted calls
	rng := rand.New(rand.NewPCG(1, 2))
	const rtt = 2 * time.Millisecond
	for {
		first := 0
		for i, p := range ps {
			if p.next.Before(ps[first].next) {
				first = i
			}
		}
		p := ps[first]
		now := p.next
		if now.Sub(t0) > d {
			return answered, throttled
		}
		for len(window) > 0 && !window[0].After(now.Add(-time.Second)) {
			window = window[1:]
		}
		if len(window) < quota {
			window = append(window, now)
			answered[first]++
			r := p.a.onAccepted(now.Add(rtt))
			p.next = now.Add(time.Duration(float64(time.Second) / r))
			continue
		}
		throttled[first]++
		r, _ := p.a.onThrottled(now, now.Add(rtt))
		timeLeft := window[0].Add(time.Second).Sub(now)
		p.next = now.Add(waitAfterThrottle(timeLeft, r, rng.Float64()))
	}
}

// TestAdaptiveHostsConvergeNearTheirFairShare: five processes on five
// hosts start within 300 ms of each other, each allowed the whole quota,
// and run for three minutes. They must end up with similar shares, use
// most of the quota, and meet few throttled answers.
func TestAdaptiveHostsConvergeNearTheirFairShare(t *testing.T) {
	const k, quota = 5, 10
	d := 3 * time.Minute
	answered, throttled := simulateHosts(k, quota, d, []time.Duration{0, 75 * time.Millisecond,
		150 * time.Millisecond, 225 * time.Millisecond, 300 * time.Millisecond})
	total, thr := 0, 0
	for i := range answered {
		total += answered[i]
		thr += throttled[i]
	}
	t.Logf("answered %v (total %d), throttled %v (total %d)", answered, total, throttled, thr)
	if frac := float64(thr) / float64(total+thr); frac > 0.035 {
		t.Errorf("throttled %.1f%% of calls, want at most 3.5%%", 100*frac)
	}
	if use := float64(total) / (d.Seconds() * quota); use < 0.8 {
		t.Errorf("used %.0f%% of the quota, want at least 80%%", 100*use)
	}
	fair := float64(total) / k
	for i, a := range answered {
		if float64(a) < 0.6*fair || float64(a) > 1.4*fair {
			t.Errorf("process %d answered %d calls, fair share %.0f", i, a, fair)
		}
	}
}
