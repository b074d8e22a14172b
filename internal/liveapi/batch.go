package liveapi

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"
)

// Batched reads.
//
// Terraform refreshes resources in waves of its parallelism (10 by
// default), each Read asking for one task. One DescribeLivePullToPush per
// Read spends the account's quota of 10 calls per second on reads alone;
// one DescribeLivePullToPushList page answers 100 tasks. The batcher
// therefore:
//
//  1. Serves a Describe from a recent listing, with no call. A listing
//     never outlives the refresh it served: the refresh is the stream of
//     reads that use it, so the listing is dropped once no read has used it
//     for snapshotIdle: the reads of one refresh follow each other
//     closely, while the next command starts much later. While nothing is
//     written, a listing serves the whole stream however long it lasts: a
//     refresh of many resources on a busy machine outlasts any fixed
//     lifetime (a fixed lifetime turned the tail of a refresh of 1,000
//     resources into single Describes), and the listing is as fresh as a
//     refresh is anyway. Once something has been written (an apply, whose
//     reads re-check what the plan assumed before each write), a listing
//     serves reads for at most snapshotMaxAge after it started; when the
//     stream of reads goes on past that, the next read lists again (one
//     call per page, on DescribeLivePullToPushList's own quota) instead of
//     spending DescribeLivePullToPush's quota, which the read-backs of the
//     writes need, on one call per read.
//
//     Any write (Create, Update, Stop, Restart, Delete) through any Client
//     that shares the listing (same access key, endpoint and region) drops
//     the written task from it, and a listing that was in flight during the
//     write never serves that task: the written task is read afresh, the
//     others (which the write did not touch) stay served. Dropping the whole
//     listing on every write would make the reads of an apply that updates
//     many tasks miss the listing one after the other, each becoming a call
//     of its own: the calls the listing exists to save.
//  2. Otherwise gathers the Describes that arrive within gatherWindow of
//     each other (see gather for when it waits a little longer). One or two
//     IDs cost one Describe each, so a lone Read still costs exactly one
//     call. Three or more are served from
//     list pages: page 1 first; if the account holds many more tasks than
//     are being read (more than twice as many pages left as IDs left), the
//     remaining IDs get one Describe each, else the remaining pages are read
//     too: at up to twice the calls, a listing also serves the reads that
//     follow, and a refresh's first batch is only the start of it. When every
//     ID was on page 1, the listing stays partial only if more than twice
//     as many pages are left as IDs were asked for; a later batch of the
//     same stream that lists the rest does not read page 1 again.
//  3. Describes that arrive while such a listing is in flight wait for it.
//  4. An ID missing from a complete listing is confirmed with one Describe
//     before ErrNotFound is returned: the service's listing may lag behind
//     writes (or not); both variants are handled.
//  5. A key whose RAM policy denies the list gets one Describe per ID, from
//     the denial on (permissions.go).
//
// The page count of the last listing (kept for a minute) lets a batch in an
// account with many tasks skip straight to per-ID Describes.

// batchKey identifies the tasks one batcher may share: one account (access
// key), one endpoint, one live center.
type batchKey struct {
	identity string
	endpoint string
	region   string
}

var batchers = struct {
	sync.Mutex
	m map[batchKey]*regionBatcher
}{m: map[batchKey]*regionBatcher{}}

// totalHintTTL is how long the size of the last listing guides batches.
const totalHintTTL = time.Minute

// regionBatcher holds the listing and the batches of one batchKey.
type regionBatcher struct {
	mu        sync.Mutex
	gen       uint64            // incremented by every write
	dirty     map[string]uint64 // task ID -> gen of its last write
	active    map[uint64]int    // listings in flight, by the gen they started at
	snap      *snapshot
	pending   *readBatch // gathering IDs
	inflight  *readBatch // listing in progress
	totalHint int
	hintAt    time.Time
	// relist: a listing aged out while reads kept using it; the next
	// batch lists again, whatever its size.
	relist bool
}

// readBatch is one group of Describes served together.
type readBatch struct {
	listGen uint64    // gen when its listing started
	full    bool      // read every page, for the reads that follow
	first   *listPage // page 1, when an earlier listing of the stream read it
	ids     map[string]struct{}
	done    chan struct{}
	// Written before done is closed, read-only afterwards.
	listed   map[string]Task
	complete bool
	single   map[string]readResult
	err      error
}

