package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
	"github.com/alilive/terraform-provider-alilive/internal/urlsign"
)

// forbidden are what no output may show, whatever happened.
var forbidden = []string{
	"inconsistent result", "unexpected new value", "Provider produced invalid", "panic:",
	"goroutine ", "Plugin did not respond", "plugin exited", "The plugin encountered an error",
}

// checkOutput applies the output invariants.
func (r *run) checkOutput(out string) error {
	return checkOutput(out, r.secrets)
}

func checkOutput(out string, secrets []string) error {
	for _, f := range forbidden {
		if i := strings.Index(out, f); i >= 0 {
			return fmt.Errorf("the output shows %q:\n%s", f, around(out, i))
		}
	}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		if i := strings.Index(out, s); i >= 0 {
			return fmt.Errorf("the output shows a secret (the access key secret, the ingest key or an auth_key):\n%s",
				strings.ReplaceAll(around(out, i), s, "<the secret>"))
		}
	}
	if loc := authKeyValue.FindStringIndex(out); loc != nil {
		return fmt.Errorf("the output shows an auth_key value:\n%s", around(out, loc[0]))
	}
	return nil
}

var authKeyValue = regexp.MustCompile(`(?i)auth_key=\d`)

// liveTasks are the emulator's tasks that have not exited.
func (r *run) liveTasks() []emulator.Task {
	var out []emulator.Task
	for _, t := range r.e.Tasks() {
		if t.TaskStatus != -1 {
			out = append(out, t)
		}
	}
	return out
}

// checkTasks applies the invariant on the service's tasks.
//
// A deposed object the state holds is left out: an apply under
// create_before_destroy that ends (or is interrupted) after the new task
// was created and before the old one was destroyed leaves the old one in
// the state as deposed, and the next apply destroys it; where the service
// takes two tasks on one destination both are live until then. The
// convergence checks that no deposed object remains.
func (r *run) checkTasks(desc string) error {
	ids, err := r.stateIDs()
	if err != nil {
		return err
	}
	skip := map[string]bool{}
	for id := range r.leftover {
		skip[id] = true
	}
	for id, name := range ids {
		if strings.Contains(name, " (deposed ") {
			skip[id] = true
		}
	}
	if err := sharedDst(r.liveTasks(), skip); err != nil {
		return fmt.Errorf("%s: %w", desc, err)
	}
	return nil
}

// sharedDst fails when two live tasks other than those of skip (crash
// leftovers, deposed objects) push to one destination.
func sharedDst(tasks []emulator.Task, skip map[string]bool) error {
	byDst := map[string][]string{}
	for _, t := range tasks {
		if !skip[t.TaskId] {
			byDst[t.TaskInfo.DstUrl] = append(byDst[t.TaskInfo.DstUrl], t.TaskId)
		}
	}
	var dsts []string
	for d, ids := range byDst {
		if len(ids) > 1 {
			dsts = append(dsts, d)
		}
	}
	if len(dsts) == 0 {
		return nil
	}
	sort.Strings(dsts)
	var b strings.Builder
	for _, d := range dsts {
		fmt.Fprintf(&b, "live tasks %s share the destination %s; ", strings.Join(byDst[d], ", "), urlsign.Redact(d))
	}
	return errors.New(strings.TrimSuffix(b.String(), "; "))
}

// stateIDs reads the task IDs the state holds, deposed objects included,
// by resource name.
func (r *run) stateIDs() (map[string]string, error) {
	data, err := os.ReadFile(filepath.Join(r.dir, "terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	return parseState(data)
}

func parseState(data []byte) (map[string]string, error) {
	var st struct {
		Resources []struct {
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Name      string `json:"name"`
			Instances []struct {
				Deposed    string `json:"deposed"`
				Attributes struct {
					ID string `json:"id"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return map[string]string{}, nil
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("the state file does not parse: %w", err)
	}
	ids := map[string]string{}
	for _, res := range st.Resources {
		if res.Mode != "managed" || res.Type != "alilive_pull_to_push_task" {
			continue
		}
		for _, in := range res.Instances {
			if in.Attributes.ID == "" {
				continue
			}
			key := res.Name
			if in.Deposed != "" {
				key += " (deposed " + in.Deposed + ")"
			}
			ids[in.Attributes.ID] = key
		}
	}
	return ids, nil
}

// sameTasks fails unless the live tasks other than crash leftovers are
// exactly those of the state, one per configured relay.
func sameTasks(state map[string]string, live []emulator.Task, leftover map[string]bool, relays int) error {
	var problems []string
	liveIDs := map[string]bool{}
	for _, t := range live {
		if leftover[t.TaskId] {
			continue
		}
		liveIDs[t.TaskId] = true
		if _, ok := state[t.TaskId]; !ok {
			problems = append(problems, fmt.Sprintf("task %s (on %s) is live but not in the state (orphaned)",
				t.TaskId, urlsign.Redact(t.TaskInfo.DstUrl)))
		}
	}
	for id, addr := range state {
		if !liveIDs[id] {
			problems = append(problems, fmt.Sprintf("%s names task %s, which is not live (missing)", addr, id))
		}
	}
	if len(state) != relays {
		problems = append(problems, fmt.Sprintf("the state holds %d tasks for %d relays", len(state), relays))
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// around returns the lines around byte offset i of out.
func around(out string, i int) string {
	lo := max(0, i-600)
	hi := min(len(out), i+600)
	return out[lo:hi]
}

// tail returns the end of a long output.
func tail(out string) string {
	if len(out) > 4000 {
		return "..." + out[len(out)-4000:]
	}
	return out
}
