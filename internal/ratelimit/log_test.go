package ratelimit

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

const sec = int64(time.Second)

func TestLogAdmitHoldsSlotsUntilOneWindowAfterTheEnd(t *testing.T) {
	var s callLog
	t0 := int64(1_000) * sec
	for i := range 3 {
		if ok, _ := s.admit(t0, 3, uint64(i+1), ""); !ok {
			t.Fatalf("call %d refused with free slots", i+1)
		}
	}
	// Every slot is held by a call in flight: the wait is unknown.
	if ok, wait := s.admit(t0+sec, 3, 9, ""); ok || wait != 0 {
		t.Fatalf("4th call: ok=%v wait=%v, want refused with unknown wait", ok, wait)
	}
	// Call 2 ends 5 s later (a slow answer): its slot is free one window
	// after the end, not after the start.
	s.release(2, t0+5*sec, time.Second)
	if ok, wait := s.admit(t0+5*sec+sec/2, 3, 9, ""); ok || wait != time.Second/2 {
		t.Fatalf("before the window passed: ok=%v wait=%v, want refused for 500ms", ok, wait)
	}
	if ok, _ := s.admit(t0+6*sec, 3, 9, ""); !ok {
		t.Fatal("refused once the ended call's window passed")
	}
}

func TestLogWaitCountsTheSlotsAnotherProcessOverfilled(t *testing.T) {
	// A process with a larger quota filled 5 slots; this one admits 3:
	// three of the five must free up first.
	var s callLog
	t0 := int64(2_000) * sec
	for i := range 5 {
		s.admit(t0, 5, uint64(i+1), "")
		s.release(uint64(i+1), t0+int64(i)*sec/10, time.Second)
	}
	ok, wait := s.admit(t0+sec/2, 3, 9, "")
	if ok || wait != 700*time.Millisecond {
		t.Fatalf("ok=%v wait=%v, want refused until the third free time (1.2 s after t0)", ok, wait)
	}
}

func TestLogHold(t *testing.T) {
	var s callLog
	t0 := int64(3_000) * sec
	s.holdUntil(t0 + 800*int64(time.Millisecond))
	s.holdUntil(t0 + 300*int64(time.Millisecond)) // an earlier hold never shortens it
	if ok, wait := s.admit(t0, 10, 1, ""); ok || wait != 800*time.Millisecond {
		t.Fatalf("ok=%v wait=%v, want held for 800ms", ok, wait)
	}
	if ok, _ := s.admit(t0+sec, 10, 1, ""); !ok {
		t.Fatal("still held after the hold")
	}
}

func TestLogHealsItself(t *testing.T) {
	t0 := int64(4_000) * sec
	s := callLog{
		hold: t0 + int64(time.Hour), // written before the clock was set back an hour
		entries: []entry{
			{id: 1, start: t0 - int64(3*time.Minute)},                          // in flight for 3 minutes: holder gone
			{id: 2, start: t0 - sec, freeAt: t0 + int64(time.Hour)},            // free time far ahead: clock set back
			{id: 3, start: t0 + int64(time.Hour)},                              // started in the future
			{id: 4, start: t0 - sec/2},                                         // a real call in flight
			{id: 5, start: t0 - sec, freeAt: t0 + 200*int64(time.Millisecond)}, // a real ended call
		},
	}
	if got := s.busy(t0); got != 2 {
		t.Fatalf("busy = %d, want 2 (entries 4 and 5)", got)
	}
	if s.hold != 0 {
		t.Fatalf("hold = %d, want dropped", s.hold)
	}
}

func TestLogEncodeDecode(t *testing.T) {
	s := callLog{hold: 42, entries: []entry{
		{id: 0xabc, owner: "0123456789abcdef0123456789abcdef", start: 100, freeAt: 0},
		{id: 7, owner: "fedcba9876543210fedcba9876543210", start: 200, freeAt: 300},
	}}
	data := s.encode()
	got, err := decodeLog(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.hold != 42 || len(got.entries) != 2 || got.entries[0] != s.entries[0] || got.entries[1] != s.entries[1] {
		t.Fatalf("round trip: %+v", got)
	}

	// A shorter write over a longer file leaves the old tail until the
	// truncate: it is ignored.
	long := callLog{entries: append(append([]entry{}, s.entries...), entry{id: 8, owner: s.entries[0].owner, start: 1})}
	mixed := append(bytes.Clone(data), long.encode()[len(data):]...)
	if got, err := decodeLog(mixed); err != nil || len(got.entries) != 2 {
		t.Fatalf("with an old tail: %d entries, err %v", len(got.entries), err)
	}

	// An empty file or another format is a new log.
	for _, in := range []string{"", "something else\n"} {
		if got, err := decodeLog([]byte(in)); err != nil || len(got.entries) != 0 {
			t.Fatalf("decode(%q) = %+v, %v", in, got, err)
		}
	}

	// A write cut short, or a flipped byte, is damage.
	for _, in := range [][]byte{data[:len(data)-10], bytes.Replace(data, []byte("200"), []byte("201"), 1)} {
		if _, err := decodeLog(in); !errors.Is(err, errDamaged) {
			t.Fatalf("decode(%q) err = %v, want errDamaged", in, err)
		}
	}
}
