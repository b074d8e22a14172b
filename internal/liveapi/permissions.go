package liveapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Least-privilege credentials.
//
// A RAM policy may allow live:DescribeLivePullToPush but not
// live:DescribeLivePullToPushList. Batched reads (batch.go) use the list,
// so the first denied list call is remembered for the access key and
// endpoint, for the rest of the process: every batched read from then on
// makes one Describe per task, and no list call is tried again for batched
// reads. The reads that were waiting for the denied listing are served the
// same way, so no read fails because the list was denied.
//
// Clients of one access key and endpoint share what was learned, as they
// share their rate limiters, so the denial costs one list call per process
// and is reported once: by the log (a warning when it is learned) and by
// Warnings, which hands it to the first caller that asks.
//
// Which answers are a denial is decided by permissionDenied. Alibaba
// Cloud's gateway answers HTTP 403 Forbidden.RAM ("User not authorized to
// operate on the specified resource, or this API doesn't support RAM.");
// other products use NoPermission and similar codes, and some send 403
// Forbidden. A denial is never retried: repeating it cannot change the
// policy.

// RAMAction is the RAM action that allows an operation ("live:" + op).
func RAMAction(op string) string { return "live:" + op }

// MissingPermission reports whether err is the service refusing a call that
// the credentials' RAM policy does not allow, and the RAM action that
// would allow it (live:<the operation that was refused>).
func MissingPermission(err error) (action string, ok bool) {
	var ae *APIError
	if !errors.As(err, &ae) || !permissionDenied(ae) {
		return "", false
	}
	return RAMAction(ae.Operation), true
}

// permissionDenied decides whether an answer is a RAM denial: a code that
// says so whatever the HTTP status (Forbidden.RAM..., ...NoPermission...,
// ...NotAuthorized...), or the bare Forbidden with HTTP 403.
func permissionDenied(e *APIError) bool {
	c := strings.ToLower(e.Code)
	switch {
	case strings.HasPrefix(c, "forbidden.ram"), strings.Contains(c, "nopermission"),
		strings.Contains(c, "notauthorized"):
		return true
	case c == "forbidden":
		return e.HTTPStatus == 403
	}
	return false
}

// permissionKey identifies one access key at one endpoint.
type permissionKey struct {
	identity string
	endpoint string
}

// permissionState is what the process learned about one key's permissions.
type permissionState struct {
	mu         sync.Mutex
	listDenied *APIError // the first denied DescribeLivePullToPushList, nil while none
	warned     bool      // the denial was handed to a caller of Warnings
	// listAnswered: a list of the key was answered (not denied). Until
	// then probe lets one list before a create out at a time, so that
	// creates at once cost one denied list, not one each.
	listAnswered bool
	probe        sync.Mutex
}

var permissions = struct {
	sync.Mutex
	m map[permissionKey]*permissionState
}{m: map[permissionKey]*permissionState{}}

// permissionsFor returns the shared state of c's access key and endpoint,
// or nil when the credentials cannot name the key.
func (c *Client) permissionsFor() *permissionState {
	id, err := c.identity()
	if err != nil {
		return nil
	}
	k := permissionKey{identity: id, endpoint: c.endpoint}
	permissions.Lock()
	defer permissions.Unlock()
	s, ok := permissions.m[k]
	if !ok {
		s = &permissionState{}
		permissions.m[k] = s
	}
	return s
}

// listAllowed reports whether batched reads may use the list: no list call
// of this key and endpoint was denied in this process.
func (c *Client) listAllowed() bool {
	s := c.permissionsFor()
	if s == nil {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.listDenied == nil
}

// deniedList returns the denied DescribeLivePullToPushList that this key
// and endpoint got in this process, or nil.
func (c *Client) deniedList() error {
	s := c.permissionsFor()
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listDenied == nil {
		return nil
	}
	return s.listDenied
}

// listProbe waits until no other list before a create of the key is in
// flight while it is not yet known whether the key may list, and returns
// the function that ends this one (ok: it was answered).
func (c *Client) listProbe() (done func(ok bool)) {
	s := c.permissionsFor()
	if s == nil {
		return func(bool) {}
	}
	s.mu.Lock()
	known := s.listAnswered
	s.mu.Unlock()
	if known {
		return func(bool) {}
	}
	s.probe.Lock()
	return func(ok bool) {
		if ok {
			s.mu.Lock()
			s.listAnswered = true
			s.mu.Unlock()
		}
		s.probe.Unlock()
	}
}

// noteDenied records err when it is a denied DescribeLivePullToPushList,
// and logs the first such denial of the key as a warning.
func (c *Client) noteDenied(ctx context.Context, err error) {
	var ae *APIError
	if !errors.As(err, &ae) || ae.Operation != OpList || !permissionDenied(ae) {
		return
	}
	s := c.permissionsFor()
	if s == nil {
		return
	}
	s.mu.Lock()
	first := s.listDenied == nil
	if first {
		s.listDenied = ae
	}
	s.mu.Unlock()
	if first {
		c.warn(ctx, "alilive list denied; reading each task with its own Describe from now on", map[string]any{
			"operation": OpList, "region": ae.Region, "error_code": ae.Code, "request_id": ae.RequestID,
			"missing_permission": RAMAction(OpList),
		})
	}
}

// Warnings returns what the user should be told although the calls
// succeeded, each warning once per access key and endpoint in the process:
// today, that DescribeLivePullToPushList was denied and tasks are read one
// by one. A nil client has none.
func (c *Client) Warnings() []Warning {
	if c == nil {
		return nil
	}
	out := c.accountWarning()
	s := c.permissionsFor()
	if s == nil {
		return out
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listDenied == nil || s.warned {
		return out
	}
	s.warned = true
	action := RAMAction(OpList)
	return append(out, Warning{Summary: "Missing Permission " + action, Message: fmt.Sprintf("%s. The credentials lack the RAM permission %s, so "+
		"for the rest of this Terraform run every task is read with its own %s call instead of up to %d tasks per "+
		"%s call, which spends more of the account's quota of API calls. Add %s to the RAM policy of the "+
		"credentials to read tasks in pages again.", strings.TrimSuffix(s.listDenied.Error(), "."), action,
		OpDescribe, listPageSize, OpList, action)})
}

// permissionToLook is the advice for a lookup by dst_url that the RAM
// policy denied, or "".
func permissionToLook(lookup error) string {
	action, ok := MissingPermission(lookup)
	if !ok {
		return ""
	}
	return fmt.Sprintf("add %s to the RAM policy of the credentials so that a create whose answer is lost can "+
		"be looked up", action)
}
