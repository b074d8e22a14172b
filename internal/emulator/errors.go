package emulator

import (
	"fmt"
	"net/http"
	"strings"
)

// Error codes the emulator answers with. The HTTP status of each is fixed
// (see apiError constructors below); every code is 400 unless noted.
const (
	CodeMissingParameter           = "MissingParameter"
	CodeInvalidParameter           = "InvalidParameter"
	CodeIllegalDuration            = "InvalidParam.CodeIllegalDuration"
	CodeTaskNotExist               = "CodeTaskNotExist"
	CodeTaskHasStopped             = "CodeTaskHasStopped"
	CodeConfigAlreadyExists        = "CodeConfigAlreadyExists"
	CodeNotEnoughResource          = "CodeNotEnoughResource"
	CodeThrottlingUser             = "Throttling.User"
	CodeInternalError              = "InternalError"               // HTTP 500
	CodeServiceUnavailable         = "ServiceUnavailable"          // HTTP 503
	CodeInvalidAccessKeyIDNotFound = "InvalidAccessKeyId.NotFound" // HTTP 404
	CodeSignatureDoesNotMatch      = "SignatureDoesNotMatch"
	CodeIncompleteSignature        = "IncompleteSignature"
	CodeTimeStampExpired           = "InvalidTimeStamp.Expired"
	CodeTimeStampFormat            = "InvalidTimeStamp.Format"
	CodeSignatureNonceUsed         = "SignatureNonceUsed"
	CodeSecurityTokenMismatch      = "InvalidSecurityToken.MismatchWithAccessKey"
	CodeInvalidActionNotFound      = "InvalidAction.NotFound" // HTTP 404
	CodeInvalidVersion             = "InvalidVersion"
)

// Fixed messages. Messages that depend on the request are built by the
// constructor functions below; together with the access rules (access.go)
// they are the complete list of what the emulator can answer.
const (
	MsgTaskNotExist       = "Task does not exist."
	MsgTaskHasStopped     = "The task has been stopped."
	MsgThrottlingUser     = "Request was denied due to user flow control."
	MsgInternalError      = "The request processing has failed due to some unknown error."
	MsgServiceUnavailable = "The request has failed due to a temporary failure of the server."
	MsgAccessKeyNotFound  = "Specified access key is not found."
	MsgTimeStampExpired   = "Specified time stamp or date value is expired."
	MsgTimeStampFormat    = "Specified time stamp or date value is not well formatted."
	MsgNonceUsed          = "Specified signature nonce was used already."
	MsgTokenMismatch      = "Specified SecurityToken mismatch with the AccessKey."
	MsgActionNotFound     = "Specified api is not found, please check your url and method."
	MsgVersionInvalid     = "Specified parameter Version is not valid."
)

// apiError is one error answer.
type apiError struct {
	Status  int
	Code    string
	Message string
	Denied  *AccessDeniedDetail // Forbidden.RAM only
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func newErr(status int, code, format string, a ...any) *apiError {
	msg := format
	if len(a) > 0 {
		msg = fmt.Sprintf(format, a...)
	}
	return &apiError{Status: status, Code: code, Message: msg}
}

// errMissing: a mandatory parameter is absent or empty.
func errMissing(param string) *apiError {
	return newErr(http.StatusBadRequest, CodeMissingParameter,
		"The input parameter %q that is mandatory for processing this request is not supplied.", param)
}

// errInvalid: a parameter breaks a rule; msg is a full sentence naming it.
func errInvalid(format string, a ...any) *apiError {
	return newErr(http.StatusBadRequest, CodeInvalidParameter, format, a...)
}

// errDuration: StartTime/EndTime window rules.
func errDuration(format string, a ...any) *apiError {
	return newErr(http.StatusBadRequest, CodeIllegalDuration, format, a...)
}

func errTaskNotExist() *apiError {
	return newErr(http.StatusBadRequest, CodeTaskNotExist, MsgTaskNotExist)
}

func errTaskHasStopped() *apiError {
	return newErr(http.StatusBadRequest, CodeTaskHasStopped, MsgTaskHasStopped)
}

func errConfigExists(otherTask string) *apiError {
	return newErr(http.StatusBadRequest, CodeConfigAlreadyExists,
		"Code Config Already Exists: the parameter DstUrl is already used by task %s, which has not exited.", otherTask)
}

func errNotEnoughResource(limit int) *apiError {
	return newErr(http.StatusBadRequest, CodeNotEnoughResource,
		"Exceeded configuration limits or insufficient resources: the account already has %d tasks, the maximum allowed.", limit)
}

func errThrottled() *apiError {
	return newErr(http.StatusBadRequest, CodeThrottlingUser, MsgThrottlingUser)
}

func errInternal() *apiError {
	return newErr(http.StatusInternalServerError, CodeInternalError, MsgInternalError)
}

func errUnavailable() *apiError {
	return newErr(http.StatusServiceUnavailable, CodeServiceUnavailable, MsgServiceUnavailable)
}

func errAccessKeyNotFound() *apiError {
	return newErr(http.StatusNotFound, CodeInvalidAccessKeyIDNotFound, MsgAccessKeyNotFound)
}

// errSignatureMismatch carries the server's string to sign (it holds only
// hashes and request parameters, never a secret).
func errSignatureMismatch(stringToSign string) *apiError {
	return newErr(http.StatusBadRequest, CodeSignatureDoesNotMatch,
		"Specified signature does not match our calculation. server string to sign is: %s", stringToSign)
}

func errIncomplete(why string) *apiError {
	return newErr(http.StatusBadRequest, CodeIncompleteSignature,
		"The request signature does not conform to Aliyun standards: %s", why)
}

func errExpired() *apiError {
	return newErr(http.StatusBadRequest, CodeTimeStampExpired, MsgTimeStampExpired)
}

func errTimeFormat() *apiError {
	return newErr(http.StatusBadRequest, CodeTimeStampFormat, MsgTimeStampFormat)
}

func errNonceUsed() *apiError {
	return newErr(http.StatusBadRequest, CodeSignatureNonceUsed, MsgNonceUsed)
}

func errTokenMismatch() *apiError {
	return newErr(http.StatusBadRequest, CodeSecurityTokenMismatch, MsgTokenMismatch)
}

func errActionNotFound() *apiError {
	return newErr(http.StatusNotFound, CodeInvalidActionNotFound, MsgActionNotFound)
}

func errVersion() *apiError {
	return newErr(http.StatusBadRequest, CodeInvalidVersion, MsgVersionInvalid)
}

// Validation messages, one place. Each names the parameter and the rule.
func msgOneOf(param string, values []string) string {
	return fmt.Sprintf("The parameter %s must be one of %s.", param, strings.Join(values, ", "))
}
