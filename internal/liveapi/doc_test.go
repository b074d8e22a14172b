package liveapi

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPackageDocComplete: the package documentation that go doc shows is
// the whole of doc.go: a blank comment-less line inside it would cut its
// first sections off, and a comment right above another file's package
// clause would be shown in their place.
func TestPackageDocComplete(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var parsed []*ast.File
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc != nil && name != "doc.go" {
			t.Errorf("%s has a package comment; the package documentation belongs in doc.go only", name)
		}
		parsed = append(parsed, f)
	}
	p, err := doc.NewFromFiles(fset, parsed, "github.com/alilive/terraform-provider-alilive/internal/liveapi")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Doc, "Package liveapi is a plain Go client") {
		t.Errorf("the package documentation starts with %q", firstLine(p.Doc))
	}
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	headings := regexp.MustCompile(`(?m)^// (# .+)$`).FindAllStringSubmatch(string(src), -1)
	if len(headings) < 6 {
		t.Fatalf("doc.go has %d sections, want at least 6", len(headings))
	}
	for _, h := range headings {
		if !strings.Contains(p.Doc, "\n"+h[1]+"\n") {
			t.Errorf("go doc does not show the section %q of doc.go", h[1])
		}
	}
}
