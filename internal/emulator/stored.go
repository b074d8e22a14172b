package emulator

import "fmt"

// checkStored applies to a task that the control surface adds or changes
// (AddTask, PatchTask, POST and PATCH /_emulator/tasks) or that a state file
// holds the rules the API applies to the same fields, with the API's
// messages, which name the field. A stored task therefore never holds a
// value the service would refuse, and nothing that runs later (the
// lifecycle, the flaky variant's draws) meets one. The time window is not
// checked: moving EndTime into the past, even before StartTime, is how
// tests make a task end, and any window is one the service may hold.
func checkStored(t *task) error {
	var e *apiError
	switch {
	case t.RetryCount < 0:
		e = errInvalid("The parameter RetryCount must be an integer of at least 0.")
	case t.RetryInterval < minRetryInt || t.RetryInterval > maxRetryInt:
		e = errInvalid("The parameter RetryInterval must be an integer from %d to %d (seconds).", minRetryInt, maxRetryInt)
	case t.RepeatNumber < -1:
		e = errInvalid("The parameter RepeatNumber must be an integer of at least -1.")
	case t.FileIndex < 0:
		e = errInvalid("The parameter FileIndex must be an integer of at least 0.")
	case t.Offset < 0:
		e = errInvalid("The parameter Offset must be an integer of at least 0 (seconds).")
	case len(t.SourceUrls) > 0 && int(t.FileIndex) >= len(t.SourceUrls):
		e = errInvalid("The parameter FileIndex must be less than the number of SourceUrls (%d).", len(t.SourceUrls))
	case t.SourceType != "" && !contains(SourceTypes, t.SourceType):
		e = errInvalid("The parameter SourceType must be one of live, vod or url.")
	}
	if e != nil {
		return fmt.Errorf("emulator: %s", e.Message)
	}
	return nil
}
