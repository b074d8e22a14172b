package liveapi

import (
	"context"
	"errors"
	"sync"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/aliyun/credentials-go/credentials"
)

// Task statuses as the service reports them.
const (
	StatusIdle       int32 = 0
	StatusRunning    int32 = 1
	StatusRecovering int32 = 2
	StatusOffline    int32 = 3
	StatusExited     int32 = -1
)

// Error codes the client reacts to.
const (
	CodeTaskNotExist        = "CodeTaskNotExist"
	CodeTaskHasStopped      = "CodeTaskHasStopped"
	CodeConfigAlreadyExists = "CodeConfigAlreadyExists"
	CodeNotEnoughResource   = "CodeNotEnoughResource"
)

// Logger receives structured events around every API call (operation,
// task_id, request_id, attempt, wait_ms, error_code...). Never secrets.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// Config of a Client.
type Config struct {
	Credential credentials.Credential // required
	Region     string                 // default live center for calls that do not name one
	Endpoint   string                 // host[:port]; "" = the SDK's endpoint for Region
	Protocol   string                 // "https" (default) or "http"
	UserAgent  string
	RateLimit  float64 // calls per second per operation; 0 = 10; negative = no client-side limit
	MaxRetries int     // retries after the first attempt; negative = 0
	Logger     Logger  // nil = no logging
	// ShareRateLimit shares each operation's limiter with the other
	// processes of the host that act for the same account at the same endpoint,
	// through files in RateLimitDir; false counts this process's calls only.
	ShareRateLimit bool
	// RateLimitDir is the directory of the shared limiters; "" =
	// DefaultRateLimitDir(). If it cannot be used, the client counts this
	// process's calls only and says so once in a debug log line.
	RateLimitDir string
	// CredentialAdvice says what to check when the service rejects the
	// credentials, for an error code such as SignatureDoesNotMatch ("" when
	// it has nothing to say); the caller knows where they came from. The
	// client puts it into APIError.Fix. Nil: nothing.
	CredentialAdvice func(code string) string
	// Account is the account the credentials act for, when the caller
	// knows it without a call (a provider argument, or the account in an
	// assumed role's ARN). The service's quota is per account, so the
	// limiters are keyed by it: every key of one account shares them.
	Account string
	// STS is where GetCallerIdentity finds the account when Account is
	// empty; the zero value turns the lookup off and the limiters are keyed
	// by the access key, as they are when the lookup fails.
	STS STSEndpoint
	// ExpireSession, when set, is told the access key ID of a temporary
	// session the service answered InvalidSecurityToken.Expired for, so that
	// the credential renews it; the call is then repeated once.
	ExpireSession func(accessKeyID string)
}

// STSEndpoint is where the Security Token Service answers.
type STSEndpoint struct {
	Host     string // host[:port]
	Protocol string // "https" (default) or "http"
}

// Spec is the configuration of a task (CreateLivePullToPush's parameters).
type Spec struct {
	Region         string
	TaskName       string
	StartTime      time.Time
	EndTime        time.Time
	SourceType     string
	SourceProtocol string // "" for vod and url
	SourceURLs     []string
	DstURL         string
	CallbackURL    string
	RepeatNumber   int32
	FileIndex      int32
	Offset         int32
	RetryCount     int32
	RetryInterval  int32
}

// Task is a task as Describe or List reports it.
type Task struct {
	ID               string
	Status           int32
	InvalidReason    string
	ExitReason       string
	ExitTime         int32
	CurrentFileIndex int32
	CurrentOffset    int32
	Spec             Spec // Region filled from the request; SourceProtocol as the service echoes it
}

// UpdateInput carries UpdateLivePullToPush's optional parameters; nil = unchanged.
type UpdateInput struct {
	Region       string
	TaskID       string
	StartTime    *time.Time
	EndTime      *time.Time
	SourceURLs   []string // nil = unchanged
	RepeatNumber *int32
	FileIndex    *int32
	Offset       *int32
	CallbackURL  *string // pointer to "" clears it
}

// ListFilter are DescribeLivePullToPushList's fuzzy filters.
type ListFilter struct {
	TaskID   string
	TaskName string
	DstURL   string
}

// ErrNotFound matches (errors.Is) every error that means the task does not exist.
var ErrNotFound = errors.New("pull-to-push task does not exist")

// APIError is an error answered by the service (or injected by the emulator).
type APIError struct {
	Operation  string
	TaskID     string
	Region     string // live center the call was for
	Code       string
	Message    string
	RequestID  string
	HTTPStatus int
	// Fix says what to check, where the client knows more than the code
	// (see Config.CredentialAdvice); "" otherwise. Not part of Error().
	Fix string
}

// Client talks to the service. Safe for concurrent use.
type Client struct {
	sdk        sync.Pool // of *live.Client: the SDK's client is not safe for concurrent use
	sdkConfig  *openapiutil.Config
	cred       credentials.Credential
	region     string
	endpoint   string // host[:port] the calls go to
	rateLimit  float64
	maxRetries int
	log        Logger
	credAdvice func(code string) string

	shareRateLimit   bool
	rateLimitDirPath string

	// Tunables; tests in this package shorten them.
	attemptTimeout time.Duration // one HTTP attempt
	respTimeout    time.Duration // first byte of the answer after sending
	backoffBase    time.Duration
	backoffCap     time.Duration
	gatherWindow   time.Duration // how long a Describe waits for company
	snapshotIdle   time.Duration // a listing ends when no read used it for this long
	snapshotMaxAge time.Duration // and never serves reads longer than this
	graceTimeout   time.Duration // resolving an ambiguous write after ctx ended
	jitter         func() float64

	idMu sync.Mutex
	id   string // access key ID, resolved on first use

	account       string      // Config.Account
	sts           STSEndpoint // Config.STS
	expireSession func(accessKeyID string)
	quotaMu       sync.Mutex
	quota         string // what keys the limiters: "account:<id>" or the access key ID
	quotaLost     error  // why the account is unknown, until Warnings hands it over
	quotaWarned   bool
}

// ErrNotConfigured is returned by every method of a nil *Client: the
// caller was given no client because its configuration was not known yet.
var ErrNotConfigured = errors.New("the API client is not configured: its settings depend on values that " +
	"are not known yet")

// Operation names, as the service spells them.
const (
	OpCreate   = "CreateLivePullToPush"
	OpUpdate   = "UpdateLivePullToPush"
	OpDescribe = "DescribeLivePullToPush"
	OpList     = "DescribeLivePullToPushList"
	OpStop     = "StopLivePullToPush"
	OpRestart  = "RestartLivePullToPush"
	OpDelete   = "DeleteLivePullToPush"
)

// timeLayout is the service's time format (UTC, second precision).
const timeLayout = "2006-01-02T15:04:05Z"

// listPageSize is the largest page DescribeLivePullToPushList serves.
const listPageSize = 100

// FormatTime renders t the way the service expects it.
func FormatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// DefaultRateLimit is the service's quota: calls per second per account for
// each pull-to-push operation.
const DefaultRateLimit = 10.0

// Warning is something the user should know although every call
// succeeded.
type Warning struct {
	Summary string // a title, e.g. "Missing Permission live:DescribeLivePullToPushList"
	Message string // full sentences: what happened, what the client does instead, what to do
}
