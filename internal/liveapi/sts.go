package liveapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/credentials-go/credentials"
)

// The Security Token Service (API version 2015-04-01), called through the
// SDK's generic client (the STS SDK module is not a dependency): which
// account a key acts for (GetCallerIdentity), and the sessions of an
// assumed role (AssumeRole). quota_account.go keeps the accounts found,
// assume_role.go the sessions.

// STS operations and the code of an ended session.
const (
	stsVersion          = "2015-04-01"
	OpAssumeRole        = "AssumeRole"
	OpGetCallerIdentity = "GetCallerIdentity"
	// CodeTokenExpired answers a call signed with a temporary key whose
	// session has ended.
	CodeTokenExpired = "InvalidSecurityToken.Expired"
	// DefaultSTSHost is the public STS endpoint.
	DefaultSTSHost = "sts.aliyuncs.com"
	stsTimeout     = 10 * time.Second // an AssumeRole call
	// lookupTimeout bounds GetCallerIdentity, which only refines how the
	// limiters are keyed: a slow STS must not hold up a run (the real one
	// answers in milliseconds).
	lookupTimeout = 3 * time.Second
)

// callSTS makes one STS call signed with cred within timeout and returns
// the answer's body.
func callSTS(ctx context.Context, cred credentials.Credential, ep STSEndpoint, action string,
	query map[string]*string, timeout time.Duration) (map[string]any, error) {
	protocol := strings.ToLower(ep.Protocol)
	if protocol == "" {
		protocol = "https"
	}
	cl, err := openapi.NewClient(&openapiutil.Config{Credential: cred, Endpoint: tea.String(ep.Host),
		Protocol: tea.String(protocol), HttpClient: sharedHTTP})
	if err != nil {
		return nil, err
	}
	params := &openapiutil.Params{Action: tea.String(action), Version: tea.String(stsVersion),
		Protocol: tea.String(strings.ToUpper(protocol)), Pathname: tea.String("/"), Method: tea.String("POST"),
		AuthType: tea.String("AK"), Style: tea.String("RPC"), ReqBodyType: tea.String("formData"),
		BodyType: tea.String("json")}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, err := cl.CallApiWithCtx(ctx, params, &openapiutil.OpenApiRequest{Query: openapiutil.Query(query)},
		&dara.RuntimeOptions{Autoretry: tea.Bool(false)})
	if err != nil {
		var se *tea.SDKError
		if errors.As(err, &se) {
			return nil, apiErrorFromSDK(action, "", se)
		}
		return nil, &TransportError{Operation: action, Endpoint: ep.Host, Err: err}
	}
	body, ok := out["body"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: the answer has no JSON body", action)
	}
	return body, nil
}

// CallerAccount asks STS which account cred acts for (GetCallerIdentity).
func CallerAccount(ctx context.Context, cred credentials.Credential, ep STSEndpoint) (string, error) {
	body, err := callSTS(ctx, cred, ep, OpGetCallerIdentity, nil, lookupTimeout)
	if err != nil {
		return "", err
	}
	account, _ := body["AccountId"].(string)
	if account == "" {
		return "", fmt.Errorf("%s answered no AccountId", OpGetCallerIdentity)
	}
	return account, nil
}
