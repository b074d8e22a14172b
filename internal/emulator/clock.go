// The emulator's clock: the base clock, the offset that Advance adds, and
// the ticker that applies the transitions due in real time.

package emulator

import (
	"fmt"
	"log/slog"
	"time"
)

// baseNow is Options.Now (or time.Now), without Advance.
func (s *Server) baseNow() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now()
	}
	return time.Now()
}

// nowLocked reads the clock and applies the transitions due.
func (s *Server) nowLocked() time.Time {
	now := s.baseNow().Add(s.offset)
	if s.applyLocked(now) {
		s.saveLocked()
	}
	return now
}

// Now is the emulator's clock.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nowLocked()
}

// Advance moves the clock forward and applies every lifecycle transition due.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d > 0 {
		s.offset += d
	}
	s.nowLocked()
}

// tickInterval is how often the background ticker applies transitions in
// real time (so callbacks fire without API calls).
const tickInterval = 250 * time.Millisecond

func (s *Server) ticker() {
	defer close(s.tickDone)
	t := time.NewTicker(tickInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stopTick:
			return
		case <-t.C:
			s.tick()
		}
	}
}

// tick applies the transitions that are due. A panic in it (a bug: no
// stored value can cause one, see checkStored) is logged and the emulator
// goes on: a background goroutine must never end the process.
func (s *Server) tick() {
	defer func() {
		if r := recover(); r != nil {
			slog.Error("emulator: transition failed; the emulator goes on", "panic", fmt.Sprint(r), "at", time.Now().UTC())
		}
	}()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nowLocked()
}
