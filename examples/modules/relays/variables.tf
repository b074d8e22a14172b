variable "relays" {
  description = <<-EOT
    Relays to create, keyed by a stable name (letters, digits, '-' and '_'); the key is
    appended to name_prefix to make the task_name, and renaming a key replaces that relay
    only. Each relay has:
    - source_urls: the sources in playing order; one URL for a live relay, 1 to 30 entries
      for a playlist (vod media IDs or http(s) file URLs).
    - dst_url: the rtmp:// URL the relay pushes to; one relay per destination.
    - source_type: live (default), vod or url.
    - source_protocol: protocol of a live source (default var.source_protocol); not allowed
      for playlists.
    - start_time / end_time: override the module's window for this relay.
    - repeat_number: how many more times a playlist plays (-1 loops); playlists only.
    - enabled: false stops a relay that has started.
  EOT
  type = map(object({
    source_urls     = list(string)
    dst_url         = string
    source_type     = optional(string, "live")
    source_protocol = optional(string)
    start_time      = optional(string)
    end_time        = optional(string)
    repeat_number   = optional(number)
    enabled         = optional(bool, true)
  }))

  validation {
    condition     = alltrue([for k in keys(var.relays) : can(regex("^[A-Za-z0-9_-]{1,64}$", k))])
    error_message = "Each key of relays must be 1 to 64 letters, digits, '-' or '_': it names the relay and keys its state."
  }
  validation {
    condition     = alltrue([for r in values(var.relays) : contains(["live", "vod", "url"], r.source_type)])
    error_message = "relays[*].source_type must be one of live, vod or url."
  }
  validation {
    condition     = alltrue([for r in values(var.relays) : can(regex("^(?i)rtmp://[^/?#\\s]+", r.dst_url))])
    error_message = "relays[*].dst_url must be an rtmp:// URL with a host (the service pushes over RTMP only)."
  }
  validation {
    condition     = length(distinct([for r in values(var.relays) : r.dst_url])) == length(var.relays)
    error_message = "Two relays share a dst_url: the service allows one relay per destination URL."
  }
  validation {
    condition     = alltrue([for r in values(var.relays) : r.source_type != "live" || length(r.source_urls) == 1])
    error_message = "A live relay (source_type = \"live\") takes exactly one entry in source_urls; use source_type = \"url\" or \"vod\" for a playlist."
  }
  validation {
    condition     = alltrue([for r in values(var.relays) : r.source_type == "live" || (length(r.source_urls) >= 1 && length(r.source_urls) <= 30)])
    error_message = "A playlist (source_type = \"url\" or \"vod\") takes 1 to 30 entries in source_urls."
  }
  validation {
    condition = alltrue([for r in values(var.relays) : r.source_type != "url" || alltrue([
      for u in r.source_urls : can(regex("^(?i)https?://[^/?#\\s]+", u))
    ])])
    error_message = "Every source_urls entry of a url playlist must be an http:// or https:// file URL."
  }
  validation {
    condition = alltrue([for r in values(var.relays) : r.source_type != "vod" || alltrue([
      for u in r.source_urls : can(regex("^[A-Za-z0-9_-]{1,64}$", u))
    ])])
    error_message = "Every source_urls entry of a vod playlist must be an ApsaraVideo VOD media ID (1 to 64 letters, digits, '-' or '_'), not a URL."
  }
  validation {
    condition     = alltrue([for r in values(var.relays) : r.source_type == "live" || r.source_protocol == null])
    error_message = "source_protocol applies to live relays only; leave it out of a url or vod playlist."
  }
  validation {
    condition     = alltrue([for r in values(var.relays) : r.source_type != "live" || r.repeat_number == null])
    error_message = "repeat_number applies to playlists only; leave it out of a live relay."
  }
  validation {
    condition     = alltrue([for r in values(var.relays) : r.repeat_number == null || try(r.repeat_number >= -1 && floor(r.repeat_number) == r.repeat_number, false)])
    error_message = "relays[*].repeat_number must be a whole number, -1 (loop until end_time) or more."
  }
  validation {
    condition = alltrue(flatten([for r in values(var.relays) : [
      for t in [r.start_time, r.end_time] : t == null || can(regex("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2})$", t)) && can(timeadd(t, "0s"))
    ]]))
    error_message = "relays[*].start_time and end_time must be RFC 3339 timestamps in whole seconds, such as 2026-12-05T19:00:00+08:00."
  }
}

variable "source_protocol" {
  description = "Protocol of every live source that does not set its own: rtmp, rtsp, srt, http-flv or flv."
  type        = string
  default     = "rtmp"

  validation {
    condition     = contains(["rtmp", "rtsp", "srt", "http-flv", "flv"], lower(var.source_protocol))
    error_message = "source_protocol must be one of rtmp, rtsp, srt, http-flv or flv."
  }
}

variable "start_time" {
  description = "Start of every relay that does not set its own (RFC 3339, whole seconds). It may lie in the past: the relay then starts at once."
  type        = string
  default     = null

  validation {
    condition     = var.start_time == null || can(regex("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2})$", var.start_time)) && can(timeadd(var.start_time, "0s"))
    error_message = "start_time must be an RFC 3339 timestamp in whole seconds, such as 2026-12-05T19:00:00+08:00."
  }
}

variable "end_time" {
  description = "End of every relay that does not set its own (RFC 3339, whole seconds, later than the start and at most 7 days after it). The service deletes a relay at its end."
  type        = string
  default     = null

  validation {
    condition     = var.end_time == null || can(regex("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2})$", var.end_time)) && can(timeadd(var.end_time, "0s"))
    error_message = "end_time must be an RFC 3339 timestamp in whole seconds, such as 2026-12-05T23:00:00+08:00."
  }
}

variable "region" {
  description = "Live center of every relay; null uses the provider's region."
  type        = string
  default     = null

  validation {
    condition     = var.region == null || contains(["ap-southeast-1", "ap-southeast-5", "cn-beijing", "cn-shanghai", "cn-shenzhen"], coalesce(var.region, "-"))
    error_message = "region must be a live center: ap-southeast-1, ap-southeast-5, cn-beijing, cn-shanghai or cn-shenzhen."
  }
}

variable "callback_url" {
  description = "Optional http(s) URL that receives status events of every relay."
  type        = string
  default     = null

  validation {
    condition     = var.callback_url == null || can(regex("^(?i)https?://[^/?#\\s]+", coalesce(var.callback_url, "-")))
    error_message = "callback_url must be an http:// or https:// URL, or null for no callbacks."
  }
}

variable "name_prefix" {
  description = "Prefix of each task_name; the relay's key is appended."
  type        = string
  default     = "relay-"
}
