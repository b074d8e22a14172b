package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Limits and value sets of the validation rules.
const (
	maxURLLength    = 2000
	maxSourceUrls   = 30
	maxWindow       = 7 * 24 * time.Hour
	minRetryInt     = 60
	maxRetryInt     = 300
	maxPageSize     = 100
	defaultPageSize = 10
	maxTaskIDFilter = 55
)

// Regions, source types and source protocols accepted.
var (
	Regions         = []string{"ap-southeast-1", "ap-southeast-5", "cn-beijing", "cn-shanghai", "cn-shenzhen"}
	SourceTypes     = []string{"live", "vod", "url"}
	SourceProtocols = []string{"rtmp", "rtsp", "srt", "http-flv", "flv"}
)

var (
	mediaIDRe      = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	taskIDFilterRe = regexp.MustCompile(`^[A-Za-z0-9_-]*$`)
)

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// param returns a parameter and whether it was sent at all.
func param(p url.Values, name string) (string, bool) {
	v, ok := p[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// required returns a non-empty parameter or MissingParameter.
func required(p url.Values, name string) (string, *apiError) {
	v, _ := param(p, name)
	if v == "" {
		return "", errMissing(name)
	}
	return v, nil
}

// optInt parses an optional int32 parameter.
func optInt(p url.Values, name string) (int32, bool, *apiError) {
	v, ok := param(p, name)
	if !ok {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0, true, errInvalid("The parameter %s must be an integer.", name)
	}
	return int32(n), true, nil
}

// intWithDefault reads an optional integer parameter: def when it is
// absent, InvalidParameter with the message rule when it lies outside
// [lo, hi].
func intWithDefault(p url.Values, name string, def, lo, hi int32, rule string) (int32, *apiError) {
	n, ok, e := optInt(p, name)
	switch {
	case e != nil:
		return 0, e
	case !ok:
		return def, nil
	case n < lo || n > hi:
		return 0, errInvalid("%s", rule)
	}
	return n, nil
}

// sourceUrlsParam reads SourceUrls as a JSON array of strings, or in the
// repeat-list style SourceUrls.1, SourceUrls.2, ...
func sourceUrlsParam(p url.Values) ([]string, bool, *apiError) {
	if v, ok := param(p, "SourceUrls"); ok {
		if strings.TrimSpace(v) == "" {
			return nil, true, errMissing("SourceUrls")
		}
		var urls []string
		if err := json.Unmarshal([]byte(v), &urls); err != nil {
			return nil, true, errInvalid("The parameter SourceUrls must be a JSON array of strings.")
		}
		if urls == nil {
			urls = []string{}
		}
		return urls, true, nil
	}
	var urls []string
	for i := 1; ; i++ {
		v, ok := param(p, "SourceUrls."+strconv.Itoa(i))
		if !ok {
			break
		}
		urls = append(urls, v)
	}
	if urls == nil {
		return nil, false, nil
	}
	return urls, true, nil
}

// validURL checks an absolute URL with one of the schemes and a host.
func validURL(raw string, schemes ...string) bool {
	for _, r := range raw {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return false
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return false
	}
	return contains(schemes, u.Scheme)
}

// liveSchemes maps a live SourceProtocol to the URL schemes that fit it.
var liveSchemes = map[string][]string{
	"rtmp":     {"rtmp"},
	"rtsp":     {"rtsp"},
	"srt":      {"srt"},
	"http-flv": {"http", "https"},
	"flv":      {"http", "https"},
}

// validateSourceUrls applies the count and scheme rules for a source type.
func validateSourceUrls(sourceType, protocol string, urls []string) *apiError {
	switch sourceType {
	case "live":
		if len(urls) != 1 {
			return errInvalid("The parameter SourceUrls must contain exactly 1 URL when SourceType is live.")
		}
	default:
		if len(urls) < 1 || len(urls) > maxSourceUrls {
			return errInvalid("The parameter SourceUrls must contain 1 to %d entries when SourceType is %s.", maxSourceUrls, sourceType)
		}
	}
	for i, u := range urls {
		if len(u) > maxURLLength {
			return errInvalid("The parameter SourceUrls must hold entries of at most %d characters; entry %d has %d.", maxURLLength, i+1, len(u))
		}
		switch sourceType {
		case "live":
			schemes := liveSchemes[protocol]
			if !validURL(u, schemes...) {
				return errInvalid("The parameter SourceUrls must hold a %s:// URL with a host when SourceProtocol is %s; entry %d is not.", strings.Join(schemes, ":// or "), protocol, i+1)
			}
		case "vod":
			if !mediaIDRe.MatchString(u) {
				return errInvalid("The parameter SourceUrls must hold ApsaraVideo VOD media IDs (1 to 64 letters, digits, '-' or '_') when SourceType is vod; entry %d is not.", i+1)
			}
		case "url":
			if !validURL(u, "http", "https") {
				return errInvalid("The parameter SourceUrls must hold http:// or https:// URLs with a host when SourceType is url; entry %d is not.", i+1)
			}
		}
	}
	return nil
}

func validateDstURL(v string) *apiError {
	if len(v) > maxURLLength {
		return errInvalid("The parameter DstUrl must be at most %d characters long.", maxURLLength)
	}
	if !validURL(v, "rtmp") {
		return errInvalid("The parameter DstUrl must be an rtmp:// URL with a host.")
	}
	return nil
}

func validateCallbackURL(v string) *apiError {
	if v == "" {
		return nil
	}
	if len(v) > maxURLLength {
		return errInvalid("The parameter CallbackUrl must be at most %d characters long.", maxURLLength)
	}
	if !validURL(v, "http", "https") {
		return errInvalid("The parameter CallbackUrl must be an http:// or https:// URL with a host.")
	}
	return nil
}

func parseTimeParam(name, v string) (time.Time, *apiError) {
	t, ok := parseWireTime(v)
	if !ok {
		return time.Time{}, errInvalid("The parameter %s must be a UTC time in the format yyyy-MM-ddTHH:mm:ssZ.", name)
	}
	return t, nil
}

// validateWindow applies the StartTime/EndTime rules.
func validateWindow(start, end, now time.Time) *apiError {
	if !end.After(start) {
		return errDuration("The parameter EndTime must be later than StartTime.")
	}
	if !end.After(now) {
		return errDuration("The parameter EndTime must be later than the current time.")
	}
	if end.Sub(start) > maxWindow {
		return errDuration("The interval from StartTime to EndTime must not exceed 7 days.")
	}
	return nil
}

func validateRegion(p url.Values) (string, *apiError) {
	region, e := required(p, "Region")
	if e != nil {
		return "", e
	}
	if !contains(Regions, region) {
		return "", errInvalid("%s", msgOneOf("Region", Regions))
	}
	return region, nil
}

// playback holds the vod/url-only integer parameters.
type playback struct {
	repeat, fileIndex, offset          int32
	hasRepeat, hasFileIndex, hasOffset bool
}

func readPlayback(p url.Values) (playback, *apiError) {
	var pb playback
	var e *apiError
	if pb.repeat, pb.hasRepeat, e = optInt(p, "RepeatNumber"); e != nil {
		return pb, e
	}
	if pb.hasRepeat && pb.repeat < -1 {
		return pb, errInvalid("The parameter RepeatNumber must be an integer of at least -1.")
	}
	if pb.fileIndex, pb.hasFileIndex, e = optInt(p, "FileIndex"); e != nil {
		return pb, e
	}
	if pb.hasFileIndex && pb.fileIndex < 0 {
		return pb, errInvalid("The parameter FileIndex must be an integer of at least 0.")
	}
	if pb.offset, pb.hasOffset, e = optInt(p, "Offset"); e != nil {
		return pb, e
	}
	if pb.hasOffset && pb.offset < 0 {
		return pb, errInvalid("The parameter Offset must be an integer of at least 0 (seconds).")
	}
	return pb, nil
}

// checkPlayback applies the rules that depend on the source.
func checkPlayback(sourceType string, repeat, fileIndex, offset int32, urls []string) *apiError {
	if sourceType == "live" {
		switch {
		case repeat != 0:
			return errInvalid("The parameter RepeatNumber applies only when SourceType is vod or url; it must be 0 for live.")
		case fileIndex != 0:
			return errInvalid("The parameter FileIndex applies only when SourceType is vod or url; it must be 0 for live.")
		case offset != 0:
			return errInvalid("The parameter Offset applies only when SourceType is vod or url; it must be 0 for live.")
		}
	}
	if int(fileIndex) >= len(urls) {
		return errInvalid("The parameter FileIndex must be less than the number of SourceUrls (%d).", len(urls))
	}
	return nil
}

type okBody struct {
	RequestId   string `json:"RequestId"`
	RetCode     int32  `json:"RetCode"`
	Description string `json:"Description"`
}

type createBody struct {
	RequestId   string `json:"RequestId"`
	RetCode     int32  `json:"RetCode"`
	Description string `json:"Description"`
	TaskId      string `json:"TaskId"`
}

type taskIDBody struct {
	RequestId string `json:"RequestId"`
	TaskId    string `json:"TaskId"`
}

// wireTask is a task as Describe and List show it (no Region key).
type wireTask struct {
	TaskId            string   `json:"TaskId"`
	TaskStatus        int32    `json:"TaskStatus"`
	TaskInvalidReason string   `json:"TaskInvalidReason"`
	TaskExitReason    string   `json:"TaskExitReason"`
	TaskExitTime      int32    `json:"TaskExitTime"`
	CurrentFileIndex  int32    `json:"CurrentFileIndex"`
	CurrentOffset     int32    `json:"CurrentOffset"`
	TaskInfo          TaskInfo `json:"TaskInfo"`
}

func (s *Server) wireLocked(t *task, now time.Time) wireTask {
	v := s.viewLocked(t, now)
	return wireTask{
		TaskId:            v.TaskId,
		TaskStatus:        v.TaskStatus,
		TaskInvalidReason: v.TaskInvalidReason,
		TaskExitReason:    v.TaskExitReason,
		TaskExitTime:      v.TaskExitTime,
		CurrentFileIndex:  v.CurrentFileIndex,
		CurrentOffset:     v.CurrentOffset,
		TaskInfo:          v.TaskInfo,
	}
}

// answerLocked is a Describe or List body, without its empty optional
// keys under omit-empty.
func (s *Server) answerLocked(body any) (any, *apiError) {
	if !s.on(VariantOmitEmpty) {
		return body, nil
	}
	m, err := omitEmpty(body)
	if err != nil {
		return nil, errInternal()
	}
	return m, nil
}

type describeBody struct {
	RequestId   string `json:"RequestId"`
	RetCode     int32  `json:"RetCode"`
	Description string `json:"Description"`
	wireTask
}

type listBody struct {
	RequestId  string     `json:"RequestId"`
	Total      int        `json:"Total"`
	PageNumber int        `json:"PageNumber"`
	PageSize   int        `json:"PageSize"`
	TaskList   []wireTask `json:"TaskList"`
}

func (s *Server) opCreate(account string, p url.Values, reqID string) (any, *apiError) {
	for _, name := range []string{"Region", "StartTime", "EndTime", "SourceType", "SourceUrls", "DstUrl"} {
		if name == "SourceUrls" {
			if _, repeat := firstRepeatList(p); repeat {
				continue
			}
		}
		if _, e := required(p, name); e != nil {
			return nil, e
		}
	}
	region, e := validateRegion(p)
	if e != nil {
		return nil, e
	}
	start, e := parseTimeParam("StartTime", p.Get("StartTime"))
	if e != nil {
		return nil, e
	}
	end, e := parseTimeParam("EndTime", p.Get("EndTime"))
	if e != nil {
		return nil, e
	}
	sourceType := p.Get("SourceType")
	if !contains(SourceTypes, sourceType) {
		return nil, errInvalid("%s", msgOneOf("SourceType", SourceTypes))
	}
	protocol, hasProtocol := param(p, "SourceProtocol")
	if sourceType == "live" && protocol == "" {
		return nil, errMissing("SourceProtocol")
	}
	if hasProtocol && protocol != "" && !contains(SourceProtocols, protocol) {
		return nil, errInvalid("%s", msgOneOf("SourceProtocol", SourceProtocols))
	}
	urls, _, e := sourceUrlsParam(p)
	if e != nil {
		return nil, e
	}
	if e := validateSourceUrls(sourceType, protocol, urls); e != nil {
		return nil, e
	}
	dst := p.Get("DstUrl")
	if e := validateDstURL(dst); e != nil {
		return nil, e
	}
	callback, _ := param(p, "CallbackUrl")
	if e := validateCallbackURL(callback); e != nil {
		return nil, e
	}
	retryCount, e := intWithDefault(p, "RetryCount", 3, 0, math.MaxInt32,
		"The parameter RetryCount must be an integer of at least 0.")
	if e != nil {
		return nil, e
	}
	retryInterval, e := intWithDefault(p, "RetryInterval", 60, minRetryInt, maxRetryInt,
		fmt.Sprintf("The parameter RetryInterval must be an integer from %d to %d (seconds).", minRetryInt, maxRetryInt))
	if e != nil {
		return nil, e
	}
	pb, e := readPlayback(p)
	if e != nil {
		return nil, e
	}
	if e := checkPlayback(sourceType, pb.repeat, pb.fileIndex, pb.offset, urls); e != nil {
		return nil, e
	}
	name, _ := param(p, "TaskName")

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	if e := validateWindow(start, end, now); e != nil {
		return nil, e
	}
	if s.maxTasks >= 0 && s.countLocked(account) >= s.maxTasks {
		return nil, errNotEnoughResource(s.maxTasks)
	}
	for _, o := range s.order {
		if o.Account == account && o.DstUrl == dst && o.Status != StatusExited && !s.on(VariantDstConflictAtRuntime) {
			return nil, errConfigExists(o.ID)
		}
	}
	t := &task{
		ID:             newTaskID(),
		Account:        account,
		Region:         region,
		Name:           name,
		Start:          start,
		End:            end,
		SourceType:     sourceType,
		SourceProtocol: protocol,
		ProtocolAsSent: protocol,
		SourceUrls:     urls,
		DstUrl:         dst,
		CallbackURL:    callback,
		RepeatNumber:   pb.repeat,
		FileIndex:      pb.fileIndex,
		Offset:         pb.offset,
		RetryCount:     retryCount,
		RetryInterval:  retryInterval,
		Status:         StatusIdle,
		Created:        now,
	}
	s.insertLocked(t)
	s.lagWriteLocked(t, now, true)
	s.applyLocked(now)
	s.saveLocked()
	return createBody{RequestId: reqID, RetCode: 0, Description: "OK", TaskId: t.ID}, nil
}

// findTask validates Region and TaskId and looks the task up.
func (s *Server) findTaskLocked(account string, p url.Values) (*task, *apiError) {
	if _, e := required(p, "TaskId"); e != nil {
		return nil, e
	}
	region, e := validateRegion(p)
	if e != nil {
		return nil, e
	}
	s.nowLocked()
	t := s.lookupLocked(account, region, p.Get("TaskId"))
	if t == nil {
		return nil, errTaskNotExist()
	}
	return t, nil
}

func (s *Server) opDescribe(account string, p url.Values, reqID string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.findTaskLocked(account, p)
	if e != nil {
		return nil, e
	}
	return s.answerLocked(describeBody{RequestId: reqID, RetCode: 0, Description: "OK", wireTask: s.wireLocked(t, s.nowLocked())})
}

func (s *Server) opList(account string, p url.Values, reqID string) (any, *apiError) {
	region, e := validateRegion(p)
	if e != nil {
		return nil, e
	}
	idFilter, _ := param(p, "TaskId")
	if len(idFilter) > maxTaskIDFilter || !taskIDFilterRe.MatchString(idFilter) {
		return nil, errInvalid("The parameter TaskId must be at most %d characters of letters, digits, '_' or '-'.", maxTaskIDFilter)
	}
	nameFilter, _ := param(p, "TaskName")
	dstFilter, _ := param(p, "DstUrl")
	page, e := intWithDefault(p, "PageNumber", 1, 1, math.MaxInt32,
		"The parameter PageNumber must be an integer of at least 1.")
	if e != nil {
		return nil, e
	}
	size, e := intWithDefault(p, "PageSize", defaultPageSize, 1, maxPageSize,
		fmt.Sprintf("The parameter PageSize must be an integer from 1 to %d.", maxPageSize))
	if e != nil {
		return nil, e
	}
	idFilter, nameFilter, dstFilter = strings.ToLower(idFilter), strings.ToLower(nameFilter), strings.ToLower(dstFilter)

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	s.pruneLagLocked(now)
	var matches []wireTask
	for _, t := range s.order {
		if t.Account != account || t.Region != region {
			continue
		}
		if idFilter != "" && !strings.Contains(strings.ToLower(t.ID), idFilter) {
			continue
		}
		if nameFilter != "" && !strings.Contains(strings.ToLower(t.Name), nameFilter) {
			continue
		}
		if dstFilter != "" && !strings.Contains(strings.ToLower(t.DstUrl), dstFilter) {
			continue
		}
		if w, listed := s.listViewLocked(t, now); listed {
			matches = append(matches, w)
		}
	}
	body := listBody{RequestId: reqID, Total: len(matches), PageNumber: int(page), PageSize: int(size), TaskList: []wireTask{}}
	from := (int64(page) - 1) * int64(size)
	for i := from; i < int64(len(matches)) && i < from+int64(size); i++ {
		body.TaskList = append(body.TaskList, matches[i])
	}
	return s.answerLocked(body)
}

// immutableOnUpdate are parameters UpdateLivePullToPush does not have.
var immutableOnUpdate = []string{"TaskName", "SourceType", "SourceProtocol", "DstUrl", "RetryCount", "RetryInterval"}

// runningRestricted are parameters a running or recovering task refuses.
var runningRestricted = []string{"StartTime", "EndTime", "SourceUrls", "FileIndex", "Offset"}

func (s *Server) opUpdate(account string, p url.Values, reqID string) (any, *apiError) {
	if _, e := required(p, "TaskId"); e != nil {
		return nil, e
	}
	if _, e := validateRegion(p); e != nil {
		return nil, e
	}
	for _, name := range immutableOnUpdate {
		if _, ok := param(p, name); ok {
			return nil, errInvalid("The parameter %s cannot be changed by UpdateLivePullToPush; create a new task instead.", name)
		}
	}
	var start, end time.Time
	startS, hasStart := param(p, "StartTime")
	endS, hasEnd := param(p, "EndTime")
	var e *apiError
	if hasStart {
		if start, e = parseTimeParam("StartTime", startS); e != nil {
			return nil, e
		}
	}
	if hasEnd {
		if end, e = parseTimeParam("EndTime", endS); e != nil {
			return nil, e
		}
	}
	urls, hasUrls, e := sourceUrlsParam(p)
	if e != nil {
		return nil, e
	}
	callback, hasCallback := param(p, "CallbackUrl")
	if e := validateCallbackURL(callback); e != nil {
		return nil, e
	}
	pb, e := readPlayback(p)
	if e != nil {
		return nil, e
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.findTaskLocked(account, p)
	if e != nil {
		return nil, e
	}
	now := s.nowLocked()
	ok := okBody{RequestId: reqID, RetCode: 0, Description: "OK"}
	if t.Status == StatusExited {
		return ok, nil // exited-visible: accepted, without effect
	}
	if t.Status == StatusRunning || t.Status == StatusRecovering {
		if name := s.runningRefusedLocked(p); name != "" {
			if s.on(VariantUpdateIgnored) {
				return ok, nil
			}
			if s.on(VariantEndTimeWhileRunning) {
				return nil, errInvalid("The parameter %s cannot be updated while the task is running (TaskStatus 1) or recovering (TaskStatus 2); only EndTime, CallbackUrl and RepeatNumber can.", name)
			}
			return nil, errInvalid("The parameter %s cannot be updated while the task is running (TaskStatus 1) or recovering (TaskStatus 2); only CallbackUrl and RepeatNumber can.", name)
		}
	}
	if hasCallback && callback == "" && s.on(VariantCallbackUnclearable) {
		hasCallback = false
	}
	// Merge and validate.
	mStart, mEnd, mURLs := t.Start, t.End, t.SourceUrls
	if hasStart {
		mStart = start
	}
	if hasEnd {
		mEnd = end
	}
	if hasUrls {
		if e := validateSourceUrls(t.SourceType, t.SourceProtocol, urls); e != nil {
			return nil, e
		}
		mURLs = urls
	}
	mRepeat, mFile, mOffset := t.RepeatNumber, t.FileIndex, t.Offset
	if pb.hasRepeat {
		mRepeat = pb.repeat
	}
	if pb.hasFileIndex {
		mFile = pb.fileIndex
	}
	if pb.hasOffset {
		mOffset = pb.offset
	}
	if pb.hasRepeat || pb.hasFileIndex || pb.hasOffset || hasUrls {
		if e := checkPlayback(t.SourceType, mRepeat, mFile, mOffset, mURLs); e != nil {
			return nil, e
		}
	}
	if hasStart || hasEnd {
		if e := validateWindow(mStart, mEnd, now); e != nil {
			return nil, e
		}
	}
	s.lagWriteLocked(t, now, false)
	t.Start, t.End, t.SourceUrls = mStart, mEnd, mURLs
	t.RepeatNumber, t.FileIndex, t.Offset = mRepeat, mFile, mOffset
	if hasCallback {
		t.CallbackURL = callback
	}
	s.recomputeDueLocked()
	s.applyLocked(now)
	s.saveLocked()
	return ok, nil
}

// runningRefusedLocked names the first Update parameter sent that a
// running task refuses ("" for none): StartTime, EndTime (except with
// endtime-while-running), SourceUrls, FileIndex and Offset.
func (s *Server) runningRefusedLocked(p url.Values) string {
	for _, name := range runningRestricted {
		if name == "EndTime" && s.on(VariantEndTimeWhileRunning) {
			continue
		}
		if _, ok := p[name]; ok {
			return name
		}
	}
	if _, ok := firstRepeatList(p); ok {
		return "SourceUrls"
	}
	return ""
}

// firstRepeatList reports whether SourceUrls.N parameters were sent.
func firstRepeatList(p url.Values) (string, bool) {
	v, ok := param(p, "SourceUrls.1")
	return v, ok
}

func (s *Server) opStop(account string, p url.Values, reqID string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.findTaskLocked(account, p)
	if e != nil {
		return nil, e
	}
	now := s.nowLocked()
	ok := taskIDBody{RequestId: reqID, TaskId: t.ID}
	switch {
	case t.Status == StatusExited:
		return ok, nil // exited-visible: accepted, without effect
	case t.Pending == StatusRunning:
		// async: a restart not yet in effect is called off.
		t.Pending, t.PendingAt = 0, time.Time{}
		s.recomputeDueLocked()
		s.saveLocked()
		return ok, nil
	case t.Status == StatusStopped:
		return nil, errTaskHasStopped()
	case t.Status == StatusIdle && s.on(VariantStopIdleNoop):
		return ok, nil
	case t.Status == StatusIdle:
		return nil, errInvalid("The task cannot be stopped before its StartTime (TaskStatus 0); only a running (1) or recovering (2) task can be stopped.")
	}
	s.lagWriteLocked(t, now, false)
	if s.on(VariantAsync) {
		if t.Pending != StatusStopped {
			t.Pending, t.PendingAt = StatusStopped, now.Add(s.asyncDelay)
		}
	} else {
		s.stopNowLocked(t, now)
	}
	s.recomputeDueLocked()
	s.saveLocked()
	return ok, nil
}

func (s *Server) opRestart(account string, p url.Values, reqID string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.findTaskLocked(account, p)
	if e != nil {
		return nil, e
	}
	now := s.nowLocked()
	if t.Status == StatusExited {
		return taskIDBody{RequestId: reqID, TaskId: t.ID}, nil // exited-visible: accepted, without effect
	}
	if t.Status == StatusIdle || now.Before(t.Start) {
		return nil, errInvalid("The task cannot be restarted before its StartTime (%s).", formatTime(t.Start))
	}
	s.lagWriteLocked(t, now, false)
	if s.on(VariantRestartNewID) {
		s.rekeyLocked(t, newTaskID())
	}
	if s.on(VariantAsync) {
		t.Pending, t.PendingAt = StatusRunning, now.Add(s.asyncDelay)
	} else {
		s.runLocked(t, now, true)
	}
	s.recomputeDueLocked()
	s.saveLocked()
	return taskIDBody{RequestId: reqID, TaskId: t.ID}, nil
}

// rekeyLocked moves t to a new task ID; the old one no longer exists.
func (s *Server) rekeyLocked(t *task, id string) {
	delete(s.tasks, t.ID)
	t.ID = id
	s.tasks[id] = t
}

func (s *Server) opDelete(account string, p url.Values, reqID string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.findTaskLocked(account, p)
	if e != nil {
		return nil, e
	}
	now := s.nowLocked()
	if t.Status != StatusExited {
		s.exitLocked(t, ReasonTriggerByUser, now)
	}
	s.recomputeDueLocked()
	s.saveLocked()
	return okBody{RequestId: reqID, RetCode: 0, Description: "OK"}, nil
}
