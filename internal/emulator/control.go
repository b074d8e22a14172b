package emulator

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// controlPrefix is the path of the unsigned control surface.
const controlPrefix = "/_emulator/"

type controlError struct {
	Code    string `json:"Code"`
	Message string `json:"Message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		data = []byte(`{"Code":"InternalError","Message":"encoding failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

func controlFail(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, controlError{Code: code, Message: msg})
}

// isLoopback reports whether the caller connected from a loopback address.
func isLoopback(remote string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// decodeBody reads a small JSON body into v; an empty body leaves v alone.
func decodeBody(r *http.Request, v any) error {
	if r.Body == nil {
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return err
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// serveControl implements /_emulator/ (see the package documentation).
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	if !isLoopback(r.RemoteAddr) {
		controlFail(w, http.StatusForbidden, "Forbidden", "The control surface answers loopback callers only.")
		return
	}
	path := strings.Trim(strings.TrimPrefix(r.URL.Path, controlPrefix), "/")
	parts := strings.Split(path, "/")
	method := r.Method
	switch {
	case path == "stats" && method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Stats())
	case path == "stats/reset" && method == http.MethodPost:
		s.ResetStats()
		writeJSON(w, http.StatusOK, s.Stats())
	case path == "reset" && method == http.MethodPost:
		s.Reset()
		writeJSON(w, http.StatusOK, map[string]string{"status": "reset"})
	case path == "clock" && method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]string{"now": formatTime(s.Now())})
	case path == "clock" && method == http.MethodPost:
		var req struct {
			Advance string `json:"advance"`
		}
		if err := decodeBody(r, &req); err != nil {
			controlFail(w, http.StatusBadRequest, "InvalidParameter", "The body must be JSON {\"advance\":\"<Go duration>\"}.")
			return
		}
		d, err := time.ParseDuration(req.Advance)
		if err != nil || d < 0 {
			controlFail(w, http.StatusBadRequest, "InvalidParameter", "The field advance must be a non-negative Go duration such as 90s or 2h.")
			return
		}
		s.Advance(d)
		writeJSON(w, http.StatusOK, map[string]string{"now": formatTime(s.Now())})
	case path == "faults" && method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]string{"plan": s.Faults()})
	case path == "faults" && (method == http.MethodPost || method == http.MethodPut):
		var req struct {
			Plan string `json:"plan"`
		}
		if err := decodeBody(r, &req); err != nil {
			controlFail(w, http.StatusBadRequest, "InvalidParameter", "The body must be JSON {\"plan\":\"<fault plan>\"}.")
			return
		}
		if err := s.SetFaults(req.Plan); err != nil {
			controlFail(w, http.StatusBadRequest, "InvalidParameter", err.Error())
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"plan": s.Faults()})
	case path == "qps" && method == http.MethodPost:
		var req struct {
			QPS *int `json:"qps"`
		}
		if err := decodeBody(r, &req); err != nil || req.QPS == nil {
			controlFail(w, http.StatusBadRequest, "InvalidParameter", "The body must be JSON {\"qps\":<integer>}.")
			return
		}
		s.SetQPS(*req.QPS)
		writeJSON(w, http.StatusOK, map[string]int{"qps": *req.QPS})
	case path == "variants" && method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string][]Variant{"variants": s.Variants()})
	case path == "variants" && (method == http.MethodPost || method == http.MethodPut):
		s.controlVariants(w, r)
	case path == "pushauth":
		s.servePushAuthControl(w, r)
	case path == "listlag":
		s.controlListLag(w, r)
	case path == "tasks" && method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Tasks())
	case path == "tasks" && method == http.MethodPost:
		var req struct {
			Region   string   `json:"Region"`
			TaskInfo TaskInfo `json:"TaskInfo"`
		}
		if err := decodeBody(r, &req); err != nil {
			controlFail(w, http.StatusBadRequest, "InvalidParameter", "The body must be JSON {\"Region\":...,\"TaskInfo\":{...}}: "+err.Error())
			return
		}
		id, err := s.AddTask(req.Region, req.TaskInfo)
		if err != nil {
			controlFail(w, http.StatusBadRequest, "InvalidParameter", err.Error())
			return
		}
		t, _ := s.Task(id)
		writeJSON(w, http.StatusOK, t)
	case len(parts) == 2 && parts[0] == "tasks":
		s.controlTask(w, r, parts[1])
	case len(parts) == 3 && parts[0] == "tasks" && parts[2] == "fail" && method == http.MethodPost:
		var req struct {
			Reason string `json:"reason"`
		}
		if err := decodeBody(r, &req); err != nil {
			controlFail(w, http.StatusBadRequest, "InvalidParameter", "The body must be JSON {\"reason\":\"PullStreamFailed\"}.")
			return
		}
		if err := s.FailTask(parts[1], req.Reason); err != nil {
			controlTaskErr(w, err)
			return
		}
		t, _ := s.Task(parts[1])
		writeJSON(w, http.StatusOK, t)
	case s.serveAccessControl(w, r, path):
	default:
		controlFail(w, http.StatusNotFound, "NotFound", "No control endpoint "+method+" "+r.URL.Path+".")
	}
}

func controlTaskErr(w http.ResponseWriter, err error) {
	if errors.Is(err, ErrNoTask) {
		controlFail(w, http.StatusNotFound, CodeTaskNotExist, MsgTaskNotExist)
		return
	}
	controlFail(w, http.StatusConflict, "InvalidState", err.Error())
}

