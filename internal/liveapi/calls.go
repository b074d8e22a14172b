package liveapi

import (
	"context"
	"fmt"
	"strings"
	"time"

	live "github.com/alibabacloud-go/live-20161101/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

func runtimeOpts() *dara.RuntimeOptions { return &dara.RuntimeOptions{} }

// callSDK makes one SDK call with a client from the pool and returns the
// client to the pool as soon as the call is done.
func callSDK[R any](c *Client, call func(*live.Client) (R, error)) (R, error) {
	sdk, err := c.sdkClient()
	if err != nil {
		var zero R
		return zero, err
	}
	defer c.sdk.Put(sdk)
	return call(sdk)
}

// acknowledged reads the answer of a call whose body carries only a
// request ID and, for some operations, a RetCode.
func acknowledged(op, taskID string, requestID *string, retCode *int32, desc *string) (string, error) {
	if err := retCodeError(op, taskID, retCode, desc, requestID); err != nil {
		return tea.StringValue(requestID), &retCodeFailure{err}
	}
	return tea.StringValue(requestID), nil
}

// retCodeError turns a non-zero RetCode in a 2xx body into an *APIError
// (the SDK treats such an answer as success).
func retCodeError(op, taskID string, retCode *int32, desc, requestID *string) error {
	if retCode == nil || *retCode == 0 {
		return nil
	}
	return &APIError{
		Operation: op, TaskID: taskID, Code: fmt.Sprintf("RetCode%d", *retCode), HTTPStatus: 200,
		RequestID: tea.StringValue(requestID), Message: tea.StringValue(desc),
	}
}

func strPtrs(in []string) []*string {
	out := make([]*string, len(in))
	for i := range in {
		out[i] = tea.String(in[i])
	}
	return out
}

// createRequest maps a Spec onto CreateLivePullToPush's parameters. Zero
// values of optional parameters that have a service default are left out.
func createRequest(spec Spec) *live.CreateLivePullToPushRequest {
	r := &live.CreateLivePullToPushRequest{
		Region:     tea.String(spec.Region),
		StartTime:  tea.String(FormatTime(spec.StartTime)),
		EndTime:    tea.String(FormatTime(spec.EndTime)),
		SourceType: tea.String(spec.SourceType),
		SourceUrls: strPtrs(spec.SourceURLs),
		DstUrl:     tea.String(spec.DstURL),
		RetryCount: tea.Int32(spec.RetryCount),
	}
	if spec.TaskName != "" {
		r.TaskName = tea.String(spec.TaskName)
	}
	if spec.SourceProtocol != "" {
		r.SourceProtocol = tea.String(strings.ToLower(spec.SourceProtocol))
	}
	if spec.CallbackURL != "" {
		r.CallbackUrl = tea.String(spec.CallbackURL)
	}
	if spec.RetryInterval != 0 {
		r.RetryInterval = tea.Int32(spec.RetryInterval)
	}
	if spec.SourceType != "live" || spec.RepeatNumber != 0 || spec.FileIndex != 0 || spec.Offset != 0 {
		r.RepeatNumber = tea.Int32(spec.RepeatNumber)
		r.FileIndex = tea.Int32(spec.FileIndex)
		r.Offset = tea.Int32(spec.Offset)
	}
	return r
}

// createOnce makes one CreateLivePullToPush call.
func (c *Client) createOnce(ctx context.Context, spec Spec, id *string) (string, error) {
	resp, err := callSDK(c, func(sdk *live.Client) (*live.CreateLivePullToPushResponse, error) {
		return sdk.CreateLivePullToPushWithContext(ctx, createRequest(spec), runtimeOpts())
	})
	if err != nil {
		return "", err
	}
	b := resp.Body
	if b == nil {
		return "", fmt.Errorf("%s returned an empty body", OpCreate)
	}
	if err := retCodeError(OpCreate, "", b.RetCode, b.Description, b.RequestId); err != nil {
		return tea.StringValue(b.RequestId), &retCodeFailure{err}
	}
	if tea.StringValue(b.TaskId) == "" {
		return tea.StringValue(b.RequestId), &retCodeFailure{&APIError{Operation: OpCreate, Code: "MissingTaskId",
			HTTPStatus: int(tea.Int32Value(resp.StatusCode)), RequestID: tea.StringValue(b.RequestId),
			Message: "the answer carries no TaskId"}}
	}
	*id = tea.StringValue(b.TaskId)
	return tea.StringValue(b.RequestId), nil
}

func (c *Client) describeOnce(ctx context.Context, region, id string, out **Task) (string, error) {
	resp, err := callSDK(c, func(sdk *live.Client) (*live.DescribeLivePullToPushResponse, error) {
		return sdk.DescribeLivePullToPushWithContext(ctx, &live.DescribeLivePullToPushRequest{
			Region: tea.String(region), TaskId: tea.String(id),
		}, runtimeOpts())
	})
	if err != nil {
		return "", err
	}
	b := resp.Body
	if b == nil {
		return "", fmt.Errorf("%s returned an empty body", OpDescribe)
	}
	rid := tea.StringValue(b.RequestId)
	if err := retCodeError(OpDescribe, id, b.RetCode, b.Description, b.RequestId); err != nil {
		return rid, &retCodeFailure{err}
	}
	t, err := taskFrom(region, b)
	if err != nil {
		return rid, &retCodeFailure{&APIError{Operation: OpDescribe, TaskID: id, Code: "InvalidResponse",
			HTTPStatus: int(tea.Int32Value(resp.StatusCode)), RequestID: rid, Message: err.Error()}}
	}
	if t.ID == "" {
		t.ID = id
	}
	*out = t
	return rid, nil
}

// listPage is one page of DescribeLivePullToPushList.
type listPage struct {
	tasks []Task
	total int
}

func (c *Client) listOnce(ctx context.Context, region string, f ListFilter, page int, out *listPage) (string, error) {
	req := &live.DescribeLivePullToPushListRequest{
		Region: tea.String(region), PageNumber: tea.Int32(int32(page)), PageSize: tea.Int32(listPageSize),
	}
	if f.TaskID != "" {
		req.TaskId = tea.String(f.TaskID)
	}
	if f.TaskName != "" {
		req.TaskName = tea.String(f.TaskName)
	}
	if f.DstURL != "" {
		req.DstUrl = tea.String(f.DstURL)
	}
	resp, err := callSDK(c, func(sdk *live.Client) (*live.DescribeLivePullToPushListResponse, error) {
		return sdk.DescribeLivePullToPushListWithContext(ctx, req, runtimeOpts())
	})
	if err != nil {
		return "", err
	}
	b := resp.Body
	if b == nil {
		return "", fmt.Errorf("%s returned an empty body", OpList)
	}
	rid := tea.StringValue(b.RequestId)
	p := listPage{total: int(tea.Int32Value(b.Total))}
	for _, e := range b.TaskList {
		if e == nil {
			continue
		}
		t, err := taskFrom(region, e)
		if err != nil {
			return rid, &retCodeFailure{&APIError{Operation: OpList, Code: "InvalidResponse",
				HTTPStatus: int(tea.Int32Value(resp.StatusCode)), RequestID: rid, Message: fmt.Sprintf("task %s: %s", t.ID, err)}}
		}
		p.tasks = append(p.tasks, *t)
	}
	*out = p
	return rid, nil
}

// sdkTaskInfo is the TaskInfo of Describe's answer and of a List entry:
// two SDK types with the same getters.
type sdkTaskInfo interface {
	GetTaskId() *string
	GetTaskName() *string
	GetStartTime() *string
	GetEndTime() *string
	GetSourceType() *string
	GetSourceProtocol() *string
	GetSourceUrls() []*string
	GetDstUrl() *string
	GetCallbackURL() *string
	GetRepeatNumber() *int32
	GetFileIndex() *int32
	GetOffset() *int32
	GetRetryCount() *int32
	GetRetryInterval() *int32
}

// sdkTask is Describe's answer body or one List entry, whose TaskInfo is a
// *I.
type sdkTask[I any, P interface {
	*I
	sdkTaskInfo
}] interface {
	GetTaskId() *string
	GetTaskStatus() *int32
	GetTaskInvalidReason() *string
	GetTaskExitReason() *string
	GetTaskExitTime() *int32
	GetCurrentFileIndex() *int32
	GetCurrentOffset() *int32
	GetTaskInfo() P
}

// taskFrom maps Describe's body or a List entry onto a Task. On an error
// the Task still carries the ID, for the caller's message.
func taskFrom[I any, P interface {
	*I
	sdkTaskInfo
}](region string, b sdkTask[I, P]) (*Task, error) {
	t := &Task{
		ID:               tea.StringValue(b.GetTaskId()),
		Status:           tea.Int32Value(b.GetTaskStatus()),
		InvalidReason:    tea.StringValue(b.GetTaskInvalidReason()),
		ExitReason:       tea.StringValue(b.GetTaskExitReason()),
		ExitTime:         tea.Int32Value(b.GetTaskExitTime()),
		CurrentFileIndex: tea.Int32Value(b.GetCurrentFileIndex()),
		CurrentOffset:    tea.Int32Value(b.GetCurrentOffset()),
		Spec:             Spec{Region: region},
	}
	if i := b.GetTaskInfo(); i != nil {
		if t.ID == "" {
			t.ID = tea.StringValue(i.GetTaskId())
		}
		if err := fillSpec(&t.Spec, specFields{
			name: i.GetTaskName(), start: i.GetStartTime(), end: i.GetEndTime(), srcType: i.GetSourceType(),
			proto: i.GetSourceProtocol(), urls: i.GetSourceUrls(), dst: i.GetDstUrl(), callback: i.GetCallbackURL(),
			repeat: i.GetRepeatNumber(), fileIndex: i.GetFileIndex(), offset: i.GetOffset(), retryCount: i.GetRetryCount(),
			retryInterval: i.GetRetryInterval(),
		}); err != nil {
			return t, err
		}
	}
	return t, nil
}

// specFields are TaskInfo's fields, common to Describe and List.
type specFields struct {
	name, start, end, srcType, proto, dst, callback *string
	urls                                            []*string
	repeat, fileIndex, offset, retryCount           *int32
	retryInterval                                   *int32
}

func fillSpec(s *Spec, f specFields) error {
	s.TaskName = tea.StringValue(f.name)
	s.SourceType = strings.ToLower(tea.StringValue(f.srcType))
	// Describe echoes the protocol in upper case ("RTMP"); the client
	// reports it in lower case, as it is written in a request.
	s.SourceProtocol = strings.ToLower(tea.StringValue(f.proto))
	s.DstURL = tea.StringValue(f.dst)
	s.CallbackURL = tea.StringValue(f.callback)
	s.RepeatNumber = tea.Int32Value(f.repeat)
	s.FileIndex = tea.Int32Value(f.fileIndex)
	s.Offset = tea.Int32Value(f.offset)
	s.RetryCount = tea.Int32Value(f.retryCount)
	s.RetryInterval = tea.Int32Value(f.retryInterval)
	s.SourceURLs = make([]string, 0, len(f.urls))
	for _, u := range f.urls {
		s.SourceURLs = append(s.SourceURLs, tea.StringValue(u))
	}
	var err error
	if s.StartTime, err = parseTime("StartTime", f.start); err != nil {
		return err
	}
	if s.EndTime, err = parseTime("EndTime", f.end); err != nil {
		return err
	}
	return nil
}

// parseTime reads the service's time format (any RFC 3339 spelling is
// accepted); an absent value is the zero time.
func parseTime(field string, v *string) (time.Time, error) {
	if v == nil || *v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, *v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q is not an RFC 3339 time", field, *v)
	}
	return t.UTC(), nil
}

