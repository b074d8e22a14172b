package provider

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestResourceTemplateFigures: the resource's page states figures the code
// defines (how long a start, stop or restart may take to show, the default
// of every timeout); the page is a template, so this keeps them in step.
func TestResourceTemplateFigures(t *testing.T) {
	data, err := os.ReadFile("../../templates/resources/pull_to_push_task.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	page := strings.Join(strings.Fields(string(data)), " ")
	for _, want := range []string{
		fmt.Sprintf("the provider waits up to %d seconds for each to show", int(settleTimeout/time.Second)),
		fmt.Sprintf("each defaults to %d minutes", int(defaultOperationTimeout/time.Minute)),
	} {
		if !strings.Contains(page, want) {
			t.Errorf("templates/resources/pull_to_push_task.md.tmpl does not say %q", want)
		}
	}
}
