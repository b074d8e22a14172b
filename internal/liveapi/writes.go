package liveapi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/urlsign"
)

// ConflictError reports that CreateLivePullToPush could not create the task
// because another task already uses its destination URL.
type ConflictError struct {
	DstURL     string
	TaskID     string    // the task that holds DstURL
	SameConfig bool      // that task has exactly the requested configuration
	Err        *APIError // the service's answer, if it reported the conflict itself
}

// Error names the task that holds the destination URL and what to do.
func (e *ConflictError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s failed: dst_url %q is already used by task %s", OpCreate, urlsign.Redact(e.DstURL), e.TaskID)
	if e.SameConfig {
		b.WriteString(", which has the same configuration: ")
	} else {
		b.WriteString(", which has a different configuration: ")
	}
	b.WriteString(e.Advice())
	if e.Err != nil {
		fmt.Fprintf(&b, " (%s, HTTP %d", e.Err.Code, e.Err.HTTPStatus)
		if e.Err.RequestID != "" {
			fmt.Fprintf(&b, ", request ID %s", e.Err.RequestID)
		}
		b.WriteString(")")
	}
	return b.String()
}

// Advice is the part of Error() that tells the user what to do.
func (e *ConflictError) Advice() string {
	if e.SameConfig {
		return "import that task instead of creating it again"
	}
	return "delete or import that task, or choose another dst_url"
}

// Unwrap returns the service's error, if any.
func (e *ConflictError) Unwrap() error {
	if e.Err == nil {
		return nil
	}
	return e.Err
}

// unresolvedCreateError is a create that may have committed, whose lookup
// by dst_url failed as well: the task may exist.
type unresolvedCreateError struct {
	err    error // the create's failure
	lookup error // the lookup's failure
	dstURL string
}

// Error states both failures once each, then the advice of both (once when
// they agree, as they do when the endpoint is the problem).
func (e *unresolvedCreateError) Error() string {
	return fmt.Sprintf("%s; the request may have created the task, and looking it up by dst_url failed: %s; %s",
		strings.TrimSuffix(withoutAdvice(e.err), "."), strings.TrimSuffix(withoutAdvice(e.lookup), "."), e.Advice())
}

// Unwrap returns the create's failure.
func (e *unresolvedCreateError) Unwrap() error { return e.err }

// MayHaveCreated reports whether err is a Create whose answer was lost and
// whose lookup by DstURL failed too: the task may exist on the service
// although no ID is known. Callers must say so rather than report only the
// create's own failure (which errors.As would find inside err).
func MayHaveCreated(err error) bool {
	var u *unresolvedCreateError
	return errors.As(err, &u)
}

// Advice says what to fix and to look for the task before trying again.
func (e *unresolvedCreateError) Advice() string {
	var parts []string
	for _, a := range []string{Advice(e.err), Advice(e.lookup), permissionToLook(e.lookup)} {
		if a != "" && !slices.Contains(parts, a) {
			parts = append(parts, a)
		}
	}
	look := fmt.Sprintf("look for a task with dst_url %q before applying again", urlsign.Redact(e.dstURL))
	if len(parts) == 0 {
		return look
	}
	return strings.Join(parts, "; ") + ", then " + look
}

