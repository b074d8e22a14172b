package liveapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/alibabacloud-go/tea/tea"
)

// Error returns the one wording every API error uses:
//
//	<Operation> failed for task <id>: <Code> (HTTP <status>, request ID <rid>): <Message>
//
// " for task <id>" is left out when the call names no task (Create, List),
// and the request ID when the service sent none. Message never holds a
// secret: the client removes the credential's secret and token from it.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Operation)
	b.WriteString(" failed")
	if e.TaskID != "" {
		b.WriteString(" for task ")
		b.WriteString(e.TaskID)
	}
	b.WriteString(": ")
	b.WriteString(e.Code)
	b.WriteString(" (HTTP ")
	b.WriteString(strconv.Itoa(e.HTTPStatus))
	if e.RequestID != "" {
		b.WriteString(", request ID ")
		b.WriteString(e.RequestID)
	}
	b.WriteString(")")
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) true for CodeTaskNotExist.
func (e *APIError) Is(target error) bool {
	return target == ErrNotFound && e.Code == CodeTaskNotExist
}

// TransportError is a call that got no answer from the service: the
// endpoint could not be resolved or reached, did not answer in time, does
// not speak the configured protocol, the connection broke, or the answer
// could not be read. Err is the underlying network error.
type TransportError struct {
	Operation string
	TaskID    string
	Region    string // live center the call was for
	Endpoint  string // host[:port] the call went to
	Attempts  int    // attempts made, including the first
	Err       error
}

// Error names the operation, the task, the endpoint, what went wrong and,
// where the cause is known, what to change:
//
//	<Operation> failed[ for task <id>]: <what went wrong>[; <advice>][ (gave up after <n> attempts)]
func (e *TransportError) Error() string {
	return e.text(true)
}

// text is Error() with or without the advice.
func (e *TransportError) text(advise bool) string {
	var b strings.Builder
	b.WriteString(e.Operation)
	b.WriteString(" failed")
	if e.TaskID != "" {
		b.WriteString(" for task ")
		b.WriteString(e.TaskID)
	}
	what, advice := describeNetErr(e.Endpoint, e.Err)
	fmt.Fprintf(&b, ": %s", what)
	if advise && advice != "" {
		fmt.Fprintf(&b, "; %s", advice)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (gave up after %d attempts)", e.Attempts)
	}
	return b.String()
}

// Unwrap returns the network error.
func (e *TransportError) Unwrap() error { return e.Err }

// Advice is the part of Error() that tells the user what to change, or ""
// when the cause is not known well enough to advise.
func (e *TransportError) Advice() string {
	_, advice := describeNetErr(e.Endpoint, e.Err)
	return advice
}

// RateLimitError is a call that was not sent because the client-side rate
// limiter would let it go only after the context's deadline. The client
// fails such a call at once instead of waiting for a turn it cannot use,
// so a very low rate never holds an operation past its timeout.
// errors.Is(err, context.DeadlineExceeded) holds.
type RateLimitError struct {
	Operation string
	TaskID    string
	Rate      float64 // the client's limit in calls per second
}

// Error reads
//
//	<Operation> failed[ for task <id>]: the deadline would pass while waiting for the client-side rate limit (<rate> calls per second): context deadline exceeded
func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%s failed%s: the deadline would pass while waiting for the client-side rate limit "+
		"(%g calls per second): %v", e.Operation, forTask(e.TaskID), e.Rate, context.DeadlineExceeded)
}

// Unwrap returns context.DeadlineExceeded.
func (e *RateLimitError) Unwrap() error { return context.DeadlineExceeded }

// adviser is an error whose text ends with advice.
type adviser interface {
	error
	Advice() string
}

// Advice returns the advice that err's text already carries (what the user
// should change), or "" when it carries none: *TransportError (when the
// cause is known), *ConflictError, and a create whose outcome could not be
// resolved. Callers that add their own advice to an error's text use it to
// avoid saying the same thing twice.
func Advice(err error) string {
	var a adviser
	if errors.As(err, &a) {
		return a.Advice()
	}
	return ""
}