type readResult struct {
	t   *Task
	err error
}

func (c *Client) batcherFor(region string) *regionBatcher {
	id, err := c.identity()
	if err != nil {
		return nil
	}
	k := batchKey{identity: id, endpoint: c.endpoint, region: region}
	batchers.Lock()
	defer batchers.Unlock()
	b, ok := batchers.m[k]
	if !ok {
		b = &regionBatcher{dirty: map[string]uint64{}, active: map[uint64]int{}}
		batchers.m[k] = b
	}
	return b
}

// invalidate drops task id from the listing of region and from every
// listing in flight. Every write calls it (Create with the new ID, or ""
// when it has none).
func (c *Client) invalidate(region, id string) {
	b := c.batcherFor(region)
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.gen++
	b.dirty[id] = b.gen
	if b.snap != nil {
		delete(b.snap.tasks, id)
	}
}

// startList records a listing that starts now and returns its gen.
func (b *regionBatcher) startList() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.active[b.gen]++
	return b.gen
}

// endListLocked forgets a listing that started at gen and prunes the
// write marks no listing in flight can need any more.
func (b *regionBatcher) endListLocked(gen uint64) {
	if b.active[gen]--; b.active[gen] <= 0 {
		delete(b.active, gen)
	}
	floor := b.gen
	for g := range b.active {
		floor = min(floor, g)
	}
	for id, g := range b.dirty {
		if g <= floor {
			delete(b.dirty, id)
		}
	}
}

// usableLocked keeps the tasks of a listing that started at gen and were
// not written since.
func (b *regionBatcher) usableLocked(tasks map[string]Task, gen uint64) map[string]Task {
	out := make(map[string]Task, len(tasks))
	for id, t := range tasks {
		if b.dirty[id] <= gen {
			out[id] = t
		}
	}
	return out
}

// describe implements Describe.
func (c *Client) describe(ctx context.Context, region, id string) (*Task, error) {
	b := c.batcherFor(region)
	if b == nil || c.gatherWindow < 0 {
		return c.describeOne(ctx, region, id)
	}
	b.mu.Lock()
	now := time.Now()
	if s := b.snap; s != nil && !s.usable(now, b.gen, c.snapshotIdle, c.snapshotMaxAge) {
		// Aged out in the middle of a stream of reads that paid off (at
		// least one read per page): list again for what follows.
		if now.Sub(s.lastUsed) < c.snapshotIdle && s.served >= s.pages() {
			b.relist = true
		}
		b.snap = nil
	}
	if s := b.snap; s != nil {
		s.lastUsed = now
		s.served++
		if t, ok := s.tasks[id]; ok {
			b.mu.Unlock()
			c.debug(ctx, "alilive task served from a recent listing", map[string]any{
				"operation": OpDescribe, "task_id": id, "region": region,
			})
			return cloneTask(t), nil
		}
		if s.complete {
			b.mu.Unlock()
			return c.describeOne(ctx, region, id)
		}
		// A read that misses a partial listing (page 1 only): once the
		// stream it serves counts as many reads as there are pages left,
		// listing the rest pays off (Terraform's refresh reads trickle in
		// one by one after its first few, so they would never gather into
		// a batch large enough to list on their own).
		if s.total > 0 && s.served >= s.pages()-1 {
			b.relist = true
		}
	}
	if f := b.inflight; f != nil {
		b.mu.Unlock()
		return c.awaitBatch(ctx, region, id, f)
	}
	p := b.pending
	if p == nil {
		p = &readBatch{ids: map[string]struct{}{}, done: make(chan struct{})}
		b.pending = p
		go c.runBatch(ctx, region, b, p)
	}
	p.ids[id] = struct{}{}
	b.mu.Unlock()
	return c.awaitBatch(ctx, region, id, p)
}

// awaitBatch waits for p and picks id's answer from it.
func (c *Client) awaitBatch(ctx context.Context, region, id string, p *readBatch) (*Task, error) {
	select {
	case <-ctx.Done():
		return nil, &TransportError{Operation: OpDescribe, TaskID: id, Endpoint: c.endpoint, Err: ctx.Err()}
	case <-p.done:
	}
	if r, ok := p.single[id]; ok {
		return r.t, r.err
	}
	if t, ok := p.listed[id]; ok {
		return cloneTask(t), nil
	}
	if p.err != nil {
		return nil, p.err
	}
	// Not in the listing (or the listing was partial): one Describe decides.
	return c.describeOne(ctx, region, id)
}

