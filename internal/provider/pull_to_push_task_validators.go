package provider

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alilive/terraform-provider-alilive/internal/urlsign"
)

// Rules of a pull-to-push task that the provider checks before any API call.
//
// Where the service's documentation is silent the provider takes the
// stricter reading and says so in the attribute's description:
//   - task_name: any text the service takes (it documents no length limit or
//     character rule), so that every task made in the console can be
//     imported and its generated configuration plans clean; only "" is
//     rejected, because the service reports a missing name as "" and the
//     state then holds null (leave the argument out instead).
//   - dst_url, callback_url and source URLs: the scheme in any letter case
//     (RFC 3986), a host, a port, if given, from 1 to 65535.
//   - start_time, end_time: whole seconds (the wire format has none finer);
//     the 7-day window of the older documentation still applies.
//   - vod source_urls: media IDs of letters, digits, - and _ (at most 64), never
//     URLs; url sources: http(s) URLs; live sources: the scheme of the protocol
//     (http-flv and flv: http or https).
//   - retry_count, repeat_number, file_index, offset: 32-bit integers, as the
//     SDK sends them.
//   - A task whose status reads "exited" (-1) is treated like one that no
//     longer exists, whether or not the service shows exited tasks at all.
//   - Plan-time checks of "now" use the clock of the machine running
//     Terraform; the service checks again with its own.
const (
	sourceTypeLive = "live"
	sourceTypeVOD  = "vod"
	sourceTypeURL  = "url"

	// maxURLLength is the service's limit on DstUrl and CallbackUrl, in bytes.
	maxURLLength = 2000
	// maxSourceURLs is the service's limit on the playlist of vod and url tasks.
	maxSourceURLs = 30
	// maxMediaIDLength bounds a VOD media ID (the service uses 32 hexadecimal
	// characters; the provider accepts up to 64 letters, digits, - and _).
	maxMediaIDLength = 64
	// maxWindow is the longest span between start_time and end_time.
	maxWindow = 7 * 24 * time.Hour

	minRetryInterval     = 60
	maxRetryInterval     = 300
	defaultRetryInterval = 60
	defaultRetryCount    = 3
	maxInt32             = 1<<31 - 1

	// maxValueInMessage is how much of a rejected value a message quotes.
	maxValueInMessage = 80
)

// Task statuses as the provider names them.
const (
	statusIdle       = "idle"
	statusRunning    = "running"
	statusRecovering = "recovering"
	statusOffline    = "offline"
	statusExited     = "exited"
)

