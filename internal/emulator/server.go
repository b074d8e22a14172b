package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds a request body.
const maxBody = 1 << 20

// ServeHTTP serves the API on every path except /_emulator/, which is the
// control surface. It lets the emulator be mounted in any http.Server or
// driven through httptest.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		s.serveControl(w, r)
		return
	}
	s.serveAPI(w, r)
}

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

// marshal encodes JSON without HTML escaping (URLs keep their '&').
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
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

func isOperation(op string) bool {
	for _, o := range Operations {
		if o == op {
			return true
		}
	}
	return false
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
	if !isOperation(op) {
		return fail(errActionNotFound())
	}
	rep.op = op
	s.mu.Lock()
	s.stats.Calls[op]++
	s.mu.Unlock()
	version := r.Header.Get(headerVersion)
	if version == "" {
		version = params.Get("Version")
	}
	if version == "" {
		return fail(errMissing("Version"))
	}
	if version != apiVersion {
		return fail(errVersion())
	}
	auth, aerr := s.authenticate(r, query, params, body)
	if aerr != nil {
		return fail(aerr)
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

// headerRateLimit carries the gateway's advice on a throttled answer.
const headerRateLimit = "x-ratelimit-user-api"

// rateLimitHeaderLocked renders the x-ratelimit-user-api header of a
// throttled answer as the gateway sends it:
//
//	Limit:<calls per second>,Remain:0,TimeLeft:<ms>,Reset:<Unix ms>
//
// TimeLeft is the time until the window admits a call again, rounded up to
// a millisecond (0 when the window has room: a throttle injected by a
// fault); Reset is the Unix time in milliseconds at which that is (the
// gateway's own meaning of Reset is undocumented; clients read TimeLeft,
// as the official SDK does).
func (s *Server) rateLimitHeaderLocked(account, op string, now time.Time) string {
	var left time.Duration
	if wd := s.windows[account+"\x00"+op]; wd != nil && s.qps > 0 && len(wd.times) >= s.qps {
		left = max(0, wd.times[len(wd.times)-s.qps].Add(time.Second).Sub(now))
	}
	if r := left % time.Millisecond; r != 0 {
		left += time.Millisecond - r // rounded up: waiting TimeLeft is always enough
	}
	ms := left.Milliseconds()
	limit := max(s.qps, 0)
	return fmt.Sprintf("Limit:%d,Remain:0,TimeLeft:%d,Reset:%d", limit, ms, now.Add(left).UnixMilli())
}

// window is a sliding one-second log of accepted calls.
type window struct {
	times []time.Time
}

// allowLocked applies the per-account, per-operation QPS limit on the
// wall clock.
func (s *Server) allowLocked(account, op string, now time.Time) bool {
	if s.qps < 0 {
		return true
	}
	key := account + "\x00" + op
	wd := s.windows[key]
	if wd == nil {
		wd = &window{}
		s.windows[key] = wd
	}
	cut := now.Add(-time.Second)
	i := 0
	for i < len(wd.times) && !wd.times[i].After(cut) {
		i++
	}
	wd.times = wd.times[i:]
	if len(wd.times) >= s.qps {
		return false
	}
	wd.times = append(wd.times, now)
	return true
}
