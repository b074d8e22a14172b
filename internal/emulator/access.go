package emulator

import (
	"fmt"
	"strings"
)

// STSActionAssumeRole is the RAM action that -deny names to refuse STS
// AssumeRole to a key.
const STSActionAssumeRole = "sts:AssumeRole"

// Access rules: what an access key's RAM policy does not allow, and the
// conditions of an account that the service reports on its own.
//
// A denied operation is answered the way Alibaba Cloud's gateway answers a
// call that the caller's RAM policy does not allow: HTTP 403, Code
// Forbidden.RAM, the gateway's fixed message, and an AccessDeniedDetail
// object naming the RAM action (live:<Operation>) and the implicit deny.
// The check runs after the signature (an unknown key is still
// InvalidAccessKeyId.NotFound) and before throttling, so a denied call
// spends no quota*.
//
// An account condition is checked by the live service itself, after
// throttling and faults and before the parameters*:
//
//   - AccountNoLiveDomain: the account has no ApsaraVideo Live domain.
//     Every operation answers 400 CodeInvalidAliUid "This aliuid does not
//     have a live domain name." (the Create, Stop and Delete documentation
//     lists the code; that Describe, List, Update and Restart answer it too
//     is the stricter reading*).
//   - AccountLimitReached: the account's resources are exhausted. Create
//     answers 400 CodeNotEnoughResource with the documented message, which
//     states no limit; other operations are served. (An account at
//     Options.MaxTasks gets the same code with a message that states the
//     limit.)

// AccountCondition is a condition of an account that the service reports.
type AccountCondition string

// Account conditions, as written after -account-condition ACCOUNT=.
const (
	AccountNormal       AccountCondition = ""
	AccountNoLiveDomain AccountCondition = "no-live-domain"
	AccountLimitReached AccountCondition = "limit-reached"
)

// AccountConditionNames lists the conditions an account can be put into.
var AccountConditionNames = []AccountCondition{AccountNoLiveDomain, AccountLimitReached}

// Codes and messages of the access rules.
const (
	CodeForbiddenRAM  = "Forbidden.RAM" // HTTP 403
	CodeInvalidAliUid = "CodeInvalidAliUid"

	MsgForbiddenRAM      = "User not authorized to operate on the specified resource, or this API doesn't support RAM."
	MsgInvalidAliUid     = "This aliuid does not have a live domain name."
	MsgNotEnoughResource = "Exceeded configuration limits or insufficient resources."
)

// AccessDeniedDetail is the diagnostic object of a Forbidden.RAM answer,
// with the keys Alibaba Cloud's gateway uses.
type AccessDeniedDetail struct {
	AuthAction               string `json:"AuthAction"`
	AuthPrincipalType        string `json:"AuthPrincipalType"`
	AuthPrincipalDisplayName string `json:"AuthPrincipalDisplayName"`
	AuthPrincipalOwnerId     string `json:"AuthPrincipalOwnerId"`
	NoPermissionType         string `json:"NoPermissionType"`
	PolicyType               string `json:"PolicyType"`
}

// RAMAction is the RAM action that allows an operation ("live:" + op).
func RAMAction(op string) string { return "live:" + op }

// accessRules are the denials and account conditions of a Server.
type accessRules struct {
	deny       map[string]map[string]bool // access key ID -> denied operations
	conditions map[string]AccountCondition
}

func newAccessRules(deny map[string][]string, conditions map[string]AccountCondition) (accessRules, error) {
	a := accessRules{deny: map[string]map[string]bool{}, conditions: map[string]AccountCondition{}}
	for ak, ops := range deny {
		if err := a.setDeny(ak, ops); err != nil {
			return accessRules{}, err
		}
	}
	for account, c := range conditions {
		if err := a.setCondition(account, c); err != nil {
			return accessRules{}, err
		}
	}
	return a, nil
}

// setDeny replaces the operations denied to an access key; none allows
// every operation again.
func (a *accessRules) setDeny(accessKeyID string, ops []string) error {
	if accessKeyID == "" {
		return fmt.Errorf("deny: the access key ID is empty")
	}
	set, err := denySet(ops)
	if err != nil {
		return fmt.Errorf("deny %s: %w", accessKeyID, err)
	}
	if len(set) == 0 {
		delete(a.deny, accessKeyID)
		return nil
	}
	a.deny[accessKeyID] = set
	return nil
}

// denySet resolves operation names (full, short or "*").
func denySet(ops []string) (map[string]bool, error) {
	set := map[string]bool{}
	for _, o := range ops {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		if strings.EqualFold(o, STSActionAssumeRole) {
			set[STSActionAssumeRole] = true
			continue
		}
		op, ok := resolveOp(o)
		if !ok {
			return nil, fmt.Errorf("%q is not one of the seven operations (full or short names, or *) or %s", o,
				STSActionAssumeRole)
		}
		if op == "*" {
			for _, each := range Operations {
				set[each] = true
			}
			continue
		}
		set[op] = true
	}
	return set, nil
}

func (a *accessRules) setCondition(account string, c AccountCondition) error {
	if account == "" {
		account = "default"
	}
	switch c {
	case AccountNormal:
		delete(a.conditions, account)
	case AccountNoLiveDomain, AccountLimitReached:
		a.conditions[account] = c
	default:
		return fmt.Errorf("account condition %q is not one of %s (or empty)", c, conditionList())
	}
	return nil
}

func conditionList() string {
	names := make([]string, len(AccountConditionNames))
	for i, c := range AccountConditionNames {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

// ParseDeny reads the -deny flag's value ACCESSKEYID=Op1,Op2 (full or short
// operation names, or *).
func ParseDeny(spec string) (accessKeyID string, ops []string, err error) {
	ak, list, ok := strings.Cut(spec, "=")
	ak = strings.TrimSpace(ak)
	if !ok || ak == "" {
		return "", nil, fmt.Errorf("deny %q: want ACCESSKEYID=Operation[,Operation...]", spec)
	}
	ops = strings.Split(list, ",")
	if _, err := denySet(ops); err != nil {
		return "", nil, fmt.Errorf("deny %q: %w", spec, err)
	}
	return ak, ops, nil
}

// ParseAccountCondition reads the -account-condition flag's value
// ACCOUNT=CONDITION.
func ParseAccountCondition(spec string) (account string, c AccountCondition, err error) {
	account, name, ok := strings.Cut(spec, "=")
	account = strings.TrimSpace(account)
	if !ok || account == "" {
		return "", "", fmt.Errorf("account condition %q: want ACCOUNT=CONDITION (%s)", spec, conditionList())
	}
	var probe accessRules
	probe.conditions = map[string]AccountCondition{}
	c = AccountCondition(strings.TrimSpace(name))
	if err := probe.setCondition(account, c); err != nil {
		return "", "", err
	}
	return account, c, nil
}