func (c *Client) updateOnce(ctx context.Context, in UpdateInput) (string, error) {
	req := &live.UpdateLivePullToPushRequest{Region: tea.String(in.Region), TaskId: tea.String(in.TaskID)}
	if in.StartTime != nil {
		req.StartTime = tea.String(FormatTime(*in.StartTime))
	}
	if in.EndTime != nil {
		req.EndTime = tea.String(FormatTime(*in.EndTime))
	}
	if in.SourceURLs != nil {
		req.SourceUrls = strPtrs(in.SourceURLs)
	}
	req.RepeatNumber, req.FileIndex, req.Offset = in.RepeatNumber, in.FileIndex, in.Offset
	if in.CallbackURL != nil {
		req.CallbackUrl = tea.String(*in.CallbackURL)
	}
	resp, err := callSDK(c, func(sdk *live.Client) (*live.UpdateLivePullToPushResponse, error) {
		return sdk.UpdateLivePullToPushWithContext(ctx, req, runtimeOpts())
	})
	if err != nil || resp.Body == nil {
		return "", err
	}
	return acknowledged(OpUpdate, in.TaskID, resp.Body.RequestId, resp.Body.RetCode, resp.Body.Description)
}

func (c *Client) stopOnce(ctx context.Context, region, id string) (string, error) {
	resp, err := callSDK(c, func(sdk *live.Client) (*live.StopLivePullToPushResponse, error) {
		return sdk.StopLivePullToPushWithContext(ctx, &live.StopLivePullToPushRequest{
			Region: tea.String(region), TaskId: tea.String(id),
		}, runtimeOpts())
	})
	if err != nil || resp.Body == nil {
		return "", err
	}
	return acknowledged(OpStop, id, resp.Body.RequestId, nil, nil)
}