// withoutAdvice is err's text without the advice of a *TransportError.
func withoutAdvice(err error) string {
	var te *TransportError
	if errors.As(err, &te) && te.Error() == err.Error() {
		return te.text(false)
	}
	return err.Error()
}

// protocolError is an endpoint that does not speak the configured protocol,
// or a TLS connection that cannot be trusted. Such an error is
// deterministic: repeating the call cannot heal it.
type protocolError struct {
	kind  protocolKind
	cause string // the evidence, for the message
}

type protocolKind int

const (
	protoWantsHTTP   protocolKind = iota // https client, plain HTTP endpoint
	protoWantsHTTPS                      // http client, TLS endpoint
	protoNotTLS                          // the endpoint answered bytes that are neither TLS nor HTTP
	protoNotHTTP                         // the endpoint's answer is not HTTP
	protoCertificate                     // the certificate cannot be verified
	protoHandshake                       // the TLS handshake failed
)

func (e *protocolError) Error() string { return e.cause }

// noAnswerError is an attempt that got no byte back in time: the
// connection was not accepted (a black hole), the TLS handshake was not
// answered, or the request was sent and no response byte followed.
type noAnswerError struct {
	stage string // "connect", "tls" or "response"
	after time.Duration
	cause error
}

func (e *noAnswerError) Error() string {
	return fmt.Sprintf("no %s within %v: %v", e.stage, e.after, e.cause)
}

func (e *noAnswerError) Unwrap() error { return e.cause }

// Timeout reports true: the attempt ran out of time.
func (e *noAnswerError) Timeout() bool { return true }

// httpAnswerToTLSRequest is the text net/http gives when a TLS client reads
// a plain HTTP answer.
const httpAnswerToTLSRequest = "server gave HTTP response to HTTPS client"

// protocolErrorOf recognises a protocol mismatch or a TLS failure in a
// transport error, or returns nil.
func protocolErrorOf(err error) *protocolError {
	msg := err.Error()
	var rh tls.RecordHeaderError
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	var op *net.OpError
	switch {
	case strings.Contains(msg, httpAnswerToTLSRequest):
		return &protocolError{kind: protoWantsHTTP, cause: httpAnswerToTLSRequest}
	case errors.As(err, &rh):
		if looksLikeHTTP(rh.RecordHeader[:]) {
			return &protocolError{kind: protoWantsHTTP, cause: rh.Msg}
		}
		return &protocolError{kind: protoNotTLS, cause: rh.Msg}
	case errors.As(err, &cv), errors.As(err, &ua), errors.As(err, &he), errors.As(err, &ci):
		return &protocolError{kind: protoCertificate, cause: rootCause(err)}
	case errors.As(err, &op) && op.Op == "remote error":
		// A TLS alert from the server during the handshake.
		return &protocolError{kind: protoHandshake, cause: op.Error()}
	case strings.Contains(msg, `malformed HTTP response "\x15\x03`),
		strings.Contains(msg, `malformed HTTP response "\x16\x03`):
		// A TLS alert or handshake record read as an HTTP status line.
		return &protocolError{kind: protoWantsHTTPS, cause: "the answer is a TLS record"}
	case strings.Contains(msg, "malformed HTTP response"), strings.Contains(msg, "malformed HTTP status code"):
		return &protocolError{kind: protoNotHTTP, cause: rootCause(err)}
	}
	return nil
}

