package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

func TestParseSeeds(t *testing.T) {
	got, err := parseSeeds("1-3,7, 9-10")
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{1, 2, 3, 7, 9, 10}; !reflect.DeepEqual(got, want) {
		t.Fatalf("parseSeeds = %v, want %v", got, want)
	}
	for _, bad := range []string{"", "x", "5-2", "1-", "1,,2"} {
		if _, err := parseSeeds(bad); err == nil {
			t.Errorf("parseSeeds(%q) accepted it", bad)
		}
	}
}

// The output checks fail on each thing they look for, and only on those.
func TestCheckOutput(t *testing.T) {
	secrets := []string{"soak-secret-1-abc", "1893456000-0-0-0123456789abcdef0123456789abcdef"}
	clean := "alilive_pull_to_push_task.r1: Creation complete after 1s [id=x]\n" +
		`dst_url "rtmp://push-signed.example.com/soak/r1-g0" is already used`
	if err := checkOutput(clean, secrets); err != nil {
		t.Fatalf("clean output rejected: %v", err)
	}
	cases := map[string]string{
		"Error: Provider produced inconsistent result after apply":                           `"inconsistent result"`,
		"  .id: was cty.StringVal(\"a\"), but now cty.StringVal(\"b\") unexpected new value": `"unexpected new value"`,
		"Error: Provider produced invalid plan":                                              `"Provider produced invalid"`,
		"panic: runtime error: index out of range":                                           `"panic:"`,
		"Error: Plugin did not respond":                                                      `"Plugin did not respond"`,
		"the key soak-secret-1-abc was sent":                                                 "a secret",
		"rtmp://h/a?auth_key=1893456000-0-0-0123456789abcdef0123456789abcdef":                "a secret",
		"rtmp://h/a?auth_key=1700000000-0-0-ffff":                                            "an auth_key value",
	}
	for out, want := range cases {
		err := checkOutput(out, secrets)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("checkOutput(%q) = %v, want an error about %s", out, err, want)
		}
		if err != nil && strings.Contains(err.Error(), secrets[0]) {
			t.Errorf("the error repeats the secret: %v", err)
		}
	}
}

func TestSharedDst(t *testing.T) {
	task := func(id, dst string) emulator.Task {
		return emulator.Task{TaskId: id, TaskInfo: emulator.TaskInfo{DstUrl: dst}}
	}
	tasks := []emulator.Task{task("a", "rtmp://h/x"), task("b", "rtmp://h/y"), task("c", "rtmp://h/x?auth_key=1-0-0-f")}
	if err := sharedDst(tasks, nil); err != nil {
		t.Fatalf("distinct destinations rejected: %v", err)
	}
	tasks = append(tasks, task("d", "rtmp://h/x"))
	err := sharedDst(tasks, nil)
	if err == nil || err.Error() != "live tasks a, d share the destination rtmp://h/x" {
		t.Fatalf("sharedDst = %v", err)
	}
	if err := sharedDst(tasks, map[string]bool{"a": true}); err != nil {
		t.Fatalf("a crash leftover counted: %v", err)
	}
	tasks = append(tasks, task("e", "rtmp://h/x?auth_key=1-0-0-f"))
	if err := sharedDst(tasks, map[string]bool{"a": true}); err == nil ||
		err.Error() != "live tasks c, e share the destination rtmp://h/x" {
		t.Fatalf("sharedDst = %v, want c and e, shown without the auth_key", err)
	}
}

func TestSameTasks(t *testing.T) {
	live := []emulator.Task{{TaskId: "a", TaskInfo: emulator.TaskInfo{DstUrl: "rtmp://h/a"}},
		{TaskId: "b", TaskInfo: emulator.TaskInfo{DstUrl: "rtmp://h/b"}}}
	if err := sameTasks(map[string]string{"a": "r1", "b": "r2"}, live, nil, 2); err != nil {
		t.Fatal(err)
	}
	err := sameTasks(map[string]string{"a": "r1", "c": "r3"}, live, nil, 2)
	want := "r3 names task c, which is not live (missing); task b (on rtmp://h/b) is live but not in the state (orphaned)"
	if err == nil || err.Error() != want {
		t.Fatalf("sameTasks = %v, want %q", err, want)
	}
	if err := sameTasks(map[string]string{"a": "r1"}, live, map[string]bool{"b": true}, 2); err == nil ||
		err.Error() != "the state holds 1 tasks for 2 relays" {
		t.Fatalf("sameTasks = %v", err)
	}
}

