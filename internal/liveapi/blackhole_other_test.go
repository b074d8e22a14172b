//go:build !linux

package liveapi

import "testing"

// blackHole has no portable implementation: the black-hole case of
// TestUnresponsiveEndpoints runs on Linux only.
func blackHole(*testing.T) (string, bool) { return "", false }
