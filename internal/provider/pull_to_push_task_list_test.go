package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	fwlist "github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// skipBelowQuery skips a test on a Terraform without terraform query
// (before 1.14); the skip message names the version.
var skipBelowQuery = []tfversion.TerraformVersionCheck{
	alilivetest.NotOnOpenTofu("OpenTofu has no list resources or terraform query (checked with 1.11.0 and 1.12.6)"),
	tfversion.SkipBelow(tfversion.Version1_14_0)}

// queryCheck is a query check written as a function.
type queryCheck func(querycheck.CheckQueryRequest) error

// CheckQuery implements querycheck.QueryResultCheck.
func (f queryCheck) CheckQuery(_ context.Context, req querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	resp.Error = f(req)
}

// listCalls checks how many DescribeLivePullToPushList calls the
// emulator answered since the last reset (and that nothing else was
// called).
func (a *ptpAcc) listCalls(want int) queryCheck {
	return func(querycheck.CheckQueryRequest) error {
		got := a.Emulator.Stats().Calls
		if got[liveapi.OpList] != want || len(got) != 1 {
			return fmt.Errorf("emulator calls = %v, want %d of %s and nothing else", got, want, liveapi.OpList)
		}
		return nil
	}
}

// listedIDs checks the IDs a list block found, in order.
func listedIDs(address string, want []string) queryCheck {
	return func(req querycheck.CheckQueryRequest) error {
		var got []string
		for _, r := range req.Query {
			if strings.TrimPrefix(r.Address, "list.") == address {
				id, _ := r.Identity["id"].(string)
				got = append(got, id)
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			return fmt.Errorf("%s listed %v, want %v", address, got, want)
		}
		return nil
	}
}

// consoleTasks are tasks made outside Terraform: the emulator's IDs, in
// the order the service lists them.
type consoleTasks struct {
	ids                           []string
	news, running, sports, newsUp []string // IDs per filter of the test
}

// addConsoleTasks makes n tasks in cn-shanghai directly in the emulator,
// as the console would: every tenth is named "Evening News NNN", the
// others "Sports NNN"; the first 50 push to .../sports/..., the others to
// .../live/...; every fourth has started (running), the others are idle.
func addConsoleTasks(t *testing.T, a *ptpAcc, n int) consoleTasks {
	t.Helper()
	var c consoleTasks
	for i := range n {
		name, dir, start := fmt.Sprintf("Sports %03d", i), "live", a.At(time.Hour)
		if i%10 == 0 {
			name = fmt.Sprintf("Evening News %03d", i)
		}
		if i < 50 {
			dir = "sports"
		}
		if i%4 == 0 {
			start = a.At(-time.Minute)
		}
		id, err := a.Emulator.AddTask("cn-shanghai", emulator.TaskInfo{
			TaskName: name, StartTime: start, EndTime: a.At(5 * time.Hour), SourceType: "live", SourceProtocol: "rtmp",
			SourceUrls: []string{fmt.Sprintf("rtmp://origin.example.com/live/%d", i)},
			DstUrl:     fmt.Sprintf("rtmp://push.example.com/%s/%s-%d", dir, a.Suffix, i), RetryCount: 3, RetryInterval: 60,
		})
		if err != nil {
			t.Fatal(err)
		}
		c.ids = append(c.ids, id)
		if i%10 == 0 {
			c.news = append(c.news, id)
		}
		if i%4 == 0 {
			c.running = append(c.running, id)
		}
		if i < 50 {
			c.sports = append(c.sports, id)
		}
		if i%20 == 0 {
			c.newsUp = append(c.newsUp, id)
		}
	}
	return c
}

// listBlock renders a list block of the provider's list resource with
// the given arguments (HCL lines) and config body.
func listBlock(name, args, config string) string {
	return fmt.Sprintf("list \"alilive_pull_to_push_task\" %q {\n  provider = alilive\n%s\n  config {\n%s\n  }\n}\n",
		name, args, config)
}

// TestAccPullToPushTaskList_consoleTasks lists 250 tasks made outside
// Terraform (three pages of the list operation) with terraform query:
// all of them in three calls, each filter (the service's fuzzy task_name
// and dst_url, status, region), the query's limit (one call for five
// tasks), display names and identities, and a task that has ended left
// out.
func TestAccPullToPushTaskList_consoleTasks(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	c := addConsoleTasks(t, a, 250)
	// A task whose window ends in two minutes; the clock then moves past it.
	ended, err := a.Emulator.AddTask("cn-shanghai", emulator.TaskInfo{
		TaskName: "Evening News ended", StartTime: a.At(-time.Minute), EndTime: a.At(2 * time.Minute),
		SourceType: "live", SourceProtocol: "rtmp", SourceUrls: []string{"rtmp://origin.example.com/live/ended"},
		DstUrl: a.Dst("ended"), RetryCount: 3, RetryInterval: 60,
	})
	if err != nil {
		t.Fatal(err)
	}
	a.Emulator.Advance(3 * time.Minute)
	// In another live center: a task without a name whose destination
	// carries an auth_key, and one with a name.
	unnamed, err := a.Emulator.AddTask("cn-beijing", emulator.TaskInfo{
		StartTime: a.At(time.Hour), EndTime: a.At(2 * time.Hour), SourceType: "url",
		SourceUrls: []string{"https://media.example.com/a.mp4"},
		DstUrl:     "rtmp://push.example.com/live/" + a.Suffix + "-bj?auth_key=1700000000-0-0-0123456789abcdef",
		RetryCount: 3, RetryInterval: 60,
	})
	if err != nil {
		t.Fatal(err)
	}
	named, err := a.Emulator.AddTask("cn-beijing", emulator.TaskInfo{
		TaskName: "Beijing playlist", StartTime: a.At(time.Hour), EndTime: a.At(2 * time.Hour), SourceType: "vod",
		SourceUrls: []string{"m1", "m2"}, DstUrl: a.Dst("bj2"), CallbackURL: "http://127.0.0.1:9/cb",
		RepeatNumber: -1, FileIndex: 1, Offset: 30, RetryCount: 5, RetryInterval: 120,
	})
	if err != nil {
		t.Fatal(err)
	}
	byID := func(region, id string) queryfilter.QueryFilter {
		return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
			"region": knownvalue.StringExact(region), "id": knownvalue.StringExact(id),
		})
	}
	provider := a.Provider
	tfresource.Test(t, tfresource.TestCase{
		TerraformVersionChecks:   skipBelowQuery,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				PreConfig: a.ResetStats,
				Query:     true,
				Config:    provider + listBlock("all", "  limit = 1000", ""),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("alilive_pull_to_push_task.all", 250),
					listedIDs("alilive_pull_to_push_task.all", c.ids),
					a.listCalls(3),
					querycheck.ExpectIdentity("alilive_pull_to_push_task.all", map[string]knownvalue.Check{
						"region": knownvalue.StringExact("cn-shanghai"), "id": knownvalue.StringExact(c.ids[249]),
					}),
					querycheck.ExpectResourceDisplayName("alilive_pull_to_push_task.all", byID("cn-shanghai", c.ids[10]),
						knownvalue.StringExact(fmt.Sprintf("Evening News 010 (cn-shanghai, %s)", c.ids[10]))),
					queryCheck(func(req querycheck.CheckQueryRequest) error {
						for _, r := range req.Query {
							if r.Identity["id"] == ended {
								return fmt.Errorf("the ended task %s was listed", ended)
							}
						}
						return nil
					}),
				},
			},
			{
				PreConfig: a.ResetStats,
				Query:     true,
				Config:    provider + listBlock("five", "  limit = 5", ""),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("alilive_pull_to_push_task.five", 5),
					listedIDs("alilive_pull_to_push_task.five", c.ids[:5]),
					a.listCalls(1),
				},
			},
			{
				Query: true,
				Config: provider +
					listBlock("news", "  limit = 1000", `    task_name = "news"`) +
					listBlock("running", "  limit = 1000", `    status = "running"`) +
					listBlock("sports", "  limit = 1000", `    dst_url = "push.example.com/sports/"`) +
					listBlock("news_running", "  limit = 1000", "    task_name = \"Evening News\"\n    status = \"running\"") +
					listBlock("idle_beijing", "", "    region = \"cn-beijing\"\n    status = \"idle\""),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("alilive_pull_to_push_task.news", 25),
					listedIDs("alilive_pull_to_push_task.news", c.news),
					querycheck.ExpectLength("alilive_pull_to_push_task.running", 63),
					listedIDs("alilive_pull_to_push_task.running", c.running),
					querycheck.ExpectLength("alilive_pull_to_push_task.sports", 50),
					listedIDs("alilive_pull_to_push_task.sports", c.sports),
					querycheck.ExpectLength("alilive_pull_to_push_task.news_running", 13),
					listedIDs("alilive_pull_to_push_task.news_running", c.newsUp),
					querycheck.ExpectLength("alilive_pull_to_push_task.idle_beijing", 2),
					querycheck.ExpectIdentity("alilive_pull_to_push_task.idle_beijing", map[string]knownvalue.Check{
						"region": knownvalue.StringExact("cn-beijing"), "id": knownvalue.StringExact(unnamed),
					}),
					// No name: the destination without its query string (the auth_key).
					querycheck.ExpectResourceDisplayName("alilive_pull_to_push_task.idle_beijing", byID("cn-beijing", unnamed),
						knownvalue.StringExact(fmt.Sprintf("rtmp://push.example.com/live/%s-bj (cn-beijing, %s)", a.Suffix, unnamed))),
					querycheck.ExpectResourceDisplayName("alilive_pull_to_push_task.idle_beijing", byID("cn-beijing", named),
						knownvalue.StringExact(fmt.Sprintf("Beijing playlist (cn-beijing, %s)", named))),
				},
			},
			{
				// include_resource: every attribute, as a refresh after import records it.
				Query: true,
				Config: provider + listBlock("full", "  include_resource = true",
					"    region    = \"cn-beijing\"\n    task_name = \"playlist\""),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("alilive_pull_to_push_task.full", 1),
					querycheck.ExpectResourceKnownValues("alilive_pull_to_push_task.full", byID("cn-beijing", named),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(named)},
							{Path: tfjsonpath.New("region"), KnownValue: knownvalue.StringExact("cn-beijing")},
							{Path: tfjsonpath.New("task_name"), KnownValue: knownvalue.StringExact("Beijing playlist")},
							{Path: tfjsonpath.New("start_time"), KnownValue: knownvalue.StringExact(a.At(time.Hour))},
							{Path: tfjsonpath.New("end_time"), KnownValue: knownvalue.StringExact(a.At(2 * time.Hour))},
							{Path: tfjsonpath.New("source_type"), KnownValue: knownvalue.StringExact("vod")},
							{Path: tfjsonpath.New("source_protocol"), KnownValue: knownvalue.Null()},
							{Path: tfjsonpath.New("source_urls"), KnownValue: knownvalue.ListExact([]knownvalue.Check{
								knownvalue.StringExact("m1"), knownvalue.StringExact("m2"),
							})},
							{Path: tfjsonpath.New("dst_url"), KnownValue: knownvalue.StringExact(a.Dst("bj2"))},
							{Path: tfjsonpath.New("callback_url"), KnownValue: knownvalue.StringExact("http://127.0.0.1:9/cb")},
							{Path: tfjsonpath.New("repeat_number"), KnownValue: knownvalue.Int64Exact(-1)},
							{Path: tfjsonpath.New("file_index"), KnownValue: knownvalue.Int64Exact(1)},
							{Path: tfjsonpath.New("offset"), KnownValue: knownvalue.Int64Exact(30)},
							{Path: tfjsonpath.New("retry_count"), KnownValue: knownvalue.Int64Exact(5)},
							{Path: tfjsonpath.New("retry_interval"), KnownValue: knownvalue.Int64Exact(120)},
							{Path: tfjsonpath.New("enabled"), KnownValue: knownvalue.Bool(true)},
							{Path: tfjsonpath.New("status"), KnownValue: knownvalue.StringExact("idle")},
							{Path: tfjsonpath.New("invalid_reason"), KnownValue: knownvalue.Null()},
							{Path: tfjsonpath.New("timeouts"), KnownValue: knownvalue.Null()},
						}),
				},
			},
			{
				Query:       true,
				Config:      provider + listBlock("bad", "", `    status = "stopped"`),
				ExpectError: regexp.MustCompile(`value must be one of: \["idle" "running" "recovering" "offline"\]`),
			},
		},
	})
}

