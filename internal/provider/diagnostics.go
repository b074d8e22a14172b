package provider

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/alilive/terraform-provider-alilive/internal/urlsign"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// settingProblem is one configuration error, reported on one attribute.
type settingProblem struct {
	path    path.Path
	summary string
	detail  string
	// configOnly marks a contradiction in the configuration itself, which
	// no environment variable can resolve.
	configOnly bool
}

func problemAt(p path.Path, summary, detail string) *settingProblem {
	return &settingProblem{path: p, summary: summary, detail: detail}
}

// conflictAt reports two settings that exclude each other.
func conflictAt(p path.Path, detail string) *settingProblem {
	return &settingProblem{path: p, summary: "Conflicting Credential Settings", detail: detail, configOnly: true}
}

// addConfigNotKnown reports a data source read while the provider's
// configuration is unknown (Configure gave no client). A data source
// cannot return unknown values, so its read must wait for the apply.
func addConfigNotKnown(diags *diag.Diagnostics) {
	diags.AddError("Provider Configuration Not Known Yet",
		"The alilive provider's configuration depends on values that are known only after apply (for example "+
			"an endpoint or region taken from another resource), so this data source cannot be read during the "+
			"plan. Add depends_on with the resources the provider configuration uses to the data source, so "+
			"that Terraform reads it during the apply, or apply those resources first (terraform apply "+
			"-target=ADDRESS).")
}

// transportAdvice is the fix for a call that got no answer from the service.
const transportAdvice = "Check the provider's endpoint and protocol settings (endpoint and protocol, or " +
	"ALILIVE_ENDPOINT and ALILIVE_PROTOCOL) and the network, then try again."

// apiCall names a call for apiErrorDetail: the operation, what it was
// doing ("reading pull-to-push task "t-1" in region "cn-shanghai"",
// "listing tasks in region "cn-shanghai"") and its live center.
type apiCall struct {
	op     string
	doing  string
	region string
}

// taskCall is a call on one existing task.
func taskCall(op, verb, id, region string) apiCall {
	return apiCall{op: op, doing: fmt.Sprintf("%s pull-to-push task %q in region %q", verb, id, region), region: region}
}

// apiErrorDetail writes the detail of a diagnostic about a failed API call:
// the operation that failed (the error's, which may differ from the
// caller's) and what it was doing, the error code and request ID when
// the service answered, then outcome (what happened to the state) and the
// advice that fits the error:
//   - a destination URL already in use (liveapi.ConflictError or
//     CodeConfigAlreadyExists): change dst_url or import the task that holds
//     it, and why create_before_destroy cannot help;
//   - a call the RAM policy denies, an account without a live domain or at
//     a limit: the RAM action to add, the domain to add, the tasks to
//     delete or the limit to raise (accountAdvice);
//   - a call the client-side rate limiter held back past the operation's
//     timeout (liveapi.RateLimitError): raise rate_limit or the timeout;
//   - no answer from the service (liveapi.TransportError): check the
//     endpoint, protocol and network, unless the client's own text already
//     says what to change (liveapi.Advice);
//   - anything else: fix.
func apiErrorDetail(call apiCall, err error, outcome, fix string) string {
	var b strings.Builder
	var ce *liveapi.ConflictError
	var ae *liveapi.APIError
	var te *liveapi.TransportError
	var se *settleError
	var rle *liveapi.RateLimitError
	switch {
	case liveapi.MayHaveCreated(err):
		// Checked first: errors.As would find the create's own APIError
		// inside and hide that the task may exist.
		fmt.Fprintf(&b, "The %s call (%s) may have created the task: its answer was lost, and looking the task "+
			"up by dst_url failed as well: %s", call.op, call.doing, strings.TrimSuffix(err.Error(), "."))
		outcome = "Nothing was recorded in the Terraform state, but the task may exist on the service."
		fix = "" // the client's text says to look for the task before applying again
	case errors.As(err, &se):
		// The service answered, but the change did not show as it should.
		fmt.Fprintf(&b, "The %s call (%s) was accepted, but: %s", call.op, call.doing, strings.TrimSuffix(se.Error(), "."))
		fix = ""
	case errors.As(err, &ce):
		fmt.Fprintf(&b, "The %s call (%s) failed because dst_url %q is already used by pull-to-push task %q",
			call.op, call.doing, ce.DstURL, ce.TaskID)
		if ce.Err != nil {
			fmt.Fprintf(&b, " (error code %q, HTTP status %d, request ID %q)", ce.Err.Code, ce.Err.HTTPStatus, ce.Err.RequestID)
		}
		fix = conflictAdvice(call.region, ce.TaskID, ce.SameConfig)
	case errors.As(err, &ae):
		fmt.Fprintf(&b, "The %s call (%s) failed with error code %q (HTTP status %d, request ID %q): %s",
			failedOp(call.op, ae.Operation), call.doing, ae.Code, ae.HTTPStatus, ae.RequestID,
			strings.TrimSuffix(ae.Message, "."))
		if ae.Code == liveapi.CodeConfigAlreadyExists {
			fix = conflictAdvice(call.region, "", false)
		} else if advice := accountAdvice(ae); advice != "" {
			fix = advice
		}
	case errors.As(err, &rle):
		fmt.Fprintf(&b, "The %s call (%s) was not sent: at the provider's rate_limit of %g calls per second, its "+
			"turn would come only after the operation's timeout", call.op, call.doing, rle.Rate)
		fix = "Raise rate_limit in the provider block (0 turns the client-side limiter off), or give the " +
			"operation more time in the timeouts block."
	default:
		msg := strings.TrimSuffix(err.Error(), ".")
		op := call.op
		if errors.As(err, &te) {
			op = failedOp(call.op, te.Operation)
		}
		fmt.Fprintf(&b, "The %s call (%s) failed without an answer from the service, so there is no "+
			"error code or request ID: %s", op, call.doing, msg)
		if te != nil {
			fix = transportAdvice
			if liveapi.Advice(err) != "" {
				fix = "" // the client's text already says what to change
			}
		}
	}
	b.WriteString(".")
	for _, s := range []string{outcome, fix} {
		if s != "" {
			b.WriteString(" ")
			b.WriteString(s)
		}
	}
	return b.String()
}

