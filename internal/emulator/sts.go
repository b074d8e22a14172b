// Security Token Service (STS, API version 2015-04-01): AssumeRole and
// GetCallerIdentity, signed and checked like the Live operations, on the
// same address.
//
// Accounts and principals. Every access key belongs to an account
// (Credential.Account; "default" when empty) and is the account's own key
// (Credential.User empty: IdentityType Account) or a RAM user's
// (IdentityType RAMUser). A role is named by its ARN,
// acs:ram::<account>:role/<name>; the account is part of the ARN. Unless
// Options.Roles lists the roles that exist, every well-formed role ARN of
// an account the emulator has a key of can be assumed (by any key: the
// trust policy is not modelled*).
//
// AssumeRole answers a temporary key (AccessKeyId "STS.<random>"), its
// secret and a security token, which the Live operations and STS accept
// until Credentials.Expiration, DurationSeconds (900 to 43200, default
// 3600) after the call, or earlier when Options.STSSessionLimit caps the
// lifetime (for tests that need a session to expire within an apply;
// Options.STSRevokeEarly then keeps announcing the asked lifetime).
// After that a call signed with the key is answered 400
// InvalidSecurityToken.Expired. Expiration is on the wall clock (the base
// clock, Options.Now), not the emulator clock that Advance moves, because
// clients compare it with their own clock. A key that Options.Deny (or
// -deny) denies sts:AssumeRole is answered 403 NoPermission.
//
// GetCallerIdentity answers AccountId, UserId, Arn, IdentityType and
// PrincipalId of the key that signed the call; every principal may call it
// (as on the real service, it needs no permission).
//
// (*) Where the documentation is silent, the emulator takes the reading
// that a client must cope with anyway.

package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// STS operations and version.
const (
	STSVersion          = "2015-04-01"
	OpAssumeRole        = "AssumeRole"
	OpGetCallerIdentity = "GetCallerIdentity"
)

// Codes and messages of the STS answers and of an expired session.
const (
	CodeTokenExpired          = "InvalidSecurityToken.Expired"
	MsgTokenExpired           = "Specified SecurityToken is expired."
	CodeInvalidRoleArn        = "InvalidParameter.RoleArn"
	CodeRoleNotExist          = "EntityNotExist.Role"
	CodeInvalidDuration       = "InvalidParameter.DurationSeconds"
	MsgInvalidDuration        = "The Min/Max value of DurationSeconds is 15min/12hr."
	CodeInvalidSessionName    = "InvalidParameter.RoleSessionName"
	CodeSTSNoPermission       = "NoPermission"
	MsgSTSNoPermission        = "You are not authorized to do this action. You should be authorized by RAM."
	minSessionSeconds         = 900
	maxSessionSeconds         = 43200
	defaultSessionSeconds     = 3600
	identityTypeAccount       = "Account"
	identityTypeRAMUser       = "RAMUser"
	identityTypeAssumedRole   = "AssumedRoleUser"
	roleARNPrefix             = "acs:ram::"
	roleSessionNameMaxLength  = 64
	roleSessionNameMinLength  = 2
	temporaryAccessKeyIDBytes = 12
)

func isSTSOperation(op string) bool { return op == OpAssumeRole || op == OpGetCallerIdentity }

// ParseRoleARN splits acs:ram::<account>:role/<name>.
func ParseRoleARN(arn string) (account, name string, ok bool) {
	rest, found := strings.CutPrefix(arn, roleARNPrefix)
	if !found {
		return "", "", false
	}
	account, name, found = strings.Cut(rest, ":role/")
	if !found || account == "" || name == "" || strings.ContainsAny(account, ":/") {
		return "", "", false
	}
	return account, name, true
}

// ParseAccessKey reads the -access-key flag's value
// ID:SECRET[@ACCOUNT[/USER]].
func ParseAccessKey(spec string) (Credential, error) {
	idSecret, owner, _ := strings.Cut(spec, "@")
	id, secret, ok := strings.Cut(idSecret, ":")
	if !ok || id == "" || secret == "" {
		return Credential{}, fmt.Errorf("access key: want ID:SECRET[@ACCOUNT[/USER]]")
	}
	account, user, _ := strings.Cut(owner, "/")
	if account == "" {
		account = "default"
	}
	return Credential{AccessKeyID: id, AccessKeySecret: secret, Account: account, User: user}, nil
}

// credential returns the key with that ID.
func (s *Server) credential(id string) (Credential, bool) {
	s.credMu.RLock()
	defer s.credMu.RUnlock()
	c, ok := s.creds[id]
	return c, ok
}

// expired reports whether a temporary key's session has ended.
func (s *Server) expired(c Credential) bool {
	return !c.Expires.IsZero() && !s.baseNow().Before(c.Expires)
}

