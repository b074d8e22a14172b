package provider

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// ptpAcc is the set-up of one acceptance test (alilivetest.Env) with the
// provider's own helpers on top.
type ptpAcc struct {
	*alilivetest.Env
}

// newPtpAcc prepares an acceptance test. needsEmulator skips it in real
// mode; other tests run against the real service there and skip only
// their emulator checks.
func newPtpAcc(t *testing.T, needsEmulator bool) *ptpAcc {
	t.Helper()
	testAccPreCheck(t)
	if alilivetest.RealMode() && !needsEmulator {
		return &ptpAcc{alilivetest.NewRealEnv(t)}
	}
	return &ptpAcc{alilivetest.NewEnv(t, emulator.Options{Variants: alilivetest.Variants(t)})}
}

// newPtpAccWith prepares an acceptance test against its own emulator
// started with opts (throttling off unless opts.QPS says otherwise). It is
// skipped in real mode.
func newPtpAccWith(t *testing.T, opts emulator.Options) *ptpAcc {
	t.Helper()
	testAccPreCheck(t)
	return &ptpAcc{alilivetest.NewEnv(t, opts)}
}

// hcl is a resource body: attribute name -> HCL expression.
type hcl map[string]string

// with returns a copy of h with pairs of (name, expression) set; an empty
// expression removes the attribute.
func (h hcl) with(kv ...string) hcl {
	out := hcl{}
	for k, v := range h {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

// block renders a block of the given type and name; a "timeouts" entry is
// written as a nested block body.
func block(kind, typ, name string, h hcl) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q %q {\n", kind, typ, name)
	for _, k := range keys {
		if k == "timeouts" || k == "lifecycle" {
			fmt.Fprintf(&b, "  %s {\n    %s\n  }\n", k, h[k])
			continue
		}
		fmt.Fprintf(&b, "  %s = %s\n", k, h[k])
	}
	b.WriteString("}\n")
	return b.String()
}

// task renders the resource under test.
func task(h hcl) string { return block("resource", "alilive_pull_to_push_task", "test", h) }

// q quotes a string for HCL.
func q(s string) string { return alilivetest.Quote(s) }

// config joins the provider block and the given blocks.
func (a *ptpAcc) config(blocks ...string) string {
	return a.Provider + "\n" + strings.Join(blocks, "\n")
}

// list renders a list of strings.
func list(vals ...string) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = q(v)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// live is a running live task (started a minute ago, ends in 2 hours).
func (a *ptpAcc) live(n string) hcl {
	return hcl{
		"start_time":      q(a.At(-time.Minute)),
		"end_time":        q(a.At(2 * time.Hour)),
		"source_type":     q("live"),
		"source_protocol": q("rtmp"),
		"source_urls":     list("rtmp://origin.example.com/live/" + n),
		"dst_url":         q(a.Dst(n)),
	}
}

// url is a running url task with a two-file playlist.
func (a *ptpAcc) url(n string) hcl {
	return hcl{
		"start_time":  q(a.At(-time.Minute)),
		"end_time":    q(a.At(2 * time.Hour)),
		"source_type": q("url"),
		"source_urls": list("https://media.example.com/"+n+"/a.mp4", "https://media.example.com/"+n+"/b.flv"),
		"dst_url":     q(a.Dst(n)),
	}
}
