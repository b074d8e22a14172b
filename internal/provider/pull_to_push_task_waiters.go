package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// This file holds what makes the resource converge under every variant of
// the service's documentation (see "Variants of the service" in the
// resource documentation): waiting for a start, stop or restart to show,
// following a task to the new ID a restart gives it, and detecting an
// update the service accepted but did not apply.

// taskClient holds the API client and the task operations that the
// resource and the restart action share: reads that wait for a change to
// show, and stops and restarts that follow a task to a new ID.
type taskClient struct {
	client *liveapi.Client
}

// settleTimeout bounds how long the provider waits for a start, stop or
// restart to show in DescribeLivePullToPush: nothing in the documentation
// says a status change shows at once, so one variant has it show a moment
// later. settlePoll is the pause between reads.
var (
	settleTimeout = 15 * time.Second
	settlePoll    = 500 * time.Millisecond
)

// describeSettled reads a task; one that is still idle although its
// start_time has passed is read again until it shows started.
func (r *taskClient) describeSettled(ctx context.Context, region, id string) (*liveapi.Task, error) {
	t, err := r.client.DescribeFresh(ctx, region, id)
	if err != nil || t.Status != liveapi.StatusIdle || t.Spec.StartTime.After(time.Now()) {
		return t, err
	}
	return r.waitFor(ctx, region, id, t, func(t *liveapi.Task) bool { return t.Status != liveapi.StatusIdle })
}

// waitFor reads the task until done holds for it, settleTimeout has
// passed or ctx ends, and returns the last read.
func (r *taskClient) waitFor(ctx context.Context, region, id string, last *liveapi.Task,
	done func(*liveapi.Task) bool) (*liveapi.Task, error) {
	deadline := time.Now().Add(settleTimeout)
	var err error
	read := false // the first step judges last as it was handed over
	poll(ctx, settlePoll, func() bool {
		if read {
			var t *liveapi.Task
			if t, err = r.client.DescribeFresh(ctx, region, id); err != nil {
				return true
			}
			last = t
		}
		read = true
		return done(last) || !time.Now().Before(deadline)
	})
	if err != nil {
		return nil, err
	}
	return last, nil
}

// poll runs step, then again every interval, until step returns true (poll
// then returns true) or ctx ends (poll returns false). It is the one loop
// of every wait for a task to change.
func poll(ctx context.Context, interval time.Duration, step func() bool) bool {
	for !step() {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(interval):
		}
	}
	return true
}

// stoppedOrGone is what a stop waits for.
func stoppedOrGone(t *liveapi.Task) bool {
	return t.Status == liveapi.StatusOffline || t.Status == liveapi.StatusIdle || t.Ended()
}

// stopSettled stops a task and waits until it shows stopped. A task that
// is still idle afterwards was not stopped: the service cannot stop a task
// before it starts, and one variant has it accept the request without
// effect (errStopNoEffect).
//
// Once the stop is accepted, the reads run on restoreContext: the caller
// restarts a relay it stopped for a change, and needs to know that the
// stop showed even when it was interrupted meanwhile.
func (r *taskClient) stopSettled(ctx context.Context, region, id string) (*liveapi.Task, error) {
	if err := r.client.Stop(ctx, region, id); err != nil {
		return nil, err
	}
	return r.stopShown(ctx, region, id)
}

// stopShown reads a task the service has accepted a stop of until the
// stop shows (stopSettled). The reads run on restoreContext.
func (r *taskClient) stopShown(ctx context.Context, region, id string) (*liveapi.Task, error) {
	rctx, cancel := restoreContext(ctx)
	defer cancel()
	t, err := r.client.DescribeFresh(rctx, region, id)
	if err == nil {
		t, err = r.waitFor(rctx, region, id, t, stoppedOrGone)
	}
	switch {
	case err != nil:
		return nil, err
	case t.Status == liveapi.StatusIdle || !stoppedOrGone(t):
		return t, &settleError{op: "StopLivePullToPush", id: id, task: t}
	}
	return t, nil
}

// runningOrDone is what a restart waits for: the task runs (or already
// recovers from a failure), has ended, or went offline with a reason
// although it has no retries (it failed at once). A task with retries left
// recovers for at least one retry interval before it goes offline, so an
// offline one has not restarted yet, whatever reason it still shows.
func runningOrDone(t *liveapi.Task) bool {
	return t.Status == liveapi.StatusRunning || t.Status == liveapi.StatusRecovering || t.Ended() ||
		(t.Status == liveapi.StatusOffline && t.InvalidReason != "" && t.Spec.RetryCount == 0)
}

// restartSettled restarts a task, follows it to the ID the restart
// answers (restartFollow), and waits until it shows running. It returns
// the task's ID after the restart and its last read (DescribeFresh, after
// the restart: a caller whose restart is its last write needs no other
// read-back); an error after the service accepted the restart (reading
// the task back failed) is a *readBackError.
func (r *taskClient) restartSettled(ctx context.Context, region, id, dst string) (string, *liveapi.Task, error) {
	newID, err := r.restartFollow(ctx, region, id, dst, false)
	if err != nil {
		return id, nil, err
	}
	t, err := r.client.DescribeFresh(ctx, region, newID)
	if err == nil {
		t, err = r.waitFor(ctx, region, newID, t, runningOrDone)
	}
	if err != nil {
		return newID, nil, &readBackError{err: err}
	}
	return newID, t, nil
}

