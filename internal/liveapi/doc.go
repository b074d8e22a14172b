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
// that got no answer is a *TransportError naming the endpoint; a create that
// found its destination URL taken is a *ConflictError naming the task that
// holds it. No error text carries the access key secret or security token.
//
// # Rate limit
//
// Every Client with the same access key ID and endpoint shares one limiter
// per operation, built from golang.org/x/time/rate token buckets and
// matched to the service's sliding one-second window: at most 10 calls (the
// default rate) in any window of 1.105 s, a burst of 10 allowed after a
// quiet window, tokens taken at the real time of each call (see
// limiter.go). All provider configurations of one account in a process
// therefore stay under the quota together. The live center is not part of
// the key: the quota is per account, and one endpoint serves every region.
//
// # Retries
//
// Throttling, 5xx and network errors are retried with full-jitter
// exponential backoff (base 200 ms, cap 5 s, at least the server's
// Retry-After), at most Config.MaxRetries times and never past the
// context's deadline. A connection that cannot be established is retried at
// most twice and an unknown host not at all. Validation, authentication,
// authorization, not-found and quota errors fail at once.
//
// # Ambiguous writes
//
// A write whose request was sent but whose answer was lost (broken
// connection, attempt timeout, 5xx) may have committed. Create then looks
// the task up by DstUrl and adopts an identical task, reports a different
// one, or repeats the create when there is none; Update and Restart read the
// task back; Stop and Delete accept CodeTaskHasStopped and CodeTaskNotExist.
// A write that was sent is not cut short by the caller's context, only by
// the per-attempt timeout, so an answer on its way is not lost.
//
// # Batched reads
//
// See batch.go: concurrent Describes are served from
// DescribeLivePullToPushList pages, a lone Describe costs one call, and a
// listing serves one refresh (reads that follow each other within 750 ms,
// at most 10 s) and never across a write.
//
// # Assumptions where the service's documentation is silent
//
//   - The service may reject a second task with the same DstUrl
//     (CodeConfigAlreadyExists) or may not; the client copes with both.
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
