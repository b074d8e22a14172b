package emulator_test

import (
	"context"
	"testing"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/models"
	live "github.com/alibabacloud-go/live-20161101/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// callOp calls one operation with only the given Region and TaskId.
func callOp(c *live.Client, op string, region, taskID *string) error {
	ctx := context.Background()
	var err error
	switch op {
	case "Describe":
		_, err = c.DescribeLivePullToPushWithContext(ctx, &live.DescribeLivePullToPushRequest{Region: region, TaskId: taskID}, rt)
	case "Stop":
		_, err = c.StopLivePullToPushWithContext(ctx, &live.StopLivePullToPushRequest{Region: region, TaskId: taskID}, rt)
	case "Restart":
		_, err = c.RestartLivePullToPushWithContext(ctx, &live.RestartLivePullToPushRequest{Region: region, TaskId: taskID}, rt)
	case "Delete":
		_, err = c.DeleteLivePullToPushWithContext(ctx, &live.DeleteLivePullToPushRequest{Region: region, TaskId: taskID}, rt)
	case "Update":
		_, err = c.UpdateLivePullToPushWithContext(ctx, &live.UpdateLivePullToPushRequest{Region: region, TaskId: taskID}, rt)
	case "List":
		_, err = c.DescribeLivePullToPushListWithContext(ctx, &live.DescribeLivePullToPushListRequest{Region: region, TaskId: taskID}, rt)
	}
	return err
}

func TestCommonParameters(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	c := sdk(t, e)
	id := create(t, c, createReq(e.Now(), "rtmp://push.example.com/app/p"))
	missing := func(p string) string {
		return `The input parameter "` + p + `" that is mandatory for processing this request is not supplied.`
	}
	for _, op := range []string{"Describe", "Stop", "Restart", "Delete", "Update"} {
		t.Run(op, func(t *testing.T) {
			sdkErrMsg(t, callOp(c, op, nil, tea.String(id)), 400, "MissingParameter", missing("Region"))
			sdkErrMsg(t, callOp(c, op, tea.String(region), nil), 400, "MissingParameter", missing("TaskId"))
			sdkErrMsg(t, callOp(c, op, tea.String("cn-hangzhou"), tea.String(id)), 400, "InvalidParameter",
				"The parameter Region must be one of ap-southeast-1, ap-southeast-5, cn-beijing, cn-shanghai, cn-shenzhen.")
			sdkErrMsg(t, callOp(c, op, tea.String(region), tea.String("no-such-task")), 400, "CodeTaskNotExist", "Task does not exist.")
		})
	}
	sdkErrMsg(t, callOp(c, "List", tea.String("preregion"), nil), 400, "InvalidParameter",
		"The parameter Region must be one of ap-southeast-1, ap-southeast-5, cn-beijing, cn-shanghai, cn-shenzhen.")
	// The task is untouched by all of the above.
	wantStatus(t, c, id, 0, "")
}

func TestActionAndVersionThroughSDK(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1})
	withHeader := func(k, v string) *live.Client {
		cfg := config(e)
		cfg.GlobalParameters = &openapiutil.GlobalParameters{Headers: map[string]*string{k: tea.String(v)}}
		return newClient(t, cfg)
	}
	sdkErrMsg(t, describeMissing(withHeader("x-acs-version", "2014-01-01")), 400, "InvalidVersion", "Specified parameter Version is not valid.")
	sdkErrMsg(t, describeMissing(withHeader("x-acs-action", "DescribeLiveStreamsOnlineList")), 404, "InvalidAction.NotFound",
		"Specified api is not found, please check your url and method.")
	// Unknown actions are not counted per operation.
	if st := e.Stats(); st.TotalCalls() != 1 || st.Calls["DescribeLivePullToPush"] != 1 {
		t.Fatalf("stats %+v", st)
	}
}