func (s *Server) controlTask(w http.ResponseWriter, r *http.Request, id string) {
	switch r.Method {
	case http.MethodGet:
		t, ok := s.Task(id)
		if !ok {
			controlFail(w, http.StatusNotFound, CodeTaskNotExist, MsgTaskNotExist)
			return
		}
		writeJSON(w, http.StatusOK, t)
	case http.MethodPatch, http.MethodPost:
		var p TaskPatch
		if err := decodeBody(r, &p); err != nil {
			controlFail(w, http.StatusBadRequest, "InvalidParameter", "The body must be a JSON TaskPatch: "+err.Error())
			return
		}
		if err := s.PatchTask(id, p); err != nil {
			if errors.Is(err, ErrNoTask) {
				controlTaskErr(w, err)
				return
			}
			controlFail(w, http.StatusBadRequest, "InvalidParameter", err.Error())
			return
		}
		t, _ := s.Task(id)
		writeJSON(w, http.StatusOK, t)
	case http.MethodDelete:
		if err := s.DeleteTask(id); err != nil {
			controlTaskErr(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		controlFail(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "Use GET, PATCH, POST or DELETE on /_emulator/tasks/{id}.")
	}
}

// controlVariants sets the variants from {"variants":"a,b"} (the -variant
// syntax, "all" included; "" for the emulator's defaults (no variant)).
func (s *Server) controlVariants(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Variants *string `json:"variants"`
	}
	if err := decodeBody(r, &req); err != nil || req.Variants == nil {
		controlFail(w, http.StatusBadRequest, "InvalidParameter", "The body must be JSON {\"variants\":\"<name>[,<name>...]\"}, \"all\" or \"\".")
		return
	}
	vs, err := ParseVariants(*req.Variants)
	if err == nil {
		err = s.SetVariants(vs)
	}
	if err != nil {
		controlFail(w, http.StatusBadRequest, "InvalidParameter", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string][]Variant{"variants": s.Variants()})
}

// controlListLag implements /_emulator/listlag.
func (s *Server) controlListLag(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodPost, http.MethodPut:
		var req struct {
			Lag string `json:"lag"`
		}
		err := decodeBody(r, &req)
		d, perr := time.ParseDuration(req.Lag)
		if err != nil || perr != nil || d < 0 {
			controlFail(w, http.StatusBadRequest, "InvalidParameter", "The body must be JSON {\"lag\":\"<Go duration>\"}, a non-negative duration such as 2s (0s: no lag).")
			return
		}
		s.SetListLag(d)
	default:
		controlFail(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "Use GET or POST on /_emulator/listlag.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"lag": s.ListLag().String()})
}

// servePushAuthControl serves /_emulator/pushauth.
func (s *Server) servePushAuthControl(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodPost, http.MethodPut:
		var req struct {
			Host string  `json:"host"`
			Key  *string `json:"key"`
		}
		if err := decodeBody(r, &req); err != nil || req.Key == nil {
			controlFail(w, http.StatusBadRequest, "InvalidParameter",
				`The body must be JSON {"host":"push.example.com","key":"<ingest key>"} ("" removes the key).`)
			return
		}
		if err := s.SetPushAuthKey(req.Host, *req.Key); err != nil {
			controlFail(w, http.StatusBadRequest, "InvalidParameter", err.Error())
			return
		}
	default:
		controlFail(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "Use GET or POST on /_emulator/pushauth.")
		return
	}
	writeJSON(w, http.StatusOK, map[string][]string{"hosts": s.PushAuthHosts()})
}

// serveAccessControl serves the control endpoints of the access rules and
// reports whether path was one of them.
func (s *Server) serveAccessControl(w http.ResponseWriter, r *http.Request, path string) bool {
	switch {
	case path == "deny" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Denied())
	case path == "deny" && r.Method == http.MethodPost:
		var req struct {
			AccessKeyID *string  `json:"access_key_id"`
			Operations  []string `json:"operations"`
		}
		if err := decodeBody(r, &req); err != nil || req.AccessKeyID == nil {
			controlFail(w, http.StatusBadRequest, "InvalidParameter",
				`The body must be JSON {"access_key_id":"<key>","operations":["DescribeLivePullToPushList"]}.`)
			return true
		}
		if err := s.SetDenied(*req.AccessKeyID, req.Operations...); err != nil {
			controlFail(w, http.StatusBadRequest, "InvalidParameter", err.Error())
			return true
		}
		writeJSON(w, http.StatusOK, s.Denied())
	case path == "conditions" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.AccountConditions())
	case path == "conditions" && r.Method == http.MethodPost:
		var req struct {
			Account   string            `json:"account"`
			Condition *AccountCondition `json:"condition"`
		}
		if err := decodeBody(r, &req); err != nil || req.Condition == nil {
			controlFail(w, http.StatusBadRequest, "InvalidParameter",
				`The body must be JSON {"account":"default","condition":"no-live-domain"}.`)
			return true
		}
		if err := s.SetAccountCondition(req.Account, *req.Condition); err != nil {
			controlFail(w, http.StatusBadRequest, "InvalidParameter", err.Error())
			return true
		}
		writeJSON(w, http.StatusOK, s.AccountConditions())
	default:
		return false
	}
	return true
}
