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
	"github.com/hashicorp/terraform-plugin-testing/terraform"

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
	ra := a.live("dsa").with("task_name", q("ds-relay"), "callback_url", q("http://127.0.0.1:9/ds"))
	rb := a.url("dsb").with("task_name", q("ds-relay"), "start_time", q(a.At(time.Hour)), "end_time", q(a.At(2*time.Hour)),
		"repeat_number", "-1", "file_index", "1", "offset", "3")
	rc := a.live("dsc").with("task_name", q("ds-relay-2"), "dst_url", q(a.Dst("dsa")+"2"), "enabled", "false")
	dep := "[alilive_pull_to_push_task.a, alilive_pull_to_push_task.b, alilive_pull_to_push_task.c]"
	cfg := a.config(
		block("resource", "alilive_pull_to_push_task", "a", ra),
		block("resource", "alilive_pull_to_push_task", "b", rb),
		block("resource", "alilive_pull_to_push_task", "c", rc),
		block("data", "alilive_pull_to_push_task", "a", hcl{"id": "alilive_pull_to_push_task.a.id"}),
		block("data", "alilive_pull_to_push_task", "b", hcl{"id": "alilive_pull_to_push_task.b.id", "region": q("cn-shanghai")}),
		block("data", "alilive_pull_to_push_tasks", "by_name", hcl{"task_name": q("ds-relay"), "depends_on": dep}),
		block("data", "alilive_pull_to_push_tasks", "by_dst", hcl{"dst_url": q(a.Dst("dsa")), "depends_on": dep}),
		block("data", "alilive_pull_to_push_tasks", "offline", hcl{"status": q("offline"), "depends_on": dep}),
		block("data", "alilive_pull_to_push_tasks", "idle_named", hcl{"status": q("idle"), "task_name": q("ds-relay"), "depends_on": dep}),
		block("data", "alilive_pull_to_push_tasks", "none", hcl{"task_name": q("no-such-name"), "depends_on": dep}),
		block("data", "alilive_pull_to_push_tasks", "all", hcl{"region": q("cn-shanghai"), "depends_on": dep}),
	)
	checks := []resource.TestCheckFunc{
		checkSameAttrs("data.alilive_pull_to_push_task.a", "alilive_pull_to_push_task.a"),
		checkSameAttrs("data.alilive_pull_to_push_task.b", "alilive_pull_to_push_task.b"),
		resource.TestCheckResourceAttr("data.alilive_pull_to_push_task.b", "source_urls.1", "https://media.example.com/dsb/b.flv"),
		checkListed("data.alilive_pull_to_push_tasks.by_name", "alilive_pull_to_push_task.a", "alilive_pull_to_push_task.b"),
		checkListed("data.alilive_pull_to_push_tasks.by_dst", "alilive_pull_to_push_task.a"),
		checkListed("data.alilive_pull_to_push_tasks.offline", "alilive_pull_to_push_task.c"),
		checkListed("data.alilive_pull_to_push_tasks.idle_named", "alilive_pull_to_push_task.b"),
		checkListed("data.alilive_pull_to_push_tasks.none"),
		resource.TestCheckResourceAttr("data.alilive_pull_to_push_tasks.all", "region", "cn-shanghai"),
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
			{Config: cfg, Check: resource.ComposeAggregateTestCheckFunc(append(checks, a.CheckTaskCount(3))...)},
			{
				Config: a.config(block("data", "alilive_pull_to_push_task", "missing", hcl{"id": q("no-such-task")})),
				ExpectError: alilivetest.MsgRegexp("Unable to Read Pull-to-Push Task",
					`The DescribeLivePullToPush call (reading pull-to-push task "no-such-task" in region "cn-shanghai") failed with error code "CodeTaskNotExist"`,
					`No task with this ID exists in region "cn-shanghai"`),
			},
			{
				Config:      a.config(block("data", "alilive_pull_to_push_tasks", "bad", hcl{"status": q("exited")})),
				ExpectError: regexp.MustCompile(regexp.QuoteMeta(`Attribute status value must be one of: ["idle" "running" "recovering"`)),
			},
			{
				Config:      a.config(block("data", "alilive_pull_to_push_task", "bad", hcl{"id": q("a b")})),
				ExpectError: regexp.MustCompile(`Attribute id must consist of 1 to 55 letters, digits, - and _, got: a b`),
			},
			{
				// Back to the valid configuration: nothing changed meanwhile.
				Config: cfg, Check: resource.ComposeAggregateTestCheckFunc(checks...),
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
			Config: a.config(
				block("data", "alilive_pull_to_push_tasks", "all", hcl{}),
				block("data", "alilive_pull_to_push_tasks", "odd", hcl{"task_name": q("odd")}),
				block("data", "alilive_pull_to_push_tasks", "beijing", hcl{"region": q("cn-beijing")}),
			),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.alilive_pull_to_push_tasks.all", "ids.#", "205"),
				resource.TestCheckResourceAttr("data.alilive_pull_to_push_tasks.all", "tasks.#", "205"),
				resource.TestCheckResourceAttr("data.alilive_pull_to_push_tasks.all", "region", "cn-shanghai"),
				resource.TestCheckResourceAttr("data.alilive_pull_to_push_tasks.odd", "ids.#", "102"),
				resource.TestCheckResourceAttr("data.alilive_pull_to_push_tasks.odd", "tasks.0.task_name", "odd"),
				resource.TestCheckResourceAttr("data.alilive_pull_to_push_tasks.odd", "tasks.101.status", "idle"),
				resource.TestCheckResourceAttr("data.alilive_pull_to_push_tasks.beijing", "ids.#", "1"),
				resource.TestCheckResourceAttr("data.alilive_pull_to_push_tasks.beijing", "tasks.0.source_type", "vod"),
				resource.TestCheckResourceAttr("data.alilive_pull_to_push_tasks.beijing", "tasks.0.repeat_number", "0"),
				resource.TestCheckNoResourceAttr("data.alilive_pull_to_push_tasks.beijing", "tasks.0.source_protocol"),
			),
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
			Config: a.config(
				block("data", "alilive_pull_to_push_task", "one", hcl{"id": q(id)}),
				block("data", "alilive_pull_to_push_tasks", "all", hcl{}),
			),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.alilive_pull_to_push_task.one", "source_protocol", "http-flv"),
				resource.TestCheckResourceAttr("data.alilive_pull_to_push_tasks.all", "tasks.0.source_protocol", "http-flv"),
			),
		}},
	})
}
