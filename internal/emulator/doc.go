// Package emulator is a local emulation of the seven ApsaraVideo Live
// pull-to-push operations (API version 2016-11-01): CreateLivePullToPush,
// UpdateLivePullToPush, DescribeLivePullToPush, DescribeLivePullToPushList,
// DeleteLivePullToPush, StopLivePullToPush and RestartLivePullToPush. It runs
// in-process in Go tests or as the standalone program cmd/alilive-emulator
// (make emulator), and speaks the wire protocol of the official Go SDK
// github.com/alibabacloud-go/live-20161101/v2 v2.7.4 unmodified.
//
// # Pointing a client at it
//
// In Go tests:
//
//	e, _ := emulator.New(emulator.Options{QPS: -1})
//	_ = e.Start("127.0.0.1:0")
//	defer e.Close()
//	client, _ := live.NewClient(&openapi.Config{
//		Endpoint:        tea.String(e.Endpoint()),
//		Protocol:        tea.String("http"),
//		RegionId:        tea.String("cn-shanghai"),
//		AccessKeyId:     tea.String(emulator.DefaultAccessKeyID),
//		AccessKeySecret: tea.String(emulator.DefaultAccessKeySecret),
//	})
//
// Any other Alibaba Cloud SDK or tool works the same way: endpoint
// 127.0.0.1:9180 (the standalone default), plain HTTP, any region for
// endpoint resolution, and the access key pair DefaultAccessKeyID /
// DefaultAccessKeySecret (or the -access-key-id / -access-key-secret flags).
// STS clients use DefaultSTSAccessKeyID, DefaultSTSAccessKeySecret and
// DefaultSTSSecurityToken. Every request must also carry the business
// parameter Region (the live center), as on the real service.
//
// # Wire protocol
//
// The API answers on every path except /_emulator/. Parameters are read from
// the query string and, with Content-Type application/x-www-form-urlencoded,
// from the form body (the query wins on a clash). The operation is the
// x-acs-action header or the Action parameter; the version (x-acs-version or
// Version) must be 2016-11-01 (otherwise 400 InvalidVersion, missing: 400
// MissingParameter). An unknown operation is 404 InvalidAction.NotFound.
// Both GET and POST are accepted for every operation. SourceUrls is a JSON
// array of strings (as the SDK sends it); the repeat-list form SourceUrls.1,
// SourceUrls.2, ... is accepted too. Only the first value of a repeated
// parameter is used.
//
// Signatures. Three ways of signing are verified:
//
//   - ACS3-HMAC-SHA256 (the SDK default): the Authorization header
//     "ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..". The
//     canonical request is rebuilt from the request using the signed header
//     list of the Authorization header. host, x-acs-date,
//     x-acs-signature-nonce and x-acs-content-sha256 must be signed, and every
//     x-acs-* header present must be signed (stricter reading).
//     x-acs-content-sha256 must equal the SHA-256 of the body.
//   - The legacy RPC signature (SDK SignatureAlgorithm "v2", and most other
//     Alibaba Cloud clients): AccessKeyId, SignatureMethod=HMAC-SHA1,
//     SignatureVersion=1.0, SignatureNonce, Timestamp and Signature as query or
//     form parameters; Signature = Base64(HMAC-SHA1(secret+"&",
//     METHOD+"&%2F&"+encode(canonical parameters))).
//   - STS: an STS credential (one with a SecurityToken) must send its token,
//     in the x-acs-security-token header (ACS3) or the SecurityToken parameter
//     (legacy). A wrong or missing token, or a token sent with a static key,
//     is 400 InvalidSecurityToken.MismatchWithAccessKey. Bearer tokens are not
//     supported: such a request has no signature (IncompleteSignature).
//
// Signature failures: unknown access key 404 InvalidAccessKeyId.NotFound;
// wrong signature 400 SignatureDoesNotMatch (the message shows the server's
// string to sign, which holds only hashes and parameters, never a secret);
// no Authorization header and no Signature parameter, or a malformed
// Authorization header, 400 IncompleteSignature; a date or Timestamp not in
// yyyy-MM-ddTHH:mm:ssZ 400 InvalidTimeStamp.Format; more than 15 minutes
// away from the base clock 400 InvalidTimeStamp.Expired; a nonce already
// used by the same access key within the window 400 SignatureNonceUsed
// (nonces are recorded only for requests whose signature is valid); a
// missing legacy common parameter 400 MissingParameter naming it.
//
// The signed date is compared with the base clock (Options.Now, time.Now by
// default) without the Advance offset, so tests can move the emulator's
// clock days ahead while the SDK keeps signing with the real time. To test
// expired signatures, skew Options.Now instead.
//
// Responses. Success bodies use exactly the documented keys: Create answers
// RequestId, RetCode (0), Description ("OK") and TaskId; Update and Delete
// RequestId, RetCode, Description; Stop and Restart RequestId and TaskId (the
// same ID); Describe RequestId, RetCode, Description, TaskId, TaskStatus,
// TaskInvalidReason, TaskExitReason, TaskExitTime, CurrentFileIndex,
// CurrentOffset and TaskInfo; List RequestId, Total, PageNumber, PageSize and
// TaskList (a plain array of the Describe task shape, without the envelope
// keys). TaskInfo has TaskId, TaskName, StartTime, EndTime, SourceType,
// SourceProtocol, SourceUrls (a JSON array), DstUrl, CallbackURL (upper-case
// URL), RepeatNumber, FileIndex, Offset, RetryCount and RetryInterval.
// Times are always yyyy-MM-ddTHH:mm:ssZ. SourceProtocol is echoed upper-case
// (RTMP, HTTP-FLV), as the documented example does, and empty for vod/url
// tasks created without it, so clients must compare it case-insensitively.
// Error bodies are JSON with RequestId, HostId (the Host the client used),
// Code, Message and Recommend; every response has Content-Type
// application/json;charset=utf-8 and an x-acs-request-id header.
//
// # Validation (stricter readings marked *)
//
// Checks run in this order and the first failure answers. Every rule is a
// 400; the messages are in errors.go, params.go and the ops_*.go files and
// are pinned by the tests.
//
//   - Missing mandatory parameters (absent or empty): Create needs Region,
//     StartTime, EndTime, SourceType, SourceUrls, DstUrl, and SourceProtocol
//     when SourceType is live; Describe, Update, Stop, Restart and Delete need
//     TaskId and Region; List needs Region. MissingParameter names it.
//   - Region one of ap-southeast-1, ap-southeast-5, cn-beijing, cn-shanghai,
//     cn-shenzhen. A task lives in its Region*: looking it up with another
//     Region answers CodeTaskNotExist, and List shows only that Region.
//   - StartTime and EndTime exactly yyyy-MM-ddTHH:mm:ssZ* (no offsets, no
//     fractions). EndTime after StartTime, EndTime after now, and at most 7
//     days between them: all three are InvalidParam.CodeIllegalDuration*.
//     StartTime may lie in the past*: the task then starts at once.
//   - SourceType live, vod or url. SourceProtocol rtmp, rtsp, srt, http-flv or
//     flv, exactly in lower case*; it is validated whenever it is sent, and
//     stored but ignored for vod/url.
//   - SourceUrls: live exactly 1 URL whose scheme fits SourceProtocol* (rtmp
//     rtmp://, rtsp rtsp://, srt srt://, http-flv and flv http:// or
//     https://); vod 1 to 30 media IDs of 1 to 64 letters, digits, '-' or '_'*;
//     url 1 to 30 http:// or https:// URLs* (the file extension is not
//     checked). Every URL needs a host and no white space or control
//     characters*; every entry is at most 2000 characters*.
//   - DstUrl an rtmp:// URL with a host, at most 2000 characters. CallbackUrl
//     empty (no callbacks) or an http:// or https:// URL with a host, at most
//     2000 characters.
//   - RetryInterval 60 to 300 (default 60); RetryCount 0 or more (default 3,
//     no maximum); RepeatNumber -1 or more (default 0); FileIndex 0 or more
//     and less than the number of SourceUrls (default 0); Offset 0 or more
//     (default 0); TaskName free text (default "", no length limit). A
//     non-integer value is InvalidParameter.
//   - RepeatNumber, FileIndex and Offset apply to vod/url only: for a live
//     task a non-zero value is InvalidParameter*.
//   - List: TaskId filter at most 55 letters, digits, '_' or '-'; PageNumber
//     1 or more (default 1); PageSize 1 to 100 (default 10).
//   - Create: an account may hold at most Options.MaxTasks tasks (default 100)
//     -> CodeNotEnoughResource*; a DstUrl already used by another task of the
//     account that has not exited (exact string match) ->
//     CodeConfigAlreadyExists*. Tasks of other accounts never conflict.
//
// # Lifecycle
//
// TaskStatus is 0 (idle) before StartTime and becomes 1 (running) at
// StartTime; CurrentFileIndex and CurrentOffset then equal FileIndex and
// Offset (playback progress is not simulated* unless the flaky variant is
// on). At EndTime the task exits with TaskExitReason OverEndTime and is
// deleted at once*: it is never observable with TaskStatus -1 (unless the
// exited-visible variant is on), and Describe, Update, Stop, Restart and
// Delete then answer 400 CodeTaskNotExist "Task does not exist.". The
// variants below change some of these rules.
//
//   - Stop: 1 or 2 -> 3 with an empty TaskInvalidReason; 3 -> 400
//     CodeTaskHasStopped "The task has been stopped."; 0 -> 400
//     InvalidParameter*.
//   - Restart: 1, 2 or 3 -> 1, clearing TaskInvalidReason and resetting
//     CurrentFileIndex/CurrentOffset to FileIndex/Offset; before StartTime
//     (status 0, or a stopped task whose StartTime was moved into the future)
//     -> 400 InvalidParameter*.
//   - Delete: any state -> gone (exit callback with reason TriggerByUser).
//   - Failure (FailTask or the control surface): 1 -> 2 with
//     TaskInvalidReason (PullStreamFailed, PushStreamFailed, UnknownError);
//     after RetryCount x RetryInterval seconds of emulator time -> 3, keeping
//     the reason. With RetryCount 0 the task is stopped at once.
//   - Hosts that never resolve, in every variant: a task that starts (at
//     StartTime, or by Restart) with a source URL whose host lies in the
//     reserved .invalid domain (RFC 2606) fails at once with
//     PullStreamFailed, one whose DstUrl host does with PushStreamFailed
//     (vod media IDs have no host). It retries every RetryInterval seconds
//     and goes offline (3, keeping the reason) after RetryCount retries,
//     unless a retry finds the cause gone. Tests use such hosts for a relay
//     that fails and, once its settings are fixed and it is restarted,
//     recovers.
//   - Signed ingest URLs, in every variant: a destination host given an
//     ingest key (Options.PushAuthKeys, -push-auth-key HOST=KEY,
//     SetPushAuthKey, POST /_emulator/pushauth; host names compare in any
//     letter case, ports are ignored) accepts a relay only when its DstUrl
//     carries exactly one type A auth_key=timestamp-rand-uid-md5hash whose
//     md5hash is the MD5 of "path-timestamp-rand-uid-key" (the path as
//     written in DstUrl) and whose timestamp is not before the emulator's
//     clock*. The check runs when the task starts and at each retry, as the
//     relay connects; otherwise the task fails like one whose host never
//     resolves, with PushStreamFailed, and a retry that finds the URL
//     accepted (the key removed or changed) relays. A relay that runs is not
//     checked again. The timestamp is read as the last second the URL is
//     accepted (a domain validity period of 0), the stricter of the
//     documentation's readings; see package urlsign. The reason of each
//     rejection is logged, never the key. Create accepts any DstUrl, as the
//     service does.
//   - Update of a task in 0 or 3 accepts every Update parameter; in 1 or 2
//     only CallbackUrl and RepeatNumber, and any other Update parameter sent
//     is 400 InvalidParameter naming it* (the documentation says such changes
//     "do not take effect"; rejecting them is stricter, and a client that
//     copes with the rejection works either way). TaskName, SourceType,
//     SourceProtocol, DstUrl, RetryCount and RetryInterval are not Update
//     parameters: sent anyway (by a non-SDK client) they are
//     InvalidParameter*. An empty CallbackUrl clears it. The merged
//     StartTime/EndTime must satisfy the window rules again when either is
//     sent, and the merged FileIndex must fit the merged SourceUrls. A
//     FileIndex or Offset change takes effect at the next Restart.
//
// The emulator's clock is Options.Now() plus the total of Advance calls (it
// never goes back). Transitions are applied lazily whenever the clock is
// read (every API call, Now, Tasks, Task, Advance...), so tests are
// deterministic, and also every 250 ms by a background ticker while the
// server is started, so callbacks fire in real time in the standalone
// program. Several transitions due in one step are applied in time order.
//
// Tasks are stored per account (Credential.Account; the default
// credentials share the account "default"). Task IDs are random
// UUID-shaped strings. List returns tasks in creation order; the TaskId,
// TaskName and DstUrl filters are case-insensitive substring matches*.
//
// # Variants
//
// The documentation contradicts itself or is silent in several places. The
// default is the strictest reading (above); each variant switches one place
// to another reading, so that a client can be tested against all of them
// (Options.Variants, -variant NAME[,NAME...] or -variant all, and the
// control surface). Several variants combine; "all" turns every one on.
// Each entry names the documentation it comes from, in our words.
//
//   - exited-visible. The Describe and List fields TaskExitReason and
//     TaskExitTime are documented as returned only once a task has exited,
//     and TaskStatus has the value -1 for an exited task, which suggests an
//     ended or deleted task can still be read. Here a task that reaches
//     EndTime, or is deleted, stays in Describe and List for
//     Options.ExitRetention (default 10 minutes of emulator clock) with
//     TaskStatus -1, TaskExitReason (OverEndTime or TriggerByUser) and
//     TaskExitTime (Unix seconds); Update, Stop and Restart of it answer
//     success and change nothing, Delete succeeds; then it is gone
//     (CodeTaskNotExist). It holds no destination and does not count
//     against MaxTasks.
//   - update-ignored. Update's parameter notes say that a change the
//     task's state does not allow "does not take effect" (StartTime after
//     the start, EndTime after the end), which reads as a success without
//     effect, not an error. Here an Update that sends a parameter a running
//     or recovering task refuses answers success and changes nothing at all
//     (also not the CallbackUrl or RepeatNumber sent with it).
//   - endtime-while-running. EndTime's note only excludes a task that has
//     ended, while the operation's description lets a running task change
//     only CallbackUrl and RepeatNumber. Here a running or recovering task
//     also takes EndTime, without a stop.
//   - callback-unclearable. CallbackUrl is documented as empty by default
//     and as applying to later events, never as something an update can
//     remove. Here an empty CallbackUrl in Update is ignored and the old
//     callback stays.
//   - dst-conflict-at-runtime. Create's description asks the caller to
//     make sure no other task uses the destination URL, "otherwise conflicts
//     occur and stream ingest fails": a failure at run time, not a refused
//     request. Here Create accepts a DstUrl already in use (no
//     CodeConfigAlreadyExists); while one task runs, another that starts
//     with the same DstUrl fails with PushStreamFailed, retries, relays once
//     the first one stops, and goes offline if it never does.
//   - restart-new-id. Restart's response field TaskId is documented as
//     "the new task ID". Here Restart moves the task to a new ID, which it
//     answers; the old ID answers CodeTaskNotExist from then on.
//   - stop-idle-noop. Stop's description says a task that is not running
//     cannot be stopped, without naming an error. Here Stop of a task that
//     has not started (TaskStatus 0) answers success and changes nothing.
//   - omit-empty. Several response fields are documented as returned only
//     in some states (TaskExitReason, TaskExitTime, TaskInvalidReason).
//     Here Describe and List leave every optional key out when it is empty
//     or zero: TaskInvalidReason, TaskExitReason, TaskExitTime,
//     CurrentFileIndex, CurrentOffset, and in TaskInfo TaskName,
//     SourceProtocol, CallbackURL, RepeatNumber, FileIndex, Offset and
//     RetryCount.
//   - protocol-as-sent. The Describe example echoes SourceProtocol "RTMP",
//     the List example "flv". Here SourceProtocol is echoed exactly as the
//     task was created (rtmp, http-flv, or RTMP for a task added out of band
//     that way).
//   - flaky. Real relays fail by themselves (TaskInvalidReason
//     PullStreamFailed and PushStreamFailed are documented as "a retry is in
//     progress"), and CurrentFileIndex and CurrentOffset report the playback
//     position. Here a running task fails 10 to 30 minutes of emulator time
//     after it started or recovered, with either reason, then recovers at a
//     drawn retry or goes offline after its last one; the draws are a pure
//     function of Options.FlakySeed (default 1), the task's creation order
//     and its number of failures, so a run replays exactly. A running vod or
//     url task's CurrentOffset advances one second per second and
//     CurrentFileIndex moves on every nominal 10 minutes (the first file
//     from Offset), starting the list over after its last file; a stopped
//     task keeps its position.
//   - async. Nothing in the documentation says a status change shows at
//     once. Here the start at StartTime, Stop and Restart take effect after
//     Options.AsyncDelay (default 1 second of emulator clock): a Describe
//     right after them shows the old status, and a running task still
//     refuses what only a stopped one takes. A Restart before a Stop has
//     shown replaces it; a Stop while a Restart has not shown calls the
//     restart off when the task is stopped, and replaces it when the task
//     still runs (its Restart had replaced a Stop): either way the task
//     ends stopped, as the last call asked. A second Stop is accepted.
//
// Stop of an exited task, and of a task whose Restart has not shown yet,
// answers success in every variant where such a task exists.
//
// # Callbacks
//
// When a task with a CallbackUrl changes status, the emulator POSTs JSON
// (Content-Type application/json) to it: Event LivePullToPushRunning,
// EventTime (Unix seconds as a JSON string, as in the documented sample),
// TaskId, TaskStatus (1, 2 or 3), TaskInfo (the Describe shape), and
// TaskInvalidReason for 2 (the failure reason) and 3 (TriggerByUser after
// Stop, RetryTimesOffline after the retries ran out). On exit it sends Event
// LivePullToPushExit*, TaskStatus -1, TaskExitReason (OverEndTime or
// TriggerByUser) and TaskExitTime (Unix seconds, a number). EventTime is the
// emulator time of the transition: StartTime (or the creation time for a
// task created after its StartTime), EndTime, the retry deadline, or the
// time of the API call. Delivery is asynchronous and in order per task; it never
// delays an API response; a failed delivery (network error or status >= 300)
// is logged and changes nothing; there are no retries. Each delivery times
// out after 5 s; Close waits up to 2 s for deliveries in flight and then
// cancels them. No callback is sent for status 0, and Reset sends none.
// Options.CallbackTransport replaces the HTTP transport of the deliveries
// (tests capture callbacks with it).
//
// # Throttling
//
// At most Options.QPS calls (default 10) per second per account for each
// operation, counted in a sliding one-second window of accepted calls;
// beyond it 400 Throttling.User "Request was denied due to user flow
// control.". Options.QPS < 0 turns throttling off. The window uses the
// wall clock, not the emulator's clock, so Advance neither refills nor
// drains it; SetQPS and Reset clear it. Throttling is checked after the
// signature and before faults.
//
// A throttled answer (real or injected) carries the header the gateway
// sends, which the official SDK reads as its retry advice:
//
//	x-ratelimit-user-api: Limit:10,Remain:0,TimeLeft:734,Reset:1767225600734
//
// Limit is the QPS; TimeLeft the milliseconds (rounded up) until the
// window admits a call of that operation again, 0 for an injected
// throttle with room in the window; Reset the Unix time in milliseconds
// when that is. (What the gateway means by Reset is not documented; the
// SDK reads only TimeLeft.) Answers that are not throttled carry no
// x-ratelimit header (the stricter reading: clients cannot count on one).
//
// # Access rules
//
// Options.Deny (-deny ACCESSKEYID=Op1,Op2, SetDenied, POST /_emulator/deny)
// takes operations away from an access key, as a least-privilege RAM
// policy does. Operations are full names, the short names of a fault plan,
// or * for all seven. A denied call is answered HTTP 403 Forbidden.RAM
// "User not authorized to operate on the specified resource, or this API
// doesn't support RAM." with an AccessDeniedDetail object in the body
// (AuthAction live:<Operation>, AuthPrincipalType SubUser,
// AuthPrincipalDisplayName the access key ID, AuthPrincipalOwnerId the
// account, NoPermissionType ImplicitDeny, PolicyType
// AccountLevelIdentityBasedPolicy), which the SDK exposes as
// tea.SDKError.AccessDeniedDetail. The check follows the signature and
// nonce checks and precedes throttling*, so a denied call spends no quota;
// it counts in Stats.Calls and Stats.Errors.
//
// Options.AccountConditions (-account-condition ACCOUNT=CONDITION,
// SetAccountCondition, POST /_emulator/conditions) puts an account into a
// condition the service reports, checked after throttling and faults and
// before any parameter*:
//
//   - no-live-domain: the account has no ApsaraVideo Live domain; every
//     operation answers 400 CodeInvalidAliUid "This aliuid does not have a
//     live domain name." (documented for Create, Stop and Delete; the other
//     operations answering it too is the stricter reading*).
//   - limit-reached: Create answers 400 CodeNotEnoughResource "Exceeded
//     configuration limits or insufficient resources.", the documented
//     message, which states no limit; the other operations are served. An
//     account at Options.MaxTasks gets the same code with a message that
//     states the limit (see Validation).
//
// Reset keeps the denials and the account conditions: they are
// configuration, like the credentials.
//
// # List lag
//
// Options.ListLag (-list-lag, SetListLag, POST /_emulator/listlag) makes
// DescribeLivePullToPushList lag behind writes, as a service whose listing
// is served from a read side that catches up later. A Create, Update, Stop
// or Restart made while the lag is d shows in the listing only d after it
// (emulator clock, so Advance moves it on); until then the listing shows the
// task as it was before the first write still pending (Total counts what
// is shown), and a task created within the lag is not listed at all.
// DescribeLivePullToPush and the control surface always show the task as
// it is. Deleted tasks leave the listing at once; lifecycle transitions and
// out-of-band changes are not lagged. Setting the lag to 0 (or Reset, which
// keeps the lag) makes every pending write visible at once. The lag is 0
// by default and is not kept in the state file.
//
// # Fault injection
//
// A fault plan (Options.Faults, SetFaults, -faults, POST /_emulator/faults)
// is a list of rules separated by ';'. A rule is a list of key=value items
// separated by ','; a bare item continues the list of the previous op,
// kinds or nth key. Keys:
//
//	op       operations the rule applies to: full names or create, update,
//	         describe, list, delete, stop, restart (case-insensitive),
//	         separated by '|' or ','; * or absent: every operation
//	kinds    internal (500 InternalError), unavailable (503
//	         ServiceUnavailable), throttle (400 Throttling.User), latency
//	         (delay, then served normally), drop (the operation is applied,
//	         then the connection is closed without a response); separated by
//	         '|' or ','; absent: all five. When several are listed, each
//	         fault picks one uniformly with the rule's random source.
//	rate     probability 0..1 that a matching call gets a fault
//	every    N: every Nth matching call (N, 2N, ...)
//	nth      list of matching call numbers, counted from 1 (nth=1,3)
//	max      at most N faults from this rule (0: no limit)
//	latency  delay of a latency fault (Go duration, default 300ms)
//	seed     seed of the rule's random source (default 1)
//
// A rule needs rate, every or nth; it fires when any of them says so. Rules
// are tried in order for each call that passed the signature and throttling
// checks; the first rule that fires decides, and later rules do not see the
// call. Each rule counts its own matching calls. The outcome is a pure
// function of the plan and the order in which calls arrive (with
// concurrent callers, the arrival order decides). FaultSchedule replays a
// plan for one operation so tests can know the outcome in advance.
// Examples:
//
//	rate=0.3,seed=7                               30% of all calls, any kind
//	op=CreateLivePullToPush,kinds=drop,every=2    every second Create is applied, then dropped
//	op=describe,kinds=internal|unavailable,nth=1,3
//	op=update,kinds=latency,rate=0.5,latency=2s;op=delete,kinds=throttle,every=1,max=3
//
// Injected errors count in Stats.Errors (and in Stats.Throttled for
// throttle); a latency fault counts only if the call then fails; a drop
// counts as an error. Note for clients: Go's net/http resends an idempotent
// request (the SDK's GETs) once when a reused keep-alive connection is
// closed before any response; the resent request carries the same nonce and
// is answered SignatureNonceUsed although the first attempt was applied. A
// dropped POST (Create) surfaces as a connection error.
//
// # Control surface
//
// Unsigned JSON endpoints under /_emulator/, answered only to loopback
// callers (others get 403):
//
//	GET    /_emulator/stats              {"calls":{...},"errors":{...},"throttled":{...}}
//	POST   /_emulator/stats/reset        zero the counters
//	GET    /_emulator/tasks              array of tasks in the Describe shape, plus Region
//	POST   /_emulator/tasks              {"Region":..,"TaskInfo":{..}}: AddTask
//	GET    /_emulator/tasks/{id}         one task
//	PATCH  /_emulator/tasks/{id}         TaskPatch as JSON (POST works too), e.g.
//	                                     {"TaskName":"x","EndTime":"2026-01-02T03:04:05Z","TaskStatus":3};
//	                                     "TaskExitReason":"OverEndTime" makes Describe report it
//	                                     (an exited task cannot be patched)
//	POST   /_emulator/tasks/{id}/fail    {"reason":"PullStreamFailed"}
//	DELETE /_emulator/tasks/{id}         DeleteTask (204)
//	GET    /_emulator/clock              {"now":"..."}
//	POST   /_emulator/clock              {"advance":"90s"}
//	GET    /_emulator/faults             {"plan":"..."}
//	POST   /_emulator/faults             {"plan":"rate=0.3,seed=7"} ("" clears)
//	POST   /_emulator/qps                {"qps":5} (0: default, negative: off)
//	GET    /_emulator/listlag            {"lag":"2s"}
//	POST   /_emulator/listlag            {"lag":"2s"} ("0s": no lag, pending writes shown at once)
//	GET    /_emulator/deny               {"<access key ID>":["DescribeLivePullToPushList"],...}
//	POST   /_emulator/deny               {"access_key_id":"..","operations":["list"]}
//	                                     (replaces the key's list; [] allows everything)
//	GET    /_emulator/conditions         {"<account>":"no-live-domain",...}
//	POST   /_emulator/conditions         {"account":"default","condition":"limit-reached"}
//	                                     ("" ends the condition)
//	GET    /_emulator/pushauth           {"hosts":["push.example.com",...]} (never the keys)
//	POST   /_emulator/pushauth           {"host":"push.example.com","key":".."} ("" removes the key)
//	GET    /_emulator/variants           {"variants":["async",...]}
//	POST   /_emulator/variants           {"variants":"async,flaky"} ("all"; "" for none)
//	POST   /_emulator/reset              drop tasks, counters, faults, nonces (not variants
//	                                     or ingest keys)
//
// Errors are {"Code":..,"Message":..} with 400, 404 (CodeTaskNotExist for
// an unknown task), 405 or 409 (a task in the wrong state for fail).
// POST and PATCH /_emulator/tasks (and AddTask, PatchTask) refuse, with
// 400 InvalidParameter and the API's message naming the field, every value
// the API refuses for RetryCount, RetryInterval, RepeatNumber, FileIndex
// (also one past the playlist), Offset and SourceType; a refused patch
// changes nothing. The time window is not checked (moving EndTime into the
// past ends a task). A state file holding such a value is refused at start
// with an error naming the file, the task and the field.
//
// # State file
//
// With Options.StateFile (-state-file) the tasks are loaded at New and the
// file is rewritten after every change (temporary file and rename, so it is
// never half-written). It holds the tasks with their account, region,
// status, reasons, failure and creation times, and the creation counter;
// it does not hold the clock offset, counters, faults, nonces or variants.
//
// # Standalone program
//
// go run ./cmd/alilive-emulator (make emulator) takes -addr (default
// 127.0.0.1:9180), -access-key-id, -access-key-secret (defaults
// DefaultAccessKeyID / DefaultAccessKeySecret; the default STS triple is
// always accepted too), -qps (default 10; 0 or negative turns throttling
// off), -max-tasks (default 100; 0 or negative: no limit), -state-file,
// -faults, -list-lag (a Go duration, default 0: no lag), -deny
// ACCESSKEYID=Op1,Op2 and -account-condition ACCOUNT=CONDITION (both
// repeatable; the flags' access keys belong to the account "default"), and
// -variant (NAME[,NAME...] or all), and -push-auth-key HOST=KEY
// (repeatable). It logs one line per request with
// log/slog (operation, status, code, latency, request ID) and never logs a
// secret or token. SIGINT or SIGTERM shut it down gracefully.
package emulator
