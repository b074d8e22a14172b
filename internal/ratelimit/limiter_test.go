package ratelimit

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Child processes: the test binary runs itself with RATELIMIT_TEST_CHILD
// set to act as another process sharing a limiter directory.
func TestMain(m *testing.M) {
	if mode := os.Getenv("RATELIMIT_TEST_CHILD"); mode != "" {
		if err := runChild(mode, os.Getenv("RATELIMIT_TEST_DIR"), os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const childName = "0000000000000000000000000000000000000000000000000000000000000001"

// runChild is a process sharing the limiter (rate 10) in dir:
//   - "calls": makes 15 calls of 0-30 ms and prints "<admitted> <ended>"
//     (Unix nanoseconds) per call;
//   - "hold": takes all 10 slots, prints "held" and never ends the calls;
//   - "lock": takes the log file's lock, prints "locked" and never lets go.
func runChild(mode, dir string, out io.Writer) error {
	d, err := OpenDir(dir)
	if err != nil {
		return err
	}
	l := New(10, Options{Dir: d, Name: childName})
	if !l.Shared() {
		return fmt.Errorf("not shared: %w", l.Fallback())
	}
	switch mode {
	case "calls":
		rng := rand.New(rand.NewPCG(uint64(os.Getpid()), 1))
		for range 15 {
			p, err := l.Wait(context.Background())
			if err != nil {
				return err
			}
			time.Sleep(time.Duration(rng.IntN(30)) * time.Millisecond)
			end := time.Now()
			p.Accepted()
			fmt.Fprintf(out, "%d %d\n", p.start.UnixNano(), end.UnixNano())
		}
	case "hold":
		for range 10 {
			if _, err := l.Wait(context.Background()); err != nil {
				return err
			}
		}
		fmt.Fprintln(out, "held")
		time.Sleep(time.Hour)
	case "lock":
		_ = l.shared.update(time.Second, func(*callLog, int64) {
			fmt.Fprintln(out, "locked")
			time.Sleep(time.Hour)
		})
	}
	return nil
}

// startChild runs the test binary as a child in mode and returns it with
// its standard output.
func startChild(t *testing.T, mode, dir string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "RATELIMIT_TEST_CHILD="+mode, "RATELIMIT_TEST_DIR="+dir)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd, bufio.NewScanner(stdout)
}

// call is one admitted call: admitted and ended (Unix nanoseconds).
type call struct{ admitted, ended int64 }

// assertServiceWindow checks what the service would see: every call
// arrives at some moment between its admission and its end (drawn at
// random, and at both extremes), and no sliding second may hold more than
// n arrivals (the emulator's rule: an arrival exactly one second old no
// longer counts).
func assertServiceWindow(t *testing.T, calls []call, n int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 7))
	for round := range 20 {
		arrivals := make([]int64, len(calls))
		for i, c := range calls {
			switch round {
			case 0:
				arrivals[i] = c.admitted
			case 1:
				arrivals[i] = c.ended
			default:
				arrivals[i] = c.admitted + rng.Int64N(c.ended-c.admitted+1)
			}
		}
		slices.Sort(arrivals)
		for i := 0; i+n < len(arrivals); i++ {
			if arrivals[i+n]-arrivals[i] <= int64(time.Second) {
				t.Fatalf("round %d: %d calls arrive within %v", round, n+1, time.Duration(arrivals[i+n]-arrivals[i]))
			}
		}
	}
}

// waitAccepted admits one call through l and ends it as answered.
func waitAccepted(t *testing.T, l *Limiter) {
	t.Helper()
	p, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p.Accepted()
}