// create implements Create.
//
// Before the first attempt the tasks that already use the destination URL
// are listed (one DescribeLivePullToPushList call, skipped for a key whose
// policy denies the list). No task of that list is ever adopted or deleted
// by this create: a replacement under create_before_destroy (terraform
// apply -replace, a tainted resource) asks for a task with exactly the
// configuration of the task it replaces, and adopting that one would let
// Terraform delete it as the deposed object, losing the relay.
//
// An attempt that may have committed (the connection broke after the
// request was sent, the attempt timed out, or the service answered 5xx) is
// resolved before anything else: the tasks whose DstUrl matches (the List
// filter is fuzzy, the client compares exactly) are read; a task with the
// requested configuration that was not there before is adopted, a new task
// with another configuration is reported by ID, a task that was there
// before is reported as holding the destination when the service says it
// is taken, and only when nothing new is there is the create repeated. A
// repeat that answers CodeConfigAlreadyExists is resolved the same way. A
// first attempt that answers CodeConfigAlreadyExists is reported with the
// ID of the task that holds the destination URL.
//
// When the list before the first attempt could not be read, every task the
// lookup finds counts as one that was there before (the stricter reading):
// such a create is never resolved by adoption.
//
// None of this relies on the service refusing a second task with the same
// DstUrl: where it accepts one (and lets the later fail at run time), a
// repeat succeeds even if an earlier attempt committed after the lookup
// (an answer that was late rather than lost, or a listing that lagged).
// So after a repeat that followed an ambiguous attempt the destination is
// read once more, and a task with the requested configuration that was not
// there before and that the lookup had not shown, other than the one just
// created, is that earlier attempt's: it is deleted, so the create leaves
// exactly one task.
func (c *Client) create(ctx context.Context, spec Spec) (string, error) {
	spec.Region = c.regionOr(spec.Region)
	var created, adopted string
	repeated := false // a create was sent again after an ambiguous attempt
	defer func() { c.invalidate(spec.Region, created+adopted) }()
	known := c.tasksOnDst(ctx, spec) // nil: the list could not be read
	existed := func(id string) bool { return known == nil || known[id] }
	seen := map[string]bool{} // what the lookups showed: never a stray
	err := c.do(ctx, apiCall{
		op:     OpCreate,
		region: spec.Region,
		write:  true,
		run:    func(actx context.Context) (string, error) { return c.createOnce(actx, spec, &created) },
		onFailure: func(ctx context.Context, f *attemptFailure) (bool, error) {
			exists := f.api != nil && f.api.Code == CodeConfigAlreadyExists
			if !exists && !f.maybeCommitted {
				return false, nil
			}
			lctx := ctx
			if ctx.Err() != nil {
				// The caller gave up while the outcome is unknown: resolve it
				// anyway so the task is not left unmanaged.
				var cancel context.CancelFunc
				lctx, cancel = detached(ctx, c.graceTimeout)
				defer cancel()
			}
			found, lerr := c.lookupDst(lctx, spec)
			if lerr != nil {
				return true, &unresolvedCreateError{err: f.err, lookup: lerr, dstURL: spec.DstURL}
			}
			var match, other, held *Task
			for i := range found {
				t := &found[i]
				seen[t.ID] = true
				same := SameSpec(spec, t.Spec)
				switch {
				case existed(t.ID):
					if held == nil || (same && !SameSpec(spec, held.Spec)) {
						held = t
					}
				case same && match == nil:
					match = t
				case !same && other == nil:
					other = t
				}
			}
			switch {
			case exists && !f.ambiguousBefore:
				holder := held
				for _, t := range []*Task{match, other} {
					if holder == nil && t != nil {
						holder = t
					}
				}
				if holder == nil {
					return true, f.err
				}
				return true, &ConflictError{DstURL: spec.DstURL, TaskID: holder.ID, SameConfig: SameSpec(spec, holder.Spec), Err: f.api}
			case match != nil:
				c.warn(ctx, "alilive create outcome was ambiguous; adopted the task it created", map[string]any{
					"operation": OpCreate, "task_id": match.ID, "attempt": f.attempt, "error_code": errorCode(f),
					"request_id": f.requestID,
				})
				adopted = match.ID
				return true, nil
			case other != nil:
				return true, &ConflictError{DstURL: spec.DstURL, TaskID: other.ID, Err: f.api}
			case exists && held != nil:
				// The service says the destination is taken, and the task that
				// takes it was there before this create.
				return true, &ConflictError{DstURL: spec.DstURL, TaskID: held.ID, SameConfig: SameSpec(spec, held.Spec), Err: f.api}
			case exists:
				// The service says the destination is taken but no task
				// shows it: report the service's answer.
				return true, f.err
			case known == nil && held != nil:
				// Without the list from before, a task on the destination may
				// be this create's: neither adopt it nor create another.
				return true, &ConflictError{DstURL: spec.DstURL, TaskID: held.ID, SameConfig: SameSpec(spec, held.Spec), Err: f.api}
			}
			// Nothing new was created: let the loop repeat the create.
			repeated = true
			return false, nil
		},
	})
	if err != nil {
		return "", err
	}
	if adopted != "" {
		return adopted, nil
	}
	if repeated {
		c.dropStrays(ctx, spec, created, func(id string) bool { return existed(id) || seen[id] })
	}
	return created, nil
}

