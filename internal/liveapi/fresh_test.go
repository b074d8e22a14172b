package liveapi

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// TestDescribeFreshNeverLists checks that N concurrent read-backs of tasks
// just written cost exactly N DescribeLivePullToPush calls and no listing,
// where the same reads through Describe are served from a list page.
func TestDescribeFreshNeverLists(t *testing.T) {
	const n = 6
	f := newFake(t)
	ids := f.seed(n)
	c := newTestClient(t, f.endpoint(), 0, nil)
	ctx := context.Background()
	for i, id := range ids {
		cb := fmt.Sprintf("https://cb.example.com/%d", i)
		if err := c.Update(ctx, UpdateInput{TaskID: id, CallbackURL: &cb}); err != nil {
			t.Fatal(err)
		}
	}
	f.resetCounts()
	got := make([]*Task, n)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			task, err := c.DescribeFresh(ctx, "", id)
			if err != nil {
				t.Errorf("DescribeFresh(%s): %v", id, err)
				return
			}
			got[i] = task
		}()
	}
	wg.Wait()
	for i, task := range got {
		if want := fmt.Sprintf("https://cb.example.com/%d", i); task == nil || task.ID != ids[i] || task.Spec.CallbackURL != want {
			t.Fatalf("task %d = %+v, want ID %s with callback %s", i, task, ids[i], want)
		}
	}
	if d, l := f.count(OpDescribe), f.count(OpList); d != n || l != 0 {
		t.Fatalf("DescribeLivePullToPush calls = %d (want %d), DescribeLivePullToPushList calls = %d (want 0)", d, n, l)
	}

	// The same reads through Describe are batched into a listing: that is
	// what DescribeFresh must avoid after a write.
	f.resetCounts()
	describeAll(t, c, ids)
	if l := f.count(OpList); l != 1 {
		t.Fatalf("batched Describe made %d List calls, want 1 (the contrast this test relies on)", l)
	}
}

func TestDescribeFreshNilClient(t *testing.T) {
	var c *Client
	if _, err := c.DescribeFresh(context.Background(), "", "t-1"); !errors.Is(err, ErrNotConfigured) {
		t.Fatalf("err = %v, want ErrNotConfigured", err)
	}
}
