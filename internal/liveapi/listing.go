package liveapi

import (
	"context"
	"slices"
	"sync"
	"time"
)

func pagesFor(total int) int {
	if total <= 0 {
		return 1
	}
	return (total + listPageSize - 1) / listPageSize
}

// listPageN reads one page (with retries).
func (c *Client) listPageN(ctx context.Context, region string, f ListFilter, page int) (listPage, error) {
	var p listPage
	err := c.do(ctx, apiCall{
		op: OpList, region: region,
		run: func(actx context.Context) (string, error) { return c.listOnce(actx, region, f, page, &p) },
	})
	if err != nil {
		c.noteDenied(ctx, err)
	}
	return p, err
}

// listPages reads pages from..to (inclusive) concurrently, at most four at
// a time (the limiter paces them anyway), and returns their tasks in page
// order.
func (c *Client) listPages(ctx context.Context, region string, f ListFilter, from, to int) ([]Task, error) {
	if to < from {
		return nil, nil
	}
	results := make([]listPage, to-from+1)
	errs := make([]error, to-from+1)
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for page := from; page <= to; page++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[page-from], errs[page-from] = c.listPageN(ctx, region, f, page)
		}()
	}
	wg.Wait()
	var out []Task
	for i := range results {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, results[i].tasks...)
	}
	return out, nil
}

// snapshot is one listing of a region.
type snapshot struct {
	takenAt  time.Time // when the listing started
	gen      uint64    // the batcher's gen when the listing started
	lastUsed time.Time // when a read last used it (or it was taken)
	tasks    map[string]Task
	complete bool // every task of the region was listed
	served   int  // reads served from it
	total    int  // the listing's Total (0 if unknown)
}

// pages is the number of pages of the listing.
func (s *snapshot) pages() int {
	if s.total > 0 {
		return pagesFor(s.total)
	}
	return pagesFor(len(s.tasks))
}

// usable reports whether s may serve a read at now, given the batcher's
// current gen: a read used it less than idle ago, and it is younger than
// maxAge or nothing was written since it started.
func (s *snapshot) usable(now time.Time, gen uint64, idle, maxAge time.Duration) bool {
	return now.Sub(s.lastUsed) < idle && (gen == s.gen || now.Sub(s.takenAt) < maxAge)
}

func cloneTask(t Task) *Task {
	t.Spec.SourceURLs = slices.Clone(t.Spec.SourceURLs)
	return &t
}
