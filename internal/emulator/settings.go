// What a running Server counts and how it behaves: the counters, the
// fault plan, the variants and the access rules, and Reset.

package emulator

import (
	"fmt"
	"maps"
	"time"
)

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := newStats()
	maps.Copy(out.Calls, s.stats.Calls)
	maps.Copy(out.Errors, s.stats.Errors)
	maps.Copy(out.Throttled, s.stats.Throttled)
	maps.Copy(out.STS, s.stats.STS)
	out.Expired = s.stats.Expired
	return out
}

// ResetStats zeroes the counters.
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = newStats()
}

// SetFaults replaces the fault plan (flag syntax; "" clears it).
func (s *Server) SetFaults(plan string) error {
	p, err := parseFaultPlan(plan)
	if err != nil {
		return fmt.Errorf("emulator: faults: %w", err)
	}
	s.mu.Lock()
	s.faults = p
	s.mu.Unlock()
	return nil
}

// Faults returns the current fault plan text.
func (s *Server) Faults() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.text
}

// SetVariants replaces the active variants (nil or empty: the default
// reading). It fails on an unknown name and then changes nothing.
// Tasks keep their status; the new readings apply from the next
// transition or call on.
func (s *Server) SetVariants(vs []Variant) error {
	set, err := newVariantSet(vs)
	if err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	s.variants = set
	for _, t := range s.order {
		if t.Status == StatusRunning && set[VariantFlaky] && t.FailAt.IsZero() {
			s.scheduleFailureLocked(t, now)
		}
		if !set[VariantFlaky] {
			t.FailAt = time.Time{}
		}
	}
	s.recomputeDueLocked()
	return nil
}

// Variants returns the active variants in the order of AllVariants.
func (s *Server) Variants() []Variant {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.variants.list()
}

// SetDenied replaces the operations denied to an access key (full or short
// names, or "*"); no operations allows every operation again.
func (s *Server) SetDenied(accessKeyID string, ops ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.access.setDeny(accessKeyID, ops); err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	return nil
}

// Denied returns the denied operations of every access key that has any,
// in the order of Operations.
func (s *Server) Denied() map[string][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][]string, len(s.access.deny))
	for ak, set := range s.access.deny {
		ops := []string{}
		for _, op := range Operations {
			if set[op] {
				ops = append(ops, op)
			}
		}
		out[ak] = ops
	}
	return out
}

// SetAccountCondition puts an account ("" means "default") into a
// condition; AccountNormal ends it.
func (s *Server) SetAccountCondition(account string, c AccountCondition) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.access.setCondition(account, c); err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	return nil
}

// AccountConditions returns the accounts that are in a condition.
func (s *Server) AccountConditions() map[string]AccountCondition {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.access.conditions)
}

// Reset drops every task, counter, fault and used nonce. Throttling windows
// and writes pending for the listing are cleared too; the clock and the
// list lag are left as they are. No callbacks are sent.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tasks = map[string]*task{}
	s.order = nil
	s.nextDue = time.Time{}
	s.stats = newStats()
	s.faults = &faultPlan{}
	s.nonces = map[string]time.Time{}
	s.windows = map[string]*window{}
	s.listLag.pending = nil
	s.saveLocked()
}

// WaitCallbacks blocks until every callback queued so far has been
// attempted. Tests use it before asserting on a receiver.
func (s *Server) WaitCallbacks() { s.cb.wait() }