// readBackError is a read that failed after the service accepted a write.
type readBackError struct{ err error }

func (e *readBackError) Error() string { return e.err.Error() }
func (e *readBackError) Unwrap() error { return e.err }

// restartFollow restarts a task and follows it to the ID the restart
// answers (Restart's TaskId is documented as "the new task ID"). dst finds
// the task when the answer was lost and the old ID is gone. wasRunning
// says the task ran before the restart, so that a running read-back after
// a lost answer does not count as proof of the restart
// (liveapi.Client.RestartRunning). It returns the task's ID after the
// restart.
func (r *taskClient) restartFollow(ctx context.Context, region, id, dst string, wasRunning bool) (string, error) {
	restart := r.client.RestartTask
	if wasRunning {
		restart = r.client.RestartRunning
	}
	newID, err := restart(ctx, region, id)
	var moved *liveapi.MovedError
	if errors.As(err, &moved) {
		newID, err = r.findMoved(ctx, region, id, dst, moved)
	}
	if err != nil {
		return "", err
	}
	if newID != id {
		tflog.Info(ctx, "pull-to-push task has a new ID after its restart", map[string]any{"task_id": id, "new_task_id": newID})
	}
	return newID, nil
}

// restoreGrace is how long the provider may still work, once an apply or
// an action invocation is interrupted or times out, to restart a relay it
// stopped itself (as the client resolves an ambiguous create).
var restoreGrace = 30 * time.Second

// restoreContext returns the context for restarting a relay that the
// provider stopped for a change: it is not cancelled with ctx, and once
// ctx ends it ends restoreGrace later. A relay that ran before the apply
// is never left stopped because Ctrl-C came between the stop and the
// restart.
func restoreContext(ctx context.Context) (context.Context, context.CancelFunc) {
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(restoreGrace, cancel) })
	return rctx, func() { stop(); cancel() }
}

// interruptedDetail explains an interruption that came after the provider
// had stopped a running relay (what, a clause): it names the restart's
// outcome (restartErr) and the task's status read on rctx under the ID the
// restart left it with.
func interruptedDetail(rctx context.Context, c *liveapi.Client, region, id, newID string, restartErr error, what string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The operation was interrupted %s. ", what)
	var unread *readBackError
	if restartErr != nil && !errors.As(restartErr, &unread) {
		fmt.Fprintf(&b, "Restarting the task failed (%s): it is stopped now, and the next apply restarts it.",
			strings.TrimSuffix(restartErr.Error(), "."))
		return b.String()
	}
	if newID == "" {
		newID = id
	}
	if newID != id {
		fmt.Fprintf(&b, "The task was restarted and has the new ID %q", newID)
	} else {
		b.WriteString("The task was restarted")
	}
	if t, err := c.DescribeFresh(rctx, region, newID); err == nil {
		fmt.Fprintf(&b, "; it is %s now.", statusName(t.Status))
	} else {
		b.WriteString("; reading its status failed, so refresh to see it.")
	}
	return b.String()
}

// findMoved looks for the task a restart with a lost answer moved to a new
// ID: the one task on dst other than the old ID that has not ended.
func (r *taskClient) findMoved(ctx context.Context, region, oldID, dst string, moved error) (string, error) {
	tasks, err := r.client.List(ctx, region, liveapi.ListFilter{DstURL: dst})
	if err != nil {
		return "", fmt.Errorf("%w; looking for it by dst_url failed: %w", moved, err)
	}
	var found []string
	for _, t := range tasks {
		if t.Spec.DstURL == dst && t.ID != oldID && !t.Ended() {
			found = append(found, t.ID)
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("%w; %d tasks other than it push to dst_url %q, so the provider cannot tell which one it "+
			"became (%s): import the right one with terraform import", moved, len(found), dst, strings.Join(found, ", "))
	}
	return found[0], nil
}

// settleError is a stop or restart the service accepted but that did not
// show in time, or (a stop of an idle task) had no effect.
type settleError struct {
	op   string
	id   string
	task *liveapi.Task
}

func (e *settleError) Error() string {
	if e.op == "StopLivePullToPush" && e.task.Status == liveapi.StatusIdle {
		return fmt.Sprintf("The service accepted StopLivePullToPush for pull-to-push task %q, but the task is still idle: "+
			"the service cannot stop a task before its start_time (%s) and ignored the request. Set enabled = true until "+
			"the task has started, then set it to false", e.id, e.task.Spec.StartTime.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("The service accepted %s for pull-to-push task %q, but %v later the task still shows status %q; "+
		"run terraform apply again once it has", e.op, e.id, settleTimeout, statusName(e.task.Status))
}