func TestLimiterWindowHoldsSlotsFromTheAnswer(t *testing.T) {
	// Calls of 450 ms down to 160 ms at 10 per second: a slot taken back
	// one window after admission (rather than after the answer) would let
	// the 11th call arrive within a second of the first one's arrival.
	l := New(10, Options{})
	var mu sync.Mutex
	var calls []call
	var wg sync.WaitGroup
	var admitted atomic.Int64
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := l.Wait(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			time.Sleep(time.Duration(450-10*admitted.Add(1)) * time.Millisecond)
			end := time.Now()
			p.Accepted()
			mu.Lock()
			calls = append(calls, call{p.start.UnixNano(), end.UnixNano()})
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(calls) != 30 {
		t.Fatalf("%d calls", len(calls))
	}
	assertServiceWindow(t, calls, 10)
}

func TestLimiterPacesAFreshProcess(t *testing.T) {
	// Ten calls at 10 per second do not go out at once: they are paced at
	// the rate, so that hosts that start together meet at most a call or
	// two of each other in the service's window.
	l := New(10, Options{})
	start := time.Now()
	for range 10 {
		waitAccepted(t, l)
	}
	if d := time.Since(start); d < 850*time.Millisecond {
		t.Fatalf("10 calls took %v, want paced over at least 900 ms", d)
	}
}

func TestLimiterThrottledHoldsEveryCall(t *testing.T) {
	l := New(10, Options{})
	p, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wait := p.Throttled(400 * time.Millisecond)
	if wait < 400*time.Millisecond {
		t.Fatalf("wait %v below the service's advice", wait)
	}
	if r := l.Rate(); r != 0.7 {
		t.Fatalf("rate after a throttle with nothing answered = %v, want 0.7", r)
	}
	start := time.Now()
	waitAccepted(t, l)
	if d := time.Since(start); d < 395*time.Millisecond {
		t.Fatalf("the next call went after %v, before the advice of 400ms", d)
	}
}

func TestLimiterDeadline(t *testing.T) {
	l := New(1, Options{})
	waitAccepted(t, l)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := l.Wait(ctx); !errors.Is(err, ErrDeadline) {
		t.Fatalf("err = %v, want ErrDeadline at once (the slot frees after 1 s)", err)
	}
}

func TestLimiterHoldsFromTheAnswersFirstByte(t *testing.T) {
	// One slot per 1.005 s. The answer began at admission and took 300 ms
	// to read: the slot is free 1.005 s after the answer began, so a call
	// with 900 ms to spare after the end can wait for it (from the end it
	// would be 1.005 s, past that deadline: ErrDeadline at once).
	l := New(1, Options{})
	p, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p.AnsweredAt(p.start)
	time.Sleep(300 * time.Millisecond)
	p.Accepted()
	ctx, cancel := context.WithTimeout(context.Background(), 900*time.Millisecond)
	defer cancel()
	q, err := l.Wait(ctx)
	if err != nil {
		t.Fatalf("err = %v: the slot was held from the end of the answer, not from its first byte", err)
	}
	q.Accepted()
}

func TestName(t *testing.T) {
	a := Name("LTAI-key", "live.aliyuncs.com", "CreateLivePullToPush")
	if len(a) != 64 || strings.Contains(a, "LTAI") {
		t.Fatalf("Name = %q", a)
	}
	if a == Name("LTAI-key", "live.aliyuncs.com", "DescribeLivePullToPush") || a == Name("LTAI-ke", "ylive.aliyuncs.com", "CreateLivePullToPush") {
		t.Fatal("different quotas share a name")
	}
}

func TestSharedLimiterAcrossProcesses(t *testing.T) {
	dir := t.TempDir()
	const k = 4
	start := time.Now()
	var mu sync.Mutex
	var calls []call
	var wg sync.WaitGroup
	for range k {
		cmd, out := startChild(t, "calls", dir)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for out.Scan() {
				f := strings.Fields(out.Text())
				a, _ := strconv.ParseInt(f[0], 10, 64)
				e, _ := strconv.ParseInt(f[1], 10, 64)
				mu.Lock()
				calls = append(calls, call{a, e})
				mu.Unlock()
			}
			if err := cmd.Wait(); err != nil {
				t.Errorf("child: %v", err)
			}
		}()
	}
	wg.Wait()
	if len(calls) != k*15 {
		t.Fatalf("%d calls, want %d", len(calls), k*15)
	}
	assertServiceWindow(t, calls, 10)
	// Sharing is what makes them wait: alone, each would be done in
	// about 1.5 s.
	if d := time.Since(start); d < 5*time.Second {
		t.Fatalf("60 calls of four processes at 10 per second took %v, want at least 5 s", d)
	}
	// The file names no key and holds only the log.
	data, err := os.ReadFile(filepath.Join(dir, childName))
	if err != nil || !strings.HasPrefix(string(data), logHeader+"\n") {
		t.Fatalf("log file: %q, %v", data, err)
	}
}

