// Reading the parameters of an API call and the validation rules they
// share across operations.

package emulator

import (
	"encoding/json"
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

// lookupParam returns a parameter and whether it was sent at all.
func lookupParam(p url.Values, name string) (string, bool) {
	v, ok := p[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// required returns a non-empty parameter or MissingParameter.
func required(p url.Values, name string) (string, *apiError) {
	v, _ := lookupParam(p, name)
	if v == "" {
		return "", errMissing(name)
	}
	return v, nil
}

// optInt parses an optional int32 parameter.
func optInt(p url.Values, name string) (int32, bool, *apiError) {
	v, ok := lookupParam(p, name)
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
	if v, ok := lookupParam(p, "SourceUrls"); ok {
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
		v, ok := lookupParam(p, "SourceUrls."+strconv.Itoa(i))
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

// firstRepeatList reports whether SourceUrls.N parameters were sent.
func firstRepeatList(p url.Values) (string, bool) {
	v, ok := lookupParam(p, "SourceUrls.1")
	return v, ok
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
