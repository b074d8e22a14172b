package ratelimit

import (
	"context"
	"testing"
	"time"
)

// Slots written before the wall clock stepped back look free only far in
// the future; no such slot can be right (a slot is free one window after
// its call ended), so they are dropped and calls go on at once.
func TestLogDropsSlotsLeftInTheFutureByAClockStep(t *testing.T) {
	const sec = int64(time.Second)
	now := int64(1_767_225_600) * sec
	s := callLog{window: time.Second}
	for i := range 3 {
		s.entries = append(s.entries, entry{id: uint64(i + 1), start: now + 5*60*sec, freeAt: now + 5*60*sec + sec})
	}
	if ok, wait := s.admit(now, 3, 9, ""); !ok || wait != 0 {
		t.Fatalf("admit after a 5-minute step back = %v, %v; want admitted at once", ok, wait)
	}
	if got := s.busy(now); got != 1 {
		t.Fatalf("busy = %d, want 1 (the new call only)", got)
	}
	// A slot within one window (plus the tolerance) stays: the rule never
	// frees what the window still holds.
	s = callLog{window: time.Second}
	for i := range 3 {
		s.entries = append(s.entries, entry{id: uint64(i + 1), start: now, freeAt: now + sec})
	}
	if ok, wait := s.admit(now, 3, 9, ""); ok || wait != time.Second {
		t.Fatalf("admit within the window = %v, %v; want a wait of 1s", ok, wait)
	}
}

// Through the shared file: after the host's wall clock steps back five
// minutes while an operation is at its limit, the next call waits at most
// one window, and never fails with ErrDeadline (which the client reports
// as a rate_limit problem).
func TestSharedLimiterSurvivesClockStepBack(t *testing.T) {
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	l := New(10, Options{Dir: d, Name: Name("step-back")})
	if !l.Shared() {
		t.Fatal("the limiter does not share its log")
	}
	for range 10 {
		p, err := l.Wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		p.Accepted()
	}
	wallNow = func() time.Time { return time.Now().Add(-5 * time.Minute) }
	t.Cleanup(func() { wallNow = time.Now })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	start := time.Now()
	p, err := l.Wait(ctx)
	if err != nil {
		t.Fatalf("Wait after a clock step back: %v", err)
	}
	p.Accepted()
	if d := time.Since(start); d > l.Window()+500*time.Millisecond {
		t.Fatalf("Wait took %v, want at most one window (%v)", d, l.Window())
	}
}
