package alilivetest

import (
	"testing"
	"time"
)

func TestConfig(t *testing.T) {
	a := &Env{T: t, Provider: "provider \"alilive\" {}\n", Now: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), Suffix: "s1"}
	got := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time   = "{{at "-1m"}}"
  end_time     = "{{at "2h30m"}}"
  dst_url      = "{{dst "x"}}"
  task_name    = {{quote .name}}
  retry_count  = {{.retries}}
}
`, Vars{"name": "a \"b\" ${c}\n", "retries": 3})
	want := `provider "alilive" {}


resource "alilive_pull_to_push_task" "test" {
  start_time   = "2030-01-02T03:03:05Z"
  end_time     = "2030-01-02T05:34:05Z"
  dst_url      = "rtmp://push.example.com/live/s1-x"
  task_name    = "a \"b\" $${c}\n"
  retry_count  = 3
}
`
	if got != want {
		t.Errorf("Config =\n%s\nwant\n%s", got, want)
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:          `"plain"`,
		"tab\there":      `"tab\u0009here"`,
		`back\slash`:     `"back\\slash"`,
		`%{if} and ${x}`: `"%%{if} and $${x}"`,
		`$ alone`:        `"$ alone"`,
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestOverride(t *testing.T) {
	base := `
resource "alilive_pull_to_push_task" "test" {
  region          = "cn-shanghai"
  source_protocol = "rtmp"
  dst_url         = "rtmp://push.example.com/live/a"
}
`
	got, err := Override(base, "region = \"us-east-1\"\nsource_protocol = null\nretry_count = 2\n")
	if err != nil {
		t.Fatal(err)
	}
	want := `
resource "alilive_pull_to_push_task" "test" {
  region      = "us-east-1"
  dst_url     = "rtmp://push.example.com/live/a"
  retry_count = 2
}
`
	if got != want {
		t.Errorf("Override =\n%s\nwant\n%s", got, want)
	}
	if _, err := Override(base, "region = "); err == nil {
		t.Error("a broken change was accepted")
	}
}
