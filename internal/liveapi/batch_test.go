package liveapi

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func (f *fakeService) seed(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = f.addTask(map[string]any{
			"TaskName": fmt.Sprintf("t%d", i), "StartTime": "2030-01-01T00:00:00Z", "EndTime": "2030-01-01T01:00:00Z",
			"SourceType": "live", "SourceProtocol": "RTMP", "SourceUrls": []string{"rtmp://s.example.com/a/b"},
			"DstUrl": fmt.Sprintf("rtmp://d.example.com/a/%d", i), "RetryCount": 3, "RetryInterval": 60,
		})
	}
	return ids
}

// describeAll describes ids concurrently and fails the test on any error.
func describeAll(t *testing.T, c *Client, ids []string) []*Task {
	t.Helper()
	out := make([]*Task, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			task, err := c.Describe(context.Background(), "", id)
			if err != nil {
				t.Errorf("Describe(%s): %v", id, err)
				return
			}
			out[i] = task
		}()
	}
	wg.Wait()
	return out
}

func TestBatch100ConcurrentDescribes(t *testing.T) {
	f := newFake(t)
	ids := f.seed(100)
	c := newTestClient(t, f.endpoint(), 10, nil)
	tasks := describeAll(t, c, ids)
	for i, task := range tasks {
		if task == nil || task.ID != ids[i] || task.Spec.SourceProtocol != "rtmp" {
			t.Fatalf("task %d = %+v", i, task)
		}
	}
	if l, d := f.count(OpList), f.count(OpDescribe); l > 2 || d != 0 {
		t.Fatalf("List calls = %d (want <= 2), Describe calls = %d (want 0)", l, d)
	}
	// The next wave within the snapshot's lifetime costs nothing.
	f.resetCounts()
	describeAll(t, c, ids[:10])
	if n := f.total(); n != 0 {
		t.Fatalf("second wave made %d calls, want 0", n)
	}
}

func TestBatchLoneDescribeInBigAccount(t *testing.T) {
	f := newFake(t)
	ids := f.seed(1000)
	c := newTestClient(t, f.endpoint(), 0, nil)
	if _, err := c.Describe(context.Background(), "", ids[777]); err != nil {
		t.Fatal(err)
	}
	if n, d := f.total(), f.count(OpDescribe); n != 1 || d != 1 {
		t.Fatalf("calls = %d (Describe %d), want exactly 1 Describe", n, d)
	}
}

func TestBatchManyMoreTasksThanReads(t *testing.T) {
	f := newFake(t)
	ids := f.seed(1000) // 10 pages
	c := newTestClient(t, f.endpoint(), 0, nil)
	// Three reads of tasks beyond page 1: page 1, then one Describe each
	// (9 pages left > 3 IDs left).
	describeAll(t, c, []string{ids[500], ids[600], ids[700]})
	if l, d := f.count(OpList), f.count(OpDescribe); l != 1 || d != 3 {
		t.Fatalf("List = %d, Describe = %d; want 1 and 3", l, d)
	}
	// The listing's size is remembered: the next small batch skips the list.
	f.resetCounts()
	describeAll(t, c, []string{ids[501], ids[601], ids[701]})
	if l, d := f.count(OpList), f.count(OpDescribe); l != 0 || d != 3 {
		t.Fatalf("List = %d, Describe = %d; want 0 and 3", l, d)
	}
}

// TestBatchFirstReadsComeApart: Terraform's first refresh reads may come a
// few milliseconds apart; a fresh process waits a little for company
// instead of describing the first one alone.
func TestBatchFirstReadsComeApart(t *testing.T) {
	f := newFake(t)
	ids := f.seed(50)
	c := newTestClient(t, f.endpoint(), 0, nil)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i > 0 {
				time.Sleep(25 * time.Millisecond)
			}
			if task, err := c.Describe(context.Background(), "", id); err != nil || task.ID != id {
				t.Errorf("Describe(%s) = %+v, %v", id, task, err)
			}
		}()
	}
	wg.Wait()
	if l, d := f.count(OpList), f.count(OpDescribe); l != 1 || d != 0 {
		t.Fatalf("List calls = %d, Describe calls = %d; want 1 and 0", l, d)
	}
}

func TestBatchReadsAllPagesWhenWorthIt(t *testing.T) {
	f := newFake(t)
	ids := f.seed(250) // 3 pages
	c := newTestClient(t, f.endpoint(), 0, nil)
	describeAll(t, c, ids[150:160])
	if l, d := f.count(OpList), f.count(OpDescribe); l != 3 || d != 0 {
		t.Fatalf("List = %d, Describe = %d; want 3 and 0", l, d)
	}
}

