// Package docexamples checks that every complete HCL example on a page of
// docs/ plans against the emulator as pasted. Run it with make
// docs-examples (CI does): it needs the provider built into bin/ and a
// Terraform of 1.14 or newer on PATH (action blocks need it).
//
// Each ```terraform or ```hcl block of docs/**/*.md is one example. It is
// written as main.tf into a folder beside a copy of examples/guides/ (so
// that module sources such as ../../modules/relays resolve), with
// required_providers added where the example has none (it then uses the
// provider's implicit configuration), the emulator's address in place of
// 127.0.0.1:9180, and a value for every variable without a default; the
// emulator's settings and key pair come from the environment, as a real
// user's credentials would. `terraform get` runs where the example calls
// modules, then `terraform plan`, which must succeed.
//
// An example that cannot plan on its own says why in a comment that the
// page shows: "# Not a complete configuration: <why>." (a task ID the
// reader already has, a file that terraform query reads). Such blocks are
// listed and skipped, never silently.
package docexamples

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// example is one HCL block of a page.
type example struct {
	page string // path from the repository root
	line int    // of the opening fence
	text string
}

var fence = regexp.MustCompile("^```(terraform|hcl)\\s*$")

// extract returns the HCL blocks of a Markdown page.
func extract(page, text string) []example {
	var out []example
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		if !fence.MatchString(lines[i]) {
			continue
		}
		start := i
		var b strings.Builder
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			b.WriteString(lines[i])
			b.WriteString("\n")
		}
		out = append(out, example{page: page, line: start + 1, text: b.String()})
	}
	return out
}

// notComplete is the comment that marks an example that cannot plan on its
// own, with the reason.
var notComplete = regexp.MustCompile(`(?m)^# Not a complete configuration: (.+)$`)

var (
	variableBlock = regexp.MustCompile(`(?ms)^variable "([^"]+)" \{(.*?)^\}`)
	defaultArg    = regexp.MustCompile(`(?m)^\s*default\s*=`)
)

// variablesWithoutDefault names the variables an example declares without
// a default.
func variablesWithoutDefault(text string) []string {
	var out []string
	for _, m := range variableBlock.FindAllStringSubmatch(text, -1) {
		if !defaultArg.MatchString(m[2]) {
			out = append(out, m[1])
		}
	}
	return out
}

func TestDocExamples(t *testing.T) {
	if os.Getenv("ALILIVE_DOCS_EXAMPLES") == "" {
		t.Skip("set ALILIVE_DOCS_EXAMPLES=1 (make docs-examples) to plan every example of docs/")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, "bin")
	if _, err := os.Stat(filepath.Join(bin, "terraform-provider-alilive")); err != nil {
		t.Fatalf("%v: run make build (make docs-examples does)", err)
	}
	var examples []example
	err = filepath.WalkDir(filepath.Join(root, "docs"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		examples = append(examples, extract(rel, string(data))...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(examples) == 0 {
		t.Fatal("no examples found under docs/")
	}

	e, err := emulator.New(emulator.Options{QPS: -1, MaxTasks: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })

	work := t.TempDir()
	// A copy of examples/ so that module sources resolve from a sibling of
	// examples/guides/<guide>.
	if err := os.CopyFS(filepath.Join(work, "examples"), os.DirFS(filepath.Join(root, "examples"))); err != nil {
		t.Fatalf("copying examples/: %v", err)
	}
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	rc := filepath.Join(work, "terraformrc")
	if err := os.WriteFile(rc, []byte(fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n",
		host+"/alilive/alilive", bin)), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"ALILIVE_ENDPOINT="+e.Endpoint(), "ALILIVE_PROTOCOL=http", "ALIBABA_CLOUD_REGION=cn-shanghai",
		"ALIBABA_CLOUD_ACCESS_KEY_ID="+emulator.DefaultAccessKeyID,
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET="+emulator.DefaultAccessKeySecret,
		"ALILIVE_RATE_LIMIT_DIR="+filepath.Join(work, "ratelimit"))

	planned, skipped := 0, 0
	for i, ex := range examples {
		name := fmt.Sprintf("%s:%d", ex.page, ex.line)
		if m := notComplete.FindStringSubmatch(ex.text); m != nil {
			t.Logf("%s: skipped, not a complete configuration: %s", name, m[1])
			skipped++
			continue
		}
		dir := filepath.Join(work, "examples", "guides", fmt.Sprintf("docs-example-%d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(ex.text, "127.0.0.1:9180", e.Endpoint())
		if !strings.Contains(text, "required_providers") {
			text += "\nterraform {\n  required_providers {\n    alilive = { source = \"alilive/alilive\" }\n  }\n}\n"
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		exEnv := env
		for _, v := range variablesWithoutDefault(ex.text) {
			exEnv = append(exEnv, "TF_VAR_"+v+"=docs-example-value")
		}
		run := func(args ...string) (string, error) {
			cmd := exec.CommandContext(t.Context(), "terraform", args...)
			cmd.Dir, cmd.Env = dir, exEnv
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			return out.String(), err
		}
		if strings.Contains(ex.text, "\nmodule \"") || strings.HasPrefix(ex.text, "module \"") {
			if out, err := run("get", "-no-color"); err != nil {
				t.Errorf("%s: terraform get failed: %v\n%s", name, err, out)
				continue
			}
		}
		if out, err := run("plan", "-input=false", "-no-color", "-lock=false"); err != nil {
			t.Errorf("%s: the example does not plan against the emulator: %v\n%s", name, err, out)
			continue
		}
		planned++
	}
	t.Logf("%d examples planned, %d marked as not complete, of %d", planned, skipped, len(examples))
}

// TestExtract pins what counts as an example and what marks one as not
// complete.
func TestExtract(t *testing.T) {
	page := "Intro\n\n```terraform\nresource \"a\" \"b\" {}\n```\n\n```shell\nterraform import x y\n```\n\n" +
		"```hcl\n# Not a complete configuration: it reads a task you already have.\ndata \"x\" \"y\" {}\n```\n"
	got := extract("p.md", page)
	if len(got) != 2 || got[0].line != 3 || got[0].text != "resource \"a\" \"b\" {}\n" || got[1].line != 11 {
		t.Fatalf("extract = %+v", got)
	}
	if m := notComplete.FindStringSubmatch(got[1].text); m == nil || m[1] != "it reads a task you already have." {
		t.Fatalf("the marker was not found: %v", m)
	}
	if notComplete.MatchString(got[0].text) {
		t.Fatal("an unmarked example counted as marked")
	}
	vars := variablesWithoutDefault("variable \"key\" {\n  type = string\n}\n\nvariable \"n\" {\n  default = 1\n}\n")
	if len(vars) != 1 || vars[0] != "key" {
		t.Fatalf("variablesWithoutDefault = %v", vars)
	}
}
