// The configuration of a Server: Options, the credentials it accepts and
// the defaults of the standalone program.

package emulator

import (
	"log/slog"
	"net/http"
	"time"
)

// Defaults of the standalone program and of Options left zero.
const (
	DefaultAddr            = "127.0.0.1:9180"
	DefaultAccessKeyID     = "emulator-access-key-id"
	DefaultAccessKeySecret = "emulator-access-key-secret"
	// An STS credential that is always accepted alongside the static pair.
	DefaultSTSAccessKeyID     = "STS.emulator-access-key-id"
	DefaultSTSAccessKeySecret = "emulator-sts-access-key-secret"
	DefaultSTSSecurityToken   = "emulator-sts-security-token"
	DefaultQPS                = 10  // per account, per operation, sliding one-second window
	DefaultMaxTasks           = 100 // per account
)

// Credential is one access key the emulator accepts. Account groups keys
// that share throttling quotas and task limits ("" means "default").
type Credential struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string // non-empty for an STS credential: the request must carry it
	Account         string
	// User is the RAM user the key belongs to ("" = the account's own key).
	User string
	// Role and Session name the assumed role of a temporary key that
	// AssumeRole issued; Expires is when its session ends (zero = never).
	Role, Session string
	Expires       time.Time
}

// Options configure a Server. Zero values mean the documented default,
// except where noted.
type Options struct {
	// Credentials accepted. Nil means the default static pair and the
	// default STS triple, both in account "default".
	Credentials []Credential
	// QPS per account per operation; 0 means DefaultQPS; negative turns
	// throttling off.
	QPS int
	// MaxTasks per account; 0 means DefaultMaxTasks; negative means no limit.
	MaxTasks int
	// Faults is a fault plan in the -faults flag syntax ("" = none).
	Faults string
	// StateFile, when set, is loaded at start and written after every change.
	StateFile string
	// Now is the base clock (time.Now when nil). The emulator's clock is
	// Now() plus the total of Advance calls.
	Now func() time.Time
	// Logger receives one line per request (nil = discard).
	Logger *slog.Logger
	// CallbackTransport sends the callbacks (nil = http.DefaultTransport).
	// Tests may use it to capture callbacks without a receiver.
	CallbackTransport http.RoundTripper
	// ListLag is how long DescribeLivePullToPushList lags behind each
	// write through the API (0: none; see SetListLag).
	ListLag time.Duration
	// Variants are the variants of the documentation to emulate instead of
	// the default ones (see AllVariants and ParseVariants; nil = none).
	Variants []Variant
	// ExitRetention is how long an exited task stays visible under
	// exited-visible (0 = DefaultExitRetention), on the emulator clock.
	ExitRetention time.Duration
	// AsyncDelay is how long the start, Stop and Restart take to show
	// under async (0 = DefaultAsyncDelay), on the emulator clock.
	AsyncDelay time.Duration
	// FlakySeed seeds the flaky variant's draws (0 = DefaultFlakySeed).
	FlakySeed int64
	// Deny maps an access key ID to the operations its RAM policy does not
	// allow (full names or the short names of a fault plan; "*" for all).
	// Such calls are answered 403 Forbidden.RAM (see access.go).
	Deny map[string][]string
	// AccountConditions puts accounts ("" means "default") into a condition
	// the service reports on its own: AccountNoLiveDomain or
	// AccountLimitReached.
	AccountConditions map[string]AccountCondition
	// PushAuthKeys maps a destination host name to the ingest key of its
	// URL signing settings: a task whose DstUrl has that host and no valid,
	// unexpired type A auth_key fails at its start with PushStreamFailed
	// (see pushauth.go).
	PushAuthKeys map[string]string
	// Roles lists the role ARNs (acs:ram::<account>:role/<name>) that
	// AssumeRole knows; nil means every well-formed role of an account that
	// has a key here (see sts.go).
	Roles []string
	// STSSessionLimit caps the lifetime of the sessions AssumeRole issues
	// (0 = DurationSeconds as asked), so that a test can see a session end
	// in the middle of an apply.
	STSSessionLimit time.Duration
	// STSRevokeEarly keeps announcing the Expiration that DurationSeconds
	// asks for while the session still ends at STSSessionLimit, as a
	// session revoked or cut short on the service's side would: the client
	// learns it only from InvalidSecurityToken.Expired.
	STSRevokeEarly bool
}
