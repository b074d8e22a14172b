package interrupt

import (
	"os"
	"os/signal"
	"testing"
)

func TestIgnoreIfPlugin(t *testing.T) {
	t.Cleanup(func() { signal.Reset(os.Interrupt) })
	if ignoreIfPlugin(func(string) string { return "" }) || signal.Ignored(os.Interrupt) {
		t.Fatal("SIGINT ignored without a plugin's environment")
	}
	if !ignoreIfPlugin(func(k string) string {
		if k == "TF_PLUGIN_MAGIC_COOKIE" {
			return "d602bf8f"
		}
		return ""
	}) || !signal.Ignored(os.Interrupt) {
		t.Fatal("SIGINT not ignored in a plugin's environment")
	}
}