func TestParseState(t *testing.T) {
	ids, err := parseState([]byte(`{"resources":[
	 {"mode":"managed","type":"alilive_pull_to_push_task","name":"r1","instances":[
	   {"attributes":{"id":"a"}},{"deposed":"00ff","attributes":{"id":"b"}}]},
	 {"mode":"data","type":"alilive_pull_to_push_task","name":"d","instances":[{"attributes":{"id":"c"}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"a": "r1", "b": "r1 (deposed 00ff)"}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("parseState = %v, want %v", ids, want)
	}
	if ids, err := parseState(nil); err != nil || len(ids) != 0 {
		t.Fatalf("an empty state file: %v, %v", ids, err)
	}
	if _, err := parseState([]byte("{")); err == nil {
		t.Fatal("a broken state file parsed")
	}
}

// The advice the provider prints (wrapped by Terraform) is followed for
// both of its forms; other errors are not taken for it.
func TestImportAdvice(t *testing.T) {
	out := `
Error: Unable to Create Pull-to-Push Task

  with alilive_pull_to_push_task.r3,
  on main.tf line 41, in resource "alilive_pull_to_push_task" "r3":

Terraform state. That task has exactly this configuration: adopt it with an
import block or terraform import (ID
"cn-shanghai:7f06cb61-4adb") instead of creating it

Error: Unable to Create Pull-to-Push Task

  with alilive_pull_to_push_task.r1,

Terraform state. Change dst_url, or adopt that task with an import block or
terraform import (ID "cn-shanghai:2a16") If

Error: Unable to Read Pull-to-Push Task

  with alilive_pull_to_push_task.r2,
terraform import (ID "cn-shanghai:nope")
`
	want := map[string]string{"alilive_pull_to_push_task.r3": "cn-shanghai:7f06cb61-4adb", "alilive_pull_to_push_task.r1": "cn-shanghai:2a16"}
	if got := importAdvice(out); !reflect.DeepEqual(got, want) {
		t.Fatalf("importAdvice = %v, want %v", got, want)
	}
}

func TestReadingRefused(t *testing.T) {
	notApplied := "Error: Pull-to-Push Task Update Not Applied\n\n  with x\n"
	held := "Error: Unable to Create Pull-to-Push Task\n\nIf this apply replaces a task of this resource under lifecycle\n" +
		"create_before_destroy, the task being replaced still holds\ndst_url: the service"
	other := "Error: Unable to Update Pull-to-Push Task\n"
	for _, c := range []struct {
		out        string
		cbdReplace bool
		want       bool
	}{
		{notApplied, false, true},
		{held, true, true},
		{held, false, false},
		{notApplied + held, true, true},
		{notApplied + other, false, false},
		{"no error at all", false, false},
	} {
		if got := readingRefused(c.out, c.cbdReplace); got != c.want {
			t.Errorf("readingRefused(%q, %t) = %t, want %t", c.out, c.cbdReplace, got, c.want)
		}
	}
}

// A seed draws the same sequence every time.
func TestSeedIsReproducible(t *testing.T) {
	draw := func() []emulator.Variant {
		return pickVariants(seedSource(7))
	}
	if a, b := draw(), draw(); !reflect.DeepEqual(a, b) {
		t.Fatalf("two draws of seed 7: %v and %v", a, b)
	}
}

func TestHoldsName(t *testing.T) {
	ids := map[string]string{"a": "r1", "b": "r12 (deposed 00ff)"}
	for name, want := range map[string]bool{"r1": true, "r12": true, "r2": false, "r": false} {
		if got := holdsName(ids, name); got != want {
			t.Errorf("holdsName(%q) = %t, want %t", name, got, want)
		}
	}
}
