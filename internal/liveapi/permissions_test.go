package liveapi

import (
	"context"
	"errors"
	"regexp"
	"testing"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// A RAM user's key of the account "default" in the permission tests.
const (
	ramKey    = "ram-user-key-id"
	ramSecret = "ram-user-key-secret"
)

// permissionEmulator starts an emulator that accepts the default key and
// the RAM user's key, with the RAM user denied ops.
func permissionEmulator(t *testing.T, opts emulator.Options, ops ...string) *emulator.Server {
	t.Helper()
	opts.QPS = -1
	opts.Credentials = []emulator.Credential{
		{AccessKeyID: emulator.DefaultAccessKeyID, AccessKeySecret: emulator.DefaultAccessKeySecret},
		{AccessKeyID: ramKey, AccessKeySecret: ramSecret},
	}
	if len(ops) > 0 {
		opts.Deny = map[string][]string{ramKey: ops}
	}
	return startEmulator(t, opts)
}

// ramClient is a client of the RAM user's key with fast timings.
func ramClient(t *testing.T, e *emulator.Server, log Logger) *Client {
	t.Helper()
	c, err := New(Config{
		Credential: staticCred(t, ramKey, ramSecret), Region: "cn-shanghai",
		Endpoint: e.Endpoint(), Protocol: "http", RateLimit: -1, MaxRetries: 8, Logger: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// requestIDs replaces the request IDs of a text, which change every call.
var requestIDs = regexp.MustCompile(`request ID [0-9A-F-]+`)

// TestPermissionListDeniedFallsBack: a key that may describe but not list
// reads every task, in batches and alone, with one Describe each after
// one denied list call for the whole process, and warns exactly once.
func TestPermissionListDeniedFallsBack(t *testing.T) {
	e := permissionEmulator(t, emulator.Options{}, emulator.OpList)
	ids := addEmulatorTasks(t, e, 5)
	log := &recLogger{}
	c := ramClient(t, e, log)

	for wave := 1; wave <= 2; wave++ {
		tasks := describeAll(t, c, ids)
		for i, task := range tasks {
			if task == nil || task.ID != ids[i] {
				t.Fatalf("wave %d: task %d = %+v", wave, i, task)
			}
		}
		st := e.Stats()
		if st.Calls[OpList] != 1 || st.Errors[OpList] != 1 || st.Calls[OpDescribe] != 5*wave || st.Errors[OpDescribe] != 0 {
			t.Fatalf("wave %d: calls %v, errors %v; want 1 denied List and %d Describes", wave, st.Calls, st.Errors, 5*wave)
		}
	}
	// Another client of the same key (another provider configuration)
	// knows: it does not list either.
	other := ramClient(t, e, nil)
	describeAll(t, other, ids[:3])
	if st := e.Stats(); st.Calls[OpList] != 1 || st.Calls[OpDescribe] != 13 {
		t.Fatalf("other client: calls %v, want still 1 List and 13 Describes", st.Calls)
	}

	w := c.Warnings()
	if len(w) != 1 {
		t.Fatalf("Warnings = %+v, want exactly one", w)
	}
	want := "DescribeLivePullToPushList failed: Forbidden.RAM (HTTP 403, request ID <rid>): User not authorized to " +
		"operate on the specified resource, or this API doesn't support RAM. The credentials lack the RAM permission " +
		"live:DescribeLivePullToPushList, so for the rest of this Terraform run every task is read with its own " +
		"DescribeLivePullToPush call instead of up to 100 tasks per DescribeLivePullToPushList call, which spends " +
		"more of the account's quota of API calls. Add live:DescribeLivePullToPushList to the RAM policy of the " +
		"credentials to read tasks in pages again."
	if got := requestIDs.ReplaceAllString(w[0].Message, "request ID <rid>"); got != want || w[0].Summary != "Missing Permission live:DescribeLivePullToPushList" {
		t.Fatalf("warning:\n got %s %q\nwant %q", w[0].Summary, got, want)
	}
	if again, others := c.Warnings(), other.Warnings(); len(again) != 0 || len(others) != 0 {
		t.Fatalf("the warning was given again: %+v %+v", again, others)
	}
	warns := log.warnings()
	if len(warns) != 1 || warns[0].msg != "alilive list denied; reading each task with its own Describe from now on" ||
		warns[0].fields["missing_permission"] != "live:DescribeLivePullToPushList" || warns[0].fields["error_code"] != "Forbidden.RAM" {
		t.Fatalf("log warnings = %+v, want exactly the denial", warns)
	}
}

// TestPermissionListDeniedToList: List itself cannot fall back; its error
// names the operation and MissingPermission the action. Batched reads
// that follow skip the list.
func TestPermissionListDeniedToList(t *testing.T) {
	e := permissionEmulator(t, emulator.Options{}, "list")
	ids := addEmulatorTasks(t, e, 3)
	c := ramClient(t, e, nil)
	_, err := c.List(context.Background(), "", ListFilter{})
	want := "DescribeLivePullToPushList failed: Forbidden.RAM (HTTP 403, request ID <rid>): User not authorized to " +
		"operate on the specified resource, or this API doesn't support RAM."
	if err == nil || requestIDs.ReplaceAllString(err.Error(), "request ID <rid>") != want {
		t.Fatalf("List error:\n got %v\nwant %s", err, want)
	}
	if action, ok := MissingPermission(err); !ok || action != "live:DescribeLivePullToPushList" {
		t.Fatalf("MissingPermission = %q %v", action, ok)
	}
	describeAll(t, c, ids)
	if st := e.Stats(); st.Calls[OpList] != 1 || st.Calls[OpDescribe] != 3 {
		t.Fatalf("calls %v, want the 1 denied List and 3 Describes", st.Calls)
	}
}

// TestPermissionDescribeDenied: a denied Describe fails at once and names
// DescribeLivePullToPush and its action; nothing is learned about the list.
func TestPermissionDescribeDenied(t *testing.T) {
	e := permissionEmulator(t, emulator.Options{}, "describe")
	ids := addEmulatorTasks(t, e, 1)
	c := ramClient(t, e, nil)
	_, err := c.Describe(context.Background(), "", ids[0])
	want := "DescribeLivePullToPush failed for task " + ids[0] + ": Forbidden.RAM (HTTP 403, request ID <rid>): User " +
		"not authorized to operate on the specified resource, or this API doesn't support RAM."
	if err == nil || requestIDs.ReplaceAllString(err.Error(), "request ID <rid>") != want {
		t.Fatalf("Describe error:\n got %v\nwant %s", err, want)
	}
	if action, ok := MissingPermission(err); !ok || action != "live:DescribeLivePullToPush" {
		t.Fatalf("MissingPermission = %q %v", action, ok)
	}
	if st := e.Stats(); st.TotalCalls() != 1 {
		t.Fatalf("calls %v, want exactly 1 Describe", st.Calls)
	}
	if w := c.Warnings(); len(w) != 0 || !c.listAllowed() {
		t.Fatalf("warnings %+v, list allowed %v", w, c.listAllowed())
	}
}

// TestPermissionDenied pins which answers are RAM denials.
func TestPermissionDenied(t *testing.T) {
	for _, tc := range []struct {
		code   string
		status int
		want   bool
	}{
		{"Forbidden.RAM", 403, true},
		{"Forbidden.RAM", 400, true},
		{"NoPermission", 403, true},
		{"Forbidden.NoPermission", 403, true},
		{"Forbidden.NotAuthorized", 403, true},
		{"Forbidden", 403, true},
		{"Forbidden", 400, false},
		{"SignatureDoesNotMatch", 403, false},
		{"InvalidAccessKeyId.NotFound", 404, false},
		{"Throttling.User", 400, false},
		{CodeInvalidAliUid, 400, false},
	} {
		err := error(&APIError{Operation: OpCreate, Code: tc.code, HTTPStatus: tc.status})
		action, got := MissingPermission(err)
		if got != tc.want || (got && action != "live:CreateLivePullToPush") {
			t.Errorf("%s (HTTP %d): MissingPermission = %q %v, want %v", tc.code, tc.status, action, got, tc.want)
		}
	}
	if _, ok := MissingPermission(errors.New("Forbidden.RAM")); ok {
		t.Error("a plain error is not a denial")
	}
}

// TestAccountConditionsFailAtOnce: an account without a live domain and an
// account out of resources fail Create after exactly one attempt, whatever
// MaxRetries says.
func TestAccountConditionsFailAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name      string
		opts      emulator.Options
		condition emulator.AccountCondition
		want      string
		limit     int
	}{
		{"no live domain", emulator.Options{}, emulator.AccountNoLiveDomain,
			"CreateLivePullToPush failed: CodeInvalidAliUid (HTTP 400, request ID <rid>): This aliuid does not have a " +
				"live domain name.", 0},
		{"limit reached", emulator.Options{}, emulator.AccountLimitReached,
			"CreateLivePullToPush failed: CodeNotEnoughResource (HTTP 400, request ID <rid>): Exceeded configuration " +
				"limits or insufficient resources.", 0},
		{"limit of tasks", emulator.Options{MaxTasks: 1}, emulator.AccountNormal,
			"CreateLivePullToPush failed: CodeNotEnoughResource (HTTP 400, request ID <rid>): Exceeded configuration " +
				"limits or insufficient resources: the account already has 1 tasks, the maximum allowed.", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := permissionEmulator(t, tc.opts)
			if tc.opts.MaxTasks > 0 {
				addEmulatorTasks(t, e, tc.opts.MaxTasks)
			}
			if err := e.SetAccountCondition("", tc.condition); err != nil {
				t.Fatal(err)
			}
			e.ResetStats()
			log := &recLogger{}
			c := ramClient(t, e, log)
			_, err := c.Create(context.Background(), emulatorSpec(e, 9))
			if err == nil || requestIDs.ReplaceAllString(err.Error(), "request ID <rid>") != tc.want {
				t.Fatalf("Create error:\n got %v\nwant %s", err, tc.want)
			}
			// The list before the create gets the same answer; the create
			// then fails at once with the service's own answer.
			if st := e.Stats(); st.TotalCalls() != 2 || st.Calls[OpCreate] != 1 || st.Calls[OpList] != 1 {
				t.Fatalf("calls %v, want exactly 1 List and 1 Create", st.Calls)
			}
			if w := log.warnings(); len(w) != 0 {
				t.Fatalf("retry warnings %+v", w)
			}
			limit, ok := TaskLimit(err)
			if ok != (tc.limit > 0) || limit != tc.limit {
				t.Fatalf("TaskLimit = %d %v, want %d", limit, ok, tc.limit)
			}
		})
	}
}

// TestTaskLimit pins the limits read from CodeNotEnoughResource messages.
func TestTaskLimit(t *testing.T) {
	for msg, want := range map[string]int{
		"Exceeded configuration limits or insufficient resources.":                               0,
		"Exceeded configuration limits: the account already has 100 tasks, the maximum allowed.": 100,
		"The number of tasks exceeds the limit of 50.":                                           50,
		"Quota: 20": 20,
		"Exceeded configuration limits or insufficient resources: maximum 3 pull-to-push tasks.": 3,
	} {
		got, ok := TaskLimit(&APIError{Code: CodeNotEnoughResource, Message: msg})
		if got != want || ok != (want > 0) {
			t.Errorf("TaskLimit(%q) = %d %v, want %d", msg, got, ok, want)
		}
	}
	if _, ok := TaskLimit(&APIError{Code: CodeInvalidAliUid, Message: "limit of 5"}); ok {
		t.Error("TaskLimit of another code")
	}
}

// TestPermissionCreateLookupDenied: a create whose answer was lost cannot
// be looked up by a key that may not list; the error says the task may
// exist, names the denied list and says what to add.
func TestPermissionCreateLookupDenied(t *testing.T) {
	e := permissionEmulator(t, emulator.Options{Faults: "op=create,kinds=drop,nth=1"}, "list")
	c := ramClient(t, e, nil)
	spec := emulatorSpec(e, 1)
	_, err := c.Create(context.Background(), spec)
	if !MayHaveCreated(err) {
		t.Fatalf("Create error %v: want a create that may have happened", err)
	}
	got := requestIDs.ReplaceAllString(err.Error(), "request ID <rid>")
	want := "CreateLivePullToPush failed: no valid answer from the API endpoint " + e.Endpoint() + " (EOF); the " +
		"request may have created the task, and looking it up by dst_url failed: DescribeLivePullToPushList failed: " +
		"Forbidden.RAM (HTTP 403, request ID <rid>): User not authorized to operate on the specified resource, or " +
		"this API doesn't support RAM; add live:DescribeLivePullToPushList to the RAM policy of the credentials so " +
		"that a create whose answer is lost can be looked up, then look for a task with dst_url " +
		`"rtmp://dst.example.com/app/s1" before applying again`
	if got != want {
		t.Fatalf("Create error:\n got %s\nwant %s", got, want)
	}
	if st := e.Stats(); st.Calls[OpCreate] != 1 || st.Calls[OpList] != 1 || len(e.Tasks()) != 1 {
		t.Fatalf("calls %v, tasks %d: want 1 Create (applied), 1 denied List", st.Calls, len(e.Tasks()))
	}
}