// tasksOnDst lists the IDs of the tasks that use spec.DstURL exactly, or
// returns nil when the list cannot be read: a policy that denies it (the
// denial is remembered, and from then on no call is made), an error answer
// or no answer. The create goes ahead either way and gives the service's
// own answer; only an ambiguous outcome then cannot be resolved by
// adoption.
func (c *Client) tasksOnDst(ctx context.Context, spec Spec) map[string]bool {
	done := c.listProbe()
	if c.deniedList() != nil {
		done(false)
		return nil
	}
	tasks, err := c.listAll(ctx, spec.Region, ListFilter{DstURL: spec.DstURL})
	if err != nil {
		c.noteDenied(ctx, err)
	}
	done(err == nil)
	if err != nil {
		c.debug(ctx, "alilive could not list the tasks on the destination before creating a task", map[string]any{
			"operation": OpList, "error": err.Error(),
		})
		return nil
	}
	ids := map[string]bool{}
	for _, t := range tasks {
		if t.Spec.DstURL == spec.DstURL {
			ids[t.ID] = true
		}
	}
	return ids
}

// dropStrays deletes the tasks an earlier, ambiguous attempt of a create
// committed after its lookup: every task with the requested configuration
// other than keep and those for which spare is true (tasks that were there
// before the create, or that a lookup showed). A task with that
// configuration, dst_url included, can only be the late attempt, or a
// second copy of the same relay, which cannot push beside keep anyway; a
// task with any other configuration is never touched. Failures are
// logged; they leave a duplicate that the user can see, never a lost task.
func (c *Client) dropStrays(ctx context.Context, spec Spec, keep string, spare func(id string) bool) {
	lctx, cancel := c.resolveCtx(ctx)
	defer cancel()
	tasks, err := c.listAll(lctx, spec.Region, ListFilter{DstURL: spec.DstURL})
	if err != nil {
		c.warn(ctx, "alilive could not check for a task left by an ambiguous create", map[string]any{
			"operation": OpCreate, "task_id": keep, "error": err.Error(),
		})
		return
	}
	for i := range tasks {
		t := &tasks[i]
		if t.ID == keep || spare(t.ID) || t.Spec.DstURL != spec.DstURL || t.Ended() || !SameSpec(spec, t.Spec) {
			continue
		}
		c.warn(ctx, "alilive deleting a duplicate task that an ambiguous create attempt committed late", map[string]any{
			"operation": OpCreate, "task_id": t.ID, "kept_task_id": keep,
		})
		if err := c.delete(lctx, spec.Region, t.ID); err != nil {
			c.warn(ctx, "alilive could not delete the duplicate task", map[string]any{
				"operation": OpDelete, "task_id": t.ID, "error": err.Error(),
			})
		}
	}
}

// Ended reports whether the service has ended the task: it exited (status
// -1), or it reports TaskExitReason OverEndTime, as one variant of the
// documentation has a task that passed its end time (stopped, about to be
// deleted). Such a task can never run again and holds no destination.
func (t *Task) Ended() bool {
	return t.Status == StatusExited || t.ExitReason == ExitReasonOverEndTime
}

// ExitReasonOverEndTime is the TaskExitReason of a task whose end time passed.
const ExitReasonOverEndTime = "OverEndTime"

// MovedError is a restart whose answer was lost, after which the task no
// longer exists under its ID: the service documents Restart's TaskId as the
// new task ID, so the task may now run under an ID the client never saw.
// The caller can find it by its destination URL.
type MovedError struct {
	TaskID string
	Region string
	Err    error // the restart's own failure
}

// Error says what happened and what the caller cannot know.
func (e *MovedError) Error() string {
	return fmt.Sprintf("%s for task %s may have restarted it under a new task ID: the answer was lost (%s), and "+
		"no task exists under %s any more", OpRestart, e.TaskID, withoutAdvice(e.Err), e.TaskID)
}

