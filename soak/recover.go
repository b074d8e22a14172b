package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/alilive/terraform-provider-alilive/internal/urlsign"
)

// afterCrash runs the same apply again, as an operator does after a crash,
// following the provider's advice to import a task it names; the live
// tasks no resource claims after that are the crash's leftovers.
func (r *run) afterCrash(args []string) error {
	out, code, err := r.applyFollowingAdvice(args, 3, true)
	if err != nil {
		return err
	}
	if code != 0 && !readingRefused(out, true) {
		return fmt.Errorf("the apply after the crash failed (exit %d):\n%s", code, tail(out))
	}
	return r.updateLeftovers()
}

// updateLeftovers marks the live tasks that the state does not hold as a
// crash's leftovers, and unmarks those the state holds again (imported).
func (r *run) updateLeftovers() error {
	ids, err := r.stateIDs()
	if err != nil {
		return err
	}
	for _, t := range r.liveTasks() {
		_, held := ids[t.TaskId]
		switch {
		case held && r.leftover[t.TaskId]:
			delete(r.leftover, t.TaskId)
		case !held && !r.leftover[t.TaskId]:
			r.leftover[t.TaskId] = true
			r.logf("crash leftover: task %s on %s", t.TaskId, urlsign.Redact(t.TaskInfo.DstUrl))
		}
	}
	return nil
}

// applyFollowingAdvice runs the apply args until it succeeds, at most
// attempts times. With imports (after a crash) it follows the provider's
// advice to import a task it names for a resource the state does not
// hold, as an operator would. It returns the last apply's output and exit
// code; an error is an output invariant broken or an import that failed.
func (r *run) applyFollowingAdvice(args []string, attempts int, imports bool) (string, int, error) {
	var out string
	var code int
	for attempt := 1; attempt <= attempts; attempt++ {
		out, code = r.terraform(noInterrupt, 0, args...)
		if err := r.checkOutput(out); err != nil {
			return out, code, err
		}
		if code == 0 || !imports {
			if code == 0 {
				break
			}
			continue
		}
		ids, err := r.stateIDs()
		if err != nil {
			return out, code, err
		}
		advice := importAdvice(out)
		for addr, id := range advice {
			_, short, _ := strings.Cut(id, ":")
			if _, held := ids[short]; held {
				delete(advice, addr) // the task being replaced: not a crash's
			}
		}
		if len(advice) == 0 && readingRefused(out, true) {
			break
		}
		for addr, id := range advice {
			if holdsName(ids, strings.TrimPrefix(addr, "alilive_pull_to_push_task.")) {
				// The resource manages another task (a replacement whose
				// create a crash cut short): the task the crash left cannot
				// be imported there, and an operator deletes it in the
				// console.
				_, short, _ := strings.Cut(id, ":")
				r.logf("deleting the crash's task %s in the console: %s already manages another task", short, addr)
				if err := r.e.DeleteTask(short); err != nil {
					return out, code, fmt.Errorf("deleting task %s: %w", short, err)
				}
				r.res.deleted++
				continue
			}
			r.logf("following the advice: terraform import %s %s", addr, id)
			if o, c := r.terraform(noInterrupt, 0, "import", "-input=false", "-no-color", addr, id); c != 0 {
				return out, code, fmt.Errorf("terraform import %s %s failed:\n%s", addr, id, tail(o))
			}
			r.res.imports++
		}
	}
	return out, code, nil
}

// holdsName reports whether the state holds a task for the resource name.
func holdsName(ids map[string]string, name string) bool {
	for _, n := range ids {
		if n == name || strings.HasPrefix(n, name+" ") {
			return true
		}
	}
	return false
}

// importAdvice finds, in an apply's output, the diagnostics that ask to
// import a task with exactly the configuration of a resource, by address.
func importAdvice(out string) map[string]string {
	found := map[string]string{}
	for _, block := range strings.Split(out, "Error: ")[1:] {
		block = strings.Join(strings.Fields(block), " ") // Terraform wraps long lines
		m := adviceImport.FindStringSubmatch(block)
		a := adviceAddr.FindStringSubmatch(block)
		if m != nil && a != nil {
			found[a[1]] = m[1]
		}
	}
	return found
}

var (
	adviceImport = regexp.MustCompile(`adopt (?:it|that task) with an import block or terraform import \(ID "([^"]+)"\)`)
	adviceAddr   = regexp.MustCompile(`with (alilive_pull_to_push_task\.[a-z0-9_]+),`)
)

// converge stops the faults, applies until an apply succeeds and a plan is
// empty, compares the state with the service's tasks, then destroys.
func (r *run) converge() error {
	_ = r.e.SetFaults("")
	r.logf("==> convergence")
	args := []string{"apply", "-auto-approve", "-input=false", "-no-color"}
	empty := false
	for round := 1; round <= 4 && !empty; round++ {
		out, code, err := r.applyFollowingAdvice(args, 1, r.res.crashes > 0)
		if err != nil {
			return err
		}
		if code != 0 {
			if round == 4 {
				return fmt.Errorf("apply %d failed (exit %d):\n%s", round, code, tail(out))
			}
			continue
		}
		out, code = r.terraform(noInterrupt, 0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
		if err := r.checkOutput(out); err != nil {
			return err
		}
		switch code {
		case 0:
			empty = true
		case 2:
			if round == 4 {
				return fmt.Errorf("the plan after %d applies is not empty:\n%s", round, tail(out))
			}
		default:
			return fmt.Errorf("plan failed (exit %d):\n%s", code, tail(out))
		}
	}
	if r.res.crashes > 0 {
		if err := r.updateLeftovers(); err != nil {
			return err
		}
	}
	if err := r.checkTasks("after convergence"); err != nil {
		return err
	}
	ids, err := r.stateIDs()
	if err != nil {
		return err
	}
	if err := sameTasks(ids, r.liveTasks(), r.leftover, len(r.relays)); err != nil {
		return err
	}
	out, code := r.terraform(noInterrupt, 0, "destroy", "-auto-approve", "-input=false", "-no-color")
	if err := r.checkOutput(out); err != nil {
		return err
	}
	if code != 0 {
		return fmt.Errorf("destroy failed (exit %d):\n%s", code, tail(out))
	}
	if err := sameTasks(map[string]string{}, r.liveTasks(), r.leftover, 0); err != nil {
		return fmt.Errorf("after destroy: %w", err)
	}
	return nil
}
