// CONTRACT FILE: the exported API below is what the provider is written
// against. Keep these names and signatures. The package documentation is in
// doc.go. (The blank line below keeps this note out of go doc.)

package liveapi

import (
	"context"
)

// New builds a client. Clients that act for the same account at the same
// endpoint share their rate limiters (see Config.Account and Config.STS).
func New(cfg Config) (*Client, error) {
	return newClient(cfg)
}

// Region is the configured default live center ("" for a nil client).
func (c *Client) Region() string {
	if c == nil {
		return ""
	}
	return c.region
}

// Create creates a task and returns its ID. An ambiguous failure (the
// request may have committed) is resolved by looking the task up by its
// DstURL: a matching task is adopted, a different one is reported by ID.
func (c *Client) Create(ctx context.Context, spec Spec) (string, error) {
	if c == nil {
		return "", ErrNotConfigured
	}
	return c.create(ctx, spec)
}

// Describe reads one task. Concurrent calls may be served together from
// DescribeLivePullToPushList pages; a lone call costs one Describe.
func (c *Client) Describe(ctx context.Context, region, id string) (*Task, error) {
	if c == nil {
		return nil, ErrNotConfigured
	}
	return c.describe(ctx, c.regionOr(region), id)
}

// List reads every page of DescribeLivePullToPushList for the filter.
func (c *Client) List(ctx context.Context, region string, f ListFilter) ([]Task, error) {
	if c == nil {
		return nil, ErrNotConfigured
	}
	return c.list(ctx, c.regionOr(region), f)
}

// ListEach reads DescribeLivePullToPushList for the filter one page at a
// time, in the service's order, and hands each page's tasks to page until
// page returns false or the pages end, so that a caller that needs only the
// first tasks reads only the pages that hold them. Every page is a call
// under the client's rate limit and retries. A task already handed over on
// an earlier page (pages shift when tasks are created or deleted while
// paging) is left out of the later one.
func (c *Client) ListEach(ctx context.Context, region string, f ListFilter, page func([]Task) bool) error {
	if c == nil {
		return ErrNotConfigured
	}
	return c.listEach(ctx, c.regionOr(region), f, page)
}

// Update changes a task; an ambiguous failure is resolved by reading it back.
func (c *Client) Update(ctx context.Context, in UpdateInput) error {
	if c == nil {
		return ErrNotConfigured
	}
	return c.update(ctx, in)
}

// Stop stops a running task; a task already stopped is success.
func (c *Client) Stop(ctx context.Context, region, id string) error {
	if c == nil {
		return ErrNotConfigured
	}
	return c.stop(ctx, c.regionOr(region), id)
}

// Restart starts a stopped or running task again. It is RestartTask
// without the task's ID after the restart.
func (c *Client) Restart(ctx context.Context, region, id string) error {
	_, err := c.RestartTask(ctx, region, id)
	return err
}

// RestartTask starts a stopped or running task again and returns the
// task's ID after the restart: the service documents Restart's TaskId as
// "the new task ID", so it may differ from id, and the task is then found
// only under the new one. A restart whose answer was lost, after which id
// no longer exists, is a *MovedError.
func (c *Client) RestartTask(ctx context.Context, region, id string) (string, error) {
	if c == nil {
		return "", ErrNotConfigured
	}
	return c.restart(ctx, c.regionOr(region), id, false)
}

// RestartRunning restarts a task that was running (or recovering) when
// the caller last read it, and returns the task's ID after the restart,
// as RestartTask does. After an attempt that may have committed, a task
// that runs proves nothing here (it ran before), so the restart is sent
// again: a repeat interrupts the relay once more, which is better than
// reporting a restart that did not happen. When the attempts run out
// after such an attempt, the error satisfies OutcomeUnknown.
func (c *Client) RestartRunning(ctx context.Context, region, id string) (string, error) {
	if c == nil {
		return "", ErrNotConfigured
	}
	return c.restart(ctx, c.regionOr(region), id, true)
}

// Delete deletes a task; a task that does not exist is success.
func (c *Client) Delete(ctx context.Context, region, id string) error {
	if c == nil {
		return ErrNotConfigured
	}
	return c.delete(ctx, c.regionOr(region), id)
}
