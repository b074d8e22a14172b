package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// TestRAMPolicyDocs keeps the documented permissions, the ready policies
// and the provider's use of the API in step.
func TestRAMPolicyDocs(t *testing.T) {
	actions := func(ops []string) []string {
		out := make([]string, len(ops))
		for i, op := range ops {
			out[i] = liveapi.RAMAction(op)
		}
		return out
	}
	readPolicy := func(path string) []string {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var p struct {
			Version   string
			Statement []struct {
				Effect   string
				Action   []string
				Resource string
			}
		}
		if err := json.Unmarshal(data, &p); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if p.Version != "1" || len(p.Statement) != 1 || p.Statement[0].Effect != "Allow" || p.Statement[0].Resource != "*" {
			t.Fatalf("%s: want Version 1 and one Allow statement on *, got %+v", path, p)
		}
		return p.Statement[0].Action
	}
	all := actions([]string{liveapi.OpCreate, liveapi.OpDescribe, liveapi.OpList, liveapi.OpUpdate, liveapi.OpStop,
		liveapi.OpRestart, liveapi.OpDelete})
	if got := readPolicy("../../examples/provider/ram-policy.json"); !slices.Equal(got, all) {
		t.Errorf("ram-policy.json actions = %v, want %v", got, all)
	}
	var used, reads []string
	for _, n := range ramTable {
		for _, a := range actions(append(slices.Clone(n.required), n.optional...)) {
			if !slices.Contains(used, a) {
				used = append(used, a)
			}
			if (strings.Contains(n.name, "data source") || strings.Contains(n.name, "list resource")) && !slices.Contains(reads, a) {
				reads = append(reads, a)
			}
		}
	}
	slices.Sort(used)
	sorted := slices.Sorted(slices.Values(all))
	if !slices.Equal(used, sorted) {
		t.Errorf("the table needs %v, the policy allows %v", used, sorted)
	}
	if got := readPolicy("../../examples/provider/ram-policy-read-only.json"); !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(reads))) {
		t.Errorf("ram-policy-read-only.json actions = %v, want %v", got, reads)
	}

	doc, err := os.ReadFile("../../docs/index.md")
	if err != nil {
		t.Fatal(err)
	}
	code := func(ops []string) string {
		parts := actions(ops)
		for i := range parts {
			parts[i] = "`" + parts[i] + "`"
		}
		return strings.Join(parts, ", ")
	}
	for _, n := range ramTable {
		optional := "none"
		if len(n.optional) > 0 {
			pronoun := "it"
			if len(n.optional) > 1 {
				pronoun = "them"
			}
			optional = code(n.optional) + ": without " + pronoun + ", " + n.without
		}
		row := fmt.Sprintf("| %s | %s | %s |", n.name, code(n.required), optional)
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/index.md lacks the row\n%s", row)
		}
	}
	// Every row of the table is one of ramTable's: nothing is documented that
	// the code does not list.
	var rows int
	for _, line := range strings.Split(string(doc), "\n") {
		if strings.HasPrefix(line, "| `alilive_") {
			rows++
		}
	}
	if rows != len(ramTable) {
		t.Errorf("docs/index.md has %d permission rows, ramTable %d", rows, len(ramTable))
	}
	for _, path := range []string{"../../examples/provider/ram-policy.json", "../../examples/provider/ram-policy-read-only.json"} {
		data, _ := os.ReadFile(path)
		if !strings.Contains(string(doc), "```json\n"+string(data)+"```") {
			t.Errorf("docs/index.md does not show %s", path)
		}
	}
}