// looksLikeHTTP reports whether the first bytes of an answer are an HTTP
// status line rather than a TLS record.
func looksLikeHTTP(b []byte) bool {
	s := string(b)
	for _, p := range []string{"HTTP/", "GET /", "HEAD ", "POST ", "PUT /", "OPTIO"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// plainHTTPToTLSAnswer reports whether the body of an error answer is a
// TLS server's complaint about a plain HTTP request (Go's and nginx's
// wordings).
func plainHTTPToTLSAnswer(body string) bool {
	b := strings.ToLower(body)
	return strings.Contains(b, "http request to an https server") ||
		strings.Contains(b, "plain http request was sent to https port")
}

// describeNetErr turns a network error into what went wrong and, where
// the cause is known, what to change ("" when it is not).
func describeNetErr(endpoint string, err error) (what, advice string) {
	var dnsErr *net.DNSError
	var pe *protocolError
	var na *noAnswerError
	switch {
	case errors.As(err, &pe):
		return describeProtocol(endpoint, pe)
	case errors.As(err, &na):
		switch na.stage {
		case "connect":
			return fmt.Sprintf("the API endpoint %s did not accept a connection within %v", endpoint, na.after),
				"check the provider's endpoint setting, and that no firewall drops the traffic"
		case "tls":
			return fmt.Sprintf("the API endpoint %s accepted the connection but did not answer the TLS handshake "+
					"within %v", endpoint, na.after),
				"check the provider's endpoint setting; if the endpoint serves plain HTTP, set protocol = \"http\" " +
					"(or ALILIVE_PROTOCOL=http)"
		}
		return fmt.Sprintf("the API endpoint %s accepted the connection but sent no answer within %v of the "+
				"request", endpoint, na.after), "check that the provider's endpoint setting names the API, and its " +
				"protocol setting"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return fmt.Sprintf("the API endpoint host %q cannot be resolved (no such host)", dnsErr.Name),
			"check the provider's endpoint setting"
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("the API endpoint %s refused the connection", endpoint),
			"check the provider's endpoint and protocol settings and that the service is running"
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer from the API endpoint %s before the deadline", endpoint), ""
	case errors.Is(err, context.Canceled):
		return "the call was canceled", ""
	case isDialError(err):
		return fmt.Sprintf("the API endpoint %s cannot be reached (%s)", endpoint, rootCause(err)),
			"check the provider's endpoint and protocol settings"
	}
	return fmt.Sprintf("no valid answer from the API endpoint %s (%s)", endpoint, rootCause(err)), ""
}

// describeProtocol words a protocol mismatch or TLS failure.
func describeProtocol(endpoint string, pe *protocolError) (what, advice string) {
	switch pe.kind {
	case protoWantsHTTP:
		return fmt.Sprintf("the API endpoint %s answers plain HTTP, not HTTPS (%s)", endpoint, pe.cause),
			"set protocol = \"http\" (or ALILIVE_PROTOCOL=http) to use it, or point the endpoint setting at an " +
				"HTTPS server"
	case protoWantsHTTPS:
		return fmt.Sprintf("the API endpoint %s expects HTTPS, not plain HTTP (%s)", endpoint, pe.cause),
			"set protocol = \"https\" (or ALILIVE_PROTOCOL=https), or leave protocol unset"
	case protoNotTLS:
		return fmt.Sprintf("the API endpoint %s does not speak TLS (%s)", endpoint, pe.cause),
			"check the provider's endpoint and protocol settings"
	case protoCertificate:
		return fmt.Sprintf("the API endpoint %s presented a TLS certificate that cannot be trusted (%s)", endpoint,
				pe.cause),
			"check that the provider's endpoint setting names the API by the host name of its certificate, and " +
				"that no proxy intercepts TLS"
	case protoHandshake:
		return fmt.Sprintf("the TLS handshake with the API endpoint %s failed (%s)", endpoint, pe.cause),
			"check the provider's endpoint and protocol settings"
	}
	return fmt.Sprintf("the API endpoint %s does not answer HTTP (%s)", endpoint, pe.cause),
		"check the provider's endpoint and protocol settings"
}

// rootCause returns the innermost error's text, which is the useful part of
// a *url.Error / *net.OpError chain.
func rootCause(err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err.Error()
		}
		err = u
	}
}

func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// isDialTimeout reports a connection attempt that ran out of time (no
// answer to the SYN: a black hole or a firewall that drops packets).
func isDialTimeout(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial" && op.Timeout()
}

// tlsHandshakeTimeoutText is net/http's text for a handshake that got no answer.
const tlsHandshakeTimeoutText = "net/http: TLS handshake timeout"

// errClass says how the retry loop treats an error.
type errClass int

