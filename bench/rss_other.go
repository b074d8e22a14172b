//go:build !linux && !darwin

package main

import "os"

// maxRSSKiB is unknown on this operating system: the bench reports no
// peak memory.
func maxRSSKiB(*os.ProcessState) int64 { return 0 }
