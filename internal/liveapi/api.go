// CONTRACT FILE: the exported API below is what the provider is written
// against. Keep these names and signatures. The package documentation is in
// doc.go. (The blank line below keeps this note out of go doc.)

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
	// processes of the host that use the same access key and endpoint,
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
}

// New builds a client. Clients built with the same access key, region and
// endpoint share their rate limiters.
func New(cfg Config) (*Client, error) {
	return newClient(cfg)
}

// ErrNotConfigured is returned by every method of a nil *Client: the
// caller was given no client because its configuration was not known yet.
var ErrNotConfigured = errors.New("the API client is not configured: its settings depend on values that " +
	"are not known yet")

// Region is the configured default live center ("" for a nil client).
func (c *Client) Region() string {
	if c == nil {
		return ""
	}
	return c.region
}

// Create creates a task and returns its ID. An ambiguous failure (the
// request may have committed) is resolved by looking the task up by its
// DstURL: a matching task is adopted, a different one is reported by ID.
func (c *Client) Create(ctx context.Context, spec Spec) (string, error) {
	if c == nil {
		return "", ErrNotConfigured
	}
	return c.create(ctx, spec)
}

// Describe reads one task. Concurrent calls may be served together from
// DescribeLivePullToPushList pages; a lone call costs one Describe.
func (c *Client) Describe(ctx context.Context, region, id string) (*Task, error) {
	if c == nil {
		return nil, ErrNotConfigured
	}
	return c.describe(ctx, c.regionOr(region), id)
}

// List reads every page of DescribeLivePullToPushList for the filter.
func (c *Client) List(ctx context.Context, region string, f ListFilter) ([]Task, error) {
	if c == nil {
		return nil, ErrNotConfigured
	}
	return c.list(ctx, c.regionOr(region), f)
}

// ListEach reads DescribeLivePullToPushList for the filter one page at a
// time, in the service's order, and hands each page's tasks to page until
// page returns false or the pages end, so that a caller that needs only the
// first tasks reads only the pages that hold them. Every page is a call
// under the client's rate limit and retries. A task already handed over on
// an earlier page (pages shift when tasks are created or deleted while
// paging) is left out of the later one.
func (c *Client) ListEach(ctx context.Context, region string, f ListFilter, page func([]Task) bool) error {
	if c == nil {
		return ErrNotConfigured
	}
	return c.listEach(ctx, c.regionOr(region), f, page)
}

// Update changes a task; an ambiguous failure is resolved by reading it back.
func (c *Client) Update(ctx context.Context, in UpdateInput) error {
	if c == nil {
		return ErrNotConfigured
	}
	return c.update(ctx, in)
}

// Stop stops a running task; a task already stopped is success.
func (c *Client) Stop(ctx context.Context, region, id string) error {
	if c == nil {
		return ErrNotConfigured
	}
	return c.stop(ctx, c.regionOr(region), id)
}

// Restart starts a stopped or running task again. It is RestartTask
// without the task's ID after the restart.
func (c *Client) Restart(ctx context.Context, region, id string) error {
	_, err := c.RestartTask(ctx, region, id)
	return err
}

// RestartTask starts a stopped or running task again and returns the
// task's ID after the restart: the service documents Restart's TaskId as
// "the new task ID", so it may differ from id, and the task is then found
// only under the new one. A restart whose answer was lost, after which id
// no longer exists, is a *MovedError.
func (c *Client) RestartTask(ctx context.Context, region, id string) (string, error) {
	if c == nil {
		return "", ErrNotConfigured
	}
	return c.restart(ctx, c.regionOr(region), id, false)
}

// RestartRunning restarts a task that was running (or recovering) when
// the caller last read it, and returns the task's ID after the restart,
// as RestartTask does. After an attempt that may have committed, a task
// that runs proves nothing here (it ran before), so the restart is sent
// again: a repeat interrupts the relay once more, which is better than
// reporting a restart that did not happen. When the attempts run out
// after such an attempt, the error satisfies OutcomeUnknown.
func (c *Client) RestartRunning(ctx context.Context, region, id string) (string, error) {
	if c == nil {
		return "", ErrNotConfigured
	}
	return c.restart(ctx, c.regionOr(region), id, true)
}

// Delete deletes a task; a task that does not exist is success.
func (c *Client) Delete(ctx context.Context, region, id string) error {
	if c == nil {
		return ErrNotConfigured
	}
	return c.delete(ctx, c.regionOr(region), id)
}
