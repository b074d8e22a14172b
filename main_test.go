package main

import (
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
)

func TestQuietLogLevels(t *testing.T) {
	all := func(level string) map[string]string {
		return map[string]string{"TF_LOG_SDK": level, "TF_LOG_SDK_PROTO": level, "TF_LOG_SDK_FRAMEWORK": level,
			"TF_LOG_PROVIDER_ALILIVE": level}
	}
	allOff := all("OFF")
	for _, tc := range []struct {
		name string
		env  map[string]string
		want map[string]string
	}{
		{"no logging asked for", map[string]string{"TF_LOG_PATH": "/tmp/tf.log", "TF_LOG_CORE": "TRACE"}, allOff},
		{"TF_LOG", map[string]string{"TF_LOG": "DEBUG"}, all("DEBUG")},
		{"TF_LOG info, any case", map[string]string{"TF_LOG": " info"}, all("INFO")},
		{"TF_LOG trace", map[string]string{"TF_LOG": "TRACE"}, nil},
		{"TF_LOG json", map[string]string{"TF_LOG": "json"}, nil},
		{"TF_LOG not a level (Terraform reads TRACE)", map[string]string{"TF_LOG": "1"}, nil},
		{"TF_LOG_PROVIDER", map[string]string{"TF_LOG_PROVIDER": "INFO"}, all("INFO")},
		{"TF_LOG_PROVIDER wins over TF_LOG", map[string]string{"TF_LOG": "TRACE", "TF_LOG_PROVIDER": "WARN"}, all("WARN")},
		{"TF_LOG_PROVIDER off", map[string]string{"TF_LOG": "INFO", "TF_LOG_PROVIDER": "off"}, allOff},
		{"a level set by the user stays", map[string]string{"TF_LOG_SDK_FRAMEWORK": "TRACE"},
			map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "OFF", "TF_LOG_PROVIDER_ALILIVE": "OFF"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := quietLogLevels(func(k string) string { return tc.env[k] })
			if !maps.Equal(got, tc.want) {
				t.Fatalf("quietLogLevels = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestProfilesWritten(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{
		cpuProfileEnv: filepath.Join(dir, "cpu.%p"),
		memProfileEnv: filepath.Join(dir, "mem.%p"),
	}
	stop := startProfiles(func(k string) string { return env[k] })
	keep := make([][]byte, 0, 64)
	for range 64 {
		keep = append(keep, make([]byte, 64<<10))
	}
	runtime.GC()
	stop()
	runtime.KeepAlive(keep)
	pid := strconv.Itoa(os.Getpid())
	for _, name := range []string{"cpu." + pid, "mem." + pid} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		// pprof profiles are gzip-compressed protocol buffers.
		if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
			t.Errorf("%s is not a gzip-compressed profile (%d bytes)", name, len(data))
		}
	}
}

func TestSetGCPercent(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	if setGCPercent(func(k string) string { return map[string]string{"GOGC": "50"}[k] }) {
		t.Error("GOGC set by the user was overridden")
	}
	if !setGCPercent(func(string) string { return "" }) {
		t.Fatal("gcPercent not applied without GOGC")
	}
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Errorf("GC percent = %d, want %d", got, gcPercent)
	}
}