const (
	classPermanent errClass = iota // fail at once
	classThrottled                 // rejected before processing: retry, never committed
	classServer                    // 5xx: retry; a write may have committed
	classDial                      // connection not established: retry a little, never committed
	classNoHost                    // DNS says the host does not exist: fail at once
	classBroken                    // connection broke after sending: retry; a write may have committed
	classContext                   // the caller's context ended
	classSilent                    // no byte came back in time: retry once at most
	classProtocol                  // wrong protocol or untrusted TLS: fail at once
)

func (c errClass) String() string {
	return [...]string{"permanent", "throttled", "server", "dial", "no-host", "broken", "context", "silent",
		"protocol"}[c]
}

// throttlingCodes are the gateway's flow-control codes.
var throttlingCodes = map[string]bool{
	"Throttling": true, "Throttling.User": true, "Throttling.Api": true, "Throttling.Concurrent": true,
	"ServiceUnavailable": true,
}

// classifyAPI classifies an error the service answered.
func classifyAPI(e *APIError) errClass {
	switch {
	case throttlingCodes[e.Code] && e.HTTPStatus < 500:
		return classThrottled
	case e.HTTPStatus >= 500:
		return classServer
	case strings.HasPrefix(e.Code, "Throttling"):
		return classThrottled
	}
	// Validation (InvalidParameter, MissingParameter, InvalidParam.*),
	// authentication (InvalidAccessKeyId.*, SignatureDoesNotMatch, ...),
	// authorization (Forbidden*), not found and quota (CodeNotEnoughResource)
	// cannot heal by repeating the call.
	return classPermanent
}

// classifyTransport classifies an error that came without an answer.
func classifyTransport(err error, sent bool) errClass {
	var dnsErr *net.DNSError
	var na *noAnswerError
	var pe *protocolError
	switch {
	case errors.As(err, &pe):
		return classProtocol
	case errors.As(err, &na):
		return classSilent
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded) && !sent:
		return classContext
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return classNoHost
	case !sent && (isDialError(err) || errors.Is(err, syscall.ECONNREFUSED)):
		return classDial
	}
	return classBroken
}

// apiErrorFromSDK converts a *tea.SDKError into an *APIError, reading the
// request ID and the service's own message from the error body (Data).
func apiErrorFromSDK(op, taskID string, se *tea.SDKError) *APIError {
	e := &APIError{
		Operation:  op,
		TaskID:     taskID,
		Code:       tea.StringValue(se.Code),
		HTTPStatus: tea.IntValue(se.StatusCode),
	}
	var body map[string]any
	if d := tea.StringValue(se.Data); d != "" && json.Unmarshal([]byte(d), &body) == nil {
		e.RequestID = firstString(body, "RequestId", "requestId")
		e.Message = firstString(body, "Message", "message")
		if e.Code == "" {
			e.Code = firstString(body, "Code", "code")
		}
		if e.HTTPStatus == 0 {
			if f, ok := body["statusCode"].(float64); ok {
				e.HTTPStatus = int(f)
			}
		}
	}
	if e.Message == "" {
		e.Message = tea.StringValue(se.Message)
	}
	if e.Code == "" {
		e.Code = "UnknownError"
	}
	e.Message = tidyMessage(e.Message)
	return e
}

// tidyMessage drops the part of a signature error that echoes the
// server's string to sign: it is long and of no use in a diagnostic.
func tidyMessage(m string) string {
	if i := strings.Index(strings.ToLower(m), "server string to sign is"); i >= 0 {
		m = strings.TrimRight(strings.TrimSpace(m[:i]), ":,;")
	}
	return strings.TrimSpace(m)
}

func firstString(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if s, ok := m[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// retCodeFailure marks an error decided from a 2xx body: the retry loop
// returns it as is.
type retCodeFailure struct{ err error }

func (r *retCodeFailure) Error() string { return r.err.Error() }

func (r *retCodeFailure) Unwrap() error { return r.err }

func forTask(id string) string {
	if id == "" {
		return ""
	}
	return " for task " + id
}
