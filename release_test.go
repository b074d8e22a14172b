package main

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// goreleaserConfig is the part of .goreleaser.yml the release relies on.
type goreleaserConfig struct {
	Version int `yaml:"version"`
	Builds  []struct {
		ID     string   `yaml:"id"`
		Main   string   `yaml:"main"`
		Binary string   `yaml:"binary"`
		Env    []string `yaml:"env"`
		Goos   []string `yaml:"goos"`
		Goarch []string `yaml:"goarch"`
		Ignore []struct {
			Goos   string `yaml:"goos"`
			Goarch string `yaml:"goarch"`
		} `yaml:"ignore"`
	} `yaml:"builds"`
	Archives []struct {
		ID           string   `yaml:"id"`
		IDs          []string `yaml:"ids"`
		Formats      []string `yaml:"formats"`
		NameTemplate string   `yaml:"name_template"`
	} `yaml:"archives"`
	Checksum struct {
		IDs          []string `yaml:"ids"`
		NameTemplate string   `yaml:"name_template"`
		Algorithm    string   `yaml:"algorithm"`
	} `yaml:"checksum"`
	Signs []struct {
		ID        string   `yaml:"id"`
		Artifacts string   `yaml:"artifacts"`
		IDs       []string `yaml:"ids"`
		Signature string   `yaml:"signature"`
		Args      []string `yaml:"args"`
	} `yaml:"signs"`
}

// TestReleaseConfig checks .goreleaser.yml without goreleaser, which is not
// a tool of tools/go.mod: its newest release needs a newer Go than this
// module's, and v2.17.0 pulls about 2 GB of modules (one of which the module
// proxy does not serve). It checks that the provider and the
// emulator are both built, for the same platforms, each into its own zip
// archives; the signed SHA256SUMS lists the provider's archives only, as
// the Terraform registry expects, and every emulator archive gets its own
// .sha256 file. make release-check also cross-compiles the emulator.
func TestReleaseConfig(t *testing.T) {
	raw, err := os.ReadFile(".goreleaser.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg goreleaserConfig
	dec := yaml.NewDecoder(strings.NewReader(string(raw)))
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf("parse .goreleaser.yml: %v", err)
	}
	if cfg.Version != 2 {
		t.Errorf("version = %d, want 2", cfg.Version)
	}

	builds := map[string]int{}
	for i, b := range cfg.Builds {
		builds[b.ID] = i
	}
	pi, okP := builds["provider"]
	ei, okE := builds["emulator"]
	if !okP || !okE || len(cfg.Builds) != 2 {
		t.Fatalf("builds = %v, want exactly the ids provider and emulator", builds)
	}
	p, e := cfg.Builds[pi], cfg.Builds[ei]
	if p.Main != "" && p.Main != "." {
		t.Errorf("provider main = %q, want the module root", p.Main)
	}
	if e.Main != "./cmd/alilive-emulator" {
		t.Errorf("emulator main = %q, want ./cmd/alilive-emulator", e.Main)
	}
	if st, err := os.Stat("cmd/alilive-emulator/main.go"); err != nil || st.IsDir() {
		t.Errorf("cmd/alilive-emulator/main.go: %v", err)
	}
	if e.Binary != "alilive-emulator" {
		t.Errorf("emulator binary = %q, want alilive-emulator", e.Binary)
	}
	if len(p.Goos) == 0 || len(p.Goarch) == 0 {
		t.Fatalf("provider platforms empty: goos %v goarch %v", p.Goos, p.Goarch)
	}
	if !reflect.DeepEqual(p.Goos, e.Goos) || !reflect.DeepEqual(p.Goarch, e.Goarch) || !reflect.DeepEqual(p.Ignore, e.Ignore) {
		t.Errorf("emulator platforms (goos %v goarch %v ignore %v) differ from the provider's (goos %v goarch %v ignore %v)",
			e.Goos, e.Goarch, e.Ignore, p.Goos, p.Goarch, p.Ignore)
	}
	for _, b := range cfg.Builds {
		if !slices.Contains(b.Env, "CGO_ENABLED=0") {
			t.Errorf("build %s does not set CGO_ENABLED=0, so it cannot cross-compile", b.ID)
		}
	}

	archives := map[string][]string{}
	names := map[string]string{}
	for _, a := range cfg.Archives {
		if !reflect.DeepEqual(a.Formats, []string{"zip"}) {
			t.Errorf("archive %s formats = %v, want [zip]", a.ID, a.Formats)
		}
		archives[a.ID] = a.IDs
		names[a.ID] = a.NameTemplate
	}
	if !reflect.DeepEqual(archives, map[string][]string{"provider": {"provider"}, "emulator": {"emulator"}}) {
		t.Errorf("archives = %v, want one per build, each with its own build only", archives)
	}
	if want := "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}"; names["provider"] != want {
		t.Errorf("provider archive name = %q, want %q (the registry's naming)", names["provider"], want)
	}
	if want := "alilive-emulator_{{ .Version }}_{{ .Os }}_{{ .Arch }}"; names["emulator"] != want {
		t.Errorf("emulator archive name = %q, want %q", names["emulator"], want)
	}

	if !reflect.DeepEqual(cfg.Checksum.IDs, []string{"provider"}) || cfg.Checksum.Algorithm != "sha256" ||
		cfg.Checksum.NameTemplate != "{{ .ProjectName }}_{{ .Version }}_SHA256SUMS" {
		t.Errorf("checksum = %+v, want the provider's archives in {{ .ProjectName }}_{{ .Version }}_SHA256SUMS, sha256", cfg.Checksum)
	}
	var gpg, emulatorSums bool
	for _, s := range cfg.Signs {
		switch {
		case s.Artifacts == "checksum" && s.ID == "":
			gpg = slices.Contains(s.Args, "--detach-sign")
		case s.ID == "emulator-checksums":
			emulatorSums = s.Artifacts == "archive" && reflect.DeepEqual(s.IDs, []string{"emulator"}) &&
				s.Signature == "${artifact}.sha256" && strings.Contains(strings.Join(s.Args, " "), "sha256sum")
		}
	}
	if !gpg {
		t.Error("the SHA256SUMS file is not signed with gpg --detach-sign")
	}
	if !emulatorSums {
		t.Error("the emulator archives get no <archive>.sha256 from a sign entry emulator-checksums")
	}
}