// restartOnce makes one RestartLivePullToPush call and stores the TaskId
// it answers (the task's ID from now on) in newID.
func (c *Client) restartOnce(ctx context.Context, region, id string, newID *string) (string, error) {
	resp, err := callSDK(c, func(sdk *live.Client) (*live.RestartLivePullToPushResponse, error) {
		return sdk.RestartLivePullToPushWithContext(ctx, &live.RestartLivePullToPushRequest{
			Region: tea.String(region), TaskId: tea.String(id),
		}, runtimeOpts())
	})
	if err != nil || resp.Body == nil {
		return "", err
	}
	if v := tea.StringValue(resp.Body.TaskId); v != "" {
		*newID = v
	}
	return acknowledged(OpRestart, id, resp.Body.RequestId, nil, nil)
}

func (c *Client) deleteOnce(ctx context.Context, region, id string) (string, error) {
	resp, err := callSDK(c, func(sdk *live.Client) (*live.DeleteLivePullToPushResponse, error) {
		return sdk.DeleteLivePullToPushWithContext(ctx, &live.DeleteLivePullToPushRequest{
			Region: tea.String(region), TaskId: tea.String(id),
		}, runtimeOpts())
	})
	if err != nil || resp.Body == nil {
		return "", err
	}
	return acknowledged(OpDelete, id, resp.Body.RequestId, resp.Body.RetCode, resp.Body.Description)
}
