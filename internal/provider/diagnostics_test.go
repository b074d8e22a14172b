package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// TestAPIErrorDetailAccount pins the advice for RAM denials and account
// conditions, and that the operation named is the one that failed.
func TestAPIErrorDetailAccount(t *testing.T) {
	read := taskCall("DescribeLivePullToPush", "reading", "t-1", "cn-shanghai")
	generic := "Correct the cause (credentials, permissions) and refresh again."
	denied := func(op string) *liveapi.APIError {
		return &liveapi.APIError{Operation: op, Code: "Forbidden.RAM", HTTPStatus: 403, RequestID: "R-1",
			Message: "User not authorized to operate on the specified resource, or this API doesn't support RAM."}
	}
	for _, tc := range []struct {
		name string
		call apiCall
		err  error
		want string
	}{
		{"a read served by a denied list names the list", read, denied(liveapi.OpList),
			`The DescribeLivePullToPushList call (reading pull-to-push task "t-1" in region "cn-shanghai") failed ` +
				`with error code "Forbidden.RAM" (HTTP status 403, request ID "R-1"): User not authorized to operate ` +
				`on the specified resource, or this API doesn't support RAM. The state was left unchanged. The ` +
				`credentials are not allowed to call DescribeLivePullToPushList: add the RAM action ` +
				`live:DescribeLivePullToPushList to the RAM policy of the user or role they belong to (the provider ` +
				`documentation lists the actions each resource and data source needs), then try again.`},
		{"a denied Describe", read, fmt.Errorf("wrapped: %w", denied(liveapi.OpDescribe)),
			`The DescribeLivePullToPush call (reading pull-to-push task "t-1" in region "cn-shanghai") failed with ` +
				`error code "Forbidden.RAM" (HTTP status 403, request ID "R-1"): User not authorized to operate on ` +
				`the specified resource, or this API doesn't support RAM. The state was left unchanged. The ` +
				`credentials are not allowed to call DescribeLivePullToPush: add the RAM action ` +
				`live:DescribeLivePullToPush to the RAM policy of the user or role they belong to (the provider ` +
				`documentation lists the actions each resource and data source needs), then try again.`},
		{"no live domain", read, &liveapi.APIError{Operation: liveapi.OpDescribe, Code: "CodeInvalidAliUid",
			HTTPStatus: 400, RequestID: "R-2", Message: "This aliuid does not have a live domain name."},
			`The DescribeLivePullToPush call (reading pull-to-push task "t-1" in region "cn-shanghai") failed with ` +
				`error code "CodeInvalidAliUid" (HTTP status 400, request ID "R-2"): This aliuid does not have a ` +
				`live domain name. The state was left unchanged. The account has no ApsaraVideo Live domain, which ` +
				`pull-to-push tasks need: add a live domain in the ApsaraVideo Live console, then try again.`},
		{"a transport error of the list names the list", read, &liveapi.TransportError{
			Operation: liveapi.OpList, Endpoint: "127.0.0.1:1", Err: context.Canceled},
			`The DescribeLivePullToPushList call (reading pull-to-push task "t-1" in region "cn-shanghai") failed ` +
				`without an answer from the service, so there is no error code or request ID: ` +
				`DescribeLivePullToPushList failed: the call was canceled. The state was left unchanged. Check the ` +
				`provider's endpoint and protocol settings (endpoint and protocol, or ALILIVE_ENDPOINT and ` +
				`ALILIVE_PROTOCOL) and the network, then try again.`},
	} {
		if got := apiErrorDetail(tc.call, tc.err, "The state was left unchanged.", generic); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

func TestAPIErrorDetail(t *testing.T) {
	apiErr := fmt.Errorf("wrapped: %w", &liveapi.APIError{
		Operation: "UpdateLivePullToPush", TaskID: "t-1", Code: "InvalidParameter",
		Message: "EndTime is invalid.", RequestID: "REQ-1", HTTPStatus: 400,
	})
	got := apiErrorDetail(taskCall("UpdateLivePullToPush", "updating", "t-1", "cn-shanghai"), apiErr, "",
		"Correct the arguments and apply again.")
	want := `The UpdateLivePullToPush call (updating pull-to-push task "t-1" in region "cn-shanghai") failed with ` +
		`error code "InvalidParameter" (HTTP status 400, request ID "REQ-1"): EndTime is invalid. Correct the ` +
		`arguments and apply again.`
	if got != want {
		t.Errorf("API error detail:\n got %s\nwant %s", got, want)
	}

	// A call that names no task says what it was doing instead.
	list := apiCall{op: "DescribeLivePullToPushList", doing: `listing tasks in region "cn-beijing"`, region: "cn-beijing"}
	got = apiErrorDetail(list, &liveapi.APIError{Code: "SignatureDoesNotMatch", Message: "Bad signature.", RequestID: "R", HTTPStatus: 400},
		"", "Correct the cause (credentials, permissions) and try again.")
	want = `The DescribeLivePullToPushList call (listing tasks in region "cn-beijing") failed with error code ` +
		`"SignatureDoesNotMatch" (HTTP status 400, request ID "R"): Bad signature. Correct the cause (credentials, ` +
		`permissions) and try again.`
	if got != want {
		t.Errorf("list error detail:\n got %s\nwant %s", got, want)
	}
	if strings.Contains(got, "new pull-to-push task") {
		t.Errorf("list error detail speaks of a new task: %s", got)
	}

	// An error that is neither an API nor a transport error keeps the fix.
	got = apiErrorDetail(list, errors.New("something odd"), "Nothing was changed.", "Try again.")
	want = `The DescribeLivePullToPushList call (listing tasks in region "cn-beijing") failed without an answer from ` +
		`the service, so there is no error code or request ID: something odd. Nothing was changed. Try again.`
	if got != want {
		t.Errorf("other error detail:\n got %s\nwant %s", got, want)
	}
}

func TestAPIErrorDetailTransport(t *testing.T) {
	list := apiCall{op: "DescribeLivePullToPushList", doing: `listing tasks in region "cn-shanghai"`, region: "cn-shanghai"}
	// No advice in the client's text: the provider's replaces the generic fix.
	te := &liveapi.TransportError{Operation: "DescribeLivePullToPushList", Endpoint: "127.0.0.1:1", Attempts: 3,
		Err: io.ErrUnexpectedEOF}
	if adv := liveapi.Advice(te); adv != "" {
		t.Fatalf("test premise: the client now advises on a broken answer (%q); pick another error", adv)
	}
	got := apiErrorDetail(list, te, "The state was left unchanged.", "Correct the cause (credentials, permissions) and try again.")
	want := `The DescribeLivePullToPushList call (listing tasks in region "cn-shanghai") failed without an answer from ` +
		`the service, so there is no error code or request ID: ` + strings.TrimSuffix(te.Error(), ".") +
		`. The state was left unchanged. Check the provider's endpoint and protocol settings (endpoint and ` +
		`protocol, or ALILIVE_ENDPOINT and ALILIVE_PROTOCOL) and the network, then try again.`
	if got != want {
		t.Errorf("transport error detail:\n got %s\nwant %s", got, want)
	}
	// Advice in the client's text (a refused connection): given once only.
	te = &liveapi.TransportError{Operation: "DescribeLivePullToPushList", Endpoint: "127.0.0.1:1", Attempts: 3,
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	got = apiErrorDetail(list, te, "Nothing was changed.", "Correct the cause (credentials, permissions) and try again.")
	want = `The DescribeLivePullToPushList call (listing tasks in region "cn-shanghai") failed without an answer from ` +
		`the service, so there is no error code or request ID: ` + strings.TrimSuffix(te.Error(), ".") +
		`. Nothing was changed.`
	if liveapi.Advice(te) == "" || got != want {
		t.Errorf("refused connection: want the client's advice only:\n got %s\nwant %s", got, want)
	}
}

func TestAPIErrorDetailConflict(t *testing.T) {
	create := apiCall{op: "CreateLivePullToPush", doing: `creating a pull-to-push task in region "cn-shanghai"`, region: "cn-shanghai"}
	cbd := ` If this apply replaces a task of this resource under lifecycle create_before_destroy, the task being ` +
		`replaced still holds dst_url: the service allows one live task per destination URL, so ` +
		`create_before_destroy works only when dst_url changes too.`
	generic := "Correct the cause (arguments, permissions, quota) and apply again."
	ce := &liveapi.ConflictError{DstURL: "rtmp://push.example.com/live/s", TaskID: "t-9", Err: &liveapi.APIError{
		Code: liveapi.CodeConfigAlreadyExists, HTTPStatus: 400, RequestID: "R-1", Message: "DstUrl is used by t-9."}}
	got := apiErrorDetail(create, fmt.Errorf("wrapped: %w", ce), "Nothing was recorded in the Terraform state.", generic)
	want := `The CreateLivePullToPush call (creating a pull-to-push task in region "cn-shanghai") failed because ` +
		`dst_url "rtmp://push.example.com/live/s" is already used by pull-to-push task "t-9" (error code ` +
		`"CodeConfigAlreadyExists", HTTP status 400, request ID "R-1"). Nothing was recorded in the Terraform state. ` +
		`Change dst_url, or adopt that task with an import block or terraform import (ID "cn-shanghai:t-9").` + cbd
	if got != want {
		t.Errorf("conflict detail:\n got %s\nwant %s", got, want)
	}

	// Found by the client's own lookup (no answer from the service), same configuration.
	got = apiErrorDetail(create, &liveapi.ConflictError{DstURL: "rtmp://a/b", TaskID: "t-8", SameConfig: true}, "", generic)
	want = `The CreateLivePullToPush call (creating a pull-to-push task in region "cn-shanghai") failed because ` +
		`dst_url "rtmp://a/b" is already used by pull-to-push task "t-8". That task has exactly this configuration: ` +
		`adopt it with an import block or terraform import (ID "cn-shanghai:t-8") instead of creating it again.` + cbd
	if got != want {
		t.Errorf("same-configuration conflict detail:\n got %s\nwant %s", got, want)
	}

	// The service's code without a task to name.
	got = apiErrorDetail(create, &liveapi.APIError{Code: liveapi.CodeConfigAlreadyExists, HTTPStatus: 400, RequestID: "R-2",
		Message: "DstUrl exists."}, "", generic)
	want = `The CreateLivePullToPush call (creating a pull-to-push task in region "cn-shanghai") failed with error ` +
		`code "CodeConfigAlreadyExists" (HTTP status 400, request ID "R-2"): DstUrl exists. Change dst_url, or ` +
		`adopt the task that uses it with an import block or terraform import.` + cbd
	if got != want {
		t.Errorf("service conflict detail:\n got %s\nwant %s", got, want)
	}
}

func TestGoneDetail(t *testing.T) {
	state := pullToPushTaskResourceModel{}
	state.EndTime = rfc("2026-12-01T20:00:00+08:00")
	got := goneDetail("t-1", "cn-shanghai", &state, nil)
	want := `The pull-to-push task "t-1" in region "cn-shanghai" no longer exists: either it reached its end time ` +
		`and the service deleted it automatically, or it was deleted outside Terraform. It was scheduled to end at ` +
		`2026-12-01T20:00:00+08:00. It is removed from the refreshed Terraform state (an apply or refresh saves that; ` +
		`a plan only shows it). If the configuration still declares it, Terraform plans to create it again; move ` +
		`start_time and end_time into the future for that, or remove the resource block.`
	if got != want {
		t.Errorf("goneDetail:\n got %s\nwant %s", got, want)
	}
	got = goneDetail("t-1", "cn-shanghai", &pullToPushTaskResourceModel{}, &liveapi.Task{ExitReason: "OverEndTime"})
	want = `The pull-to-push task "t-1" in region "cn-shanghai" no longer exists: it reached its end time and the ` +
		`service ended it. It is removed from the refreshed Terraform state (an apply or refresh saves that; a plan ` +
		`only shows it). If the configuration still declares it, Terraform plans to create it again; move start_time ` +
		`and end_time into the future for that, or remove the resource block.`
	if got != want {
		t.Errorf("goneDetail exited:\n got %s\nwant %s", got, want)
	}
}

// A create that the service carried out but whose answer was dropped, and
// whose lookup by dst_url failed as well, is reported as a task that may
// exist, not as the create's own failure with "Nothing was recorded" alone.
func TestAPIErrorDetailUnresolvedCreate(t *testing.T) {
	e, c := testEmulatorClient(t, emulator.Options{QPS: -1,
		Faults: "op=create,kinds=drop,nth=1;op=list,kinds=internal,every=1"})
	start := e.Now().Add(time.Hour).UTC().Truncate(time.Second)
	_, err := c.Create(context.Background(), liveapi.Spec{Region: "cn-shanghai", StartTime: start,
		EndTime: start.Add(time.Hour), SourceType: "url", SourceURLs: []string{"https://media.example.com/a.mp4"},
		DstURL: "rtmp://push.example.com/live/unresolved", RetryCount: 3, RetryInterval: 60})
	if !liveapi.MayHaveCreated(err) {
		t.Fatalf("Create: %v; want an unresolved create", err)
	}
	if n := len(e.Tasks()); n != 1 {
		t.Fatalf("the emulator holds %d tasks, want 1 (the dropped create was carried out)", n)
	}
	create := apiCall{op: "CreateLivePullToPush", doing: `creating a pull-to-push task in region "cn-shanghai"`, region: "cn-shanghai"}
	got := apiErrorDetail(create, err, "Nothing was recorded in the Terraform state.",
		"Correct the cause (arguments, permissions, quota) and apply again.")
	prefix := `The CreateLivePullToPush call (creating a pull-to-push task in region "cn-shanghai") may have created ` +
		`the task: its answer was lost, and looking the task up by dst_url failed as well: CreateLivePullToPush failed`
	suffix := `look for a task with dst_url "rtmp://push.example.com/live/unresolved" before applying again. ` +
		`Nothing was recorded in the Terraform state, but the task may exist on the service.`
	if !strings.HasPrefix(got, prefix) || !strings.HasSuffix(got, suffix) {
		t.Fatalf("detail:\n got %s\nwant %s ... %s", got, prefix, suffix)
	}
	if strings.Contains(got, "Correct the cause") {
		t.Fatalf("detail carries the generic advice: %s", got)
	}
}