// TestTaskDisplayName pins the names terraform query shows: the task's
// name, or its destination without query string, fragment or user info
// (an auth_key or a password never shows), then live center and ID.
func TestTaskDisplayName(t *testing.T) {
	for _, c := range []struct{ name, dst, want string }{
		{"Evening news", "rtmp://push.example.com/live/a?auth_key=1-0-0-x", "Evening news (cn-shanghai, T1)"},
		{"", "rtmp://push.example.com/live/a?auth_key=1-0-0-x", "rtmp://push.example.com/live/a (cn-shanghai, T1)"},
		{"  ", "rtmp://user:secret@push.example.com/live/a#x", "rtmp://push.example.com/live/a (cn-shanghai, T1)"},
		{"", "rtmp://push.example.com/%zz?auth_key=k", "rtmp://push.example.com/%zz (cn-shanghai, T1)"},
	} {
		task := &liveapi.Task{ID: "T1", Spec: liveapi.Spec{Region: "cn-shanghai", TaskName: c.name, DstURL: c.dst}}
		if got := taskDisplayName(task); got != c.want {
			t.Errorf("taskDisplayName(%q, %q) = %q, want %q", c.name, c.dst, got, c.want)
		}
	}
}

// listDirect runs the list resource's List outside Terraform against an
// emulator with n console-made tasks and the given faults, with a
// consumer that never stops early: the list resource alone must honour
// limit.
func listDirect(t *testing.T, n int, faults string, limit int64) (results []fwlist.ListResult, e *emulator.Server) {
	t.Helper()
	ctx := context.Background()
	e = alilivetest.StartEmulator(t, emulator.Options{QPS: -1})
	addConsoleTasks(t, &ptpAcc{&alilivetest.Env{T: t, Emulator: e, Now: e.Now().UTC().Truncate(time.Second), Suffix: "direct"}}, n)
	if err := e.SetFaults(faults); err != nil {
		t.Fatal(err)
	}
	c := emulatorTestClient(t, e, 1)
	l := &pullToPushTaskListResource{client: c}
	var ls fwlist.ListResourceSchemaResponse
	l.ListResourceConfigSchema(ctx, fwlist.ListResourceSchemaRequest{}, &ls)
	var rs resource.SchemaResponse
	NewPullToPushTaskResource().Schema(ctx, resource.SchemaRequest{}, &rs)
	var is resource.IdentitySchemaResponse
	(&pullToPushTaskResource{}).IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &is)
	null := tftypes.NewValue(tftypes.String, nil)
	cfg := tfsdk.Config{Schema: ls.Schema, Raw: tftypes.NewValue(ls.Schema.Type().TerraformType(ctx),
		map[string]tftypes.Value{"region": null, "task_name": null, "dst_url": null, "status": null})}
	e.ResetStats()
	var stream fwlist.ListResultsStream
	l.List(ctx, fwlist.ListRequest{Config: cfg, Limit: limit, IncludeResource: true,
		ResourceSchema: rs.Schema, ResourceIdentitySchema: is.IdentitySchema}, &stream)
	for r := range stream.Results {
		results = append(results, r)
	}
	return results, e
}

