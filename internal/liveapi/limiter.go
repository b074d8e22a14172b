package liveapi

import (
	"context"
	"errors"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultRateLimit is the service's quota: calls per second per account for
// each pull-to-push operation.
const DefaultRateLimit = 10.0

// limiterMargin widens the service's one-second window by this fraction
// (105 ms): a call may reuse a slot only 1.105 s after the slot's previous
// call.
//
// Why: the service counts the calls of a sliding one-second window
// where it receives them. Calls that leave the client on schedule can
// arrive closer together (network jitter, a process that was not scheduled
// for a while); the margin is how much such compression the limiter absorbs
// before the service sees an 11th call in a window. It costs throughput in
// the same proportion in steady state.
const limiterMargin = 0.105

// windowLimiter matches the service's sliding window: it holds one
// golang.org/x/time/rate token bucket (burst 1) per call the window admits,
// each refilling once per window. A call takes any bucket that has its
// token at the moment of the call, so no window of 1.105 s ever holds more
// than n calls, while a burst of n calls after a quiet second goes out at
// once (a single bucket refilling n times per window would spread a burst
// of n calls over most of a window instead).
//
// Tokens are taken with Allow at the real time of the call, never reserved
// ahead: a goroutine that wakes late (a busy machine) takes a token late,
// so a late call cannot bunch up with the calls scheduled after it.
type windowLimiter struct {
	slots []*rate.Limiter
}

// newWindowLimiter admits perSecond calls per second: n = floor(perSecond)
// calls (at least 1) per window of n/perSecond seconds, widened by
// limiterMargin.
func newWindowLimiter(perSecond float64) *windowLimiter {
	n := max(1, int(math.Floor(perSecond)))
	window := time.Duration(float64(n) / perSecond * (1 + limiterMargin) * float64(time.Second))
	w := &windowLimiter{slots: make([]*rate.Limiter, n)}
	for i := range w.slots {
		w.slots[i] = rate.NewLimiter(rate.Every(window), 1)
	}
	return w
}

// window is the time after which a slot may be used again.
func (w *windowLimiter) window() time.Duration {
	return time.Duration(float64(time.Second) / float64(w.slots[0].Limit()))
}

// allowAt takes a token at time t if a slot has one; otherwise it returns
// how long until the first slot refills.
func (w *windowLimiter) allowAt(t time.Time) (bool, time.Duration) {
	wait := time.Duration(math.MaxInt64)
	for _, s := range w.slots {
		if s.AllowN(t, 1) {
			return true, 0
		}
		need := (1 - s.TokensAt(t)) / float64(s.Limit())
		if d := time.Duration(need * float64(time.Second)); d < wait {
			wait = d
		}
	}
	return false, max(wait, time.Millisecond)
}

// wait blocks until the call may go out, ctx ends, or ctx's deadline would
// pass first.
func (w *windowLimiter) wait(ctx context.Context) error {
	for {
		ok, d := w.allowAt(time.Now())
		if ok {
			return nil
		}
		if dl, has := ctx.Deadline(); has && time.Now().Add(d).After(dl) {
			return errLimiterDeadline
		}
		if err := sleepCtx(ctx, d); err != nil {
			return err
		}
	}
}

// limiterKey identifies one quota: the service limits calls per account and
// per operation. The region is deliberately not part of the key: all live
// centers are served by one endpoint and the quota is documented per
// account, so tasks in two regions of one account share it (the stricter
// reading). The endpoint is part of it so that separate emulators (or the
// real service and an emulator) in one process do not share a limiter.
type limiterKey struct {
	identity  string // access key ID (the first one seen for the client)
	endpoint  string
	operation string
	perSecond float64
}

// limiters is the process-wide registry: every Client with the same access
// key and endpoint shares the limiter of each operation, so two provider
// configurations (aliases) of one account together stay under the quota.
var limiters = struct {
	sync.Mutex
	m map[limiterKey]*windowLimiter
}{m: map[limiterKey]*windowLimiter{}}

// sharedLimiter returns the registry's limiter for the key, creating it.
// Clients that configure different rates for the same quota get separate
// limiters (each honours its own setting).
func sharedLimiter(k limiterKey) *windowLimiter {
	limiters.Lock()
	defer limiters.Unlock()
	l, ok := limiters.m[k]
	if !ok {
		l = newWindowLimiter(k.perSecond)
		limiters.m[k] = l
	}
	return l
}

// waitLimiter waits for the operation's turn. It returns at once when the
// client-side limiter is off, and an error when ctx ends first or its
// deadline would pass before the turn comes.
func (c *Client) waitLimiter(ctx context.Context, op string) error {
	if c.rateLimit <= 0 {
		return nil
	}
	id, err := c.identity()
	if err != nil {
		return err
	}
	l := sharedLimiter(limiterKey{identity: id, endpoint: c.endpoint, operation: op, perSecond: c.rateLimit})
	return l.wait(ctx)
}

// errLimiterDeadline: the limiter's turn would come after ctx's deadline.
var errLimiterDeadline = errors.New("rate limiter wait would exceed the deadline")
