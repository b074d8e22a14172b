package liveapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/alibabacloud-go/tea/tea"

	"github.com/alilive/terraform-provider-alilive/internal/ratelimit"
)

// attemptFailure is one failed attempt, classified.
type attemptFailure struct {
	err             error     // *APIError, *TransportError or another error, ready to return
	api             *APIError // non-nil when the service answered
	class           errClass
	maybeCommitted  bool // the service may have acted on the request
	ambiguousBefore bool // an earlier attempt of this call may have committed
	attempt         int
	requestID       string
	retryAfter      time.Duration
}

// apiCall describes one API operation for the retry loop.
type apiCall struct {
	op     string
	taskID string
	region string
	// run makes one SDK call and returns the response's request ID.
	run func(ctx context.Context) (requestID string, err error)
	// write marks a call that changes state: once sent, its attempt is not
	// cut short by the caller's context (only by the attempt timeout), so
	// an answer that is on its way is not turned into an ambiguous outcome.
	write bool
	// onFailure, when set, sees every failed attempt first. handled = true
	// ends the call with err (nil = success). It is how writes resolve
	// ambiguous outcomes and accept codes that mean "already done".
	onFailure func(ctx context.Context, f *attemptFailure) (handled bool, err error)
}

// do runs the call with the rate limiter, retries and logging.
//
// Retry policy: throttling, 5xx answers and network errors are retried with
// exponential backoff and full jitter (a random wait in [0, min(cap,
// base*2^(n-1))) before retry n, at least the server's Retry-After advice),
// at most maxRetries times and never past ctx's deadline. A refused
// connection is retried at most twice, an unknown host never. An attempt
// that got no byte back in time (connection not accepted, TLS handshake or
// answer not coming) is retried once at most per call, and a protocol
// mismatch or untrusted certificate never, so a wrong endpoint fails
// within seconds. Every other error fails at once.
func (c *Client) do(ctx context.Context, cl apiCall) error {
	var last *attemptFailure
	ambiguous := false
	silent := 0      // attempts that got no byte back in time
	renewed := false // the session was renewed after an expired-token answer
	expiredKey := "" // the key of that answer
	for attempt := 1; ; attempt++ {
		permit, err := c.waitLimiter(ctx, cl.op)
		if err != nil {
			return c.giveUp(cl, last, attempt-1, err)
		}
		a := &attemptInfo{respTimeout: c.respTimeout}
		base := ctx
		if cl.write {
			base = context.WithoutCancel(ctx)
		}
		actx, cancel := context.WithTimeout(withAttempt(base, a), c.attemptTimeout)
		keyID := c.sessionKeyID()
		start := time.Now()
		rid, err := cl.run(actx)
		timedOut := actx.Err() != nil && (cl.write || ctx.Err() == nil)
		cancel()
		if err == nil {
			endPermit(permit, a, nil)
			c.debug(ctx, "alilive API call succeeded", map[string]any{
				"operation": cl.op, "task_id": cl.taskID, "region": cl.region, "attempt": attempt,
				"request_id": rid, "duration_ms": time.Since(start).Milliseconds(),
			})
			return nil
		}
		f := c.classify(cl, err, a, timedOut)
		endPermit(permit, a, f)
		f.attempt = attempt
		f.ambiguousBefore = ambiguous
		c.debug(ctx, "alilive API call failed", map[string]any{
			"operation": cl.op, "task_id": cl.taskID, "region": cl.region, "attempt": attempt,
			"request_id": f.requestID, "duration_ms": time.Since(start).Milliseconds(),
			"error_code": errorCode(f), "error_class": f.class.String(),
		})
		if f.api != nil && f.api.Code == CodeTokenExpired && c.expireSession != nil &&
			(!renewed || keyID != "" && keyID != expiredKey) {
			// The session ended before the credential renewed it: the
			// call was refused before anything was done, so renew the
			// session and repeat the call, once per session (the repeat
			// waits for the limiter again, and a session much shorter
			// than that wait can end too).
			renewed, expiredKey = true, keyID
			c.expireSession(keyID)
			continue
		}
		if cl.onFailure != nil {
			if handled, herr := cl.onFailure(ctx, f); handled {
				return herr
			}
		}
		ambiguous = ambiguous || f.maybeCommitted
		last = f
		if f.class == classSilent {
			silent++
		}
		if !c.retryable(f, attempt, silent) {
			return c.finalError(f, attempt)
		}
		wait := c.backoff(attempt, f.retryAfter)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return c.finalError(f, attempt)
		}
		c.warn(ctx, "alilive API call will be retried", map[string]any{
			"operation": cl.op, "task_id": cl.taskID, "region": cl.region, "attempt": attempt,
			"wait_ms": wait.Milliseconds(), "error_code": errorCode(f), "request_id": f.requestID,
			"error": f.err.Error(),
		})
		if err := sleepCtx(ctx, wait); err != nil {
			return c.finalError(f, attempt)
		}
	}
}