// runBatch serves the batch p after the gathering window.
func (c *Client) runBatch(first context.Context, region string, b *regionBatcher, p *readBatch) {
	ctx := context.WithoutCancel(first)
	if dl, ok := first.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, dl)
		defer cancel()
	}
	c.gather(b, p)

	b.mu.Lock()
	if b.pending == p {
		b.pending = nil
	}
	ids := make([]string, 0, len(p.ids))
	for id := range p.ids {
		ids = append(ids, id)
	}
	hintPages := 0
	if time.Since(b.hintAt) < totalHintTTL {
		hintPages = pagesFor(b.totalHint)
	}
	useList := len(ids) >= 3 && hintPages-1 <= 2*len(ids) && c.listAllowed()
	if b.relist {
		useList, p.full = c.listAllowed(), c.listAllowed()
		b.relist = false
	}
	started := time.Now()
	if useList {
		b.inflight = p
		b.active[b.gen]++
		p.listGen = b.gen
		// A page 1 listed for earlier reads of this stream, with nothing
		// written since, is not read again.
		if sn := b.snap; sn != nil && !sn.complete && sn.total > 0 && sn.gen == b.gen &&
			sn.usable(started, b.gen, c.snapshotIdle, c.snapshotMaxAge) {
			p.first = &listPage{total: sn.total, tasks: slices.Collect(maps.Values(sn.tasks))}
			started = sn.takenAt
		}
	}
	b.mu.Unlock()

	p.listed = map[string]Task{}
	p.single = map[string]readResult{}
	total := -1
	if useList {
		c.debug(ctx, "alilive serving reads from list pages", map[string]any{
			"operation": OpList, "region": region, "ids": len(ids),
		})
		total = c.fillFromList(ctx, region, ids, p)
	} else {
		c.describeEach(ctx, region, ids, p)
	}

	b.mu.Lock()
	if b.inflight == p {
		b.inflight = nil
	}
	if total >= 0 {
		b.totalHint, b.hintAt = total, time.Now()
	}
	if useList {
		// Tasks written while the listing was in flight are not served from
		// it, neither to the waiting reads nor later.
		p.listed = b.usableLocked(p.listed, p.listGen)
		if p.err == nil {
			b.snap = &snapshot{takenAt: started, gen: p.listGen, lastUsed: time.Now(),
				tasks: maps.Clone(p.listed), complete: p.complete, served: len(ids), total: total}
		}
		b.endListLocked(p.listGen)
	}
	b.mu.Unlock()
	close(p.done)
}

// maxGatherWindows bounds how many gathering windows a batch of fewer
// than three reads may wait for company.
const maxGatherWindows = 4

// gather waits for the reads that come together with p's first one. A
// process that has listed before waits one gathering window, and more (up
// to maxGatherWindows) only while p has fewer than three reads and reads
// keep arriving. A fresh process waits while reads keep arriving, up to
// maxGatherWindows: its first batch is the start of a refresh or a lone
// read, and on a busy machine Terraform's first refresh reads come some
// milliseconds apart; the more of them the first batch holds, the better it
// can tell a refresh (list every page) from a few reads (one Describe each).
// A lone read in a fresh process waits two windows.
func (c *Client) gather(b *regionBatcher, p *readBatch) {
	seen := 0
	for w := 0; w < maxGatherWindows; w++ {
		time.Sleep(c.gatherWindow)
		b.mu.Lock()
		n, fresh := len(p.ids), b.hintAt.IsZero()
		b.mu.Unlock()
		grew := n > seen
		seen = n
		if !grew || (!fresh && n >= 3) {
			return
		}
	}
}