// TestPullToPushTaskList_limit checks that the list resource stops at the
// query's limit by itself, reading only the pages it needs.
func TestPullToPushTaskList_limit(t *testing.T) {
	for _, c := range []struct {
		limit      int64
		want, list int
	}{{5, 5, 1}, {100, 100, 1}, {101, 101, 2}, {1000, 250, 3}} {
		results, e := listDirect(t, 250, "", c.limit)
		for _, r := range results {
			if r.Diagnostics.HasError() {
				t.Fatalf("limit %d: %v", c.limit, r.Diagnostics)
			}
		}
		if got := e.Stats().Calls[liveapi.OpList]; len(results) != c.want || got != c.list {
			t.Errorf("limit %d: %d results in %d List calls, want %d in %d", c.limit, len(results), got, c.want, c.list)
		}
	}
}

// TestPullToPushTaskList_error checks that a page that fails ends the
// stream with an error naming the call and how far the listing came.
func TestPullToPushTaskList_error(t *testing.T) {
	results, _ := listDirect(t, 150, "op=list,kinds=internal,nth=2,3,4,5", 1000)
	if len(results) != 101 {
		t.Fatalf("%d results, want the 100 tasks of the first page and one error", len(results))
	}
	last := results[100].Diagnostics
	if !last.HasError() || last[0].Summary() != "Unable to List Pull-to-Push Tasks" ||
		!strings.Contains(last[0].Detail(), `The DescribeLivePullToPushList call (listing tasks in region "cn-shanghai") failed`) ||
		!strings.Contains(last[0].Detail(), "100 tasks were listed before the error.") {
		t.Fatalf("last result: %v", last)
	}
}
