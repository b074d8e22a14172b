package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// step draws and runs one step.
func (r *run) step(i int) error {
	change, extra := r.change()
	cbdReplace := len(extra) > 0 && strings.Contains(change, "create_before_destroy true")
	if err := r.writeConfig(); err != nil {
		return err
	}
	faults := ""
	if r.rng.IntN(10) < 3 {
		faults = r.faultPlan()
	}
	var intr interrupt
	var after time.Duration
	switch n := r.rng.IntN(100); {
	case n < 14:
		intr = ctrlC
	case n < 20:
		intr = ctrlCTwice
	case n < 26:
		intr = kill9
	}
	if intr != noInterrupt {
		after = time.Duration(300+r.rng.IntN(3700)) * time.Millisecond
		// Slow writes, so that the interrupt lands while a call is in flight.
		slow := fmt.Sprintf("op=create|update|stop|restart|delete,kinds=latency,rate=0.8,latency=%dms,seed=%d",
			800+r.rng.IntN(2200), r.rng.Uint32())
		faults = strings.TrimPrefix(faults+";"+slow, ";")
	}
	advance := time.Duration(0)
	if r.rng.IntN(10) < 3 {
		advance = time.Duration(1+r.rng.IntN(15)) * time.Minute
		r.e.Advance(advance)
	}
	if err := r.e.SetFaults(faults); err != nil {
		return fmt.Errorf("fault plan %q: %w", faults, err)
	}
	desc := fmt.Sprintf("step %d: %s; faults %q; interrupt %s", i, change, faults, intr)
	if intr != noInterrupt {
		desc += fmt.Sprintf(" after %s", after)
	}
	if advance > 0 {
		desc += fmt.Sprintf("; clock +%s", advance)
	}
	r.logf("==> %s", desc)
	args := append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, extra...)
	before := r.res.landed
	out, code := r.terraform(intr, after, args...)
	hit := r.res.landed > before
	_ = r.e.SetFaults("")
	if faults != "" {
		r.res.faulted++
	}
	if intr != noInterrupt {
		r.res.interrupts++
	}
	if err := r.checkOutput(out); err != nil {
		return fmt.Errorf("%s: %w", desc, err)
	}
	crashed := hit && (intr == ctrlCTwice || intr == kill9)
	if crashed {
		r.res.crashes++
		if err := r.afterCrash(args); err != nil {
			return fmt.Errorf("%s: after the crash: %w", desc, err)
		}
	} else if faults == "" && intr == noInterrupt && code != 0 && !readingRefused(out, cbdReplace) {
		return fmt.Errorf("%s: a step without faults or interrupts failed (exit %d):\n%s", desc, code, tail(out))
	}
	return r.checkTasks(desc)
}

// readingRefused reports whether every error of a failed apply is one a
// reading of the service causes on its own: under update-ignored or
// callback-unclearable an update the service accepted without applying it
// is reported, the state records the task as it is, and the next plan
// replaces the task (the convergence checks that it does).
//
// With cbdReplace (the step replaces a relay under create_before_destroy
// without a new dst_url), a create refused because the task being replaced
// still holds the destination is expected too, where the service allows
// one live task per destination: the error says so, and the state keeps
// the task.
func readingRefused(out string, cbdReplace bool) bool {
	errs := strings.Split(out, "Error: ")[1:]
	for _, e := range errs {
		flat := strings.Join(strings.Fields(e), " ")
		switch {
		case strings.HasPrefix(e, "Pull-to-Push Task Update Not Applied\n"):
		case cbdReplace && strings.HasPrefix(e, "Unable to Create Pull-to-Push Task\n") &&
			strings.Contains(flat, "the task being replaced still holds dst_url"):
		default:
			return false
		}
	}
	return len(errs) > 0
}

