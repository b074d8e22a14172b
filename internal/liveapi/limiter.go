package liveapi

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/alilive/terraform-provider-alilive/internal/ratelimit"
)

// limiterKey identifies one quota: the service limits calls per account and
// per operation. The region is deliberately not part of the key: all live
// centers are served by one endpoint and the quota is documented per
// account, so tasks in two regions of one account share it (the stricter
// reading). The endpoint is part of it so that separate emulators (or the
// real service and an emulator) do not share a limiter.
type limiterKey struct {
	identity  string // "account:<id>", or the access key ID when the account is unknown (quotaIdentity)
	endpoint  string
	operation string
	perSecond float64
	dir       string // shared directory, "" for this process only
}

// limiters is the process-wide registry: every Client that acts for the
// same account at the same endpoint shares the limiter of each operation, so two provider
// configurations (aliases) of one account together stay under the quota.
var limiters = struct {
	sync.Mutex
	m    map[limiterKey]*ratelimit.Limiter
	dirs map[string]*sharedDir
}{m: map[limiterKey]*ratelimit.Limiter{}, dirs: map[string]*sharedDir{}}

// sharedDir is a directory opened (or not) for sharing limiters; err
// stays until it is logged once.
type sharedDir struct {
	dir    *ratelimit.Dir
	err    error
	logged bool
}

// sharedLimiter returns the registry's limiter for the key, creating it.
// Clients that configure different rates for the same quota get separate
// limiters (each honours its own setting); with a shared directory they
// still count each other's calls.
func sharedLimiter(k limiterKey) (*ratelimit.Limiter, *sharedDir) {
	limiters.Lock()
	defer limiters.Unlock()
	var sd *sharedDir
	if k.dir != "" {
		sd = limiters.dirs[k.dir]
		if sd == nil {
			d, err := ratelimit.OpenDir(k.dir)
			sd = &sharedDir{dir: d, err: err}
			limiters.dirs[k.dir] = sd
		}
	}
	l, ok := limiters.m[k]
	if !ok {
		opts := ratelimit.Options{Name: ratelimit.Name(k.identity, k.endpoint, k.operation)}
		if sd != nil && sd.dir != nil {
			opts.Dir = sd.dir
		}
		l = ratelimit.New(k.perSecond, opts)
		limiters.m[k] = l
	}
	return l, sd
}

// waitLimiter waits for the operation's turn and returns the call's
// permit, which the caller ends with the outcome. It returns a nil permit
// at once when the client-side limiter is off, and an error when ctx ends
// first or its deadline would pass before the turn comes.
func (c *Client) waitLimiter(ctx context.Context, op string) (*ratelimit.Permit, error) {
	if c.rateLimit <= 0 {
		return nil, nil
	}
	id, err := c.quotaIdentity()
	if err != nil {
		return nil, err
	}
	dir, dirErr := c.rateLimitDir()
	l, sd := sharedLimiter(limiterKey{identity: id, endpoint: c.endpoint, operation: op, perSecond: c.rateLimit, dir: dir})
	if c.shareRateLimit {
		c.logFallback(ctx, dir, dirErr, sd, l)
	}
	p, err := l.Wait(ctx)
	if errors.Is(err, ratelimit.ErrDeadline) {
		err = errLimiterDeadline
	}
	return p, err
}

// noCacheDirLogged: the user's cache directory could not be found (it is
// said once per process).
var noCacheDirLogged atomic.Bool

// logFallback logs, once per cause, that the limiters count this process's
// calls only although sharing was asked for: the user's cache directory is
// unknown, the directory cannot be written (once per directory), or a
// limiter gave up its shared log (once per limiter).
func (c *Client) logFallback(ctx context.Context, dir string, dirErr error, sd *sharedDir, l *ratelimit.Limiter) {
	var cause error
	switch {
	case dirErr != nil:
		if noCacheDirLogged.CompareAndSwap(false, true) {
			cause = dirErr
		}
	case sd != nil && sd.err != nil:
		limiters.Lock()
		if !sd.logged {
			sd.logged = true
			cause = sd.err
		}
		limiters.Unlock()
	default:
		cause = l.Fallback()
	}
	if cause == nil {
		return
	}
	c.debug(ctx, "alilive rate limiter is not shared with other processes on this host; it counts this "+
		"process's calls only", map[string]any{"directory": dir, "error": c.scrub(cause.Error())})
}

// errLimiterDeadline: the limiter's turn would come after ctx's deadline.
var errLimiterDeadline = errors.New("rate limiter wait would exceed the deadline")
