package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
	"github.com/alilive/terraform-provider-alilive/internal/urlsign"
)

// relay is one resource block of the configuration.
type relay struct {
	name     string
	gen      int  // the dst_url's generation: a new one replaces the task
	signed   bool // dst_url through provider::alilive::sign_url
	cbd      bool // create_before_destroy
	callback int  // 0: no callback_url
	endMin   int  // end_time: the seed's base time plus this many minutes
	running  bool // start_time in the past (the task runs from its create)
	sources  []string
	disabled bool // enabled = false (running relays only)
}

// interrupt is how a step's command is interrupted.
type interrupt int

const (
	noInterrupt interrupt = iota
	ctrlC                 // one SIGINT: Terraform stops gracefully
	ctrlCTwice            // two SIGINTs: Terraform exits at once
	kill9                 // SIGKILL of Terraform and the provider
)

func (i interrupt) String() string {
	return [...]string{"none", "ctrl-c", "ctrl-c twice", "kill -9"}[i]
}

// run is one seed in progress.
type run struct {
	seed     int64
	rng      *rand.Rand
	e        *emulator.Server
	dir      string
	env      []string
	base     time.Time // start_time of running relays; end times count from it
	relays   []*relay
	next     int
	secrets  []string // what must never appear in any output
	pushKey  string
	leftover map[string]bool // tasks a crash left that no resource claims
	res      *result
	logf     func(format string, args ...any)
	log      *os.File
}

// The ingest host whose tasks must carry a valid auth_key (the emulator
// checks it at their start), and the expiry every signed URL carries.
const (
	signedHost   = "push-signed.example.com"
	signedExpiry = "2030-01-01T00:00:00Z"
)

func runSeed(seed int64, steps int, providerDir string, keep bool) (res result) {
	started := time.Now()
	res.seed = seed
	defer func() { res.seconds = time.Since(started).Seconds() }()
	rng := seedSource(seed)
	variants := pickVariants(rng)
	var names []string
	for _, v := range variants {
		names = append(names, string(v))
	}
	res.variants = strings.Join(names, ",")
	if res.variants == "" {
		res.variants = "(none)"
	}
	dir, err := os.MkdirTemp("", fmt.Sprintf("alilive-soak-%d-", seed))
	if err != nil {
		res.failure, res.at = err.Error(), "setup"
		return res
	}
	res.dir = dir
	defer func() {
		if res.failure == "" && !keep {
			_ = os.RemoveAll(dir)
		}
	}()

	ak := fmt.Sprintf("soak-ak-%d", seed)
	secret := fmt.Sprintf("soak-secret-%d-%016x", seed, rng.Uint64())
	pushKey := fmt.Sprintf("soak-ingest-%016x", rng.Uint64())
	e, err := emulator.New(emulator.Options{
		Credentials:       []emulator.Credential{{AccessKeyID: ak, AccessKeySecret: secret, Account: "default"}},
		MaxTasks:          -1,
		Variants:          variants,
		FlakySeed:         seed,
		PushAuthKeys:      map[string]string{signedHost: pushKey},
		CallbackTransport: noCallbacks{},
	})
	if err == nil {
		err = e.Start("127.0.0.1:0")
	}
	if err != nil {
		res.failure, res.at = err.Error(), "setup"
		return res
	}
	defer e.Close()

	logFile, err := os.Create(filepath.Join(dir, "soak.log"))
	if err != nil {
		res.failure, res.at = err.Error(), "setup"
		return res
	}
	defer logFile.Close()
	r := &run{
		seed: seed, rng: rng, e: e, dir: dir, pushKey: pushKey, res: &res, log: logFile,
		base:     time.Now().UTC().Add(-2 * time.Minute).Truncate(time.Minute),
		secrets:  []string{secret, pushKey},
		leftover: map[string]bool{},
	}
	r.logf = func(format string, args ...any) { fmt.Fprintf(logFile, format+"\n", args...) }
	r.logf("seed %d, variants %s, emulator %s", seed, res.variants, e.Endpoint())
	if err := r.setup(providerDir, ak, secret); err != nil {
		res.failure, res.at = err.Error(), "setup"
		return res
	}
	for i := 1; i <= steps; i++ {
		res.steps = i
		if err := r.step(i); err != nil {
			res.failure, res.at = err.Error(), fmt.Sprintf("step %d", i)
			return res
		}
	}
	if err := r.converge(); err != nil {
		res.failure, res.at = err.Error(), "convergence"
		return res
	}
	res.leftovers = len(r.leftover)
	return res
}

// seedSource is a seed's random source. The seed goes through a
// multiplicative hash first: PCG's first draws from neighbouring small
// seeds are alike.
func seedSource(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed)*0x9e37_79b9_7f4a_7c15, 0x50a4_2026))
}

