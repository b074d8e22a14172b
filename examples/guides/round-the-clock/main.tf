# A relay that never stops, made of week-long windows. The service ends a
# task at most 7 days after its start, so the relay is a chain of tasks: the
# window from anchor + 168h*i to anchor + 168h*(i+1) is its own task. Every
# apply keeps the current window and the next one, so the next task waits,
# idle, for the instant the current one ends. Run terraform apply at least
# once a week (a daily scheduled job is a good habit); a window whose end has
# passed has been deleted by the service and leaves the state on its own.

terraform {
  required_providers {
    alilive = {
      source = "alilive/alilive"
    }
  }
}

provider "alilive" {
  region = "cn-shanghai"
}

variable "anchor" {
  description = "Start of the first window, RFC 3339 in whole seconds. Windows meet at this time of the week: pick a quiet hour."
  type        = string
  default     = "2026-11-30T04:00:00+08:00"
}

variable "source_url" {
  description = "The live stream to relay."
  type        = string
  default     = "rtmp://origin.example.com/live/channel1"
}

variable "dst_url" {
  description = "Where to push. Each window's task gets its own URL (a window query parameter), since the service allows one task per destination URL and two windows exist at once."
  type        = string
  default     = "rtmp://push.example.com/live/channel1"
}

variable "now" {
  description = "What time it is; null uses the time of the plan. Tests set it to the emulator's clock."
  type        = string
  default     = null
}

locals {
  now = coalesce(var.now, plantimestamp())

  # Windows of the next year; keep the one running now and the next one.
  windows = {
    for i in range(53) : formatdate("YYYY-MM-DD'T'hh:mmZZZZZ", timeadd(var.anchor, "${168 * i}h")) => {
      start = timeadd(var.anchor, "${168 * i}h")
      end   = timeadd(var.anchor, "${168 * (i + 1)}h")
    }
    if timecmp(timeadd(var.anchor, "${168 * (i + 1)}h"), local.now) > 0 &&
    timecmp(timeadd(var.anchor, "${168 * i}h"), timeadd(local.now, "168h")) < 0
  }
}

resource "alilive_pull_to_push_task" "window" {
  for_each = local.windows

  task_name       = "channel1-${each.key}"
  start_time      = each.value.start
  end_time        = each.value.end
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = [var.source_url]
  dst_url         = "${var.dst_url}${strcontains(var.dst_url, "?") ? "&" : "?"}window=${formatdate("YYYYMMDDhhmm", each.value.start)}"
  retry_interval  = 60
  retry_count     = 10
}

output "windows" {
  description = "Each window's task: ID, status and times."
  value = {
    for k, t in alilive_pull_to_push_task.window : k => {
      id     = t.id
      status = t.status
      start  = t.start_time
      end    = t.end_time
    }
  }
}
