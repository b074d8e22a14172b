package liveapi

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultRateLimit is the service's quota: calls per second per account for
// each pull-to-push operation.
const DefaultRateLimit = 10.0

// limiterMargin widens the interval between two calls of one operation by
// this fraction of the nominal interval (10.5 ms at 10 calls per second).
//
// Why: the service counts calls in a sliding one-second window. A token
// bucket with burst 1 and interval exactly 1/rate lets rate+1 calls fall
// into a closed one-second window (t=0 and t=1000 ms both count), and
// network jitter can bunch calls that left 100 ms apart so that they arrive
// 95 ms apart. With an interval of 110.5 ms and burst 1, the 11th call of a
// series leaves at least 1105 ms after the first, so the server's window
// only sees more than 10 calls if the network compresses a second of
// traffic by more than 105 ms. The cost is about 10% of throughput
// (9.05 calls per second instead of 10), well inside the 1.2x budget for
// bulk operations.
const limiterMargin = 0.105

// limiterInterval is the spacing the limiter enforces for a rate.
func limiterInterval(perSecond float64) time.Duration {
	return time.Duration(float64(time.Second) / perSecond * (1 + limiterMargin))
}

// newLimiter returns a token bucket with burst 1: no accumulated tokens, so
// a one-second window can never see more than floor(1s/interval)+1 calls.
func newLimiter(perSecond float64) *rate.Limiter {
	return rate.NewLimiter(rate.Every(limiterInterval(perSecond)), 1)
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
	m map[limiterKey]*rate.Limiter
}{m: map[limiterKey]*rate.Limiter{}}

// sharedLimiter returns the registry's limiter for the key, creating it.
// Clients that configure different rates for the same quota get separate
// limiters (each honours its own setting).
func sharedLimiter(k limiterKey) *rate.Limiter {
	limiters.Lock()
	defer limiters.Unlock()
	l, ok := limiters.m[k]
	if !ok {
		l = newLimiter(k.perSecond)
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
	if err := l.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return errLimiterDeadline
	}
	return nil
}

// errLimiterDeadline: the limiter's turn would come after ctx's deadline.
var errLimiterDeadline = errors.New("rate limiter wait would exceed the deadline")
