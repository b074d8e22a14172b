package provider

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// dsCompared are the attributes the data sources must report exactly as
// the resource does (for tasks created with the service's spellings).
var dsCompared = []string{
	"id", "region", "task_name", "start_time", "end_time", "source_type", "source_protocol", "source_urls.#",
	"source_urls.0", "dst_url", "callback_url", "repeat_number", "file_index", "offset", "retry_interval",
	"retry_count", "enabled", "status", "invalid_reason", "current_file_index", "current_offset",
}

// checkListed checks that the list data source holds exactly the given
// resources' tasks, in ID order, each with the resource's attributes.
func checkListed(ds string, resources ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		d, ok := s.RootModule().Resources[ds]
		if !ok {
			return fmt.Errorf("%s is not in the state", ds)
		}
		type res struct {
			id    string
			attrs map[string]string
		}
		want := make([]res, 0, len(resources))
		for _, r := range resources {
			rs, ok := s.RootModule().Resources[r]
			if !ok {
				return fmt.Errorf("%s is not in the state", r)
			}
			want = append(want, res{rs.Primary.ID, rs.Primary.Attributes})
		}
		sort.Slice(want, func(i, j int) bool { return want[i].id < want[j].id })
		got := d.Primary.Attributes
		if got["ids.#"] != fmt.Sprint(len(want)) || got["tasks.#"] != fmt.Sprint(len(want)) {
			return fmt.Errorf("%s lists %s ids and %s tasks, want %d", ds, got["ids.#"], got["tasks.#"], len(want))
		}
		for i, w := range want {
			if got[fmt.Sprintf("ids.%d", i)] != w.id {
				return fmt.Errorf("%s ids.%d = %q, want %q", ds, i, got[fmt.Sprintf("ids.%d", i)], w.id)
			}
			for _, a := range dsCompared {
				if g := got[fmt.Sprintf("tasks.%d.%s", i, a)]; g != w.attrs[a] {
					return fmt.Errorf("%s tasks.%d.%s = %q, want %q", ds, i, a, g, w.attrs[a])
				}
			}
		}
		return nil
	}
}

// checkSameAttrs checks that a data source reports the resource's attributes.
func checkSameAttrs(ds, res string) resource.TestCheckFunc {
	checks := make([]resource.TestCheckFunc, 0, len(dsCompared))
	for _, a := range dsCompared {
		checks = append(checks, resource.TestCheckResourceAttrPair(ds, a, res, a))
	}
	return resource.ComposeAggregateTestCheckFunc(checks...)
}

func TestAccPullToPushTaskDataSources(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, false)
	// a and b share the name "ds-relay"; c is named "ds-relay-2" and its
	// destination extends a's, so only exact filters tell them apart.
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "a" {
  task_name       = "ds-relay"
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/dsa"]
  dst_url         = "{{dst "dsa"}}"
  callback_url    = "http://127.0.0.1:9/ds"
}

resource "alilive_pull_to_push_task" "b" {
  task_name     = "ds-relay"
  start_time    = "{{at "1h"}}"
  end_time      = "{{at "2h"}}"
  source_type   = "url"
  source_urls   = ["https://media.example.com/dsb/a.mp4", "https://media.example.com/dsb/b.flv"]
  dst_url       = "{{dst "dsb"}}"
  repeat_number = -1
  file_index    = 1
  offset        = 3
}

resource "alilive_pull_to_push_task" "c" {
  task_name       = "ds-relay-2"
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/dsc"]
  dst_url         = "{{dst "dsa"}}2"
  enabled         = false
}

data "alilive_pull_to_push_task" "a" {
  id = alilive_pull_to_push_task.a.id
}

data "alilive_pull_to_push_task" "b" {
  id     = alilive_pull_to_push_task.b.id
  region = "cn-shanghai"
}

data "alilive_pull_to_push_tasks" "by_name" {
  task_name  = "ds-relay"
  depends_on = [alilive_pull_to_push_task.a, alilive_pull_to_push_task.b, alilive_pull_to_push_task.c]
}

data "alilive_pull_to_push_tasks" "by_dst" {
  dst_url    = "{{dst "dsa"}}"
  depends_on = [alilive_pull_to_push_task.a, alilive_pull_to_push_task.b, alilive_pull_to_push_task.c]
}

data "alilive_pull_to_push_tasks" "offline" {
  status     = "offline"
  depends_on = [alilive_pull_to_push_task.a, alilive_pull_to_push_task.b, alilive_pull_to_push_task.c]
}

data "alilive_pull_to_push_tasks" "idle_named" {
  status     = "idle"
  task_name  = "ds-relay"
  depends_on = [alilive_pull_to_push_task.a, alilive_pull_to_push_task.b, alilive_pull_to_push_task.c]
}