func TestBatchMissingIDConfirmedByDescribe(t *testing.T) {
	f := newFake(t)
	ids := f.seed(5)
	c := newTestClient(t, f.endpoint(), 0, nil)
	var wg sync.WaitGroup
	var errGone error
	for _, id := range append(ids, "task-gone") {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Describe(context.Background(), "", id)
			if id == "task-gone" {
				errGone = err
			} else if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if !errors.Is(errGone, ErrNotFound) {
		t.Fatalf("missing task: %v", errGone)
	}
	if l, d := f.count(OpList), f.count(OpDescribe); l != 1 || d != 1 {
		t.Fatalf("List = %d, Describe = %d; want 1 and 1", l, d)
	}
	// A task created after the listing is found by the confirming Describe.
	f.resetCounts()
	late := f.addTask(map[string]any{"DstUrl": "rtmp://late.example.com/a/b", "StartTime": "2030-01-01T00:00:00Z"})
	task, err := c.Describe(context.Background(), "", late)
	if err != nil || task.ID != late {
		t.Fatalf("late task: %v %v", task, err)
	}
	if n := f.count(OpDescribe); n != 1 || f.total() != 1 {
		t.Fatalf("calls = %d, want 1 Describe", f.total())
	}
}

func TestBatchSnapshotDroppedOnWriteThroughSharingClient(t *testing.T) {
	f := newFake(t)
	ids := f.seed(20)
	reader := newTestClient(t, f.endpoint(), 0, nil)
	writer, err := New(Config{Credential: reader.cred, Region: "cn-shanghai", Endpoint: f.endpoint(),
		Protocol: "http", RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	describeAll(t, reader, ids)
	f.resetCounts()
	if err := writer.Delete(context.Background(), "", ids[3]); err != nil {
		t.Fatal(err)
	}
	// The listing that still holds ids[3] must not serve it.
	_, err = reader.Describe(context.Background(), "", ids[3])
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted task read as %v", err)
	}
	if d := f.count(OpDescribe); d != 1 {
		t.Fatalf("Describe calls = %d, want 1", d)
	}
}

func TestBatchSnapshotLifetime(t *testing.T) {
	f := newFake(t)
	ids := f.seed(10)
	c := newTestClient(t, f.endpoint(), 0, nil)
	c.snapshotIdle, c.snapshotMaxAge = 400*time.Millisecond, 200*time.Millisecond
	describeAll(t, c, ids)
	f.resetCounts()
	// Reads that keep coming keep the listing alive, past its maximum age
	// while nothing is written (a long refresh)...
	for i := 0; i < 6; i++ {
		time.Sleep(50 * time.Millisecond)
		if _, err := c.Describe(context.Background(), "", ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.total(); n != 0 {
		t.Fatalf("reads within the refresh made %d calls", n)
	}
	// ...but once a task was written, not past its maximum age: the
	// stream of reads goes on, so the next read lists again.
	cb := "https://cb.example.com/x"
	if err := c.Update(context.Background(), UpdateInput{TaskID: ids[9], CallbackURL: &cb}); err != nil {
		t.Fatal(err)
	}
	f.resetCounts()
	if _, err := c.Describe(context.Background(), "", ids[0]); err != nil {
		t.Fatal(err)
	}
	if l, d := f.count(OpList), f.count(OpDescribe); l != 1 || d != 0 {
		t.Fatalf("after the maximum age, in a stream: List calls = %d, Describe calls = %d, want 1 and 0", l, d)
	}
	// A pause longer than the idle time ends the refresh.
	c.snapshotIdle, c.snapshotMaxAge = 100*time.Millisecond, time.Minute
	describeAll(t, c, ids)
	f.resetCounts()
	time.Sleep(250 * time.Millisecond)
	if _, err := c.Describe(context.Background(), "", ids[0]); err != nil {
		t.Fatal(err)
	}
	if d := f.count(OpDescribe); d != 1 || f.total() != 1 {
		t.Fatalf("after an idle pause: Describe calls = %d of %d, want 1 of 1", d, f.total())
	}
}

// TestBatchLongRefreshOfAThousandTasks: Terraform refreshes 1,000 tasks 20
// at a time over longer than any fixed lifetime; one listing of ten pages
// serves every read.
func TestBatchLongRefreshOfAThousandTasks(t *testing.T) {
	f := newFake(t)
	ids := f.seed(1000)
	c := newTestClient(t, f.endpoint(), 0, nil)
	c.snapshotMaxAge = 100 * time.Millisecond
	f.resetCounts()
	start := time.Now()
	work := make(chan string)
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				task, err := c.Describe(context.Background(), "", id)
				if err != nil || task.ID != id {
					t.Errorf("Describe(%s) = %+v, %v", id, task, err)
				}
				time.Sleep(5 * time.Millisecond) // Terraform's own work per resource
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	if time.Since(start) < 3*c.snapshotMaxAge {
		t.Fatalf("the refresh took %v: too short to outlive the maximum age", time.Since(start))
	}
	if l, d := f.count(OpList), f.count(OpDescribe); l != 10 || d != 0 {
		t.Fatalf("List calls = %d, Describe calls = %d; want 10 and 0", l, d)
	}
}

// TestBatchRefreshStartsWithAFewReadsAmongManyPages: the first batch of a
// refresh of 1,000 tasks holds only the few reads that came together, from
// all over the listing. Listing every page costs less than twice their
// Describes and serves the rest of the refresh: the whole refresh costs the
// ten pages.
func TestBatchRefreshStartsWithAFewReadsAmongManyPages(t *testing.T) {
	f := newFake(t)
	ids := f.seed(1000)
	c := newTestClient(t, f.endpoint(), 0, nil)
	f.resetCounts()
	first := []string{ids[150], ids[250], ids[350], ids[450], ids[550]}
	describeAll(t, c, first)
	for _, id := range ids {
		if _, err := c.Describe(context.Background(), "", id); err != nil {
			t.Fatal(err)
		}
	}
	if l, d := f.count(OpList), f.count(OpDescribe); l != 10 || d != 0 {
		t.Fatalf("List calls = %d, Describe calls = %d; want 10 and 0", l, d)
	}
}

// TestBatchRefreshReadsTrickleIn: after its first few reads, which come
// together and all sit on page 1, Terraform's refresh reads come one at a
// time (each as another finishes). Once they have used page 1 as often as
// there are pages left, the rest is listed, instead of one Describe each.
func TestBatchRefreshReadsTrickleIn(t *testing.T) {
	f := newFake(t)
	ids := f.seed(1000)
	c := newTestClient(t, f.endpoint(), 0, nil)
	f.resetCounts()
	describeAll(t, c, ids[:5])
	for _, id := range ids[5:] {
		if task, err := c.Describe(context.Background(), "", id); err != nil || task.ID != id {
			t.Fatalf("Describe(%s) = %+v, %v", id, task, err)
		}
	}
	if l, d := f.count(OpList), f.count(OpDescribe); l != 10 || d != 0 {
		t.Fatalf("List calls = %d, Describe calls = %d; want 10 and 0", l, d)
	}
}

// TestBatchWriteStreamListsAgain: an apply that updates many tasks reads
// each one before its write, one at a time. Past the maximum age the reads
// are served from new listings (List's quota), not from one Describe each
// (Describe's quota, which the read-backs of the writes need).
func TestBatchWriteStreamListsAgain(t *testing.T) {
	f := newFake(t)
	ids := f.seed(250)
	c := newTestClient(t, f.endpoint(), 0, nil)
	c.snapshotMaxAge = 500 * time.Millisecond
	// The stream never pauses for long, but on a loaded machine one Update
	// can take longer than the default idle limit, which would end the
	// stream (a different rule, pinned elsewhere): this test is about the
	// maximum age alone.
	c.snapshotIdle = time.Minute
	describeAll(t, c, ids[:20]) // the apply's first reads, together
	f.resetCounts()
	start := time.Now()
	for i, id := range ids[20:100] {
		if _, err := c.Describe(context.Background(), "", id); err != nil {
			t.Fatal(err)
		}
		cb := fmt.Sprintf("https://cb.example.com/%d", i)
		if err := c.Update(context.Background(), UpdateInput{TaskID: id, CallbackURL: &cb}); err != nil {
			t.Fatal(err)
		}
		// 80 x 8 ms outlasts one maximum age even on an idle machine,
		// where the calls themselves take almost no time.
		time.Sleep(8 * time.Millisecond)
	}
	ages := int(time.Since(start)/c.snapshotMaxAge) + 1
	l, d := f.count(OpList), f.count(OpDescribe)
	if d != 0 || l == 0 || l > 3*ages {
		t.Fatalf("80 reads over %d maximum ages: List calls = %d, Describe calls = %d; want 0 Describes and "+
			"at most 3 pages per age", ages, l, d)
	}
}

func TestListReadsEveryPageAndFilters(t *testing.T) {
	f := newFake(t)
	f.seed(230)
	c := newTestClient(t, f.endpoint(), 0, nil)
	tasks, err := c.List(context.Background(), "", ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 230 || f.count(OpList) != 3 {
		t.Fatalf("tasks = %d, List calls = %d", len(tasks), f.count(OpList))
	}
	f.resetCounts()
	tasks, err = c.List(context.Background(), "", ListFilter{DstURL: "rtmp://d.example.com/a/22"})
	if err != nil {
		t.Fatal(err)
	}
	// Fuzzy: /22 and /220../229.
	if len(tasks) != 11 || f.count(OpList) != 1 {
		t.Fatalf("filtered tasks = %d, List calls = %d", len(tasks), f.count(OpList))
	}
}

// dropSnapshot forgets the region's listing (tests and benchmarks only).
func (c *Client) dropSnapshot(region string) {
	b := c.batcherFor(region)
	b.mu.Lock()
	b.snap = nil
	b.mu.Unlock()
}

func TestBatchWriteDropsOnlyTheWrittenTask(t *testing.T) {
	f := newFake(t)
	ids := f.seed(20)
	c := newTestClient(t, f.endpoint(), 0, nil)
	describeAll(t, c, ids)
	f.resetCounts()
	cb := "https://cb.example.com/new"
	if err := c.Update(context.Background(), UpdateInput{TaskID: ids[4], CallbackURL: &cb}); err != nil {
		t.Fatal(err)
	}
	// The other tasks are still served from the listing...
	describeAll(t, c, append(ids[:4:4], ids[5:]...))
	if n := f.count(OpDescribe) + f.count(OpList); n != 0 {
		t.Fatalf("reads of untouched tasks made %d calls", n)
	}
	// ...the written one is read afresh.
	got, err := c.Describe(context.Background(), "", ids[4])
	if err != nil || got.Spec.CallbackURL != cb {
		t.Fatalf("written task: %+v %v", got, err)
	}
	if d := f.count(OpDescribe); d != 1 {
		t.Fatalf("Describe calls = %d, want 1", d)
	}
}

func TestBatchListInFlightDuringWrite(t *testing.T) {
	f := newFake(t)
	ids := f.seed(5)
	reader := newTestClient(t, f.endpoint(), 0, nil)
	writer, err := New(Config{Credential: reader.cred, Region: "cn-shanghai", Endpoint: f.endpoint(),
		Protocol: "http", RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	f.fault(OpList, "slow") // the listing answers after 300 ms
	cb := "https://cb.example.com/during"
	done := make(chan *Task)
	go func() {
		got := describeAll(t, reader, ids[:3])
		done <- got[0]
	}()
	time.Sleep(100 * time.Millisecond)
	// While the listing is in flight (and before its snapshot of task 0 is
	// taken on the server), task 0 is updated.
	if err := writer.Update(context.Background(), UpdateInput{TaskID: ids[0], CallbackURL: &cb}); err != nil {
		t.Fatal(err)
	}
	got := <-done
	if got.Spec.CallbackURL != cb {
		t.Fatalf("task written during the listing was served from it: callback %q", got.Spec.CallbackURL)
	}
	if l, d := f.count(OpList), f.count(OpDescribe); l != 1 || d != 1 {
		t.Fatalf("List = %d, Describe = %d; want 1 and 1", l, d)
	}
}

func BenchmarkDescribeBatched(b *testing.B) {
	f := newFake(b)
	ids := f.seed(100)
	c := newTestClient(b, f.endpoint(), 0, nil)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.dropSnapshot("cn-shanghai")
		var wg sync.WaitGroup
		for _, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = c.Describe(context.Background(), "", id)
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(f.total())/float64(b.N), "calls/100reads")
}

func BenchmarkDescribeLone(b *testing.B) {
	f := newFake(b)
	ids := f.seed(100)
	c := newTestClient(b, f.endpoint(), 0, nil)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, id := range ids {
			_, _ = c.describeOne(context.Background(), "cn-shanghai", id)
		}
	}
	b.ReportMetric(float64(f.total())/float64(b.N), "calls/100reads")
}

func TestListEachReadsPagesUntilStopped(t *testing.T) {
	f := newFake(t)
	ids := f.seed(250)
	c := newTestClient(t, f.endpoint(), 0, nil)
	var got []string
	var sizes []int
	err := c.ListEach(context.Background(), "", ListFilter{}, func(tasks []Task) bool {
		sizes = append(sizes, len(tasks))
		for _, task := range tasks {
			got = append(got, task.ID)
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sizes) != "[100 100 50]" || f.count(OpList) != 3 || fmt.Sprint(got) != fmt.Sprint(ids) {
		t.Fatalf("pages %v, List calls %d; want [100 100 50] in 3 calls, in the service's order", sizes, f.count(OpList))
	}
	f.resetCounts()
	pages := 0
	err = c.ListEach(context.Background(), "", ListFilter{}, func([]Task) bool { pages++; return false })
	if err != nil || pages != 1 || f.count(OpList) != 1 {
		t.Fatalf("a stop after the first page: pages %d, List calls %d, err %v; want 1, 1, nil", pages, f.count(OpList), err)
	}
	f.resetCounts()
	pages = 0
	err = c.ListEach(context.Background(), "", ListFilter{TaskName: "no such name"}, func(tasks []Task) bool {
		pages++
		return len(tasks) == 0
	})
	if err != nil || pages != 1 || f.count(OpList) != 1 {
		t.Fatalf("no match: pages %d, List calls %d, err %v; want 1, 1, nil", pages, f.count(OpList), err)
	}
}
