package main

import (
	"maps"
	"testing"
)

func TestQuietLogLevels(t *testing.T) {
	allOff := map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "OFF", "TF_LOG_SDK_FRAMEWORK": "OFF",
		"TF_LOG_PROVIDER_ALILIVE": "OFF"}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want map[string]string
	}{
		{"no logging asked for", map[string]string{"TF_LOG_PATH": "/tmp/tf.log", "TF_LOG_CORE": "TRACE"}, allOff},
		{"TF_LOG", map[string]string{"TF_LOG": "DEBUG"}, nil},
		{"TF_LOG json", map[string]string{"TF_LOG": "json"}, nil},
		{"TF_LOG_PROVIDER", map[string]string{"TF_LOG_PROVIDER": "INFO"}, nil},
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
