// Loading and saving Options.StateFile (stateFile is its layout).

package emulator

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// load reads the state file if it exists.
func (s *Server) load() error {
	data, err := os.ReadFile(s.stateFile)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("emulator: read state file: %w", err)
	}
	var st stateFile
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("emulator: state file %s is not valid JSON: %w", s.stateFile, err)
	}
	if st.Version != stateVersion {
		return fmt.Errorf("emulator: state file %s has version %d, want %d", s.stateFile, st.Version, stateVersion)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq = st.Seq
	for _, t := range st.Tasks {
		if t == nil || t.ID == "" {
			continue
		}
		if t.SourceUrls == nil {
			t.SourceUrls = []string{}
		}
		if err := checkStored(t); err != nil {
			return fmt.Errorf("emulator: state file %s: task %s: %w", s.stateFile, t.ID, err)
		}
		if t.Status == StatusRecovering && t.NextRetry.IsZero() {
			// Written before retries were modelled: offline at the deadline.
			t.NextRetry = t.retryDeadline()
			t.Retries = t.RetryCount
		}
		s.tasks[t.ID] = t
		s.order = append(s.order, t)
		if t.Seq > s.seq {
			s.seq = t.Seq
		}
	}
	s.recomputeDueLocked()
	return nil
}

// saveLocked writes the state file atomically (temporary file and rename).
// A failure is logged and reported by Close.
func (s *Server) saveLocked() {
	if s.stateFile == "" {
		return
	}
	data, err := json.MarshalIndent(stateFile{Version: stateVersion, Seq: s.seq, Tasks: s.order}, "", "  ")
	if err == nil {
		err = writeAtomic(s.stateFile, data)
	}
	if err != nil {
		s.saveErr = fmt.Errorf("emulator: write state file: %w", err)
		if s.logger != nil {
			s.logger.Error("state file not written", "path", s.stateFile, "error", err)
		}
		return
	}
	s.saveErr = nil
}

func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		_ = os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}
