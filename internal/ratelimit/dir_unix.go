//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package ratelimit

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// Timing of the shared files.
const (
	// lockTimeout bounds the wait for a log file's lock. The lock is held
	// for a read and a write of a few hundred bytes; a lock held this long
	// belongs to a stopped process, and the limiter falls back to this
	// process alone rather than stall.
	lockTimeout = 5 * time.Second
	// checkAfter: a call in flight for longer than this has its holder's
	// liveness checked. Calls normally end within milliseconds.
	checkAfter = time.Second
	// aliveTTL is how long a liveness check is trusted.
	aliveTTL = 500 * time.Millisecond
	// sweepAge: owner files older than this whose process is gone are
	// removed when a process opens the directory. Younger files are left
	// alone, so a process that has created its file but not locked it yet
	// is never mistaken for a dead one.
	sweepAge = time.Minute
)

// Dir is a directory of limiter logs shared by the processes of one host.
//
// Each log is a small text file locked with flock(2) while a process reads
// and rewrites it. flock locks belong to the open file and the kernel
// releases them when the process dies, so a killed process never leaves a
// stale lock. Each process also holds a shared flock on its own file under
// owners/ for as long as it lives: another process that can take an
// exclusive lock on that file knows the owner is gone, and takes back the
// slots of the calls it left in flight.
type Dir struct {
	path      string
	owner     string
	ownerFile *os.File // locked shared for the life of the process; never closed

	mu    sync.Mutex
	alive map[string]aliveCheck
}

type aliveCheck struct {
	alive bool
	at    time.Time
}

// OpenDir prepares path (created with mode 0700 if missing) for shared
// logs and registers this process as an owner. It fails when the
// directory cannot be created or written.
func OpenDir(path string) (*Dir, error) {
	owners := filepath.Join(path, "owners")
	if err := os.MkdirAll(owners, 0o700); err != nil {
		return nil, err
	}
	token, err := newToken()
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(owners, token), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_SH|unix.LOCK_NB); err != nil {
		_ = f.Close()
		_ = os.Remove(f.Name())
		return nil, fmt.Errorf("locking %s: %w", f.Name(), err)
	}
	d := &Dir{path: path, owner: token, ownerFile: f, alive: map[string]aliveCheck{}}
	go d.sweep()
	return d, nil
}

// Path is the directory.
func (d *Dir) Path() string { return d.path }

func newToken() (string, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// validToken reports whether s can be an owner token (and so a file name).
func validToken(s string) bool {
	if len(s) != 32 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// sweep removes the owner files of processes that are gone.
func (d *Dir) sweep() {
	owners := filepath.Join(d.path, "owners")
	names, err := os.ReadDir(owners)
	if err != nil {
		return
	}
	for _, n := range names {
		if n.Name() == d.owner || !validToken(n.Name()) {
			continue
		}
		if info, err := n.Info(); err != nil || time.Since(info.ModTime()) < sweepAge {
			continue
		}
		d.isAlive(n.Name())
	}
}

// isAlive reports whether the process that owns token still runs. A
// process whose file is gone, or whose file can be locked exclusively, is
// gone (its file is then removed). When in doubt it answers true: a slot
// held too long costs throughput, a slot freed too early could cost a
// throttled call.
func (d *Dir) isAlive(token string) bool {
	if token == d.owner {
		return true
	}
	if !validToken(token) {
		return false
	}
	d.mu.Lock()
	if c, ok := d.alive[token]; ok && time.Since(c.at) < aliveTTL {
		d.mu.Unlock()
		return c.alive
	}
	d.mu.Unlock()
	alive := true
	name := filepath.Join(d.path, "owners", token)
	f, err := os.Open(name)
	switch {
	case errors.Is(err, os.ErrNotExist):
		alive = false
	case err == nil:
		if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) == nil {
			alive = false
			_ = os.Remove(name)
		}
		_ = f.Close()
	}
	d.mu.Lock()
	d.alive[token] = aliveCheck{alive: alive, at: time.Now()}
	d.mu.Unlock()
	return alive
}

// sharedFile is one log file. Goroutines of this process take mu before
// the file's flock: flock does not exclude two users of one open file.
type sharedFile struct {
	dir *Dir
	mu  sync.Mutex
	f   *os.File
}

// file opens (creating it with mode 0600) the log named name.
func (d *Dir) file(name string) (*sharedFile, error) {
	f, err := os.OpenFile(filepath.Join(d.path, name), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	return &sharedFile{dir: d, f: f}, nil
}

// errLockTimeout: another process held the log's lock for lockTimeout.
var errLockTimeout = errors.New("the shared rate limiter file stayed locked by another process")

// update reads the log under its lock, lets fn change it, and writes it
// back. fn gets the time read after the lock was taken. A damaged log is
// replaced by an empty one that holds every call for damagedHold, so that
// calls its lost entries stood for cannot be repeated too soon.
func (sf *sharedFile) update(damagedHold time.Duration, fn func(s *callLog, now int64)) error {
	sf.mu.Lock()
	defer sf.mu.Unlock()
	fd := int(sf.f.Fd())
	deadline := time.Now().Add(lockTimeout)
	for wait := 200 * time.Microsecond; ; wait = min(2*wait, 5*time.Millisecond) {
		err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, unix.EWOULDBLOCK) && !errors.Is(err, unix.EINTR) {
			return fmt.Errorf("locking %s: %w", sf.f.Name(), err)
		}
		if time.Now().After(deadline) {
			return errLockTimeout
		}
		time.Sleep(wait)
	}
	defer func() { _ = unix.Flock(fd, unix.LOCK_UN) }()

	info, err := sf.f.Stat()
	if err != nil {
		return err
	}
	data := make([]byte, info.Size())
	if _, err := sf.f.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	now := wallNow().UnixNano()
	s, derr := decodeLog(data)
	if derr != nil {
		s = callLog{hold: now + int64(damagedHold)}
	}
	sf.reclaim(&s, now, damagedHold)
	fn(&s, now)
	out := s.encode()
	if _, err := sf.f.WriteAt(out, 0); err != nil {
		return err
	}
	return sf.f.Truncate(int64(len(out)))
}

// reclaim ends the calls left in flight by processes that are gone: the
// call may have reached the service just before its process died, so its
// slot is held for one window from now.
func (sf *sharedFile) reclaim(s *callLog, now int64, hold time.Duration) {
	for i := range s.entries {
		e := &s.entries[i]
		if e.freeAt == 0 && e.owner != sf.dir.owner && now-e.start > int64(checkAfter) && !sf.dir.isAlive(e.owner) {
			e.freeAt = now + int64(hold)
		}
	}
}

// owner is this process's owner token.
func (sf *sharedFile) owner() string { return sf.dir.owner }
