package provider

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestTemplateFigures: pages state figures the code defines (how long a
// start, stop or restart may take to show, the default of every timeout);
// the pages are templates, so this keeps them in step.
func TestTemplateFigures(t *testing.T) {
	for page, want := range map[string]string{
		"templates/guides/emulator.md.tmpl": fmt.Sprintf("the provider waits up to %d seconds for each to show",
			int(settleTimeout/time.Second)),
		"templates/resources/pull_to_push_task.md.tmpl": fmt.Sprintf("each defaults to %d minutes",
			int(defaultOperationTimeout/time.Minute)),
	} {
		data, err := os.ReadFile("../../" + page)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(strings.Fields(string(data)), " "), want) {
			t.Errorf("%s does not say %q", page, want)
		}
	}
}
