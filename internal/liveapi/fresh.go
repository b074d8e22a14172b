package liveapi

import "context"

// DescribeFresh reads one task with its own DescribeLivePullToPush call,
// never from a DescribeLivePullToPushList page and never together with
// other reads. Callers use it to read back a task they have just written
// (after Create, Update, Stop or Restart) and to read the facts an update
// must re-check before its first write.
//
// Describe may serve concurrent reads from one listing. The batcher never
// serves a task from a listing that started before the task's last write
// through this process, but whether the service's listing reflects a write
// as soon as the write is answered is not documented: its read side may lag
// behind, so a listing that starts after the write can still show the task
// as it was. The stricter reading is assumed here: only
// DescribeLivePullToPush of the task is trusted to show a write at once.
// The call goes through the same rate limiter and retries as every other.
func (c *Client) DescribeFresh(ctx context.Context, region, id string) (*Task, error) {
	if c == nil {
		return nil, ErrNotConfigured
	}
	return c.describeOne(ctx, c.regionOr(region), id)
}
