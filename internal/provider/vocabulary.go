package provider

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// liveRegions are the live centers the service runs tasks in.
var liveRegions = []string{"ap-southeast-1", "ap-southeast-5", "cn-beijing", "cn-shanghai", "cn-shenzhen"}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// statusName maps the service's TaskStatus to the provider's name.
func statusName(s int32) string {
	switch s {
	case liveapi.StatusIdle:
		return statusIdle
	case liveapi.StatusRunning:
		return statusRunning
	case liveapi.StatusRecovering:
		return statusRecovering
	case liveapi.StatusOffline:
		return statusOffline
	case liveapi.StatusExited:
		return statusExited
	}
	return fmt.Sprintf("unknown(%d)", s)
}

// statusEnabled derives enabled from a status: a task is enabled unless it
// was stopped (by a user or after its retries ran out) or has exited.
func statusEnabled(s int32) bool {
	return s == liveapi.StatusIdle || s == liveapi.StatusRunning || s == liveapi.StatusRecovering
}

// nullIfEmpty maps the service's empty string to null.
func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// isPlaylist reports whether the source type plays a list of files.
func isPlaylist(sourceType string) bool {
	return sourceType == sourceTypeVOD || sourceType == sourceTypeURL
}

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

// parseRFC3339 parses an RFC 3339 timestamp.
func parseRFC3339(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// defaultOperationTimeout is the default of each timeouts argument.
const defaultOperationTimeout = 10 * time.Minute

// notLiveCenter says that value, set by source (an attribute or an
// environment variable), is not a live center, and that attr takes one of
// liveRegions.
func notLiveCenter(source, attr, value string) string {
	return fmt.Sprintf("%s is %q, which is not a live center: set %s to one of %s.",
		source, value, attr, strings.Join(liveRegions, ", "))
}