// sessionKeyID is the access key ID the next attempt signs with, when the
// credential is a renewable session ("" otherwise, or when unknown).
func (c *Client) sessionKeyID() string {
	if c.expireSession == nil {
		return ""
	}
	m, err := c.cred.GetCredential()
	if err != nil || m == nil {
		return ""
	}
	return tea.StringValue(m.AccessKeyId)
}

// endPermit ends the limiter's permit of an attempt with its outcome: a
// throttled answer cuts the pace and holds the operation's calls for the
// service's advice; any other answer counts as one the service accepted;
// no answer at all is neither. f is nil for a success. The call's slot is
// held from the answer's first byte (the service received the call before
// it answered), not from the end of reading and decoding it.
func endPermit(p *ratelimit.Permit, a *attemptInfo, f *attemptFailure) {
	if p == nil {
		return
	}
	if at := a.answeredAt.Load(); at != 0 {
		p.AnsweredAt(time.Unix(0, at))
	}
	switch {
	case f == nil:
		p.Accepted()
	case f.class == classThrottled:
		p.Throttled(f.retryAfter)
	case f.api != nil:
		p.Accepted()
	default:
		p.Done()
	}
}

// retryable decides whether failure f of the given attempt is retried;
// silent is the number of attempts of the call so far that got no byte
// back in time (f's included).
func (c *Client) retryable(f *attemptFailure, attempt, silent int) bool {
	switch f.class {
	case classThrottled, classServer, classBroken:
		return attempt <= c.maxRetries
	case classDial:
		return attempt <= min(c.maxRetries, maxDialRetries)
	case classSilent:
		return attempt <= c.maxRetries && silent < maxSilentAttempts
	}
	return false
}

// backoff is the wait before retry number attempt (1-based): full jitter
// over an exponentially growing ceiling, but never less than the server's
// advice.
func (c *Client) backoff(attempt int, advice time.Duration) time.Duration {
	ceil := c.backoffBase << min(attempt-1, 20)
	if ceil > c.backoffCap || ceil <= 0 {
		ceil = c.backoffCap
	}
	wait := time.Duration(c.jitter() * float64(ceil))
	if advice > wait {
		wait = min(advice, 30*time.Second)
	}
	return wait
}