// failedOp is the operation a diagnostic names: the one whose call failed
// (a read served from list pages fails in DescribeLivePullToPushList), or
// the caller's when the error does not say.
func failedOp(callerOp, errOp string) string {
	if errOp != "" {
		return errOp
	}
	return callerOp
}

// conflictAdvice is the fix for a create whose dst_url another task holds
// (holder; "" when the service did not say which).
func conflictAdvice(region, holder string, sameConfig bool) string {
	var b strings.Builder
	switch {
	case holder == "":
		b.WriteString("Change dst_url, or adopt the task that uses it with an import block or terraform import.")
	case sameConfig:
		fmt.Fprintf(&b, "That task has exactly this configuration: adopt it with an import block or terraform "+
			"import (ID %q) instead of creating it again.", region+":"+holder)
	default:
		fmt.Fprintf(&b, "Change dst_url, or adopt that task with an import block or terraform import (ID %q).",
			region+":"+holder)
	}
	b.WriteString(" If this apply replaces a task of this resource under lifecycle create_before_destroy, the " +
		"task being replaced still holds dst_url: the service allows one live task per destination URL, so " +
		"create_before_destroy works only when dst_url changes too.")
	return b.String()
}

// reasonText writes an invalid_reason for a message.
func reasonText(v types.String) string {
	if v.IsNull() || v.IsUnknown() {
		return "none"
	}
	return strconv.Quote(v.ValueString())
}

// restartedOutcome says that a restart was accepted, naming the task's new
// ID when it has one.
func restartedOutcome(oldID, newID string) string {
	if newID != oldID {
		return fmt.Sprintf("The service accepted the restart and gave the task the new ID %q, which the state now "+
			"records; refresh to see the task's status.", newID)
	}
	return "The service accepted the restart; refresh to see the task's status."
}

// reasonSuffix is " (<invalid_reason>)" or "".
func reasonSuffix(t *liveapi.Task) string {
	if t.InvalidReason == "" {
		return ""
	}
	return " (" + t.InvalidReason + ")"
}

// endedReason names why a task ended.
func endedReason(t *liveapi.Task) string {
	if t.ExitReason == liveapi.ExitReasonOverEndTime {
		return "it reached its end_time " + t.Spec.EndTime.UTC().Format(time.RFC3339)
	}
	if t.ExitReason != "" {
		return "exit reason " + t.ExitReason
	}
	return "status exited"
}

// newIDDetail explains a restart that gave the task a new ID.
func newIDDetail(oldID, newID, region string) string {
	return fmt.Sprintf("The service gave pull-to-push task %q the new ID %q when it restarted it (region %q), and "+
		"no task has the old ID any more. An alilive_pull_to_push_task that manages the task still records %q: "+
		"its next refresh finds no task under that ID and removes it from the state (warning \"Pull-to-Push Task "+
		"No Longer Exists\"). Import the task under its new ID then, with an import block or terraform import "+
		"(ID %q); creating it again would fail while the restarted task holds its dst_url.",
		oldID, newID, region, oldID, region+":"+newID)
}

// addReadError reports a failed read of the task; a task that does not
// exist is an error on task_id.
func addReadError(diags *diag.Diagnostics, summary, id, region string, err error, outcome string) {
	call := taskCall("DescribeLivePullToPush", "reading", id, region)
	if errors.Is(err, liveapi.ErrNotFound) {
		diags.AddAttributeError(path.Root("task_id"), summary, apiErrorDetail(call, err, strings.TrimSpace(outcome),
			"Check task_id and region: the service deletes a task when it reaches its end_time, and a task made "+
				"by the alilive_pull_to_push_task resource has the ID of that resource's id attribute."))
		return
	}
	diags.AddError(summary, apiErrorDetail(call, err, strings.TrimSpace(outcome),
		"Invoke the action again once the cause is fixed."))
}

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
