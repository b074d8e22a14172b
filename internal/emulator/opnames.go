// The seven operations by name, and the short names that fault plans and
// access rules accept for them.

package emulator

import "strings"

// Operation names.
const (
	OpCreate   = "CreateLivePullToPush"
	OpUpdate   = "UpdateLivePullToPush"
	OpDescribe = "DescribeLivePullToPush"
	OpList     = "DescribeLivePullToPushList"
	OpDelete   = "DeleteLivePullToPush"
	OpStop     = "StopLivePullToPush"
	OpRestart  = "RestartLivePullToPush"
)

// Operations lists the seven operations.
var Operations = []string{OpCreate, OpUpdate, OpDescribe, OpList, OpDelete, OpStop, OpRestart}

var opAliases = map[string]string{
	"create": OpCreate, "update": OpUpdate, "describe": OpDescribe, "list": OpList,
	"delete": OpDelete, "stop": OpStop, "restart": OpRestart,
}

func resolveOp(s string) (string, bool) {
	if s == "*" || strings.EqualFold(s, "all") {
		return "*", true
	}
	for _, op := range Operations {
		if strings.EqualFold(op, s) {
			return op, true
		}
	}
	op, ok := opAliases[strings.ToLower(s)]
	return op, ok
}

func isOperation(op string) bool {
	for _, o := range Operations {
		if o == op {
			return true
		}
	}
	return false
}
