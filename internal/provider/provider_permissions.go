package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// ramNeeds is what one resource or data source needs from the RAM policy
// of the provider's credentials: the actions without which it fails, and
// the actions it uses when allowed. docs/index.md shows this table
// (templates/index.md.tmpl) and a ready policy
// (examples/provider/ram-policy.json); a test keeps the three in step.
type ramNeeds struct {
	name     string   // as written in the documentation's table
	required []string // operations
	optional []string // operations
	without  string   // what happens without the optional ones
}

// ramTable lists what the resource, each data source, the list resource
// and the restart action need.
var ramTable = []ramNeeds{
	{
		name: "`alilive_pull_to_push_task` resource",
		required: []string{liveapi.OpCreate, liveapi.OpDescribe, liveapi.OpUpdate, liveapi.OpStop,
			liveapi.OpRestart, liveapi.OpDelete},
		optional: []string{liveapi.OpList},
		without: "refreshes read each task with its own call (one warning says so), a create cannot list its " +
			"`dst_url` first, and a create whose answer was lost cannot be looked up by it (such a create fails " +
			"saying the task may exist)",
	},
	{
		name:     "`alilive_pull_to_push_task` data source",
		required: []string{liveapi.OpDescribe},
		optional: []string{liveapi.OpList},
		without:  "reads of many tasks at once make one call each",
	},
	{
		name:     "`alilive_pull_to_push_tasks` data source",
		required: []string{liveapi.OpList},
	},
	{
		name:     "`alilive_pull_to_push_task` list resource (`terraform query`)",
		required: []string{liveapi.OpList},
	},
	{
		name:     "`alilive_pull_to_push_task_restart` action",
		required: []string{liveapi.OpDescribe, liveapi.OpRestart},
		optional: []string{liveapi.OpStop, liveapi.OpUpdate},
		without:  "a restart from `file_index` and `offset` fails, since it stops the task and stores the position before it restarts",
	},
}

// permissionAdvice is the fix for a call the RAM policy does not allow.
func permissionAdvice(op, action string) string {
	return fmt.Sprintf("The credentials are not allowed to call %s: add the RAM action %s to the RAM policy of the "+
		"user or role they belong to (the provider documentation lists the actions each resource and data source "+
		"needs), then try again.", op, action)
}

// noLiveDomainAdvice is the fix for CodeInvalidAliUid.
const noLiveDomainAdvice = "The account has no ApsaraVideo Live domain, which pull-to-push tasks need: add a live " +
	"domain in the ApsaraVideo Live console, then try again."

// limitAdvice is the fix for CodeNotEnoughResource, naming the limit when
// the service stated one.
func limitAdvice(err error) string {
	reached := "The account has reached a limit of the service"
	if n, ok := liveapi.TaskLimit(err); ok {
		reached = fmt.Sprintf("The account has reached the service's limit of %d pull-to-push tasks", n)
	}
	return reached + ": delete pull-to-push tasks the account no longer needs, or ask Alibaba Cloud to raise the " +
		"limit, then try again."
}

// accountAdvice is the fix for an error the account or its RAM policy
// causes, or "" for another error.
func accountAdvice(ae *liveapi.APIError) string {
	if ae.Fix != "" {
		return ae.Fix
	}
	if action, ok := liveapi.MissingPermission(ae); ok {
		return permissionAdvice(ae.Operation, action)
	}
	switch ae.Code {
	case liveapi.CodeInvalidAliUid:
		return noLiveDomainAdvice
	case liveapi.CodeNotEnoughResource:
		return limitAdvice(ae)
	}
	return ""
}

// addClientWarnings turns what the API client learned while serving the
// calls (a RAM policy that denies the list) into warnings, each once per
// provider process.
func addClientWarnings(client *liveapi.Client, diags *diag.Diagnostics) {
	for _, w := range client.Warnings() {
		diags.AddWarning(w.Summary, w.Message)
	}
}
