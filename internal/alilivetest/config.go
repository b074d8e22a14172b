package alilivetest

import (
	"fmt"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Vars are the values a configuration's {{.name}} actions print.
type Vars = map[string]any

// Config returns the provider block followed by hcl, a configuration
// written as literal HCL in which a few Go template actions stand for what
// only the running test knows:
//
//	{{at "-1m"}}       the test's start time moved by a duration (time.ParseDuration), in the service's spelling
//	{{dst "name"}}     a destination URL unique to the test
//	{{.name}}          the value vars[0]["name"] (a missing name fails the test)
//	{{quote .name}}    that value as an HCL string, escaped, with template sequences doubled
//
// So a test shows exactly what it applies:
//
//	a.Config(`
//	resource "alilive_pull_to_push_task" "test" {
//	  start_time  = "{{at "-1m"}}"
//	  end_time    = "{{at "2h"}}"
//	  source_type = "url"
//	  source_urls = ["https://media.example.com/a.mp4"]
//	  dst_url     = "{{dst "a"}}"
//	}
//	`)
func (a *Env) Config(hcl string, vars ...Vars) string {
	a.T.Helper()
	return a.Provider + "\n" + a.HCL(hcl, vars...)
}

// HCL renders hcl as Config does, without the provider block.
func (a *Env) HCL(hcl string, vars ...Vars) string {
	a.T.Helper()
	var data Vars
	if len(vars) > 0 {
		data = vars[0]
	}
	tmpl, err := template.New("config").Option("missingkey=error").Funcs(template.FuncMap{
		"at": func(d string) (string, error) {
			dur, err := time.ParseDuration(d)
			if err != nil {
				return "", err
			}
			return a.At(dur), nil
		},
		"dst":   a.Dst,
		"quote": func(v any) string { return Quote(fmt.Sprint(v)) },
	}).Parse(hcl)
	if err != nil {
		a.T.Fatalf("configuration template: %v", err)
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, data); err != nil {
		a.T.Fatalf("configuration template: %v", err)
	}
	return b.String()
}

// Quote quotes s as an HCL string: escapes, and no template sequences.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		case (r == '$' || r == '%') && i+1 < len(s) && s[i+1] == '{':
			b.WriteRune(r)
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Override returns the HCL of base with the attributes written in change
// set in its first block: each line of change ("name = expression") replaces
// or adds that attribute, and "name = null" removes it (for an optional
// argument, null and leaving it out are the same). It lets a table of
// configurations show one base literally and each case's difference
// literally.
func Override(base, change string) (string, error) {
	f, diags := hclwrite.ParseConfig([]byte(base), "base.tf", hcl.InitialPos)
	if diags.HasErrors() {
		return "", fmt.Errorf("base: %s", diags.Error())
	}
	blocks := f.Body().Blocks()
	if len(blocks) == 0 {
		return "", fmt.Errorf("base has no block")
	}
	body := blocks[0].Body()
	c, diags := hclwrite.ParseConfig([]byte(change), "change.tf", hcl.InitialPos)
	if diags.HasErrors() {
		return "", fmt.Errorf("change: %s", diags.Error())
	}
	attrs := c.Body().Attributes()
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		expr := attrs[name].Expr().BuildTokens(nil)
		if strings.TrimSpace(string(expr.Bytes())) == "null" {
			body.RemoveAttribute(name)
			continue
		}
		body.SetAttributeRaw(name, expr)
	}
	return string(hclwrite.Format(f.Bytes())), nil
}
