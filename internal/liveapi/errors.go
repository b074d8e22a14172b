package liveapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"

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
// endpoint could not be resolved or reached, the connection broke, or the
// answer could not be read. Err is the underlying network error.
type TransportError struct {
	Operation string
	TaskID    string
	Endpoint  string // host[:port] the call went to
	Attempts  int    // attempts made, including the first
	Err       error
}

// Error names the operation, the task, the endpoint and what went wrong.
func (e *TransportError) Error() string {
	var b strings.Builder
	b.WriteString(e.Operation)
	b.WriteString(" failed")
	if e.TaskID != "" {
		b.WriteString(" for task ")
		b.WriteString(e.TaskID)
	}
	fmt.Fprintf(&b, ": %s", describeNetErr(e.Endpoint, e.Err))
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (gave up after %d attempts)", e.Attempts)
	}
	return b.String()
}

// Unwrap returns the network error.
func (e *TransportError) Unwrap() error { return e.Err }

// describeNetErr turns a network error into one sentence that tells the
// user what to check.
func describeNetErr(endpoint string, err error) string {
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return fmt.Sprintf("the API endpoint host %q cannot be resolved (no such host); check the provider's "+
			"endpoint setting", dnsErr.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("the API endpoint %s refused the connection; check the provider's endpoint and "+
			"protocol settings and that the service is running", endpoint)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer from the API endpoint %s before the deadline", endpoint)
	case errors.Is(err, context.Canceled):
		return "the call was canceled"
	case isDialError(err):
		return fmt.Sprintf("the API endpoint %s cannot be reached (%s); check the provider's endpoint and "+
			"protocol settings", endpoint, rootCause(err))
	}
	return fmt.Sprintf("no valid answer from the API endpoint %s (%s)", endpoint, rootCause(err))
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
)

func (c errClass) String() string {
	return [...]string{"permanent", "throttled", "server", "dial", "no-host", "broken", "context"}[c]
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
	switch {
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