func TestSharedLimiterKilledHolderGivesItsSlotsBack(t *testing.T) {
	dir := t.TempDir()
	cmd, out := startChild(t, "hold", dir)
	if !out.Scan() || out.Text() != "held" {
		t.Fatalf("child said %q", out.Text())
	}
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	l := New(10, Options{Dir: d, Name: childName})
	// While the holder lives, its ten calls in flight hold every slot.
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	_, err = l.Wait(ctx)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("while the holder lives: err = %v, want the wait to run out", err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	// Its slots come back one window after its death is noticed, long
	// before an entry in flight expires by itself (maxFlight).
	start := time.Now()
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := l.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p.Accepted()
	if waited := time.Since(start); waited > 30*time.Second {
		t.Fatalf("waited %v for the dead holder's slots", waited)
	}
	owners, _ := os.ReadDir(filepath.Join(dir, "owners"))
	if len(owners) != 1 {
		t.Fatalf("%d owner files, want only this process's (the dead one's removed)", len(owners))
	}
}

func TestSharedLimiterKilledWhileLockingLeavesNoLock(t *testing.T) {
	dir := t.TempDir()
	cmd, out := startChild(t, "lock", dir)
	if !out.Scan() || out.Text() != "locked" {
		t.Fatalf("child said %q", out.Text())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	l := New(10, Options{Dir: d, Name: childName})
	waitAccepted(t, l)
	if err := l.Fallback(); err != nil || !l.Shared() {
		t.Fatalf("the dead process's lock was not released: %v", err)
	}
}

func TestSharedThrottleAdviceHoldsOtherProcesses(t *testing.T) {
	dir := t.TempDir()
	// Two Dirs on one path register two owners, as two processes do.
	d1, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := New(10, Options{Dir: d1, Name: childName})
	b := New(10, Options{Dir: d2, Name: childName})
	p, err := a.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p.Throttled(500 * time.Millisecond)
	start := time.Now()
	waitAccepted(t, b)
	if d := time.Since(start); d < 490*time.Millisecond {
		t.Fatalf("the other process's call went after %v, before the advice of 500ms", d)
	}
}

func TestSharedLogDamagedIsReplacedAndHolds(t *testing.T) {
	dir := t.TempDir()
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Half of a write over an older log: a header and no valid end line.
	if err := os.WriteFile(filepath.Join(dir, childName), []byte(logHeader+"\nhold 0\ncall 1 x 1"), 0o600); err != nil {
		t.Fatal(err)
	}
	l := New(10, Options{Dir: d, Name: childName})
	start := time.Now()
	waitAccepted(t, l)
	if w := time.Since(start); w < l.Window()-10*time.Millisecond {
		t.Fatalf("first call after a damaged log went after %v, want one window (%v): calls the lost entries stood for may be recent", w, l.Window())
	}
	data, _ := os.ReadFile(filepath.Join(dir, childName))
	if _, err := decodeLog(data); err != nil {
		t.Fatalf("the log was not rewritten: %v", err)
	}
}

func TestOpenDirUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenDir(filepath.Join(file, "ratelimit")); err == nil {
		t.Fatal("OpenDir under a regular file succeeded")
	}
}
