package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Profiling of the provider process, off by default (see CONTRIBUTING.md,
// "Profiling the provider"):
//
//   - ALILIVE_CPUPROFILE=FILE writes a CPU profile of the whole process to
//     FILE when it exits;
//   - ALILIVE_MEMPROFILE=FILE writes to FILE, when the process exits, the
//     heap profile taken right after the garbage collection that found the
//     largest live heap of the process's life: its inuse samples show what
//     held the memory at the peak, its alloc samples everything allocated
//     until then.
//
// Terraform starts the provider several times per command: a %p in FILE is
// replaced by the process ID, so that each process writes its own file
// (otherwise the last one to exit wins).
const (
	cpuProfileEnv = "ALILIVE_CPUPROFILE"
	memProfileEnv = "ALILIVE_MEMPROFILE"
)

// startProfiles starts the profiles the environment asks for and returns
// the function that writes them; it reports problems on stderr, which
// Terraform logs, and never stops the provider.
func startProfiles(getenv func(string) string) (stop func()) {
	var stops []func()
	if name := profilePath(getenv(cpuProfileEnv)); name != "" {
		if f, err := os.Create(name); err != nil {
			profileProblem(err)
		} else if err := pprof.StartCPUProfile(f); err != nil {
			profileProblem(err)
			_ = f.Close()
		} else {
			stops = append(stops, func() {
				pprof.StopCPUProfile()
				if err := f.Close(); err != nil {
					profileProblem(err)
				}
			})
		}
	}
	if name := profilePath(getenv(memProfileEnv)); name != "" {
		w := &peakHeap{done: make(chan struct{})}
		w.wg.Add(1)
		go w.watch(50 * time.Millisecond)
		stops = append(stops, func() {
			close(w.done)
			w.wg.Wait()
			w.sample() // the end of the process may be its peak
			if err := os.WriteFile(name, w.profile, 0o644); err != nil {
				profileProblem(err)
			}
		})
	}
	return func() {
		for _, s := range stops {
			s()
		}
	}
}

// profilePath expands %p in name to the process ID.
func profilePath(name string) string {
	return strings.ReplaceAll(strings.TrimSpace(name), "%p", strconv.Itoa(os.Getpid()))
}

func profileProblem(err error) {
	fmt.Fprintln(os.Stderr, "terraform-provider-alilive: profile:", err)
}

// peakHeap keeps the heap profile of the largest live heap seen.
type peakHeap struct {
	done    chan struct{}
	wg      sync.WaitGroup
	peak    uint64
	profile []byte
}

// liveHeapMetric is the heap marked live by the last garbage collection,
// which is also what a heap profile's inuse samples describe.
const liveHeapMetric = "/gc/heap/live:bytes"

func (w *peakHeap) watch(every time.Duration) {
	defer w.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-w.done:
			return
		case <-t.C:
			w.sample()
		}
	}
}

// sample takes a heap profile when the live heap grew by more than 5%
// since the last one.
func (w *peakHeap) sample() {
	s := []metrics.Sample{{Name: liveHeapMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	live := s[0].Value.Uint64()
	if w.profile != nil && live <= w.peak+w.peak/20 {
		return
	}
	var buf bytes.Buffer
	if err := pprof.Lookup("heap").WriteTo(&buf, 0); err != nil {
		profileProblem(err)
		return
	}
	w.peak, w.profile = live, buf.Bytes()
}
