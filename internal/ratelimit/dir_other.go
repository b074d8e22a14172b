//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package ratelimit

import (
	"errors"
	"time"
)

// Dir is a directory of limiter logs shared by the processes of one host.
// On this operating system there is no flock(2), so OpenDir always fails
// and every limiter counts the calls of its own process only.
type Dir struct{ path string }

// errUnsupported: no shared logs on this operating system.
var errUnsupported = errors.New("sharing the rate limit between processes needs flock(2), which this operating system lacks")

// OpenDir fails on this operating system.
func OpenDir(path string) (*Dir, error) { return nil, errUnsupported }

// Path is the directory.
func (d *Dir) Path() string { return d.path }

type sharedFile struct{}

func (d *Dir) file(string) (*sharedFile, error) { return nil, errUnsupported }

func (sf *sharedFile) update(time.Duration, func(*callLog, int64)) error { return errUnsupported }

func (sf *sharedFile) owner() string { return "" }
