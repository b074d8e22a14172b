package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

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