// fillFromList reads page 1 (unless p has it), then either the remaining
// pages or one Describe per remaining ID, into p. It returns the listing's
// Total, or -1.
func (c *Client) fillFromList(ctx context.Context, region string, ids []string, p *readBatch) int {
	var first listPage
	if p.first != nil {
		first = *p.first
	} else {
		var err error
		if first, err = c.listPageN(ctx, region, ListFilter{}, 1); err != nil {
			if _, denied := MissingPermission(err); denied {
				// The key may not list (permissions.go): read each task.
				c.describeEach(ctx, region, ids, p)
				return -1
			}
			p.err = err
			return -1
		}
	}
	for _, t := range first.tasks {
		p.listed[t.ID] = t
	}
	var remaining []string
	for _, id := range ids {
		if _, ok := p.listed[id]; !ok {
			remaining = append(remaining, id)
		}
	}
	pages := pagesFor(first.total)
	switch {
	case pages <= 1:
		p.complete = true
	case len(remaining) == 0 && !p.full && 2*len(ids) < pages-1:
		// Every requested task was on page 1, and there are more pages
		// left than tasks in the batch: the listing stays partial.
	case pages-1 > 2*len(remaining) && !p.full:
		c.describeEach(ctx, region, remaining, p)
	default:
		rest, err := c.listPages(ctx, region, ListFilter{}, 2, pages)
		if _, denied := MissingPermission(err); denied {
			c.describeEach(ctx, region, remaining, p)
			return first.total
		}
		if err != nil {
			p.err = err
			return first.total
		}
		for _, t := range rest {
			p.listed[t.ID] = t
		}
		p.complete = true
	}
	return first.total
}

// describeEach describes ids concurrently (the limiter paces them) into p.
func (c *Client) describeEach(ctx context.Context, region string, ids []string, p *readBatch) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t, err := c.describeOne(ctx, region, id)
			mu.Lock()
			p.single[id] = readResult{t: t, err: err}
			mu.Unlock()
		}()
	}
	wg.Wait()
}

// describeOne makes exactly one logical DescribeLivePullToPush call (with
// retries), bypassing the read batcher.
func (c *Client) describeOne(ctx context.Context, region, id string) (*Task, error) {
	var t *Task
	err := c.do(ctx, apiCall{
		op: OpDescribe, taskID: id, region: region,
		run: func(actx context.Context) (string, error) { return c.describeOnce(actx, region, id, &t) },
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// listAll reads every page for the filter and removes duplicates (tasks
// created or deleted while paging shift the pages).
func (c *Client) listAll(ctx context.Context, region string, f ListFilter) ([]Task, error) {
	first, err := c.listPageN(ctx, region, f, 1)
	if err != nil {
		return nil, err
	}
	rest, err := c.listPages(ctx, region, f, 2, pagesFor(first.total))
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := make([]Task, 0, len(first.tasks)+len(rest))
	for _, t := range append(first.tasks, rest...) {
		if !seen[t.ID] {
			seen[t.ID] = true
			out = append(out, t)
		}
	}
	return out, nil
}

// listEach implements ListEach: one page after the other, so that the
// caller's stop ends the reading. The last page is the one the latest
// answer's Total makes last, or an empty one.
func (c *Client) listEach(ctx context.Context, region string, f ListFilter, page func([]Task) bool) error {
	seen := map[string]bool{}
	for n := 1; ; n++ {
		p, err := c.listPageN(ctx, region, f, n)
		if err != nil {
			return err
		}
		fresh := make([]Task, 0, len(p.tasks))
		for _, t := range p.tasks {
			if !seen[t.ID] {
				seen[t.ID] = true
				fresh = append(fresh, t)
			}
		}
		if !page(fresh) || len(p.tasks) == 0 || n >= pagesFor(p.total) {
			return nil
		}
	}
}

// list implements List. An unfiltered listing also serves the Describes
// that follow within the snapshot TTL.
func (c *Client) list(ctx context.Context, region string, f ListFilter) ([]Task, error) {
	var b *regionBatcher
	var gen uint64
	if f == (ListFilter{}) {
		if b = c.batcherFor(region); b != nil {
			gen = b.startList()
		}
	}
	started := time.Now()
	tasks, err := c.listAll(ctx, region, f)
	if b != nil {
		b.mu.Lock()
		if err == nil {
			m := make(map[string]Task, len(tasks))
			for _, t := range tasks {
				m[t.ID] = t
			}
			b.snap = &snapshot{takenAt: started, gen: gen, lastUsed: time.Now(), tasks: b.usableLocked(m, gen), complete: true}
			b.totalHint, b.hintAt = len(tasks), time.Now()
		}
		b.endListLocked(gen)
		b.mu.Unlock()
	}
	if err != nil {
		return nil, err
	}
	out := make([]Task, len(tasks))
	for i := range tasks {
		out[i] = *cloneTask(tasks[i])
	}
	return out, nil
}
