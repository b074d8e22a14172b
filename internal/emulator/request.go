// One API call, from the HTTP request to the answer: parameters,
// signature, nonce, access rules, throttling, faults, then the operation.

package emulator

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// reply is the outcome of one API call.
type reply struct {
	op     string // a known operation (counted in Stats), or ""
	action string // the requested action as sent, for the log
	status int
	body   any
	err    *apiError
	drop   bool
	// rateLimit is the x-ratelimit-user-api header of a throttled answer.
	rateLimit string
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	reqID := newRequestID()
	rep := s.handleAPI(w, r, reqID)
	if rep.drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
			}
		}
	} else {
		s.write(w, r, reqID, rep)
	}
	if s.logger != nil {
		code := ""
		status := rep.status
		if rep.err != nil {
			code, status = rep.err.Code, rep.err.Status
		}
		if rep.drop {
			code, status = "ConnectionDropped", 0
		}
		s.logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("operation", rep.action),
			slog.Int("status", status),
			slog.String("code", code),
			slog.Duration("latency", time.Since(start)),
			slog.String("request_id", reqID),
		)
	}
}

func (s *Server) write(w http.ResponseWriter, r *http.Request, reqID string, rep reply) {
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=utf-8")
	h.Set("x-acs-request-id", reqID)
	if rep.rateLimit != "" {
		h.Set(headerRateLimit, rep.rateLimit)
	}
	var data []byte
	if rep.err != nil {
		host := r.Host
		if host == "" {
			host = "live.aliyuncs.com"
		}
		data, _ = marshal(errorBody{
			RequestId: reqID,
			HostId:    host,
			Code:      rep.err.Code,
			Message:   rep.err.Message,
			Recommend: "https://api.aliyun.com/troubleshoot?q=" + url.QueryEscape(rep.err.Code) + "&product=live&requestId=" + reqID,
			Denied:    rep.err.Denied,
		})
		w.WriteHeader(rep.err.Status)
	} else {
		var err error
		data, err = marshal(rep.body)
		if err != nil {
			data = []byte(`{"RequestId":"` + reqID + `","Code":"InternalError","Message":"` + MsgInternalError + `"}`)
			w.WriteHeader(http.StatusInternalServerError)
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}

// errorBody is the JSON of every error answer.
type errorBody struct {
	RequestId string `json:"RequestId"`
	HostId    string `json:"HostId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	Recommend string `json:"Recommend"`
	// Denied is the AccessDeniedDetail of a Forbidden.RAM answer.
	Denied *AccessDeniedDetail `json:"AccessDeniedDetail,omitempty"`
}

func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request, reqID string) (rep reply) {
	rep.status = http.StatusOK
	fail := func(e *apiError) reply {
		rep.err = e
		if rep.op != "" {
			s.mu.Lock()
			s.stats.Errors[rep.op]++
			if e.Code == CodeThrottlingUser {
				s.stats.Throttled[rep.op]++
			}
			s.mu.Unlock()
		}
		return rep
	}
	var body []byte
	var err error
	if r.Body != nil {
		body, err = io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	}
	if err != nil {
		return fail(errInvalid("The request body could not be read."))
	}
	if len(body) > maxBody {
		return fail(errInvalid("The request body must be at most 1 MiB."))
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return fail(errInvalid("The query string is not valid URL encoding."))
	}
	params := query
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(strings.ToLower(ct), "application/x-www-form-urlencoded") && len(body) > 0 {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return fail(errInvalid("The form body is not valid URL encoding."))
		}
		params = make(url.Values, len(query)+len(form))
		for k, v := range form {
			params[k] = v
		}
		for k, v := range query {
			params[k] = v
		}
	}
	op := r.Header.Get(headerAction)
	if op == "" {
		op = params.Get("Action")
	}
	if len(op) > 64 {
		rep.action = op[:64]
	} else {
		rep.action = op
	}
	if op == "" {
		return fail(errMissing("Action"))
	}
	sts := isSTSOperation(op)
	if !sts && !isOperation(op) {
		return fail(errActionNotFound())
	}
	wantVersion := apiVersion
	s.mu.Lock()
	if sts {
		s.stats.STS[op]++
		wantVersion = STSVersion
	} else {
		rep.op = op
		s.stats.Calls[op]++
	}
	s.mu.Unlock()
	version := r.Header.Get(headerVersion)
	if version == "" {
		version = params.Get("Version")
	}
	if version == "" {
		return fail(errMissing("Version"))
	}
	if version != wantVersion {
		return fail(errVersion())
	}
	auth, aerr := s.authenticate(r, query, params, body)
	if aerr != nil {
		return fail(aerr)
	}
	if s.expired(auth.cred) {
		s.mu.Lock()
		s.stats.Expired++
		s.mu.Unlock()
		return fail(errTokenExpired())
	}
	account := auth.cred.Account
	if account == "" {
		account = "default"
	}
	s.mu.Lock()
	if !s.useNonceLocked(auth.cred.AccessKeyID, auth.nonce, auth.date) {
		s.mu.Unlock()
		return fail(errNonceUsed())
	}
	if sts {
		s.mu.Unlock()
		out, e := s.serveSTS(op, auth.cred, params, reqID)
		if e != nil {
			return fail(e)
		}
		rep.body = out
		return rep
	}
	if e := s.deniedLocked(auth.cred, account, op); e != nil {
		s.mu.Unlock()
		return fail(e)
	}
	now := time.Now()
	if !s.allowLocked(account, op, now) {
		rep.rateLimit = s.rateLimitHeaderLocked(account, op, now)
		s.mu.Unlock()
		return fail(errThrottled())
	}
	fd, faulted := s.faults.decide(op)
	if faulted && fd.kind == FaultThrottle {
		rep.rateLimit = s.rateLimitHeaderLocked(account, op, now)
	}
	s.mu.Unlock()
	if faulted {
		switch fd.kind {
		case FaultInternal:
			return fail(errInternal())
		case FaultUnavailable:
			return fail(errUnavailable())
		case FaultThrottle:
			return fail(errThrottled())
		case FaultLatency:
			t := time.NewTimer(fd.latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
			}
		case FaultDrop:
			if _, ok := w.(http.Hijacker); ok {
				rep.drop = true
			}
		}
	}
	body2, e := s.dispatch(op, account, params, reqID)
	if rep.drop {
		s.mu.Lock()
		s.stats.Errors[op]++
		s.mu.Unlock()
		return rep
	}
	if e != nil {
		return fail(e)
	}
	rep.body = body2
	return rep
}

// deniedLocked answers Forbidden.RAM when cred may not call op.
func (s *Server) deniedLocked(cred Credential, account, op string) *apiError {
	if !s.access.deny[cred.AccessKeyID][op] {
		return nil
	}
	e := newErr(http.StatusForbidden, CodeForbiddenRAM, MsgForbiddenRAM)
	e.Denied = &AccessDeniedDetail{
		AuthAction:               RAMAction(op),
		AuthPrincipalType:        "SubUser",
		AuthPrincipalDisplayName: cred.AccessKeyID,
		AuthPrincipalOwnerId:     account,
		NoPermissionType:         "ImplicitDeny",
		PolicyType:               "AccountLevelIdentityBasedPolicy",
	}
	return e
}

// accountError answers the condition of account, if it affects op.
func (s *Server) accountError(account, op string) *apiError {
	s.mu.Lock()
	c := s.access.conditions[account]
	s.mu.Unlock()
	switch {
	case c == AccountNoLiveDomain:
		return newErr(http.StatusBadRequest, CodeInvalidAliUid, MsgInvalidAliUid)
	case c == AccountLimitReached && op == OpCreate:
		return newErr(http.StatusBadRequest, CodeNotEnoughResource, MsgNotEnoughResource)
	}
	return nil
}

func (s *Server) dispatch(op, account string, p url.Values, reqID string) (any, *apiError) {
	if e := s.accountError(account, op); e != nil {
		return nil, e
	}
	switch op {
	case OpCreate:
		return s.opCreate(account, p, reqID)
	case OpUpdate:
		return s.opUpdate(account, p, reqID)
	case OpDescribe:
		return s.opDescribe(account, p, reqID)
	case OpList:
		return s.opList(account, p, reqID)
	case OpDelete:
		return s.opDelete(account, p, reqID)
	case OpStop:
		return s.opStop(account, p, reqID)
	case OpRestart:
		return s.opRestart(account, p, reqID)
	}
	return nil, errActionNotFound()
}