// pickVariants draws the variants of a seed: all of them in one seed of
// four, else up to three at random (none at all is a choice too).
func pickVariants(rng *rand.Rand) []emulator.Variant {
	if rng.IntN(4) == 0 {
		return append([]emulator.Variant(nil), emulator.AllVariants...)
	}
	var out []emulator.Variant
	for _, i := range rng.Perm(len(emulator.AllVariants))[:rng.IntN(4)] {
		out = append(out, emulator.AllVariants[i])
	}
	sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
	return out
}

// noCallbacks answers every callback the emulator sends without a network.
type noCallbacks struct{}

func (noCallbacks) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Request: req, Header: http.Header{}}, nil
}

func (r *run) setup(providerDir, ak, secret string) error {
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n",
		host+"/alilive/alilive", providerDir)
	if err := os.WriteFile(filepath.Join(r.dir, "terraformrc"), []byte(rc), 0o644); err != nil {
		return err
	}
	// Credentials come from the shell, as most users' do.
	r.env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+filepath.Join(r.dir, "terraformrc"),
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"ALILIVE_ENDPOINT="+r.e.Endpoint(),
		"ALILIVE_PROTOCOL=http",
		"ALIBABA_CLOUD_REGION=cn-shanghai",
		"ALIBABA_CLOUD_ACCESS_KEY_ID="+ak,
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET="+secret,
		"ALILIVE_RATE_LIMIT_DIR="+filepath.Join(r.dir, "ratelimit"),
		"TF_VAR_push_key="+r.pushKey,
	)
	// Two relays to begin with.
	r.add()
	r.add()
	return r.writeConfig()
}

// add appends a relay with random settings.
func (r *run) add() {
	r.next++
	rl := &relay{
		name:     fmt.Sprintf("r%d", r.next),
		signed:   r.rng.IntN(3) == 0,
		cbd:      r.rng.IntN(2) == 0,
		callback: r.rng.IntN(3),
		endMin:   600 + 15*r.rng.IntN(40),
		running:  r.rng.IntN(3) > 0,
	}
	for i := 0; i <= r.rng.IntN(3); i++ {
		rl.sources = append(rl.sources, fmt.Sprintf("http://media.example.com/%s/%c.mp4", rl.name, 'a'+i))
	}
	r.relays = append(r.relays, rl)
}

func (r *run) dstURL(rl *relay) string {
	host := "push.example.com"
	if rl.signed {
		host = signedHost
	}
	return fmt.Sprintf("rtmp://%s/soak/%s-g%d", host, rl.name, rl.gen)
}

// writeConfig writes main.tf and records the hash of every signed URL.
func (r *run) writeConfig() error {
	var b strings.Builder
	b.WriteString(`terraform {
  required_providers {
    alilive = { source = "alilive/alilive" }
  }
}

provider "alilive" {}

variable "push_key" {
  type      = string
  sensitive = true
}
`)
	for _, rl := range r.relays {
		start := r.base
		if !rl.running {
			// Later than any clock advance of the run can reach.
			start = r.base.Add(8 * time.Hour)
		}
		end := r.base.Add(time.Duration(rl.endMin) * time.Minute)
		if !rl.running && !end.After(start.Add(time.Hour)) {
			end = start.Add(time.Hour)
		}
		fmt.Fprintf(&b, "\nresource \"alilive_pull_to_push_task\" %q {\n", rl.name)
		fmt.Fprintf(&b, "  task_name   = %q\n", "soak-"+rl.name)
		fmt.Fprintf(&b, "  start_time  = %q\n", start.Format(time.RFC3339))
		fmt.Fprintf(&b, "  end_time    = %q\n", end.Format(time.RFC3339))
		b.WriteString("  source_type = \"url\"\n")
		quoted := make([]string, len(rl.sources))
		for i, s := range rl.sources {
			quoted[i] = strconv.Quote(s)
		}
		fmt.Fprintf(&b, "  source_urls = [%s]\n", strings.Join(quoted, ", "))
		dst := r.dstURL(rl)
		if rl.signed {
			signed, err := urlsign.SignRFC3339(dst, r.pushKey, signedExpiry)
			if err != nil {
				return err
			}
			_, value, _ := strings.Cut(signed, "auth_key=")
			r.secrets = appendNew(r.secrets, value)
			fmt.Fprintf(&b, "  dst_url     = provider::alilive::sign_url(%q, var.push_key, %q)\n", dst, signedExpiry)
		} else {
			fmt.Fprintf(&b, "  dst_url     = %q\n", dst)
		}
		if rl.callback > 0 {
			fmt.Fprintf(&b, "  callback_url = \"https://hooks.example.com/soak/%s/v%d\"\n", rl.name, rl.callback)
		}
		if rl.disabled {
			b.WriteString("  enabled     = false\n")
		}
		if rl.cbd {
			b.WriteString("\n  lifecycle {\n    create_before_destroy = true\n  }\n")
		}
		b.WriteString("}\n")
	}
	return os.WriteFile(filepath.Join(r.dir, "main.tf"), []byte(b.String()), 0o644)
}

func appendNew(list []string, v string) []string {
	for _, s := range list {
		if s == v {
			return list
		}
	}
	return append(list, v)
}
