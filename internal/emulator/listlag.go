// The list lag of DescribeLivePullToPushList (listLag describes it).

package emulator

import (
	"maps"
	"slices"
	"time"
)

// lagWriteLocked records that t is about to be written at now (created,
// when created is true: t is then already stored). s.mu must be held.
func (s *Server) lagWriteLocked(t *task, now time.Time, created bool) {
	if s.listLag.lag <= 0 {
		return
	}
	if s.listLag.pending == nil {
		s.listLag.pending = map[string]laggedView{}
	}
	until := now.Add(s.listLag.lag)
	if p, ok := s.listLag.pending[t.ID]; ok && now.Before(p.until) {
		// Earlier writes are still pending: List keeps showing the task
		// as it was before them, now until the lag after this write.
		s.listLag.pending[t.ID] = laggedView{view: p.view, until: until}
		return
	}
	var view *wireTask
	if !created {
		w := s.wireLocked(t, now)
		view = &w
	}
	s.listLag.pending[t.ID] = laggedView{view: view, until: until}
}

// listViewLocked is t as List shows it at now; false when List does not
// show it yet. s.mu must be held.
func (s *Server) listViewLocked(t *task, now time.Time) (wireTask, bool) {
	if p, ok := s.listLag.pending[t.ID]; ok {
		if now.Before(p.until) {
			if p.view == nil {
				return wireTask{}, false
			}
			return *p.view, true
		}
		delete(s.listLag.pending, t.ID)
	}
	return s.wireLocked(t, now), true
}

// pruneLagLocked forgets pending views that have expired or whose task is
// gone. s.mu must be held.
func (s *Server) pruneLagLocked(now time.Time) {
	for _, id := range slices.Collect(maps.Keys(s.listLag.pending)) {
		if _, ok := s.tasks[id]; !ok || !now.Before(s.listLag.pending[id].until) {
			delete(s.listLag.pending, id)
		}
	}
}

// SetListLag sets how long DescribeLivePullToPushList lags behind each
// write through the API (Options.ListLag). Zero or negative turns the lag
// off and makes every pending write visible at once.
func (s *Server) SetListLag(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d <= 0 {
		d = 0
		s.listLag.pending = nil
	}
	s.listLag.lag = d
}

// ListLag returns the current lag of DescribeLivePullToPushList.
func (s *Server) ListLag() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.listLag.lag
}
