package main

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// callTimes is a slog handler that keeps the time of the first and the
// last API call the emulator logs, overall and per operation.
type callTimes struct {
	mu          sync.Mutex
	first, last time.Time
	byOp        map[string]window
}

// window is the first and last call of one operation.
type window struct{ first, last time.Time }

func (c *callTimes) Enabled(context.Context, slog.Level) bool { return true }

func (c *callTimes) WithAttrs([]slog.Attr) slog.Handler { return c }

func (c *callTimes) WithGroup(string) slog.Handler { return c }

func (c *callTimes) Handle(_ context.Context, r slog.Record) error {
	op := ""
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "operation" {
			op = a.Value.String()
			return false
		}
		return true
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.first.IsZero() {
		c.first = r.Time
	}
	c.last = r.Time
	if op != "" {
		if c.byOp == nil {
			c.byOp = map[string]window{}
		}
		w := c.byOp[op]
		if w.first.IsZero() {
			w.first = r.Time
		}
		w.last = r.Time
		c.byOp[op] = w
	}
	return nil
}

// reset forgets the calls so far and returns the first and last, overall
// and per operation.
func (c *callTimes) reset() (first, last time.Time, byOp map[string]window) {
	c.mu.Lock()
	defer c.mu.Unlock()
	first, last, byOp = c.first, c.last, c.byOp
	c.first, c.last, c.byOp = time.Time{}, time.Time{}, nil
	return first, last, byOp
}