data "alilive_pull_to_push_tasks" "none" {
  task_name  = "no-such-name"
  depends_on = [alilive_pull_to_push_task.a, alilive_pull_to_push_task.b, alilive_pull_to_push_task.c]
}

data "alilive_pull_to_push_tasks" "all" {
  region     = "cn-shanghai"
  depends_on = [alilive_pull_to_push_task.a, alilive_pull_to_push_task.b, alilive_pull_to_push_task.c]
}
`)
	checks := []resource.TestCheckFunc{
		checkSameAttrs("data.alilive_pull_to_push_task.a", "alilive_pull_to_push_task.a"),
		checkSameAttrs("data.alilive_pull_to_push_task.b", "alilive_pull_to_push_task.b"),
		checkListed("data.alilive_pull_to_push_tasks.by_name", "alilive_pull_to_push_task.a", "alilive_pull_to_push_task.b"),
		checkListed("data.alilive_pull_to_push_tasks.by_dst", "alilive_pull_to_push_task.a"),
		checkListed("data.alilive_pull_to_push_tasks.offline", "alilive_pull_to_push_task.c"),
		checkListed("data.alilive_pull_to_push_tasks.idle_named", "alilive_pull_to_push_task.b"),
		checkListed("data.alilive_pull_to_push_tasks.none"),
	}
	stateChecks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.alilive_pull_to_push_task.b", tfjsonpath.New("source_urls").AtSliceIndex(1),
			knownvalue.StringExact("https://media.example.com/dsb/b.flv")),
		statecheck.ExpectKnownValue("data.alilive_pull_to_push_tasks.all", tfjsonpath.New("region"),
			knownvalue.StringExact("cn-shanghai")),
	}
	if a.Emulator != nil {
		// Against the emulator the account holds only this test's tasks.
		checks = append(checks, checkListed("data.alilive_pull_to_push_tasks.all",
			"alilive_pull_to_push_task.a", "alilive_pull_to_push_task.b", "alilive_pull_to_push_task.c"))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{Config: cfg, Check: resource.ComposeAggregateTestCheckFunc(append(checks, a.CheckTaskCount(3))...),
				ConfigStateChecks: stateChecks},
			{
				Config: a.Config(`
data "alilive_pull_to_push_task" "missing" {
  id = "no-such-task"
}
`),
				ExpectError: alilivetest.MsgRegexp("Unable to Read Pull-to-Push Task",
					`The DescribeLivePullToPush call (reading pull-to-push task "no-such-task" in region "cn-shanghai") failed with error code "CodeTaskNotExist"`,
					`No task with this ID exists in region "cn-shanghai"`),
			},
			{
				Config: a.Config(`
