package provider

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

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

// liveRegionValidator accepts the live centers only, with the message the
// provider gives for a region from the environment: the region that was
// set and the list to choose from.
type liveRegionValidator struct{}

var _ validator.String = liveRegionValidator{}

// Description describes the rule.
func (liveRegionValidator) Description(_ context.Context) string {
	return "must be a live center: one of " + strings.Join(liveRegions, ", ")
}

// MarkdownDescription describes the rule.
func (v liveRegionValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

// ValidateString checks a known value.
func (liveRegionValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || contains(liveRegions, req.ConfigValue.ValueString()) {
		return
	}
	name := attrName(req.Path)
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Region", notLiveCenter(name, name, req.ConfigValue.ValueString()))
}
