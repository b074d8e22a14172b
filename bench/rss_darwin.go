package main

import (
	"os"
	"syscall"
)

// maxRSSKiB is the peak resident memory of an exited child in KiB (macOS
// reports ru_maxrss in bytes).
func maxRSSKiB(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss / 1024
	}
	return 0
}