data "alilive_pull_to_push_tasks" "bad" {
  status = "exited"
}
`),
				ExpectError: regexp.MustCompile(regexp.QuoteMeta(`Attribute status value must be one of: ["idle" "running" "recovering"`)),
			},
			{
				Config: a.Config(`
data "alilive_pull_to_push_task" "bad" {
  id = "a b"
}
`),
				ExpectError: regexp.MustCompile(`Attribute id must consist of 1 to 55 letters, digits, - and _, got: a b`),
			},
			{
				// Back to the valid configuration: nothing changed meanwhile.
				Config: cfg, Check: resource.ComposeAggregateTestCheckFunc(checks...), ConfigStateChecks: stateChecks,
			},
		},
	})
}

func TestAccPullToPushTasksDataSource_pages(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	// 205 tasks made in the console: the list operation serves at most 100
	// a page, so each count above 100 proves that every page was read.
	for i := range 205 {
		name := "even"
		if i%2 == 1 {
			name = "odd"
		}
		if _, err := a.Emulator.AddTask("cn-shanghai", emulator.TaskInfo{
			TaskName: name, StartTime: a.At(time.Hour), EndTime: a.At(2 * time.Hour), SourceType: "live", SourceProtocol: "rtmp",
			SourceUrls: []string{fmt.Sprintf("rtmp://origin.example.com/live/p%d", i)}, DstUrl: a.Dst(fmt.Sprintf("p%d", i)),
			RetryCount: 3, RetryInterval: 60,
		}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Emulator.AddTask("cn-beijing", emulator.TaskInfo{
		TaskName: "odd", StartTime: a.At(time.Hour), EndTime: a.At(2 * time.Hour), SourceType: "vod",
		SourceUrls: []string{"m1"}, DstUrl: a.Dst("beijing"), RetryCount: 3, RetryInterval: 60,
	}); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: a.Config(`
data "alilive_pull_to_push_tasks" "all" {}

data "alilive_pull_to_push_tasks" "odd" {
  task_name = "odd"
}

data "alilive_pull_to_push_tasks" "beijing" {
  region = "cn-beijing"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.alilive_pull_to_push_tasks.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(205)),
				statecheck.ExpectKnownValue("data.alilive_pull_to_push_tasks.all", tfjsonpath.New("tasks"), knownvalue.ListSizeExact(205)),
				statecheck.ExpectKnownValue("data.alilive_pull_to_push_tasks.all", tfjsonpath.New("region"), knownvalue.StringExact("cn-shanghai")),
				statecheck.ExpectKnownValue("data.alilive_pull_to_push_tasks.odd", tfjsonpath.New("ids"), knownvalue.ListSizeExact(102)),
				statecheck.ExpectKnownValue("data.alilive_pull_to_push_tasks.odd", tfjsonpath.New("tasks").AtSliceIndex(0).AtMapKey("task_name"),
					knownvalue.StringExact("odd")),
				statecheck.ExpectKnownValue("data.alilive_pull_to_push_tasks.odd", tfjsonpath.New("tasks").AtSliceIndex(101).AtMapKey("status"),
					knownvalue.StringExact("idle")),
				statecheck.ExpectKnownValue("data.alilive_pull_to_push_tasks.beijing", tfjsonpath.New("ids"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.alilive_pull_to_push_tasks.beijing", tfjsonpath.New("tasks").AtSliceIndex(0).AtMapKey("source_type"),
					knownvalue.StringExact("vod")),
				statecheck.ExpectKnownValue("data.alilive_pull_to_push_tasks.beijing", tfjsonpath.New("tasks").AtSliceIndex(0).AtMapKey("repeat_number"),
					knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownValue("data.alilive_pull_to_push_tasks.beijing", tfjsonpath.New("tasks").AtSliceIndex(0).AtMapKey("source_protocol"),
					knownvalue.Null()),
			},
		}},
	})
}

// TestAccPullToPushTaskDataSources_sourceProtocolCase: the service echoes
// SourceProtocol in upper case (the emulator answers RTMP, as the
// documented example does); both data sources report it in lower case, as
// their documentation says.
func TestAccPullToPushTaskDataSources_sourceProtocolCase(t *testing.T) {
	t.Parallel()
	for name, ds := range map[string]datasource.DataSource{
		"alilive_pull_to_push_task": NewPullToPushTaskDataSource(), "alilive_pull_to_push_tasks": NewPullToPushTasksDataSource(),
	} {
		var resp datasource.SchemaResponse
		ds.Schema(context.Background(), datasource.SchemaRequest{}, &resp)
		attrs := resp.Schema.Attributes
		if nested, ok := attrs["tasks"].(schema.ListNestedAttribute); ok {
			attrs = nested.NestedObject.Attributes
		}
		want := "Protocol of a live source, always in lower case (`rtmp`, `rtsp`, `srt`, `http-flv` or `flv`) " +
			"whatever letter case the service reports it in; null for vod and url tasks."
		if got := attrs["source_protocol"].GetMarkdownDescription(); got != want {
			t.Errorf("%s documents source_protocol as %q\nwant %q", name, got, want)
		}
	}

	a := newPtpAcc(t, true)
	id, err := a.Emulator.AddTask("cn-shanghai", emulator.TaskInfo{
		TaskName: "case", StartTime: a.At(time.Hour), EndTime: a.At(2 * time.Hour), SourceType: "live",
		SourceProtocol: "http-flv", SourceUrls: []string{"https://origin.example.com/live/case.flv"},
		DstUrl: a.Dst("case"), RetryCount: 3, RetryInterval: 60,
	})
	if err != nil {
		t.Fatal(err)
	}
	if echoed, _ := a.Emulator.Task(id); echoed.TaskInfo.SourceProtocol != "HTTP-FLV" {
		t.Fatalf("the emulator echoes SourceProtocol %q, want HTTP-FLV", echoed.TaskInfo.SourceProtocol)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: a.Config(`
data "alilive_pull_to_push_task" "one" {
  id = "{{.id}}"
}

data "alilive_pull_to_push_tasks" "all" {}
`, alilivetest.Vars{"id": id}),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.alilive_pull_to_push_task.one", tfjsonpath.New("source_protocol"),
					knownvalue.StringExact("http-flv")),
				statecheck.ExpectKnownValue("data.alilive_pull_to_push_tasks.all", tfjsonpath.New("tasks").AtSliceIndex(0).AtMapKey("source_protocol"),
					knownvalue.StringExact("http-flv")),
			},
		}},
	})
}