var (
	sourceTypes     = []string{sourceTypeLive, sourceTypeVOD, sourceTypeURL}
	sourceProtocols = []string{"rtmp", "rtsp", "srt", "http-flv", "flv"}
	taskStatuses    = []string{statusIdle, statusRunning, statusRecovering, statusOffline}

	// mediaIDPattern is what a VOD media ID may look like.
	mediaIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	// taskIDPattern is what a task ID may look like (the list operation's
	// TaskId filter documents letters, digits, _ and -, at most 55 characters).
	taskIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,55}$`)
)

// quoteValue quotes a value for a message, shortened when it is long.
// An auth_key and the user info of a URL are left out (urlsign.Redact).
func quoteValue(v string) string {
	v = urlsign.Redact(v)
	if utf8.RuneCountInString(v) > maxValueInMessage {
		r := []rune(v)
		return fmt.Sprintf("%q... (%d characters)", string(r[:maxValueInMessage]), len(r))
	}
	return fmt.Sprintf("%q", v)
}

// attrName renders a path the way users write it (source_urls[0]).
func attrName(p path.Path) string {
	return p.String()
}

// invalidValue is the one diagnostic shape every rule of this resource uses.
func invalidValue(p path.Path, rule, value string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(p, "Invalid Attribute Value",
		fmt.Sprintf("Attribute %s %s, got: %s.", attrName(p), rule, quoteValue(value)))
}

// invalidCombination reports a rule between attributes.
func invalidCombination(p path.Path, detail string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(p, "Invalid Attribute Combination", detail)
}

// hasControlOrSpace reports whether s holds whitespace or control characters.
func hasControlOrSpace(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0
}

// urlRule is the one wording of the URL rule, whichever part a URL breaks:
// one of the schemes (any letter case), a host, a port, if given, from 1 to
// 65535, at most maxLen bytes (0 = no limit), no whitespace or control
// characters.
func urlRule(schemes []string, maxLen int) string {
	rule := "must be an " + schemeList(schemes) + " URL with a host and an optional port from 1 to 65535, "
	if maxLen > 0 {
		rule += fmt.Sprintf("at most %d bytes, ", maxLen)
	}
	return rule + "without spaces or control characters"
}

// checkURL returns the rule a URL breaks ("" when it is fine); see urlRule.
func checkURL(v string, schemes []string, maxLen int) string {
	rule := urlRule(schemes, maxLen)
	if (maxLen > 0 && len(v) > maxLen) || v == "" || hasControlOrSpace(v) {
		return rule
	}
	u, err := url.Parse(v) // lower-cases the scheme
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return rule
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return rule
		}
	}
	for _, s := range schemes {
		if u.Scheme == s {
			return ""
		}
	}
	return rule
}

// schemeList renders schemes as "rtmp://" or "http:// or https://".
func schemeList(schemes []string) string {
	parts := make([]string, len(schemes))
	for i, s := range schemes {
		parts[i] = s + "://"
	}
	return strings.Join(parts, " or ")
}

// sourceSchemes returns the URL schemes a live source of the protocol may
// use (nil for an unknown protocol).
func sourceSchemes(protocol string) []string {
	switch strings.ToLower(protocol) {
	case "rtmp":
		return []string{"rtmp"}
	case "rtsp":
		return []string{"rtsp"}
	case "srt":
		return []string{"srt"}
	case "http-flv", "flv":
		return []string{"http", "https"}
	}
	return nil
}

// urlValidator checks dst_url and callback_url. empty, when set, is the
// rule for "" (for an argument that null clears).
type urlValidator struct {
	schemes []string
	why     string
	empty   string
}

var _ validator.String = urlValidator{}

// Description tells what the validator checks.
func (v urlValidator) Description(_ context.Context) string {
	return urlRule(v.schemes, maxURLLength)
}

// MarkdownDescription tells what the validator checks.
func (v urlValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

// ValidateString checks one value; null and unknown values pass.
func (v urlValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if req.ConfigValue.ValueString() == "" && v.empty != "" {
		resp.Diagnostics.Append(invalidValue(req.Path, v.empty, ""))
		return
	}
	if rule := checkURL(req.ConfigValue.ValueString(), v.schemes, maxURLLength); rule != "" {
		resp.Diagnostics.Append(invalidValue(req.Path, rule+v.why, req.ConfigValue.ValueString()))
	}
}

// dstURLValidator checks dst_url: the service pushes over RTMP only.
func dstURLValidator() validator.String {
	return urlValidator{schemes: []string{"rtmp"}, why: " (the service pushes over RTMP only)"}
}

// callbackURLValidator checks callback_url.
func callbackURLValidator() validator.String {
	return urlValidator{
		schemes: []string{"http", "https"},
		empty:   "must not be empty: to clear the callback URL, remove the argument or set it to null",
	}
}

// wholeSecondsValidator rejects timestamps with fractional seconds: the
// service keeps times to the second, so a fraction could never read back.
type wholeSecondsValidator struct{}

var _ validator.String = wholeSecondsValidator{}

// Description tells what the validator checks.
func (wholeSecondsValidator) Description(_ context.Context) string {
	return "must be an RFC 3339 timestamp in whole seconds"
}

// MarkdownDescription tells what the validator checks.
func (v wholeSecondsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

// ValidateString checks one value; null, unknown and unparsable values
// pass (the RFC 3339 type reports the latter).
func (wholeSecondsValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	t, err := time.Parse(time.RFC3339, req.ConfigValue.ValueString())
	if err != nil {
		return
	}
	if t.Nanosecond() != 0 {
		resp.Diagnostics.Append(invalidValue(req.Path,
			"must be in whole seconds (the service keeps times to the second; remove the fractional part)",
			req.ConfigValue.ValueString()))
	}
}

// notEmptyValidator rejects "" with a rule that says what to write instead.
type notEmptyValidator struct {
	rule string
}

var _ validator.String = notEmptyValidator{}

// Description tells what the validator checks.
func (v notEmptyValidator) Description(_ context.Context) string { return v.rule }

// MarkdownDescription tells what the validator checks.
func (v notEmptyValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

// ValidateString checks one value; null and unknown values pass.
func (v notEmptyValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() && req.ConfigValue.ValueString() == "" {
		resp.Diagnostics.Append(invalidValue(req.Path, v.rule, ""))
	}
}

// taskNameValidator checks task_name: anything but "".
func taskNameValidator() validator.String {
	return notEmptyValidator{rule: "must not be empty: leave task_name out for a task without a name"}
}

// listSizeValidator checks the number of entries of a list.
type listSizeValidator struct {
	min, max int
}

var _ validator.List = listSizeValidator{}

// Description tells what the validator checks.
func (v listSizeValidator) Description(_ context.Context) string {
	return fmt.Sprintf("must hold %d to %d entries", v.min, v.max)
}

// MarkdownDescription tells what the validator checks.
func (v listSizeValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

// ValidateList checks one list; null and unknown lists pass.
func (v listSizeValidator) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if n := len(req.ConfigValue.Elements()); n < v.min || n > v.max {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value",
			fmt.Sprintf("Attribute %s %s, got: %d.", attrName(req.Path), v.Description(ctx), n))
	}
}

// sourceURLValidator checks one entry of source_urls on its own: not empty,
// no whitespace or control characters, at most maxURLLength bytes. The rules
// that depend on source_type and source_protocol are in validateTaskConfig.
type sourceURLValidator struct{}

var _ validator.String = sourceURLValidator{}

// Description tells what the validator checks.
func (sourceURLValidator) Description(_ context.Context) string {
	return fmt.Sprintf("must be a non-empty URL or media ID of at most %d bytes without spaces or control characters", maxURLLength)
}

// MarkdownDescription tells what the validator checks.
func (v sourceURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

// ValidateString checks one entry; null and unknown values pass.
func (v sourceURLValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if s == "" || len(s) > maxURLLength || hasControlOrSpace(s) {
		resp.Diagnostics.Append(invalidValue(req.Path, v.Description(ctx), s))
	}
}

// taskConfig is the part of the configuration the cross-attribute rules
// read. Unknown values are skipped by every rule.
type taskConfig struct {
	StartTime      rfc3339Value
	EndTime        rfc3339Value
	SourceType     types.String
	SourceProtocol types.String
	SourceURLs     types.List
	RepeatNumber   types.Int64
	FileIndex      types.Int64
	Offset         types.Int64
}

// knownTime returns the instant of a known, parsable timestamp.
func knownTime(v rfc3339Value) (time.Time, bool) {
	if v.IsNull() || v.IsUnknown() {
		return time.Time{}, false
	}
	return parseRFC3339(v.ValueString())
}

// parseRFC3339 parses an RFC 3339 timestamp.
func parseRFC3339(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// validateTaskConfig checks the rules between attributes: the time window,
// what each source type requires and allows, and each source URL against
// the source type and protocol.
func validateTaskConfig(c taskConfig) diag.Diagnostics {
	var diags diag.Diagnostics

	start, okStart := knownTime(c.StartTime)
	end, okEnd := knownTime(c.EndTime)
	if okStart && okEnd {
		switch {
		case !end.After(start):
			diags.Append(invalidCombination(path.Root("end_time"), fmt.Sprintf(
				"Attribute end_time must be later than start_time, got: end_time %s, start_time %s.",
				c.EndTime.ValueString(), c.StartTime.ValueString())))
		case end.Sub(start) > maxWindow:
			diags.Append(invalidCombination(path.Root("end_time"), fmt.Sprintf(
				"Attribute end_time must be at most 7 days (168h) after start_time, got a window of %s "+
					"(start_time %s, end_time %s).",
				end.Sub(start), c.StartTime.ValueString(), c.EndTime.ValueString())))
		}
	}

	if c.SourceType.IsUnknown() || c.SourceType.IsNull() {
		return diags
	}
	sourceType := c.SourceType.ValueString()
	isLive := sourceType == sourceTypeLive
	if !isLive && sourceType != sourceTypeVOD && sourceType != sourceTypeURL {
		return diags // the enum validator reports it
	}

	if isLive {
		if c.SourceProtocol.IsNull() {
			diags.Append(invalidCombination(path.Root("source_protocol"),
				`Attribute source_protocol is required when source_type is "live": set one of rtmp, rtsp, srt, http-flv or flv.`))
		}
		for _, f := range []struct {
			name string
			v    types.Int64
		}{{"repeat_number", c.RepeatNumber}, {"file_index", c.FileIndex}, {"offset", c.Offset}} {
			if !f.v.IsNull() && !f.v.IsUnknown() {
				diags.Append(invalidCombination(path.Root(f.name), fmt.Sprintf(
					`Attribute %s can only be set when source_type is "vod" or "url", got source_type "live": remove it.`,
					f.name)))
			}
		}
	} else if !c.SourceProtocol.IsNull() {
		diags.Append(invalidCombination(path.Root("source_protocol"), fmt.Sprintf(
			`Attribute source_protocol can only be set when source_type is "live", got source_type %q: remove it.`,
			sourceType)))
	}

	if c.SourceURLs.IsNull() || c.SourceURLs.IsUnknown() {
		return diags
	}
	elems := c.SourceURLs.Elements()
	if isLive && len(elems) != 1 {
		diags.Append(invalidCombination(path.Root("source_urls"), fmt.Sprintf(
			`Attribute source_urls must hold exactly 1 URL when source_type is "live", got: %d.`, len(elems))))
	}
	if !isLive && !c.FileIndex.IsNull() && !c.FileIndex.IsUnknown() && c.FileIndex.ValueInt64() >= int64(len(elems)) {
		diags.Append(invalidCombination(path.Root("file_index"), fmt.Sprintf(
			"Attribute file_index must point into source_urls (0 to %d), got: %d.",
			len(elems)-1, c.FileIndex.ValueInt64())))
	}
	protocol := ""
	if !c.SourceProtocol.IsNull() && !c.SourceProtocol.IsUnknown() {
		protocol = c.SourceProtocol.ValueString()
	}
	for i, e := range elems {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		v := s.ValueString()
		if v == "" || len(v) > maxURLLength || hasControlOrSpace(v) {
			continue // sourceURLValidator reports it
		}
		p := path.Root("source_urls").AtListIndex(i)
		switch sourceType {
		case sourceTypeLive:
			if c.SourceProtocol.IsUnknown() {
				continue
			}
			schemes := sourceSchemes(protocol)
			if schemes == nil {
				continue // no or an invalid protocol: reported elsewhere
			}
			if rule := checkURL(v, schemes, 0); rule != "" {
				diags.Append(invalidValue(p, fmt.Sprintf("%s when source_protocol is %q", rule, protocol), v))
			}
		case sourceTypeURL:
			if rule := checkURL(v, []string{"http", "https"}, 0); rule != "" {
				diags.Append(invalidValue(p, rule+` when source_type is "url"`, v))
			}
		case sourceTypeVOD:
			if !mediaIDPattern.MatchString(v) || len(v) > maxMediaIDLength {
				diags.Append(invalidValue(p, fmt.Sprintf(
					`must be a VOD media ID (letters, digits, - and _, at most %d characters, not a URL) when source_type is "vod"`,
					maxMediaIDLength), v))
			}
		}
	}
	return diags
}

// planClock returns the time plan-time rules compare against.
var planClock = time.Now

// planTimeRules are the rules that need the clock or the prior state.
type planTimeRules struct {
	Now        time.Time
	Creating   bool // a new task is planned (create or replacement)
	StartTime  rfc3339Value
	EndTime    rfc3339Value
	PriorEnd   rfc3339Value // null when creating
	Enabled    types.Bool
	PriorState string // prior status; "" when creating
}

// check returns the diagnostics of the plan-time rules.
func (r planTimeRules) check() diag.Diagnostics {
	var diags diag.Diagnostics
	now := r.Now.UTC().Truncate(time.Second)
	end, okEnd := knownTime(r.EndTime)
	if okEnd {
		switch {
		case r.Creating && !end.After(now):
			diags.AddAttributeError(path.Root("end_time"), "Pull-to-Push Task Window Has Passed", fmt.Sprintf(
				"The task cannot be created because its window has passed: end_time %s is not later than "+
					"the current time %s. Move start_time and end_time into the future, or remove the "+
					"resource block if the relay is no longer needed.",
				r.EndTime.ValueString(), now.Format(time.RFC3339)))
		case !r.Creating:
			prior, okPrior := knownTime(r.PriorEnd)
			if okPrior && !prior.Equal(end) && !end.After(now) {
				diags.AddAttributeError(path.Root("end_time"), "Invalid Attribute Value", fmt.Sprintf(
					"Attribute end_time must lie in the future when it is changed, got: %s (current time %s).",
					r.EndTime.ValueString(), now.Format(time.RFC3339)))
			}
		}
	}
	start, okStart := knownTime(r.StartTime)
	notStarted := r.Creating || r.PriorState == statusIdle
	if okStart && notStarted && start.After(now) && !r.Enabled.IsNull() && !r.Enabled.IsUnknown() && !r.Enabled.ValueBool() {
		diags.AddAttributeError(path.Root("enabled"), "Invalid Attribute Combination", fmt.Sprintf(
			"Attribute enabled cannot be false before the task has started: start_time %s is later than the "+
				"current time %s and the service cannot stop a task that has not started. Move start_time to "+
				"the current time or earlier, or set enabled = true.",
			r.StartTime.ValueString(), now.Format(time.RFC3339)))
	}
	// Enabling an offline task restarts it, which the service refuses
	// before its start time; the stop and a later start time can only come
	// from outside this plan (the console, or an older provider version).
	if okStart && !r.Creating && r.PriorState == statusOffline && start.After(now) &&
		!r.Enabled.IsNull() && !r.Enabled.IsUnknown() && r.Enabled.ValueBool() {
		diags.AddAttributeError(path.Root("enabled"), "Invalid Attribute Combination", fmt.Sprintf(
			"Attribute enabled cannot be true while the task is stopped (status offline) and its start_time %s "+
				"is later than the current time %s: enabled = true restarts the task, and the service cannot "+
				"restart a task before its start time. Set enabled = false until then, or move start_time to "+
				"the current time or earlier, which replaces the task.",
			r.StartTime.ValueString(), now.Format(time.RFC3339)))
	}
	return diags
}
