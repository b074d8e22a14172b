package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"
)

// floorPhase is Terraform's own floor for a no-change plan of N relays:
// the same plan of N terraform_data resources, each holding an object
// like a relay's arguments (name, window, source, playlist, destination,
// callback). Terraform core plans both; only the relays need a provider.
const floorPhase = "floor: plan of N terraform_data (no changes)"

// floorConfig is the floor's configuration: n terraform_data resources.
const floorConfig = `variable "n" { type = number }
variable "generation" { type = number }

resource "terraform_data" "relay" {
  count = var.n
  input = {
    task_name    = "floor-${count.index}"
    start_time   = %q
    end_time     = %q
    source_type  = "url"
    source_urls  = ["http://media.example.com/${count.index}.mp4"]
    dst_url      = "rtmp://push.example.com/floor/${count.index}"
    callback_url = "https://hooks.example.com/v1/floor/${count.index}"
  }
}
`

// runFloor creates the floor's terraform_data resources in a workspace of
// their own with the relays' apply arguments (not timed), and times their
// no-change plan with the relays' plan arguments (the same -var n and
// -parallelism), in the same run as the relays' plan.
func (b *bench) runFloor(base phase, applyArgs, planArgs []string) (phase, error) {
	p := base
	p.Phase, p.N = floorPhase, 0
	dir, err := os.MkdirTemp("", "alilive-bench-floor-")
	if err != nil {
		return p, err
	}
	defer os.RemoveAll(dir)
	start := b.windowStart()
	cfg := fmt.Sprintf(floorConfig, start.Format(time.RFC3339), start.Add(2*time.Hour).Format(time.RFC3339))
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o644); err != nil {
		return p, err
	}
	w := &workspace{dir: dir, mem: filepath.Join(dir, "provider-rss.log"),
		env: append(os.Environ(), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")}
	for _, args := range [][]string{{"init", "-input=false"}, applyArgs} {
		r := w.terraform(args...)
		if r.err != nil {
			return p, fmt.Errorf("%s: floor: terraform %s: %w", base.Scenario, args[0], r.err)
		}
		if r.exit != 0 {
			return p, fmt.Errorf("%s: floor: terraform %s exited %d:\n%s", base.Scenario, args[0], r.exit, r.out)
		}
	}
	log.Printf("bench: %s: %s", base.Scenario, floorPhase)
	return b.timed(p, []*workspace{w}, planArgs...)
}
