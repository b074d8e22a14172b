package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

type bench struct {
	e        *emulator.Server
	provider string // the built provider
	self     string // this program, which wraps the provider to measure it
	calls    *callTimes
}

// workspace is a directory with a dev_overrides CLI configuration (through
// the measuring wrapper) and the benchmark's configuration.
type workspace struct {
	dir string
	env []string
	mem string // the wrapper's memory log
}

// Keys and role of the auth scenarios (see scenario.auth): a second RAM
// user of the emulator's default account, and a role of that account.
const (
	benchUserBKey    = "bench-user-b-key-id"
	benchUserBSecret = "bench-user-b-secret"
	benchRoleARN     = "acs:ram::default:role/bench"
)

// credentialLines are the provider block's credentials of workspace i
// under auth.
func credentialLines(auth string, i int) string {
	key, secret := emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret
	if auth == "users" && i%2 == 1 {
		key, secret = benchUserBKey, benchUserBSecret
	}
	lines := fmt.Sprintf("  access_key = %q\n  secret_key = %q\n", key, secret)
	if auth == "role" {
		lines += fmt.Sprintf("  assume_role {\n    role_arn           = %q\n    session_expiration = 900\n  }\n", benchRoleARN)
	}
	return lines
}

// relayConfig is the relays' configuration of scenario sc in the
// workspace named name (the resource block's arguments; see
// scenario.running and scenario.change): every argument that the update
// phases change depends on var.generation, the others are fixed.
func (b *bench) relayConfig(name string, sc scenario) string {
	start := b.windowStart()
	if sc.running {
		start = b.e.Now().Add(-time.Minute).UTC().Truncate(time.Second)
	}
	end := start.Add(2 * time.Hour).Format(time.RFC3339)
	endTime := fmt.Sprintf("%q", end)
	callback := fmt.Sprintf(`"https://hooks.example.com/v1/%s/${count.index}"`, name)
	sources := `["http://media.example.com/${count.index}.mp4"]`
	enabled := "true"
	switch sc.change {
	case changeCallback:
		callback = fmt.Sprintf(`"https://hooks.example.com/v${var.generation}/%s/${count.index}"`, name)
	case changeEndTime:
		endTime = fmt.Sprintf(`timeadd(%q, "${var.generation - 1}h")`, end)
	case changePlaylist:
		sources = `["http://media.example.com/v${var.generation}/${count.index}/a.mp4", "http://media.example.com/v${var.generation}/${count.index}/b.mp4"]`
	case changeToggle:
		enabled = "var.generation != 2" // generation 2 disables every relay, 3 enables them again
	}
	return fmt.Sprintf(`resource "alilive_pull_to_push_task" "relay" {
  count        = var.n
  task_name    = "%[1]s-${count.index}"
  start_time   = %[2]q
  end_time     = %[3]s
  source_type  = "url"
  source_urls  = %[4]s
  dst_url      = "rtmp://push.example.com/%[1]s/${count.index}"
  callback_url = %[5]s
  enabled      = %[6]s
}
`, name, start.Format(time.RFC3339), endTime, sources, callback, enabled)
}

func (b *bench) newWorkspace(name string, limiter bool, credentials string, sc scenario, env ...string) (*workspace, error) {
	dir, err := os.MkdirTemp("", "alilive-bench-")
	if err != nil {
		return nil, err
	}
	plugins := filepath.Join(dir, "plugins")
	if err := os.Mkdir(plugins, 0o755); err != nil {
		return nil, err
	}
	if err := os.Symlink(b.self, filepath.Join(plugins, "terraform-provider-alilive")); err != nil {
		return nil, err
	}
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"registry.terraform.io/alilive/alilive\" = %q\n  }\n  direct {}\n}\n", plugins)
	if err := os.WriteFile(filepath.Join(dir, "terraformrc"), []byte(rc), 0o644); err != nil {
		return nil, err
	}
	rate := ""
	if !limiter {
		rate = "  rate_limit = 0\n"
	}
	cfg := fmt.Sprintf(`terraform {
  required_providers {
    alilive = { source = "alilive/alilive" }
  }
}

provider "alilive" {
  region     = "cn-shanghai"
  endpoint   = %q
  protocol   = "http"
%s%s}

variable "n" { type = number }
variable "generation" { type = number }

%s`, b.e.Endpoint(), credentials, rate, b.relayConfig(name, sc))
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o644); err != nil {
		return nil, err
	}
	w := &workspace{dir: dir, mem: filepath.Join(dir, "provider-rss.log")}
	w.env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+filepath.Join(dir, "terraformrc"),
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"BENCH_WRAP_PROVIDER="+b.provider,
		"BENCH_WRAP_OUT="+w.mem,
	)
	w.env = append(w.env, env...)
	return w, nil
}

// result of one terraform command.
type cmdResult struct {
	exit int
	out  string
	err  error
}

// terraform runs one command in w.
func (w *workspace) terraform(args ...string) cmdResult {
	cmd := exec.CommandContext(context.Background(), "terraform", args...)
	cmd.Dir = w.dir
	cmd.Env = w.env
	var outBuf bytes.Buffer
	cmd.Stdout = &outBuf
	cmd.Stderr = &outBuf
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		return cmdResult{exit: exitErr.ExitCode(), out: outBuf.String()}
	case err != nil:
		return cmdResult{exit: -1, err: err}
	}
	return cmdResult{out: outBuf.String()}
}

// providerUsage returns the largest peak resident memory (MB) the wrapper
// recorded since the log was last cleared, the CPU time (user and system)
// of all those provider processes, and how many there were; it clears the
// log.
func (w *workspace) providerUsage() (peakMB, cpuSeconds float64, n int) {
	data, _ := os.ReadFile(w.mem)
	_ = os.Remove(w.mem)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 {
			continue
		}
		kb, err1 := strconv.ParseFloat(fields[0], 64)
		cpu, err2 := strconv.ParseFloat(fields[1], 64)
		if err1 == nil && err2 == nil {
			peakMB = math.Max(peakMB, kb/1024)
			cpuSeconds += cpu
			n++
		}
	}
	return peakMB, cpuSeconds, n
}

// wrapProvider runs the real provider as Terraform would (same arguments,
// environment and standard streams), passes signals on, and appends the
// provider's peak resident memory in KiB to out when it exits.
func wrapProvider(provider, out string) int {
	cmd := exec.CommandContext(context.Background(), provider, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = os.Environ()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "bench wrapper:", err)
		return 1
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	if kib := maxRSSKiB(cmd.ProcessState); kib > 0 && out != "" {
		if f, ferr := os.OpenFile(out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); ferr == nil {
			cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			fmt.Fprintf(f, "%d %.3f\n", kib, cpu.Seconds())
			_ = f.Close()
		}
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return exitErr.ExitCode()
	}
	return 0
}

// windowStart is the start_time of the bench's relays: an hour from the
// emulator's now, so that every task stays idle through the run.
func (b *bench) windowStart() time.Time {
	return b.e.Now().Add(time.Hour).UTC().Truncate(time.Second)
}
