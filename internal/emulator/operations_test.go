package emulator_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	live "github.com/alibabacloud-go/live-20161101/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

func TestCreateDescribeDefaults(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := sdk(t, e)
	now := e.Now()
	id := create(t, c, createReq(now, "rtmp://push.example.com/app/a"))
	if len(id) != 36 || strings.Count(id, "-") != 4 {
		t.Fatalf("task ID %q is not UUID-shaped", id)
	}
	b := describe(t, c, id)
	if tea.Int32Value(b.RetCode) != 0 || tea.StringValue(b.Description) != "OK" || tea.StringValue(b.RequestId) == "" {
		t.Fatalf("envelope: %v", b)
	}
	if tea.StringValue(b.TaskId) != id || tea.Int32Value(b.TaskStatus) != 0 {
		t.Fatalf("id/status: %v", b)
	}
	if tea.StringValue(b.TaskInvalidReason) != "" || tea.StringValue(b.TaskExitReason) != "" || tea.Int32Value(b.TaskExitTime) != 0 {
		t.Fatalf("reasons: %v", b)
	}
	ti := b.TaskInfo
	want := map[string]any{
		"TaskId": id, "TaskName": "", "StartTime": fmtT(now.Add(time.Hour)), "EndTime": fmtT(now.Add(2 * time.Hour)),
		"SourceType": "live", "SourceProtocol": "RTMP", "DstUrl": "rtmp://push.example.com/app/a", "CallbackURL": "",
		"RepeatNumber": int32(0), "FileIndex": int32(0), "Offset": int32(0), "RetryCount": int32(3), "RetryInterval": int32(60),
	}
	got := map[string]any{
		"TaskId": tea.StringValue(ti.TaskId), "TaskName": tea.StringValue(ti.TaskName), "StartTime": tea.StringValue(ti.StartTime),
		"EndTime": tea.StringValue(ti.EndTime), "SourceType": tea.StringValue(ti.SourceType), "SourceProtocol": tea.StringValue(ti.SourceProtocol),
		"DstUrl": tea.StringValue(ti.DstUrl), "CallbackURL": tea.StringValue(ti.CallbackURL), "RepeatNumber": tea.Int32Value(ti.RepeatNumber),
		"FileIndex": tea.Int32Value(ti.FileIndex), "Offset": tea.Int32Value(ti.Offset), "RetryCount": tea.Int32Value(ti.RetryCount),
		"RetryInterval": tea.Int32Value(ti.RetryInterval),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("TaskInfo.%s = %v, want %v", k, got[k], v)
		}
	}
	if len(ti.SourceUrls) != 1 || tea.StringValue(ti.SourceUrls[0]) != "rtmp://src.example.com/app/stream" {
		t.Errorf("SourceUrls = %v", tea.StringSliceValue(ti.SourceUrls))
	}
	// Exactly the documented keys in the raw Describe body.
	raw, err := c.DescribeLivePullToPushWithContext(context.Background(), &live.DescribeLivePullToPushRequest{Region: tea.String(region), TaskId: tea.String(id)}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if raw.Headers["content-type"] == nil || !strings.HasPrefix(*raw.Headers["content-type"], "application/json") {
		t.Errorf("content-type %v", raw.Headers["content-type"])
	}
	reqID := tea.StringValue(raw.Body.RequestId)
	if !regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$`).MatchString(reqID) ||
		tea.StringValue(raw.Headers["x-acs-request-id"]) != reqID {
		t.Errorf("request ID %q, header %v", reqID, tea.StringValue(raw.Headers["x-acs-request-id"]))
	}
}

func TestCreateVodAllFieldsAndRawKeys(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := sdk(t, e)
	now := e.Now()
	req := &live.CreateLivePullToPushRequest{
		Region:        tea.String("cn-beijing"),
		TaskName:      tea.String("my task"),
		StartTime:     tea.String(fmtT(now.Add(-time.Minute))),
		EndTime:       tea.String(fmtT(now.Add(7 * 24 * time.Hour).Add(-time.Minute))),
		SourceType:    tea.String("url"),
		SourceUrls:    []*string{tea.String("http://a.example.com/x.mp4?a=1&b=2"), tea.String("https://b.example.com/y.flv")},
		DstUrl:        tea.String("rtmp://push.example.com/app/s?auth_key=1-0-0-abc"),
		CallbackUrl:   tea.String("https://cb.example.com/hook"),
		RepeatNumber:  tea.Int32(-1),
		FileIndex:     tea.Int32(1),
		Offset:        tea.Int32(5),
		RetryCount:    tea.Int32(0),
		RetryInterval: tea.Int32(300),
	}
	id := create(t, c, req)
	// StartTime in the past: running at once.
	task, ok := e.Task(id)
	if !ok {
		t.Fatal("task missing")
	}
	want := emulator.Task{
		TaskId: id, Region: "cn-beijing", TaskStatus: 1, CurrentFileIndex: 1, CurrentOffset: 5,
		TaskInfo: emulator.TaskInfo{
			TaskId: id, TaskName: "my task", StartTime: fmtT(now.Add(-time.Minute)), EndTime: fmtT(now.Add(7 * 24 * time.Hour).Add(-time.Minute)),
			SourceType: "url", SourceProtocol: "", SourceUrls: []string{"http://a.example.com/x.mp4?a=1&b=2", "https://b.example.com/y.flv"},
			DstUrl: "rtmp://push.example.com/app/s?auth_key=1-0-0-abc", CallbackURL: "https://cb.example.com/hook",
			RepeatNumber: -1, FileIndex: 1, Offset: 5, RetryCount: 0, RetryInterval: 300,
		},
	}
	gotJ, _ := json.Marshal(task)
	wantJ, _ := json.Marshal(want)
	if string(gotJ) != string(wantJ) {
		t.Fatalf("task:\n got %s\nwant %s", gotJ, wantJ)
	}
	// The raw Describe body has exactly the documented keys.
	resp, err := c.DescribeLivePullToPushWithContext(context.Background(), &live.DescribeLivePullToPushRequest{Region: tea.String("cn-beijing"), TaskId: tea.String(id)}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if tea.StringValue(resp.Body.TaskInfo.CallbackURL) != "https://cb.example.com/hook" {
		t.Fatalf("CallbackURL %v", resp.Body.TaskInfo.CallbackURL)
	}
	rawKeys := rawBody(t, e, "DescribeLivePullToPush", map[string]string{"Region": "cn-beijing", "TaskId": id})
	wantKeys := "CurrentFileIndex,CurrentOffset,Description,RequestId,RetCode,TaskExitReason,TaskExitTime,TaskId,TaskInfo,TaskInvalidReason,TaskStatus"
	if rawKeys != wantKeys {
		t.Fatalf("Describe keys %s, want %s", rawKeys, wantKeys)
	}
	listKeys := rawBody(t, e, "DescribeLivePullToPushList", map[string]string{"Region": "cn-beijing"})
	if listKeys != "PageNumber,PageSize,RequestId,TaskList,Total" {
		t.Fatalf("List keys %s", listKeys)
	}
}

func TestValidation(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := sdk(t, e)
	now := e.Now()
	long := "rtmp://push.example.com/" + strings.Repeat("a", 2000)
	cases := []struct {
		name string
		mod  func(r *live.CreateLivePullToPushRequest)
		code string
		msg  string
	}{
		{"missing Region", func(r *live.CreateLivePullToPushRequest) { r.Region = nil }, "MissingParameter", `The input parameter "Region" that is mandatory for processing this request is not supplied.`},
		{"missing StartTime", func(r *live.CreateLivePullToPushRequest) { r.StartTime = nil }, "MissingParameter", `The input parameter "StartTime" that is mandatory for processing this request is not supplied.`},
		{"missing EndTime", func(r *live.CreateLivePullToPushRequest) { r.EndTime = nil }, "MissingParameter", `The input parameter "EndTime" that is mandatory for processing this request is not supplied.`},
		{"missing SourceType", func(r *live.CreateLivePullToPushRequest) { r.SourceType = nil }, "MissingParameter", `The input parameter "SourceType" that is mandatory for processing this request is not supplied.`},
		{"missing SourceUrls", func(r *live.CreateLivePullToPushRequest) { r.SourceUrls = nil }, "MissingParameter", `The input parameter "SourceUrls" that is mandatory for processing this request is not supplied.`},
		{"missing DstUrl", func(r *live.CreateLivePullToPushRequest) { r.DstUrl = nil }, "MissingParameter", `The input parameter "DstUrl" that is mandatory for processing this request is not supplied.`},
		{"missing SourceProtocol for live", func(r *live.CreateLivePullToPushRequest) { r.SourceProtocol = nil }, "MissingParameter", `The input parameter "SourceProtocol" that is mandatory for processing this request is not supplied.`},
		{"bad Region", func(r *live.CreateLivePullToPushRequest) { r.Region = tea.String("us-west-1") }, "InvalidParameter", "The parameter Region must be one of ap-southeast-1, ap-southeast-5, cn-beijing, cn-shanghai, cn-shenzhen."},
		{"bad StartTime format", func(r *live.CreateLivePullToPushRequest) {
			r.StartTime = tea.String(now.Add(time.Hour).Format("2006-01-02 15:04:05"))
		}, "InvalidParameter", "The parameter StartTime must be a UTC time in the format yyyy-MM-ddTHH:mm:ssZ."},
		{"offset EndTime", func(r *live.CreateLivePullToPushRequest) {
			r.EndTime = tea.String(now.Add(2 * time.Hour).In(time.FixedZone("x", 3600)).Format(time.RFC3339))
		}, "InvalidParameter", "The parameter EndTime must be a UTC time in the format yyyy-MM-ddTHH:mm:ssZ."},
		{"bad SourceType", func(r *live.CreateLivePullToPushRequest) { r.SourceType = tea.String("file") }, "InvalidParameter", "The parameter SourceType must be one of live, vod, url."},
		{"bad SourceProtocol", func(r *live.CreateLivePullToPushRequest) { r.SourceProtocol = tea.String("RTMP") }, "InvalidParameter", "The parameter SourceProtocol must be one of rtmp, rtsp, srt, http-flv, flv."},
		{"live two urls", func(r *live.CreateLivePullToPushRequest) {
			r.SourceUrls = tea.StringSlice([]string{"rtmp://a.example.com/a/b", "rtmp://a.example.com/a/c"})
		}, "InvalidParameter", "The parameter SourceUrls must contain exactly 1 URL when SourceType is live."},
		{"live empty list", func(r *live.CreateLivePullToPushRequest) { r.SourceUrls = []*string{} }, "InvalidParameter", "The parameter SourceUrls must contain exactly 1 URL when SourceType is live."},
		{"live scheme mismatch", func(r *live.CreateLivePullToPushRequest) {
			r.SourceUrls = tea.StringSlice([]string{"http://a.example.com/a.flv"})
		}, "InvalidParameter", "The parameter SourceUrls must hold a rtmp:// URL with a host when SourceProtocol is rtmp; entry 1 is not."},
		{"live http-flv wants http", func(r *live.CreateLivePullToPushRequest) {
			r.SourceProtocol = tea.String("http-flv")
			r.SourceUrls = tea.StringSlice([]string{"rtmp://a.example.com/a"})
		}, "InvalidParameter", "The parameter SourceUrls must hold a http:// or https:// URL with a host when SourceProtocol is http-flv; entry 1 is not."},
		{"vod 31 ids", func(r *live.CreateLivePullToPushRequest) {
			r.SourceType = tea.String("vod")
			r.SourceUrls = tea.StringSlice(strings.Split(strings.Repeat("abc,", 31)[:4*31-1], ","))
		}, "InvalidParameter", "The parameter SourceUrls must contain 1 to 30 entries when SourceType is vod."},
		{"vod bad id", func(r *live.CreateLivePullToPushRequest) {
			r.SourceType = tea.String("vod")
			r.SourceUrls = tea.StringSlice([]string{"ok1", "http://x/y"})
		}, "InvalidParameter", "The parameter SourceUrls must hold ApsaraVideo VOD media IDs (1 to 64 letters, digits, '-' or '_') when SourceType is vod; entry 2 is not."},
		{"url empty", func(r *live.CreateLivePullToPushRequest) {
			r.SourceType = tea.String("url")
			r.SourceUrls = []*string{}
		}, "InvalidParameter", "The parameter SourceUrls must contain 1 to 30 entries when SourceType is url."},
		{"url rtmp", func(r *live.CreateLivePullToPushRequest) {
			r.SourceType = tea.String("url")
			r.SourceUrls = tea.StringSlice([]string{"rtmp://a.example.com/a"})
		}, "InvalidParameter", "The parameter SourceUrls must hold http:// or https:// URLs with a host when SourceType is url; entry 1 is not."},
		{"url too long", func(r *live.CreateLivePullToPushRequest) {
			r.SourceType = tea.String("url")
			r.SourceUrls = tea.StringSlice([]string{"http://a.example.com/" + strings.Repeat("x", 2000)})
		}, "InvalidParameter", "The parameter SourceUrls must hold entries of at most 2000 characters; entry 1 has 2021."},
		{"DstUrl not rtmp", func(r *live.CreateLivePullToPushRequest) { r.DstUrl = tea.String("http://push.example.com/a") }, "InvalidParameter", "The parameter DstUrl must be an rtmp:// URL with a host."},
		{"DstUrl too long", func(r *live.CreateLivePullToPushRequest) { r.DstUrl = tea.String(long) }, "InvalidParameter", "The parameter DstUrl must be at most 2000 characters long."},
		{"CallbackUrl not http", func(r *live.CreateLivePullToPushRequest) { r.CallbackUrl = tea.String("ftp://cb.example.com/") }, "InvalidParameter", "The parameter CallbackUrl must be an http:// or https:// URL with a host."},
		{"CallbackUrl too long", func(r *live.CreateLivePullToPushRequest) {
			r.CallbackUrl = tea.String("http://cb.example.com/" + strings.Repeat("a", 2000))
		}, "InvalidParameter", "The parameter CallbackUrl must be at most 2000 characters long."},
		{"EndTime before StartTime", func(r *live.CreateLivePullToPushRequest) { r.EndTime = tea.String(fmtT(now.Add(30 * time.Minute))) }, "InvalidParam.CodeIllegalDuration", "The parameter EndTime must be later than StartTime."},
		{"EndTime equal StartTime", func(r *live.CreateLivePullToPushRequest) { r.EndTime = r.StartTime }, "InvalidParam.CodeIllegalDuration", "The parameter EndTime must be later than StartTime."},
		{"EndTime in the past", func(r *live.CreateLivePullToPushRequest) {
			r.StartTime = tea.String(fmtT(now.Add(-2 * time.Hour)))
			r.EndTime = tea.String(fmtT(now.Add(-time.Hour)))
		}, "InvalidParam.CodeIllegalDuration", "The parameter EndTime must be later than the current time."},
		{"window over 7 days", func(r *live.CreateLivePullToPushRequest) {
			r.EndTime = tea.String(fmtT(now.Add(time.Hour + 7*24*time.Hour + time.Second)))
		}, "InvalidParam.CodeIllegalDuration", "The interval from StartTime to EndTime must not exceed 7 days."},
		{"RetryInterval 59", func(r *live.CreateLivePullToPushRequest) { r.RetryInterval = tea.Int32(59) }, "InvalidParameter", "The parameter RetryInterval must be an integer from 60 to 300 (seconds)."},
		{"RetryInterval 301", func(r *live.CreateLivePullToPushRequest) { r.RetryInterval = tea.Int32(301) }, "InvalidParameter", "The parameter RetryInterval must be an integer from 60 to 300 (seconds)."},
		{"RetryCount -1", func(r *live.CreateLivePullToPushRequest) { r.RetryCount = tea.Int32(-1) }, "InvalidParameter", "The parameter RetryCount must be an integer of at least 0."},
		{"RepeatNumber -2", func(r *live.CreateLivePullToPushRequest) { r.RepeatNumber = tea.Int32(-2) }, "InvalidParameter", "The parameter RepeatNumber must be an integer of at least -1."},
		{"RepeatNumber on live", func(r *live.CreateLivePullToPushRequest) { r.RepeatNumber = tea.Int32(2) }, "InvalidParameter", "The parameter RepeatNumber applies only when SourceType is vod or url; it must be 0 for live."},
		{"Offset on live", func(r *live.CreateLivePullToPushRequest) { r.Offset = tea.Int32(2) }, "InvalidParameter", "The parameter Offset applies only when SourceType is vod or url; it must be 0 for live."},
		{"Offset negative", func(r *live.CreateLivePullToPushRequest) { r.Offset = tea.Int32(-1) }, "InvalidParameter", "The parameter Offset must be an integer of at least 0 (seconds)."},
		{"FileIndex negative", func(r *live.CreateLivePullToPushRequest) { r.FileIndex = tea.Int32(-1) }, "InvalidParameter", "The parameter FileIndex must be an integer of at least 0."},
		{"FileIndex outside list", func(r *live.CreateLivePullToPushRequest) {
			r.SourceType = tea.String("vod")
			r.SourceUrls = tea.StringSlice([]string{"m1", "m2"})
			r.FileIndex = tea.Int32(2)
		}, "InvalidParameter", "The parameter FileIndex must be less than the number of SourceUrls (2)."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := createReq(now, "rtmp://push.example.com/app/v")
			tc.mod(req)
			_, err := c.CreateLivePullToPushWithContext(context.Background(), req, rt)
			sdkErrMsg(t, err, 400, tc.code, tc.msg)
		})
	}
	if n := len(e.Tasks()); n != 0 {
		t.Fatalf("%d tasks created by invalid requests", n)
	}
	// Accepted edge values.
	ok := []func(r *live.CreateLivePullToPushRequest){
		func(r *live.CreateLivePullToPushRequest) {
			r.EndTime = tea.String(fmtT(now.Add(time.Hour + 7*24*time.Hour)))
		},
		func(r *live.CreateLivePullToPushRequest) {
			r.RetryInterval = tea.Int32(60)
			r.RetryCount = tea.Int32(0)
		},
		func(r *live.CreateLivePullToPushRequest) {
			r.SourceProtocol = tea.String("srt")
			r.SourceUrls = tea.StringSlice([]string{"srt://a.example.com:9000?streamid=x"})
		},
		func(r *live.CreateLivePullToPushRequest) {
			r.SourceType = tea.String("vod")
			r.SourceProtocol = nil
			r.SourceUrls = tea.StringSlice(strings.Split(strings.Repeat("abc,", 30)[:4*30-1], ","))
			r.FileIndex = tea.Int32(29)
		},
	}
	for i, mod := range ok {
		req := createReq(now, "rtmp://push.example.com/app/ok"+string(rune('a'+i)))
		mod(req)
		if _, err := c.CreateLivePullToPushWithContext(context.Background(), req, rt); err != nil {
			t.Fatalf("accepted case %d: %v", i, err)
		}
	}
}

func TestListFiltersPaging(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := sdk(t, e)
	now := e.Now()
	var ids []string
	for i := range 5 {
		req := createReq(now, "rtmp://push.example.com/app/s"+string(rune('0'+i)))
		req.TaskName = tea.String([]string{"Alpha", "beta", "alphabet", "gamma", "ALPHA-2"}[i])
		ids = append(ids, create(t, c, req))
	}
	other := createReq(now, "rtmp://push.example.com/app/other")
	other.Region = tea.String("cn-beijing")
	create(t, c, other)
	list := func(r *live.DescribeLivePullToPushListRequest) (int32, []string) {
		t.Helper()
		if r.Region == nil {
			r.Region = tea.String(region)
		}
		resp, err := c.DescribeLivePullToPushListWithContext(context.Background(), r, rt)
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		var got []string
		for _, it := range resp.Body.TaskList {
			got = append(got, tea.StringValue(it.TaskId))
			if tea.StringValue(it.TaskInfo.TaskId) != tea.StringValue(it.TaskId) {
				t.Fatalf("TaskInfo.TaskId mismatch")
			}
		}
		return tea.Int32Value(resp.Body.Total), got
	}
	eq := func(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }
	if total, got := list(&live.DescribeLivePullToPushListRequest{}); total != 5 || !eq(got, ids) {
		t.Fatalf("all: %d %v", total, got)
	}
	if total, got := list(&live.DescribeLivePullToPushListRequest{TaskName: tea.String("alpha")}); total != 3 || !eq(got, []string{ids[0], ids[2], ids[4]}) {
		t.Fatalf("name filter: %d %v", total, got)
	}
	if total, got := list(&live.DescribeLivePullToPushListRequest{DstUrl: tea.String("app/s3")}); total != 1 || !eq(got, []string{ids[3]}) {
		t.Fatalf("dst filter: %d %v", total, got)
	}
	if total, got := list(&live.DescribeLivePullToPushListRequest{TaskId: tea.String(ids[1][4:20])}); total != 1 || !eq(got, []string{ids[1]}) {
		t.Fatalf("id filter: %d %v", total, got)
	}
	if total, got := list(&live.DescribeLivePullToPushListRequest{PageSize: tea.Int32(2), PageNumber: tea.Int32(2)}); total != 5 || !eq(got, ids[2:4]) {
		t.Fatalf("page 2: %d %v", total, got)
	}
	if total, got := list(&live.DescribeLivePullToPushListRequest{PageSize: tea.Int32(2), PageNumber: tea.Int32(4)}); total != 5 || len(got) != 0 {
		t.Fatalf("page 4: %d %v", total, got)
	}
	resp, err := c.DescribeLivePullToPushListWithContext(context.Background(), &live.DescribeLivePullToPushListRequest{Region: tea.String(region)}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if tea.Int32Value(resp.Body.PageNumber) != 1 || tea.Int32Value(resp.Body.PageSize) != 10 {
		t.Fatalf("defaults: %d %d", tea.Int32Value(resp.Body.PageNumber), tea.Int32Value(resp.Body.PageSize))
	}
	bad := []struct {
		req *live.DescribeLivePullToPushListRequest
		msg string
	}{
		{&live.DescribeLivePullToPushListRequest{PageSize: tea.Int32(0)}, "The parameter PageSize must be an integer from 1 to 100."},
		{&live.DescribeLivePullToPushListRequest{PageSize: tea.Int32(101)}, "The parameter PageSize must be an integer from 1 to 100."},
		{&live.DescribeLivePullToPushListRequest{PageNumber: tea.Int32(0)}, "The parameter PageNumber must be an integer of at least 1."},
		{&live.DescribeLivePullToPushListRequest{TaskId: tea.String(strings.Repeat("a", 56))}, "The parameter TaskId must be at most 55 characters of letters, digits, '_' or '-'."},
		{&live.DescribeLivePullToPushListRequest{TaskId: tea.String("a b")}, "The parameter TaskId must be at most 55 characters of letters, digits, '_' or '-'."},
	}
	for _, b := range bad {
		b.req.Region = tea.String(region)
		_, err := c.DescribeLivePullToPushListWithContext(context.Background(), b.req, rt)
		sdkErrMsg(t, err, 400, "InvalidParameter", b.msg)
	}
	_, err = c.DescribeLivePullToPushListWithContext(context.Background(), &live.DescribeLivePullToPushListRequest{}, rt)
	sdkErrMsg(t, err, 400, "MissingParameter", `The input parameter "Region" that is mandatory for processing this request is not supplied.`)
}

func TestDstURLConflictAndMaxTasks(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, MaxTasks: 2})
	c := sdk(t, e)
	now := e.Now()
	first := create(t, c, createReq(now, "rtmp://push.example.com/app/x"))
	_, err := c.CreateLivePullToPushWithContext(context.Background(), createReq(now, "rtmp://push.example.com/app/x"), rt)
	sdkErrMsg(t, err, 400, "CodeConfigAlreadyExists", "Code Config Already Exists: the parameter DstUrl is already used by task "+first+", which has not exited.")
	create(t, c, createReq(now, "rtmp://push.example.com/app/y"))
	_, err = c.CreateLivePullToPushWithContext(context.Background(), createReq(now, "rtmp://push.example.com/app/z"), rt)
	sdkErrMsg(t, err, 400, "CodeNotEnoughResource", "Exceeded configuration limits or insufficient resources: the account already has 2 tasks, the maximum allowed.")
	// After the first task exits, its DstUrl and its slot are free again.
	if _, err := c.DeleteLivePullToPushWithContext(context.Background(), &live.DeleteLivePullToPushRequest{Region: tea.String(region), TaskId: tea.String(first)}, rt); err != nil {
		t.Fatal(err)
	}
	create(t, c, createReq(now, "rtmp://push.example.com/app/x"))
}

func TestDefaultMaxTasks(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	for i := range emulator.DefaultMaxTasks {
		if _, err := e.AddTask("", emulator.TaskInfo{DstUrl: "rtmp://push.example.com/app/" + string(rune('a'+i%26)) + string(rune('a'+i/26))}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := sdk(t, e).CreateLivePullToPushWithContext(context.Background(), createReq(e.Now(), "rtmp://push.example.com/app/new"), rt)
	sdkErr(t, err, 400, "CodeNotEnoughResource")
}
