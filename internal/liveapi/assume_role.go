package liveapi

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/credentials-go/credentials"
	"github.com/aliyun/credentials-go/credentials/providers"
)

// AssumeRole describes the sessions of a RAM role that an
// AssumeRoleProvider obtains.
type AssumeRole struct {
	Source      credentials.Credential // signs AssumeRole
	STS         STSEndpoint
	RoleARN     string
	SessionName string // "" = "alilive-<unix nanoseconds>"
	ExternalID  string
	Policy      string
	Seconds     int // DurationSeconds; 0 = 3600
}

// AssumeRoleProvider is a credentials-go provider of an assumed role's
// temporary keys. It is written here rather than taken from credentials-go
// (providers.RAMRoleARNCredentialsProvider) because that one always calls
// STS over HTTPS at a host name (no emulator, no plain-HTTP private
// endpoint) and renews 180 s before the end of any session, so a session
// shorter than that is fetched again for every call.
//
// A session is renewed when a quarter of its lifetime, or 3 minutes,
// whichever is less, remains; and at once when the service answers
// InvalidSecurityToken.Expired for its key (Expire), which happens when the
// session ends earlier than announced or the clocks disagree. Concurrent
// callers share one AssumeRole call.
type AssumeRoleProvider struct {
	cfg   AssumeRole
	now   func() time.Time
	calls atomic.Int64

	mu      sync.Mutex
	current *providers.Credentials
	renewAt time.Time
}

// NewAssumeRoleProvider returns the provider of cfg's sessions.
func NewAssumeRoleProvider(cfg AssumeRole) (*AssumeRoleProvider, error) {
	if cfg.Source == nil {
		return nil, fmt.Errorf("assume role: no source credentials")
	}
	if _, ok := RoleAccount(cfg.RoleARN); !ok {
		return nil, fmt.Errorf("assume role: %q is not a role ARN (acs:ram::<account-id>:role/<name>)", cfg.RoleARN)
	}
	if cfg.Seconds == 0 {
		cfg.Seconds = 3600
	}
	if cfg.SessionName == "" {
		cfg.SessionName = "alilive-" + strconv.FormatInt(time.Now().UnixNano(), 10)
	}
	if cfg.STS.Host == "" {
		cfg.STS.Host = DefaultSTSHost
	}
	return &AssumeRoleProvider{cfg: cfg, now: time.Now}, nil
}

// RoleAccount returns the account of a role ARN, acs:ram::<account>:role/<name>.
func RoleAccount(arn string) (string, bool) {
	rest, ok := strings.CutPrefix(arn, "acs:ram::")
	if !ok {
		return "", false
	}
	account, name, ok := strings.Cut(rest, ":role/")
	if !ok || account == "" || name == "" || strings.ContainsAny(account, ":/") {
		return "", false
	}
	return account, true
}

// GetProviderName implements providers.CredentialsProvider.
func (p *AssumeRoleProvider) GetProviderName() string { return "ram_role_arn" }

// Sessions is how many AssumeRole calls succeeded.
func (p *AssumeRoleProvider) Sessions() int64 { return p.calls.Load() }

// GetCredentials implements providers.CredentialsProvider: the current
// session's keys, renewed first when it is due.
func (p *AssumeRoleProvider) GetCredentials() (*providers.Credentials, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.current != nil && p.now().Before(p.renewAt) {
		c := *p.current
		return &c, nil
	}
	requested := p.now()
	body, err := callSTS(context.Background(), p.cfg.Source, p.cfg.STS, OpAssumeRole, map[string]*string{
		"RoleArn":         tea.String(p.cfg.RoleARN),
		"RoleSessionName": tea.String(p.cfg.SessionName),
		"DurationSeconds": tea.String(strconv.Itoa(p.cfg.Seconds)),
		"ExternalId":      optional(p.cfg.ExternalID),
		"Policy":          optional(p.cfg.Policy),
	}, stsTimeout)
	if err != nil {
		return nil, fmt.Errorf("assuming role %s: %w", p.cfg.RoleARN, err)
	}
	creds, _ := body["Credentials"].(map[string]any)
	id, _ := creds["AccessKeyId"].(string)
	secret, _ := creds["AccessKeySecret"].(string)
	token, _ := creds["SecurityToken"].(string)
	expiration, _ := creds["Expiration"].(string)
	expires, perr := time.Parse(timeLayout, expiration)
	if id == "" || secret == "" || token == "" || perr != nil {
		return nil, fmt.Errorf("assuming role %s: %s answered no complete temporary credentials", p.cfg.RoleARN,
			OpAssumeRole)
	}
	life := expires.Sub(requested)
	p.renewAt = expires.Add(-min(life/4, 3*time.Minute))
	p.current = &providers.Credentials{AccessKeyId: id, AccessKeySecret: secret, SecurityToken: token,
		ProviderName: p.GetProviderName()}
	p.calls.Add(1)
	c := *p.current
	return &c, nil
}

// Expire forgets the session of accessKeyID, if it is still the current
// one, so that the next GetCredentials renews it.
func (p *AssumeRoleProvider) Expire(accessKeyID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.current != nil && p.current.AccessKeyId == accessKeyID {
		p.current = nil
	}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return tea.String(s)
}