// change draws one change of the configuration, applies it to r.relays
// and returns its description and any extra apply arguments.
func (r *run) change() (string, []string) {
	pick := func() *relay { return r.relays[r.rng.IntN(len(r.relays))] }
	for {
		switch r.rng.IntN(12) {
		case 0:
			if len(r.relays) >= 4 {
				continue
			}
			r.add()
			return "add " + r.relays[len(r.relays)-1].name, nil
		case 1:
			if len(r.relays) == 0 {
				continue
			}
			i := r.rng.IntN(len(r.relays))
			name := r.relays[i].name
			r.relays = append(r.relays[:i], r.relays[i+1:]...)
			return "remove " + name, nil
		case 2:
			if len(r.relays) == 0 {
				continue
			}
			rl := pick()
			if rl.callback > 0 && r.rng.IntN(3) == 0 {
				rl.callback = 0
				return "clear the callback of " + rl.name, nil
			}
			rl.callback++
			return fmt.Sprintf("callback of %s to v%d", rl.name, rl.callback), nil
		case 3:
			if len(r.relays) == 0 {
				continue
			}
			rl := pick()
			rl.endMin = max(600, min(1200, rl.endMin+15*(r.rng.IntN(9)-4)))
			return fmt.Sprintf("end_time of %s to base+%dm", rl.name, rl.endMin), nil
		case 4:
			if len(r.relays) == 0 {
				continue
			}
			rl := pick()
			if len(rl.sources) > 1 {
				r.rng.Shuffle(len(rl.sources), func(a, b int) { rl.sources[a], rl.sources[b] = rl.sources[b], rl.sources[a] })
				return "reorder the playlist of " + rl.name, nil
			}
			rl.sources = append(rl.sources, fmt.Sprintf("http://media.example.com/%s/x%d.mp4", rl.name, r.rng.IntN(100)))
			return "add to the playlist of " + rl.name, nil
		case 5:
			var running []*relay
			for _, rl := range r.relays {
				if rl.running {
					running = append(running, rl)
				}
			}
			if len(running) == 0 {
				continue
			}
			rl := running[r.rng.IntN(len(running))]
			rl.disabled = !rl.disabled
			return fmt.Sprintf("enabled of %s to %t", rl.name, !rl.disabled), nil
		case 6:
			if len(r.relays) == 0 {
				continue
			}
			rl := pick()
			rl.gen++
			return fmt.Sprintf("dst_url of %s to generation %d", rl.name, rl.gen), nil
		case 7:
			if len(r.relays) == 0 {
				continue
			}
			rl := pick()
			rl.signed = !rl.signed
			return fmt.Sprintf("signed dst_url of %s: %t", rl.name, rl.signed), nil
		case 8:
			if len(r.relays) == 0 {
				continue
			}
			rl := pick()
			rl.cbd = !rl.cbd
			return fmt.Sprintf("-replace %s after setting create_before_destroy %t", rl.name, rl.cbd),
				[]string{"-replace=alilive_pull_to_push_task." + rl.name}
		case 9:
			if len(r.relays) == 0 {
				continue
			}
			rl := pick()
			return fmt.Sprintf("-replace %s (create_before_destroy %t)", rl.name, rl.cbd),
				[]string{"-replace=alilive_pull_to_push_task." + rl.name}
		case 10:
			var running []emulator.Task
			for _, t := range r.e.Tasks() {
				if t.TaskStatus == 1 {
					running = append(running, t)
				}
			}
			if len(running) == 0 {
				continue
			}
			t := running[r.rng.IntN(len(running))]
			if err := r.e.FailTask(t.TaskId, "PullStreamFailed"); err != nil {
				continue
			}
			return "task " + t.TaskId + " fails on the service's side", nil
		default:
			return "apply without changes", nil
		}
	}
}

// faultPlan draws a fault plan on random operations and kinds.
func (r *run) faultPlan() string {
	ops := []string{"create", "update", "describe", "list", "delete", "stop", "restart"}
	kinds := []string{"internal", "unavailable", "throttle", "latency", "drop"}
	var rules []string
	for range 1 + r.rng.IntN(2) {
		op := ops[r.rng.IntN(len(ops))]
		kind := kinds[r.rng.IntN(len(kinds))]
		rule := fmt.Sprintf("op=%s,kinds=%s,seed=%d", op, kind, r.rng.Uint32())
		if r.rng.IntN(2) == 0 {
			rule += fmt.Sprintf(",nth=%d", 1+r.rng.IntN(2))
		} else {
			rule += fmt.Sprintf(",rate=0.%d", 2+r.rng.IntN(4))
		}
		rules = append(rules, rule)
	}
	return strings.Join(rules, ";")
}

// terraform runs one command in its own process group, interrupted as
// asked, and returns its combined output and exit code (-1 when killed).
// Every command's output goes to the seed's log.
func (r *run) terraform(intr interrupt, after time.Duration, args ...string) (string, int) {
	r.res.commands++
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "terraform", args...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		return err.Error(), -1
	}
	pgid := cmd.Process.Pid
	done := make(chan struct{})
	var landed sync.Mutex // held while the interrupt is sent
	sent := false
	second := time.Duration(100+r.rng.IntN(900)) * time.Millisecond
	if intr != noInterrupt {
		go func() {
			select {
			case <-done:
				return
			case <-time.After(after):
			}
			landed.Lock()
			defer landed.Unlock()
			sent = true
			switch intr {
			case ctrlC:
				// A terminal's Ctrl-C reaches the whole foreground group.
				_ = syscall.Kill(-pgid, syscall.SIGINT)
			case ctrlCTwice:
				_ = syscall.Kill(-pgid, syscall.SIGINT)
				time.Sleep(second)
				_ = syscall.Kill(-pgid, syscall.SIGINT)
			case kill9:
				_ = syscall.Kill(-pgid, syscall.SIGKILL)
			}
		}()
	}
	err := cmd.Wait()
	close(done)
	landed.Lock()
	if sent {
		r.res.landed++
	}
	landed.Unlock()
	// Whatever of the group is left (a provider that outlived a Terraform
	// that exited at once) ends with it.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	code := 0
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		code = exitErr.ExitCode()
	case err != nil:
		code = -1
	}
	r.logf("$ terraform %s  (exit %d)\n%s", strings.Join(args, " "), code, out.String())
	return out.String(), code
}
