package ratelimit

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	mathrand "math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Margin is added to the window a slot is held after its call ended. The
// service's window is measured where it receives calls, and every call is
// received between the moment it was admitted and the moment its answer
// arrived; holding the slot from the answer on makes the guarantee exact,
// so the margin only has to cover the granularity of clocks and timers.
const Margin = 5 * time.Millisecond

// pollInterval is how often a waiter looks again when every slot is held
// by a call in flight in another process (calls of this process wake it
// when they end).
const pollInterval = 3 * time.Millisecond

// ErrDeadline is returned by Wait when the caller's deadline would pass
// before the call's turn.
var ErrDeadline = errors.New("rate limiter wait would exceed the deadline")

// Options of a Limiter.
type Options struct {
	// Dir shares the limiter with the other processes of the host that
	// use the same Name in the same directory; nil counts this process's
	// calls only.
	Dir *Dir
	// Name of the log in Dir; see Name.
	Name string
}

// Name returns the file name under which the limiter of parts (an access
// key ID, an endpoint, an operation...) is shared: the hex SHA-256 of the
// parts, so the file names no key.
func Name(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:])
}

// Limiter admits the calls of one quota: at most n calls per window,
// counted the way the service counts them, in a sliding window, paced at
// an adaptive rate.
//
// The guarantee: at most n calls are in flight or ended less than hold
// ago. A slot is taken when a call is admitted and given back hold after
// its answer arrived (or the attempt failed), so any window of the
// service's length holds at most n of the calls this limiter admitted,
// however the network or the scheduler delays them. With a Dir the slots
// live in a file that every process of the host reads and rewrites under
// a lock, so K processes together admit n calls per window.
//
// On top of the window, calls are paced with a golang.org/x/time/rate
// token bucket (burst 1) at the adaptive rate: the configured rate until a
// throttled answer, then cut and recovering (see adaptive). Pacing also
// spreads a fresh process's first calls instead of sending a full window
// at once, which is what makes separate hosts collide on at most a call
// each when they start together. A throttled answer's advice (the time
// left until the service admits calls again) holds every call of the
// limiter, in every process sharing it, until then.
type Limiter struct {
	n       int
	hold    time.Duration
	ceiling float64

	sem   chan struct{} // one waiter at a time asks the log
	pace  *rate.Limiter // guarded by sem for reservations; SetLimit is safe anywhere
	adapt *adaptive

	mu       sync.Mutex
	local    callLog
	shared   *sharedFile // nil: this process only
	released chan struct{}
	fellBack error // why the shared log was given up, until Fallback reports it
	seq      atomic.Uint64
}

// New returns a limiter of perSecond calls per second: n = floor(perSecond)
// calls (at least 1) per window of n/perSecond seconds. perSecond must be
// greater than 0.
func New(perSecond float64, opts Options) *Limiter {
	n := max(1, int(math.Floor(perSecond)))
	l := &Limiter{
		n:        n,
		hold:     time.Duration(float64(n)/perSecond*float64(time.Second)) + Margin,
		ceiling:  perSecond,
		sem:      make(chan struct{}, 1),
		pace:     rate.NewLimiter(rate.Limit(perSecond), 1),
		adapt:    newAdaptive(perSecond),
		released: make(chan struct{}),
	}
	l.local.window = l.hold
	var seed [8]byte
	_, _ = rand.Read(seed[:])
	l.seq.Store(binary.LittleEndian.Uint64(seed[:]))
	if opts.Dir != nil {
		sf, err := opts.Dir.file(opts.Name)
		if err != nil {
			l.fallBack(err)
		} else {
			l.shared = sf
		}
	}
	return l
}

// Shared reports whether the limiter counts the calls of other processes.
func (l *Limiter) Shared() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.shared != nil
}

// Rate returns the current adaptive rate in calls per second.
func (l *Limiter) Rate() float64 { return l.adapt.current() }

// Window returns how long a slot stays taken after its call ended.
func (l *Limiter) Window() time.Duration { return l.hold }

// wallNow is the wall clock the shared log counts in (tests step it).
var wallNow = time.Now

// procStart anchors monoNanos.
var procStart = time.Now()

// monoNanos is t in Unix nanoseconds on this process's monotonic clock: the
// wall time when the process started plus the monotonic time since. The
// process-local log counts in it, so a step of the wall clock (NTP, a
// resumed virtual machine) never makes its slots look far in the future
// or long past. Only the log shared with other processes must use the wall
// clock, and it drops slots that a step back left in the future
// (callLog.window).
func monoNanos(t time.Time) int64 {
	return procStart.UnixNano() + int64(t.Sub(procStart))
}

// fallBack gives the shared log up; l.mu must be held (or l unpublished).
func (l *Limiter) fallBack(err error) {
	l.shared = nil
	l.fellBack = err
}

// Fallback returns, once, why the limiter stopped sharing its log with
// other processes and now counts this process's calls only; nil otherwise.
func (l *Limiter) Fallback() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	err := l.fellBack
	l.fellBack = nil
	return err
}