// Unwrap returns the restart's own failure.
func (e *MovedError) Unwrap() error { return e.Err }

// lookupDst lists the tasks whose DstUrl is exactly spec.DstURL and that
// have not ended (the List filter is fuzzy).
func (c *Client) lookupDst(ctx context.Context, spec Spec) ([]Task, error) {
	if err := c.deniedList(); err != nil {
		return nil, err
	}
	tasks, err := c.listAll(ctx, spec.Region, ListFilter{DstURL: spec.DstURL})
	if err != nil {
		return nil, err
	}
	out := tasks[:0]
	for _, t := range tasks {
		if t.Spec.DstURL == spec.DstURL && !t.Ended() {
			out = append(out, t)
		}
	}
	return out, nil
}

// SameSpec reports whether two configurations are the same task: equal
// names, instants (to the second), type, protocol (case-insensitively),
// source URLs in order, destination, callback and numbers. A zero
// RetryInterval stands for the service's default of 60 seconds.
func SameSpec(a, b Spec) bool {
	ri := func(v int32) int32 {
		if v == 0 {
			return 60
		}
		return v
	}
	return a.TaskName == b.TaskName &&
		a.StartTime.Truncate(time.Second).Equal(b.StartTime.Truncate(time.Second)) &&
		a.EndTime.Truncate(time.Second).Equal(b.EndTime.Truncate(time.Second)) &&
		strings.EqualFold(a.SourceType, b.SourceType) &&
		strings.EqualFold(a.SourceProtocol, b.SourceProtocol) &&
		slices.Equal(a.SourceURLs, b.SourceURLs) &&
		a.DstURL == b.DstURL && a.CallbackURL == b.CallbackURL &&
		a.RepeatNumber == b.RepeatNumber && a.FileIndex == b.FileIndex && a.Offset == b.Offset &&
		a.RetryCount == b.RetryCount && ri(a.RetryInterval) == ri(b.RetryInterval)
}

// update implements Update. After an attempt that may have committed, the
// task is read back: when every requested value is in place the update is
// done, otherwise it is repeated.
func (c *Client) update(ctx context.Context, in UpdateInput) error {
	in.Region = c.regionOr(in.Region)
	defer c.invalidate(in.Region, in.TaskID)
	return c.do(ctx, apiCall{
		op: OpUpdate, write: true, taskID: in.TaskID, region: in.Region,
		run: func(actx context.Context) (string, error) { return c.updateOnce(actx, in) },
		onFailure: func(ctx context.Context, f *attemptFailure) (bool, error) {
			if !f.maybeCommitted {
				return false, nil
			}
			rctx, cancel := c.resolveCtx(ctx)
			defer cancel()
			t, err := c.describeOne(rctx, in.Region, in.TaskID)
			if err != nil {
				if errors.Is(err, ErrNotFound) {
					return true, err
				}
				return false, nil
			}
			if UpdateApplied(in, t) {
				return true, nil
			}
			return false, nil
		},
	})
}

// UpdateApplied reports whether every value in reads back from t (see
// NotApplied).
func UpdateApplied(in UpdateInput, t *Task) bool { return len(NotApplied(in, t)) == 0 }

// NotApplied names, as UpdateLivePullToPush's parameters (StartTime,
// EndTime, SourceUrls, RepeatNumber, FileIndex, Offset, CallbackUrl), the
// values of in that t does not show, compared to the second. A start time
// is compared only while the task is idle: the service documents that it
// ignores one once the task has started.
func NotApplied(in UpdateInput, t *Task) []string {
	s := t.Spec
	var out []string
	if in.StartTime != nil && t.Status == StatusIdle &&
		!in.StartTime.Truncate(time.Second).Equal(s.StartTime.Truncate(time.Second)) {
		out = append(out, "StartTime")
	}
	if in.EndTime != nil && !in.EndTime.Truncate(time.Second).Equal(s.EndTime.Truncate(time.Second)) {
		out = append(out, "EndTime")
	}
	if in.SourceURLs != nil && !slices.Equal(in.SourceURLs, s.SourceURLs) {
		out = append(out, "SourceUrls")
	}
	if in.RepeatNumber != nil && *in.RepeatNumber != s.RepeatNumber {
		out = append(out, "RepeatNumber")
	}
	if in.FileIndex != nil && *in.FileIndex != s.FileIndex {
		out = append(out, "FileIndex")
	}
	if in.Offset != nil && *in.Offset != s.Offset {
		out = append(out, "Offset")
	}
	if in.CallbackURL != nil && *in.CallbackURL != s.CallbackURL {
		out = append(out, "CallbackUrl")
	}
	return out
}