// classify turns an SDK error into a failure.
func (c *Client) classify(cl apiCall, err error, a *attemptInfo, timedOut bool) *attemptFailure {
	f := &attemptFailure{retryAfter: time.Duration(a.retryAfter.Load())}
	if rid, ok := a.requestID.Load().(string); ok {
		f.requestID = rid
	}
	status := int(a.status.Load())
	peek, _ := a.peek.Load().(string)
	var se *tea.SDKError
	var rc *retCodeFailure
	switch {
	case status == http.StatusBadRequest && plainHTTPToTLSAnswer(peek):
		// A TLS server's answer to a plain HTTP request: not the service's
		// answer, and nothing was processed.
		f.err = &TransportError{Operation: cl.op, TaskID: cl.taskID, Region: cl.region, Endpoint: c.endpoint,
			Err: &protocolError{kind: protoWantsHTTPS, cause: "HTTP 400: " + strings.TrimSpace(firstLine(peek))}}
		f.class = classProtocol
	case errors.As(err, &rc):
		// A 2xx answer that reports a failure (non-zero RetCode) or cannot
		// be used: the service did answer, so repeating it will not help.
		f.err, f.class = rc.err, classPermanent
		errors.As(rc.err, &f.api)
		if f.api != nil {
			f.api.Message = c.scrub(f.api.Message)
			f.requestID = f.api.RequestID
		}
	case errors.As(err, &se) && (tea.IntValue(se.StatusCode) >= 400 || status >= 400):
		api := apiErrorFromSDK(cl.op, cl.taskID, se)
		if api.HTTPStatus == 0 {
			api.HTTPStatus = status
		}
		if api.RequestID == "" {
			api.RequestID = f.requestID
		}
		api.Message = c.scrub(api.Message)
		f.api, f.err, f.class, f.requestID = api, api, classifyAPI(api), api.RequestID
		f.maybeCommitted = f.class == classServer
	case status >= 400:
		// An error status whose body is not the service's JSON (a proxy's
		// page, for example).
		api := &APIError{Operation: cl.op, TaskID: cl.taskID, Code: fmt.Sprintf("HTTP%d", status),
			HTTPStatus: status, RequestID: f.requestID,
			Message: "the answer's body is not the service's JSON error format"}
		f.api, f.err = api, api
		switch {
		case status >= 500:
			f.class, f.maybeCommitted = classServer, true
		case status == 429:
			f.class = classThrottled
		default:
			f.class = classPermanent
		}
	case !a.called.Load() && ctx0(err):
		f.err = &TransportError{Operation: cl.op, TaskID: cl.taskID, Region: cl.region, Endpoint: c.endpoint, Err: err}
		f.class = classContext
	case !a.called.Load():
		// Nothing reached the network: obtaining the credentials or signing
		// the request failed. Repeating it will not help.
		f.err = fmt.Errorf("%s failed%s: unable to obtain credentials or build the request: %s",
			cl.op, forTask(cl.taskID), c.scrub(err.Error()))
		f.class = classPermanent
	default:
		sent := a.sent.Load()
		err = explainTransport(err, a)
		te := &TransportError{Operation: cl.op, TaskID: cl.taskID, Region: cl.region, Endpoint: c.endpoint, Err: err}
		f.err = te
		f.class = classifyTransport(err, sent)
		if timedOut && f.class != classSilent && f.class != classProtocol {
			// The attempt's own timeout, not the caller's: retry.
			f.class = classBroken
			if !sent {
				f.class = classDial
			}
		}
		f.maybeCommitted = sent && (f.class == classBroken || f.class == classContext || f.class == classSilent)
	}
	if f.api != nil {
		f.api.Region = cl.region
	}
	return f
}

// explainTransport wraps a transport error whose cause the client knows
// better than the error's text: no byte back in time (*noAnswerError) or
// a protocol mismatch (*protocolError). Other errors are returned as they
// are.
func explainTransport(err error, a *attemptInfo) error {
	switch {
	case a.silent.Load():
		return &noAnswerError{stage: "response", after: a.respTimeout, cause: err}
	case isDialTimeout(err):
		return &noAnswerError{stage: "connect", after: dialTimeout, cause: err}
	case strings.Contains(err.Error(), tlsHandshakeTimeoutText):
		return &noAnswerError{stage: "tls", after: tlsHandshakeTimeout, cause: err}
	}
	if pe := protocolErrorOf(err); pe != nil {
		return pe
	}
	return err
}

// firstLine returns s up to its first line break.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

func ctx0(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// finalError returns f's error, noting the number of attempts on
// transport errors.
func (c *Client) finalError(f *attemptFailure, attempts int) error {
	var te *TransportError
	if errors.As(f.err, &te) {
		te.Attempts = attempts
	}
	if f.api != nil && c.credAdvice != nil {
		f.api.Fix = c.credAdvice(f.api.Code)
	}
	return f.err
}

// giveUp returns the error for a call whose next attempt could not start
// (the limiter's wait would pass the deadline, or ctx ended).
func (c *Client) giveUp(cl apiCall, last *attemptFailure, attempts int, waitErr error) error {
	if last != nil {
		return c.finalError(last, attempts)
	}
	if errors.Is(waitErr, errLimiterDeadline) {
		return &RateLimitError{Operation: cl.op, TaskID: cl.taskID, Rate: c.rateLimit}
	}
	return fmt.Errorf("%s failed%s: %w", cl.op, forTask(cl.taskID), waitErr)
}

func errorCode(f *attemptFailure) string {
	if f.api != nil {
		return f.api.Code
	}
	return "transport:" + f.class.String()
}
