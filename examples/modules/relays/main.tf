# Stamps out one relay (pull-to-push task) per entry of var.relays. Rules
# that a module user can get wrong are checked by the variables' validation
# blocks and the preconditions below, before the provider is asked; the
# provider checks them all again.

terraform {
  required_version = ">= 1.6"

  required_providers {
    alilive = {
      source = "alilive/alilive"
    }
  }
}

locals {
  relays = {
    for k, r in var.relays : k => merge(r, {
      start_time = coalesce(r.start_time, var.start_time, "unset")
      end_time   = coalesce(r.end_time, var.end_time, "unset")
    })
  }
}

resource "alilive_pull_to_push_task" "this" {
  for_each = local.relays

  region          = var.region
  task_name       = "${var.name_prefix}${each.key}"
  start_time      = each.value.start_time
  end_time        = each.value.end_time
  source_type     = each.value.source_type
  source_protocol = each.value.source_type == "live" ? coalesce(each.value.source_protocol, var.source_protocol) : null
  source_urls     = each.value.source_urls
  dst_url         = each.value.dst_url
  repeat_number   = each.value.repeat_number
  callback_url    = var.callback_url
  enabled         = each.value.enabled

  lifecycle {
    precondition {
      condition     = each.value.start_time != "unset" && each.value.end_time != "unset"
      error_message = "Relay \"${each.key}\" has no window: set start_time and end_time on the module or on the relay."
    }
    precondition {
      condition     = each.value.start_time == "unset" || each.value.end_time == "unset" || try(timecmp(each.value.end_time, each.value.start_time) > 0, true)
      error_message = "Relay \"${each.key}\" ends (${each.value.end_time}) before it starts (${each.value.start_time})."
    }
    precondition {
      condition     = each.value.start_time == "unset" || each.value.end_time == "unset" || try(timecmp(each.value.end_time, timeadd(each.value.start_time, "168h")) <= 0, true)
      error_message = "Relay \"${each.key}\" runs longer than 7 days (${each.value.start_time} to ${each.value.end_time}); the service allows at most 7 days per relay."
    }
  }
}
