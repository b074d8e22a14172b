//go:build linux

package liveapi

import (
	"context"
	"fmt"
	"net"
	"syscall"
	"testing"
	"time"
)

// blackHole returns a 127.0.0.1 address whose accept queue is full: the
// kernel drops further connection attempts (SYNs) without an answer, as a
// firewall that drops packets does.
func blackHole(t *testing.T) (string, bool) {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	in4, ok := sa.(*syscall.SockaddrInet4)
	if !ok {
		t.Fatalf("socket name %T", sa)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", in4.Port)
	// Fill the accept queue (backlog 0 holds one connection).
	conn, err := (&net.Dialer{Timeout: time.Second}).DialContext(context.Background(), "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return addr, true
}
