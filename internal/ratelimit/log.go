package ratelimit

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Bounds that make a log heal itself when something went wrong outside it:
// a holder that vanished without ending its call, or a clock set back.
const (
	// maxFlight is how long a call may stay in flight in the log. Calls
	// end far sooner (one attempt is bounded well below this); an entry
	// older than this belongs to a holder that is gone or stuck, and its
	// slot is taken back.
	maxFlight = 2 * time.Minute
	// maxAhead is how far in the future a slot's free time or a hold may
	// lie. A value further ahead was written before the clock was set back,
	// and is dropped instead of blocking calls until the clock catches up.
	maxAhead = 10 * time.Minute
)

// entry is one admitted call: in flight (freeAt 0) or ended, holding its
// slot until freeAt.
type entry struct {
	id     uint64
	owner  string // process that admitted it ("" in a process-local log)
	start  int64  // Unix nanoseconds when it was admitted
	freeAt int64  // Unix nanoseconds when its slot is free again; 0 while in flight
}

// callLog is the state of one limiter: the calls that hold a slot, and the
// time before which no call may start (set from a throttled answer's
// advice). The same logic serves a process-local log and the file shared
// by the processes of a host.
type callLog struct {
	hold    int64 // Unix nanoseconds; 0 = none
	entries []entry
	// window is how long a slot stays taken after its call ended (the
	// limiter's hold; 0: unknown). A slot is freed window after a moment
	// that had passed when it was written, so one that is free only later
	// than now + window + stepTolerance was written before the wall clock
	// stepped back (NTP, a resumed virtual machine): prune drops it rather
	// than make every call wait for a time that will never come as planned.
	window time.Duration
}

// stepTolerance covers the granularity of clocks and timers in the clock
// step rule of callLog.window.
const stepTolerance = 100 * time.Millisecond

// prune drops the entries whose slot is free at now, and entries and holds
// that cannot be right any more (see maxFlight and maxAhead).
func (s *callLog) prune(now int64) {
	latest := now + int64(maxAhead)
	if s.window > 0 {
		latest = now + int64(s.window+stepTolerance)
	}
	out := s.entries[:0]
	for _, e := range s.entries {
		switch {
		case e.freeAt != 0 && (e.freeAt <= now || e.freeAt > latest):
		case e.freeAt == 0 && (e.start < now-int64(maxFlight) || e.start > now+int64(maxFlight)):
		default:
			out = append(out, e)
		}
	}
	s.entries = out
	if s.hold <= now || s.hold > now+int64(maxAhead) {
		s.hold = 0
	}
}

// admit records a call starting at now when fewer than n entries hold a
// slot and no hold is in force. Otherwise it returns how long until a call
// could be admitted, or 0 when that is unknown (every slot is held by a
// call in flight, whose end decides).
func (s *callLog) admit(now int64, n int, id uint64, owner string) (bool, time.Duration) {
	s.prune(now)
	if s.hold > now {
		return false, time.Duration(s.hold - now)
	}
	if len(s.entries) < n {
		s.entries = append(s.entries, entry{id: id, owner: owner, start: now})
		return true, 0
	}
	// len-n+1 slots must free up (another process may admit more than n).
	need := len(s.entries) - n + 1
	var frees []int64
	for _, e := range s.entries {
		if e.freeAt != 0 {
			frees = append(frees, e.freeAt)
		}
	}
	if len(frees) < need {
		return false, 0
	}
	slices.Sort(frees)
	return false, time.Duration(frees[need-1] - now)
}

// release ends the call id at end: its slot is free again at end+hold.
// It reports whether the entry was found.
func (s *callLog) release(id uint64, end int64, hold time.Duration) bool {
	for i := range s.entries {
		if s.entries[i].id == id {
			s.entries[i].freeAt = end + int64(hold)
			return true
		}
	}
	return false
}

// holdUntil makes every call wait until t (the later of t and an existing
// hold wins).
func (s *callLog) holdUntil(t int64) {
	s.hold = max(s.hold, t)
}

// busy counts the entries holding a slot at now (after pruning).
func (s *callLog) busy(now int64) int {
	s.prune(now)
	return len(s.entries)
}

// logHeader starts every shared log file; an empty file, or one written
// by an incompatible version, is read as an empty log.
const logHeader = "alilive-ratelimit 1"

// errDamaged: the file does not end with a valid checksum line, so it may
// hold a mix of two writes (a process killed while writing).
var errDamaged = errors.New("rate limiter log is damaged")

// encode renders the log as text:
//
//	alilive-ratelimit 1
//	hold <unix-nanoseconds>
//	call <id-hex> <owner> <start-unix-nanoseconds> <free-unix-nanoseconds or 0>
//	...
//	end <crc32-hex of everything above>
//
// Owners are random tokens; the log holds no key material.
func (s *callLog) encode() []byte {
	var b bytes.Buffer
	b.WriteString(logHeader + "\n")
	fmt.Fprintf(&b, "hold %d\n", s.hold)
	for _, e := range s.entries {
		fmt.Fprintf(&b, "call %x %s %d %d\n", e.id, e.owner, e.start, e.freeAt)
	}
	fmt.Fprintf(&b, "end %08x\n", crc32.ChecksumIEEE(b.Bytes()))
	return b.Bytes()
}

// decodeLog parses what encode wrote. Bytes after the end line are
// ignored (a shorter write over a longer one leaves them until the file is
// truncated). A file that is empty or starts with another header is a new
// log; a file without a valid end line is errDamaged.
func decodeLog(data []byte) (callLog, error) {
	var s callLog
	if !bytes.HasPrefix(data, []byte(logHeader+"\n")) {
		return s, nil
	}
	body := data
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte("\nend "))
		if i < 0 {
			return callLog{}, errDamaged
		}
		endLine := off + i + 1
		body = data[:endLine]
		rest := data[endLine:]
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			return callLog{}, errDamaged
		}
		sum, err := strconv.ParseUint(string(rest[len("end "):nl]), 16, 32)
		if err == nil && uint32(sum) == crc32.ChecksumIEEE(body) {
			break
		}
		off = endLine
	}
	lines := strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")[1:]
	for _, line := range lines {
		f := strings.Fields(line)
		switch {
		case len(f) == 2 && f[0] == "hold":
			v, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				return callLog{}, errDamaged
			}
			s.hold = v
		case len(f) == 5 && f[0] == "call":
			id, err1 := strconv.ParseUint(f[1], 16, 64)
			start, err2 := strconv.ParseInt(f[3], 10, 64)
			free, err3 := strconv.ParseInt(f[4], 10, 64)
			if err1 != nil || err2 != nil || err3 != nil {
				return callLog{}, errDamaged
			}
			s.entries = append(s.entries, entry{id: id, owner: f[2], start: start, freeAt: free})
		default:
			return callLog{}, errDamaged
		}
	}
	return s, nil
}
