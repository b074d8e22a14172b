// Package liveapi is a plain Go client for the seven ApsaraVideo Live
// pull-to-push operations, built on the official SDK
// (github.com/alibabacloud-go/live-20161101/v2, the ...WithContext methods).
// It adds typed errors, a shared client-side rate limiter, retries with
// backoff and jitter, batched reads and safe handling of ambiguous failures.
// It knows nothing about Terraform.
//
// # Errors
//
// An answer from the service becomes an *APIError whose Error() reads
//
//	<Operation> failed for task <id>: <Code> (HTTP <status>, request ID <rid>): <Message>
//
// errors.Is(err, ErrNotFound) holds for CodeTaskNotExist (HTTP 400). A 2xx
// body with a non-zero RetCode is an *APIError with Code "RetCode<n>". A call
// that got no answer is a *TransportError naming the endpoint and, where
// the cause is known, what to change; a create that found its destination
// URL taken is a *ConflictError naming the task that holds it. No error text carries the access key secret or security token.
//
// # Rate limit
//
// Every Client that acts for the same account at the same endpoint shares
// one limiter per operation (the account is Config.Account, else what STS
// GetCallerIdentity answers once per key, else the access key ID) (package internal/ratelimit): at most 10 calls (the
// default rate) in flight or answered less than 1.005 s ago, paced at 10
// calls per second. A slot is given back one window after the call's
// answer, so however the network or a busy machine delays a call between
// admission and arrival, no one-second window at the service holds more
// than 10. The live center is not part of the key: the quota is per
// account, and one endpoint serves every region.
//
// With Config.ShareRateLimit the limiters are shared with the other
// processes of the host (several terraform runs against one account at
// once) through small files under Config.RateLimitDir (default:
// alilive/ratelimit under the user's cache directory), named by a SHA-256
// hash of the account, endpoint and operation; when the directory cannot be
// used the client limits its own process and says so in one debug line.
// Across hosts, where nothing is shared, the pace adapts to throttled
// answers: a throttled answer cuts it to 0.7 of this process's share of
// the full window, it recovers additively, and the answer's advice (the
// TimeLeft of the x-ratelimit-user-api header) holds every call of the
// operation until then.
//
// A call whose turn would come after its context's deadline is not sent:
// it fails at once with a *RateLimitError, so a low rate never holds a call
// past its caller's timeout.
//
// # Retries
//
// Throttling, 5xx and network errors are retried with full-jitter
// exponential backoff (base 200 ms, cap 5 s, at least the server's
// advice: Retry-After, or the TimeLeft of x-ratelimit-user-api), at most
// Config.MaxRetries times and never past the context's deadline. Some failures get fewer retries, so that a wrong
// endpoint gives one clear error within seconds:
//
//   - An unknown host fails at once; a refused connection is retried at
//     most twice (it fails in well under a second).
//   - A protocol mismatch fails at once with advice: an https client that
//     gets a plain HTTP answer, a plain HTTP client that gets a TLS server's
//     complaint or a TLS record, an answer that is not HTTP at all, a TLS
//     handshake the server rejects, and a certificate that cannot be
//     verified. Nothing reached the service, so such a write never counts
//     as ambiguous.
//   - An attempt that gets no byte back in time is "silent": a connection
//     not accepted within 5 s (a black hole, a firewall that drops packets),
//     a TLS handshake not answered within 5 s, or no first byte of the
//     answer within 5 s of sending the request. A call makes at most two
//     silent attempts (one retry), so an endpoint that never answers fails
//     after about 10 s instead of 9 attempts of 30 s. The service answers
//     in well under a second, so 5 s leaves ample room. A silent attempt
//     of a write was sent and may have committed: it is ambiguous (see
//     below), so a create against such an endpoint fails after about 15 s
//     (its attempt, then a lookup by DstUrl that is silent twice).
//   - An answer that started within 5 s may take up to 30 s in all (one
//     attempt's limit); an attempt cut short by that limit is retried like
//     a broken connection.
//
// Validation, authentication, authorization, not-found and quota errors
// fail at once. Error texts that know the cause end with advice (what to
// change); Advice returns it, so a caller that adds advice of its own can
// leave it out.
//
// # Ambiguous writes
//
// A write whose request was sent but whose answer was lost (broken
// connection, attempt timeout, 5xx) may have committed. Create then looks
// the task up by DstUrl and adopts an identical task, reports a different
// one, or repeats the create when there is none; after such a repeat it
// looks once more and deletes an identical task the lookup had not shown
// (the first attempt, committed late), so that a service that accepts two
// tasks on one DstUrl is never left with both. Update and Restart read the
// task back (a restarted task that is gone under its ID is a *MovedError:
// it may run under a new one); Stop and Delete accept CodeTaskHasStopped
// and CodeTaskNotExist.
// A write that was sent is not cut short by the caller's context, only by
// the per-attempt timeout, so an answer on its way is not lost.
//
// # Batched reads
//
// See batch.go: concurrent Describes are served from
// DescribeLivePullToPushList pages, a lone Describe costs one call, and a
// listing serves one stream of reads (reads that follow each other within
// 750 ms: a whole refresh, however long; at most 10 s once something was
// written, after which a stream lists again) and never a task written
// since the listing started. DescribeFresh (fresh.go) never uses a
// listing: callers read a task they have just written with it, because the
// service's listing may not show the write yet.
//
// # Least-privilege credentials
//
// See permissions.go: when the credentials' RAM policy denies
// DescribeLivePullToPushList (HTTP 403 Forbidden.RAM, NoPermission and the
// like), batched reads fall back to one DescribeLivePullToPush per task for
// the rest of the process, for every Client of that access key and
// endpoint; Warnings reports it once. MissingPermission names the RAM
// action a denied call needs (live:<Operation>). An account without a live
// domain (CodeInvalidAliUid) or out of resources (CodeNotEnoughResource;
// TaskLimit reads the limit when the message states one) fails at once.
//
// # Assumptions where the service's documentation is silent
//
//   - The service may reject a second task with the same DstUrl
//     (CodeConfigAlreadyExists) or may not; the client copes with both.
//   - Restart's TaskId is documented as "the new task ID": RestartTask
//     returns it, and the task is read under it from then on.
//   - A task with status -1, or with TaskExitReason OverEndTime, has ended
//     (Task.Ended): it holds no destination and is never adopted.
//   - DescribeLivePullToPushList may lag behind writes or not: an ID missing
//     from a listing is confirmed with DescribeLivePullToPush before it is
//     reported as not found. After an ambiguous create the lookup assumes
//     the listing shows a committed task; if it does not, the repeated
//     create's CodeConfigAlreadyExists (where the service enforces unique
//     destinations) is resolved by a second lookup.
//   - The sort order of the listing is unknown; pages are de-duplicated by
//     task ID and a listing is complete only when every page was read.
//   - Stop of a stopped task answers CodeTaskHasStopped, which is success.
//   - A throttled request (Throttling*) was rejected before it was
//     processed, so it is never ambiguous.
package liveapi