// stop implements Stop: CodeTaskHasStopped (also the answer to a repeat of
// a stop that committed) is success.
func (c *Client) stop(ctx context.Context, region, id string) error {
	defer c.invalidate(region, id)
	return c.do(ctx, apiCall{
		op: OpStop, write: true, taskID: id, region: region,
		run: func(actx context.Context) (string, error) { return c.stopOnce(actx, region, id) },
		onFailure: func(_ context.Context, f *attemptFailure) (bool, error) {
			if f.api != nil && f.api.Code == CodeTaskHasStopped {
				return true, nil
			}
			return false, nil
		},
	})
}

// restart implements RestartTask and RestartRunning (wasRunning). After an
// attempt that may have committed the task is read back: gone means it may
// have restarted under a new ID (MovedError); running (or recovering) means
// the restart happened, unless the task was running before, when the
// restart is sent again. A failure after an attempt that may have
// committed is an outcomeUnknownError.
func (c *Client) restart(ctx context.Context, region, id string, wasRunning bool) (string, error) {
	newID := id
	defer func() {
		c.invalidate(region, id)
		c.invalidate(region, newID)
	}()
	ambiguous := false
	err := c.do(ctx, apiCall{
		op: OpRestart, write: true, taskID: id, region: region,
		run: func(actx context.Context) (string, error) { return c.restartOnce(actx, region, id, &newID) },
		onFailure: func(ctx context.Context, f *attemptFailure) (bool, error) {
			if !f.maybeCommitted {
				return false, nil
			}
			ambiguous = true
			rctx, cancel := c.resolveCtx(ctx)
			defer cancel()
			t, err := c.describeOne(rctx, region, id)
			if err != nil {
				if errors.Is(err, ErrNotFound) {
					return true, &MovedError{TaskID: id, Region: region, Err: f.err}
				}
				return false, nil
			}
			if !wasRunning && (t.Status == StatusRunning || t.Status == StatusRecovering) {
				return true, nil
			}
			return false, nil
		},
	})
	if err != nil {
		var moved *MovedError
		if ambiguous && !errors.As(err, &moved) {
			return "", &outcomeUnknownError{err: err}
		}
		return "", err
	}
	return newID, nil
}

// outcomeUnknownError is a write that failed after an attempt that may
// have committed: the service may have carried it out.
type outcomeUnknownError struct{ err error }

func (e *outcomeUnknownError) Error() string {
	return strings.TrimSuffix(e.err.Error(), ".") + "; an earlier attempt got no clear answer and may have taken effect"
}

func (e *outcomeUnknownError) Unwrap() error { return e.err }

// OutcomeUnknown reports whether err is a write that failed after an
// attempt that may have committed: whether the service carried it out is
// unknown.
func OutcomeUnknown(err error) bool {
	var u *outcomeUnknownError
	return errors.As(err, &u)
}

// delete implements Delete: CodeTaskNotExist is success, which also covers
// a repeat of a delete whose first answer was lost.
func (c *Client) delete(ctx context.Context, region, id string) error {
	defer c.invalidate(region, id)
	return c.do(ctx, apiCall{
		op: OpDelete, write: true, taskID: id, region: region,
		run: func(actx context.Context) (string, error) { return c.deleteOnce(actx, region, id) },
		onFailure: func(_ context.Context, f *attemptFailure) (bool, error) {
			if f.api != nil && f.api.Code == CodeTaskNotExist {
				return true, nil
			}
			return false, nil
		},
	})
}

// resolveCtx returns ctx, or a detached context with the grace timeout
// when ctx has already ended.
func (c *Client) resolveCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx.Err() != nil {
		return detached(ctx, c.graceTimeout)
	}
	return ctx, func() {}
}