func errTokenExpired() *apiError {
	return newErr(http.StatusBadRequest, CodeTokenExpired, MsgTokenExpired)
}

// serveSTS answers an STS operation for the key that signed it.
func (s *Server) serveSTS(op string, cred Credential, p url.Values, reqID string) (any, *apiError) {
	account := cred.Account
	if op == OpGetCallerIdentity {
		return s.callerIdentity(cred, account, reqID), nil
	}
	s.mu.Lock()
	denied := s.access.deny[cred.AccessKeyID][STSActionAssumeRole]
	s.mu.Unlock()
	if denied {
		return nil, newErr(http.StatusForbidden, CodeSTSNoPermission, MsgSTSNoPermission)
	}
	arn := p.Get("RoleArn")
	if arn == "" {
		return nil, errMissing("RoleArn")
	}
	roleAccount, roleName, ok := ParseRoleARN(arn)
	if !ok {
		return nil, newErr(http.StatusBadRequest, CodeInvalidRoleArn, "The parameter RoleArn is wrongly formed.")
	}
	if !s.roleExists(arn, roleAccount) {
		return nil, newErr(http.StatusNotFound, CodeRoleNotExist, "The role not exists: %s.", arn)
	}
	session := p.Get("RoleSessionName")
	if session == "" {
		return nil, errMissing("RoleSessionName")
	}
	if len(session) < roleSessionNameMinLength || len(session) > roleSessionNameMaxLength {
		return nil, newErr(http.StatusBadRequest, CodeInvalidSessionName,
			"The parameter RoleSessionName must be 2 to 64 characters long.")
	}
	seconds := defaultSessionSeconds
	if v := p.Get("DurationSeconds"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < minSessionSeconds || n > maxSessionSeconds {
			return nil, newErr(http.StatusBadRequest, CodeInvalidDuration, MsgInvalidDuration)
		}
		seconds = n
	}
	asked := time.Duration(seconds) * time.Second
	life := asked
	if limit := s.opts.STSSessionLimit; limit > 0 && limit < life {
		life = limit
	}
	now := s.baseNow()
	expires := now.Add(life)
	announced := expires
	if s.opts.STSRevokeEarly {
		announced = now.Add(asked)
	}
	tmp := Credential{
		AccessKeyID:     "STS." + randomHex(temporaryAccessKeyIDBytes),
		AccessKeySecret: randomHex(24),
		SecurityToken:   "CAIS" + randomHex(48),
		Account:         roleAccount,
		Role:            roleName,
		Session:         session,
		Expires:         expires,
	}
	s.credMu.Lock()
	s.creds[tmp.AccessKeyID] = tmp
	s.credMu.Unlock()
	roleID := "3" + strings.Repeat("0", 8) + strconv.Itoa(len(roleName))
	return map[string]any{
		"RequestId": reqID,
		"AssumedRoleUser": map[string]string{
			"Arn":           arn + "/" + session,
			"AssumedRoleId": roleID + ":" + session,
		},
		"Credentials": map[string]string{
			"AccessKeyId":     tmp.AccessKeyID,
			"AccessKeySecret": tmp.AccessKeySecret,
			"SecurityToken":   tmp.SecurityToken,
			"Expiration":      announced.UTC().Format(timeLayout),
		},
	}, nil
}

// roleExists: Options.Roles lists the role, or (no list) the role's
// account has a key in the emulator.
func (s *Server) roleExists(arn, account string) bool {
	if s.opts.Roles != nil {
		for _, r := range s.opts.Roles {
			if r == arn {
				return true
			}
		}
		return false
	}
	s.credMu.RLock()
	defer s.credMu.RUnlock()
	for _, c := range s.creds {
		if c.Account == account {
			return true
		}
	}
	return false
}

// callerIdentity is GetCallerIdentity's answer for cred.
func (s *Server) callerIdentity(cred Credential, account, reqID string) map[string]string {
	out := map[string]string{"RequestId": reqID, "AccountId": account}
	switch {
	case cred.Role != "":
		out["IdentityType"] = identityTypeAssumedRole
		out["Arn"] = "acs:ram::" + account + ":assumed-role/" + cred.Role + "/" + cred.Session
		out["PrincipalId"] = "3000000" + strconv.Itoa(len(cred.Role)) + ":" + cred.Session
		out["UserId"] = out["PrincipalId"]
	case cred.User != "":
		out["IdentityType"] = identityTypeRAMUser
		out["Arn"] = "acs:ram::" + account + ":user/" + cred.User
		out["UserId"] = "2" + strings.Repeat("0", 5) + strconv.Itoa(len(cred.User))
		out["PrincipalId"] = out["UserId"]
	default:
		out["IdentityType"] = identityTypeAccount
		out["Arn"] = "acs:ram::" + account + ":root"
		out["UserId"] = account
		out["PrincipalId"] = account
	}
	return out
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