// Permit is an admitted call. End it exactly once with Accepted,
// Throttled or Done.
type Permit struct {
	l        *Limiter
	id       uint64
	start    time.Time
	answered atomic.Int64 // Unix nanoseconds; 0 = when the permit ends
	ended    atomic.Bool
}

// AnsweredAt records when the service's answer began to arrive (before
// the permit is ended): the call's slot is held one window from then
// rather than from the end, which may come later by the time it takes to
// read and decode the answer. The service received the call before it
// answered, so the window's guarantee holds.
func (p *Permit) AnsweredAt(t time.Time) {
	p.answered.Store(t.UnixNano())
}

// Wait blocks until a call may start and returns its permit. It fails with
// ErrDeadline at once when ctx's deadline would pass before the turn comes
// (as far as it is known), or with ctx's error when ctx ends first.
func (l *Limiter) Wait(ctx context.Context) (*Permit, error) {
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-l.sem }()
	id := l.seq.Add(1)
	for {
		now := time.Now()
		if tokens := l.pace.TokensAt(now); tokens < 1 {
			d := time.Duration((1 - tokens) / float64(l.pace.Limit()) * float64(time.Second))
			if err := l.sleep(ctx, max(d, time.Millisecond), true, nil); err != nil {
				return nil, err
			}
			continue
		}
		l.mu.Lock()
		wake := l.released
		l.mu.Unlock()
		ok, wait := l.admit(id)
		if ok {
			l.pace.Allow()
			return &Permit{l: l, id: id, start: time.Now()}, nil
		}
		known := wait > 0
		if !known {
			wait = pollInterval
		}
		if err := l.sleep(ctx, max(wait, 100*time.Microsecond), known, wake); err != nil {
			return nil, err
		}
	}
}

// sleep waits d, or until wake is closed (a call of this process ended),
// or ctx ends. With known, a wait that would pass ctx's deadline fails at
// once with ErrDeadline.
func (l *Limiter) sleep(ctx context.Context, d time.Duration, known bool, wake <-chan struct{}) error {
	if dl, ok := ctx.Deadline(); ok && known && time.Now().Add(d).After(dl) {
		return ErrDeadline
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
	case <-wake:
	}
	return nil
}

// admit asks the log for a slot.
func (l *Limiter) admit(id uint64) (bool, time.Duration) {
	l.mu.Lock()
	sf := l.shared
	l.mu.Unlock()
	if sf != nil {
		var ok bool
		var wait time.Duration
		err := sf.update(l.hold, func(s *callLog, now int64) {
			s.window = l.hold
			ok, wait = s.admit(now, l.n, id, sf.owner())
		})
		if err == nil {
			return ok, wait
		}
		l.mu.Lock()
		if l.shared == sf {
			l.fallBack(err)
		}
		l.mu.Unlock()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.local.admit(monoNanos(time.Now()), l.n, id, "")
}

// end gives the permit's slot back hold after end, and applies a hold
// from the service's advice (0: none).
func (p *Permit) end(at time.Time, holdUntil time.Time) {
	if !p.ended.CompareAndSwap(false, true) {
		return
	}
	if a := p.answered.Load(); a != 0 && a < at.UnixNano() && a >= p.start.UnixNano() {
		at = time.Unix(0, a)
	}
	l := p.l
	l.mu.Lock()
	sf := l.shared
	l.mu.Unlock()
	released := false
	if sf != nil {
		err := sf.update(l.hold, func(s *callLog, _ int64) {
			released = s.release(p.id, at.UnixNano(), l.hold)
			if !holdUntil.IsZero() {
				s.holdUntil(holdUntil.UnixNano())
			}
		})
		if err != nil {
			l.mu.Lock()
			if l.shared == sf {
				l.fallBack(err)
			}
			l.mu.Unlock()
		}
	}
	l.mu.Lock()
	if !released {
		l.local.release(p.id, monoNanos(at), l.hold)
	}
	if !holdUntil.IsZero() {
		l.local.holdUntil(monoNanos(holdUntil))
	}
	close(l.released)
	l.released = make(chan struct{})
	l.mu.Unlock()
}

// Accepted ends a call the service answered without throttling it
// (successfully or with any other error).
func (p *Permit) Accepted() {
	now := time.Now()
	p.l.pace.SetLimitAt(now, rate.Limit(p.l.adapt.onAccepted(now)))
	p.end(now, time.Time{})
}

// Throttled ends a call the service throttled. timeLeft is the service's
// advice on when calls are admitted again (0: none): no call of the
// limiter (in any process sharing it) starts before then, plus a random
// part of one interval at the new rate (see waitAfterThrottle). It returns
// that wait.
func (p *Permit) Throttled(timeLeft time.Duration) time.Duration {
	now := time.Now()
	r, _ := p.l.adapt.onThrottled(p.start, now)
	p.l.pace.SetLimitAt(now, rate.Limit(r))
	wait := min(waitAfterThrottle(timeLeft, r, mathrand.Float64()), maxAhead)
	p.end(now, now.Add(wait))
	return wait
}

// Done ends a call that got no answer (it may or may not have reached the
// service).
func (p *Permit) Done() {
	p.end(time.Now(), time.Time{})
}
