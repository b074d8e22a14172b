package emulator

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// FaultKind is one kind of injected fault.
type FaultKind string

// Fault kinds, as written in a fault plan.
const (
	FaultInternal    FaultKind = "internal"    // HTTP 500 InternalError
	FaultUnavailable FaultKind = "unavailable" // HTTP 503 ServiceUnavailable
	FaultThrottle    FaultKind = "throttle"    // HTTP 400 Throttling.User
	FaultLatency     FaultKind = "latency"     // added delay, then served normally
	FaultDrop        FaultKind = "drop"        // applied, then the connection is closed without a response
)

// AllFaultKinds lists every kind in the order a rule without kinds= uses.
var AllFaultKinds = []FaultKind{FaultInternal, FaultUnavailable, FaultThrottle, FaultLatency, FaultDrop}

// DefaultFaultLatency is the delay of a latency fault without latency=.
const DefaultFaultLatency = 300 * time.Millisecond

var faultKindAliases = map[string]FaultKind{
	"internal": FaultInternal, "500": FaultInternal, "internalerror": FaultInternal,
	"unavailable": FaultUnavailable, "503": FaultUnavailable, "serviceunavailable": FaultUnavailable,
	"throttle": FaultThrottle, "throttling": FaultThrottle, "throttling.user": FaultThrottle,
	"latency": FaultLatency, "delay": FaultLatency, "slow": FaultLatency,
	"drop": FaultDrop, "commit-then-drop": FaultDrop,
}

// faultRule is one rule of a plan.
type faultRule struct {
	ops     map[string]bool // nil: every operation
	kinds   []FaultKind
	rate    float64
	every   int
	nth     map[int]bool
	max     int
	latency time.Duration
	seed    uint64
	rng     *rand.Rand
	seen    int
	fired   int
}

// faultPlan is a parsed fault plan.
type faultPlan struct {
	text  string
	rules []*faultRule
}

// faultDecision is what to do with one call.
type faultDecision struct {
	kind    FaultKind
	latency time.Duration
}

// ParseFaults checks a fault plan (see the package documentation for the
// syntax) and returns an error naming the offending part.
func ParseFaults(plan string) error {
	_, err := parseFaultPlan(plan)
	return err
}

func parseFaultPlan(text string) (*faultPlan, error) {
	p := &faultPlan{text: strings.TrimSpace(text)}
	if p.text == "" {
		return p, nil
	}
	for i, rs := range strings.Split(p.text, ";") {
		rs = strings.TrimSpace(rs)
		if rs == "" {
			continue
		}
		r, err := parseFaultRule(rs)
		if err != nil {
			return nil, fmt.Errorf("fault rule %d (%q): %w", i+1, rs, err)
		}
		p.rules = append(p.rules, r)
	}
	return p, nil
}

func parseFaultRule(text string) (*faultRule, error) {
	r := &faultRule{latency: DefaultFaultLatency, seed: 1}
	last := ""
	var ops, kinds, nths []string
	setRate := false
	for _, tok := range strings.Split(text, ",") {
		tok = strings.TrimSpace(tok)
		if tok == "" {
			continue
		}
		k, v, ok := strings.Cut(tok, "=")
		if !ok {
			// A bare value continues the list of the previous key.
			switch last {
			case "op", "kinds", "nth":
				k, v = last, tok
			default:
				return nil, fmt.Errorf("%q is not key=value (keys: op, kinds, rate, every, nth, max, latency, seed)", tok)
			}
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		switch k {
		case "op", "ops":
			k = "op"
			ops = append(ops, strings.Split(v, "|")...)
		case "kind", "kinds":
			k = "kinds"
			kinds = append(kinds, strings.Split(v, "|")...)
		case "nth":
			nths = append(nths, strings.Split(v, "|")...)
		case "rate":
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				return nil, fmt.Errorf("rate must be a number from 0 to 1, got %q", v)
			}
			r.rate, setRate = f, true
		case "every":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return nil, fmt.Errorf("every must be an integer of at least 1, got %q", v)
			}
			r.every = n
		case "max":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("max must be an integer of at least 0, got %q", v)
			}
			r.max = n
		case "latency":
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return nil, fmt.Errorf("latency must be a non-negative Go duration such as 300ms or 2s, got %q", v)
			}
			r.latency = d
		case "seed":
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("seed must be a non-negative integer, got %q", v)
			}
			r.seed = n
		default:
			return nil, fmt.Errorf("unknown key %q (keys: op, kinds, rate, every, nth, max, latency, seed)", k)
		}
		last = k
	}
	for _, o := range ops {
		op, ok := resolveOp(strings.TrimSpace(o))
		if !ok {
			return nil, fmt.Errorf("op %q is not one of the seven operations (or *)", o)
		}
		if op == "*" {
			r.ops = nil
			break
		}
		if r.ops == nil {
			r.ops = map[string]bool{}
		}
		r.ops[op] = true
	}
	for _, kname := range kinds {
		kind, ok := faultKindAliases[strings.ToLower(strings.TrimSpace(kname))]
		if !ok {
			return nil, fmt.Errorf("kind %q is not one of internal, unavailable, throttle, latency, drop", kname)
		}
		r.kinds = append(r.kinds, kind)
	}
	if len(r.kinds) == 0 {
		r.kinds = append(r.kinds, AllFaultKinds...)
	}
	for _, ns := range nths {
		n, err := strconv.Atoi(strings.TrimSpace(ns))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("nth must list integers of at least 1, got %q", ns)
		}
		if r.nth == nil {
			r.nth = map[int]bool{}
		}
		r.nth[n] = true
	}
	if !setRate && r.every == 0 && r.nth == nil {
		return nil, fmt.Errorf("a rule needs rate=, every= or nth=")
	}
	r.rng = rand.New(rand.NewPCG(r.seed, r.seed^0x9e3779b97f4a7c15))
	return r, nil
}

// decide consumes one call of op and says which fault, if any, to inject.
// Rules are tried in order; the first that fires decides and the later
// rules do not see the call.
func (p *faultPlan) decide(op string) (faultDecision, bool) {
	if p == nil {
		return faultDecision{}, false
	}
	for _, r := range p.rules {
		if r.ops != nil && !r.ops[op] {
			continue
		}
		r.seen++
		fire := (r.every > 0 && r.seen%r.every == 0) || r.nth[r.seen]
		if r.rate > 0 && r.rng.Float64() < r.rate {
			fire = true
		}
		if !fire || (r.max > 0 && r.fired >= r.max) {
			continue
		}
		r.fired++
		kind := r.kinds[0]
		if len(r.kinds) > 1 {
			kind = r.kinds[r.rng.IntN(len(r.kinds))]
		}
		return faultDecision{kind: kind, latency: r.latency}, true
	}
	return faultDecision{}, false
}

// FaultSchedule replays a plan for n consecutive calls of one operation
// (as if no other operation were called) and returns the fault each call
// would get ("" for none). Tests use it to know in advance which calls fail.
func FaultSchedule(plan, op string, n int) ([]FaultKind, error) {
	p, err := parseFaultPlan(plan)
	if err != nil {
		return nil, err
	}
	out := make([]FaultKind, n)
	for i := range out {
		if d, ok := p.decide(op); ok {
			out[i] = d.kind
		}
	}
	return out, nil
}
