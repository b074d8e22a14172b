# Relays that push to an ingest domain with URL signing on. The service
# accepts a stream at such a domain only when the ingest URL carries a valid
# auth_key, so each relay's dst_url is signed with the domain's key by the
# provider function sign_url (Terraform 1.8 or later, OpenTofu 1.7 or later).

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

variable "ingest_key" {
  description = "Primary or secondary key of the ingest domain's URL signing settings. Pass it from a secret store or TF_VAR_ingest_key, never in a file."
  type        = string
  sensitive   = true
}

variable "ingest_domain" {
  description = "The ingest domain of ApsaraVideo Live the relays push to."
  type        = string
  default     = "push.example.com"
}

variable "relays" {
  description = "Relays by stream name: the live source to pull and the window, RFC 3339 in whole seconds."
  type = map(object({
    source_url = string
    start      = string
    end        = string
  }))
  default = {
    news = {
      source_url = "rtmp://origin.example.com/live/news"
      start      = "2030-06-05T19:00:00+08:00"
      end        = "2030-06-05T22:00:00+08:00"
    }
  }
}

resource "alilive_pull_to_push_task" "relay" {
  for_each = var.relays

  task_name       = each.key
  start_time      = each.value.start
  end_time        = each.value.end
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = [each.value.source_url]

  # Signed until the latest end a task can have, 7 days after its start:
  # the relay reconnects after every failure, so the URL must be accepted
  # until the task ends, and moving end_time never changes the URL (a new
  # dst_url replaces the task).
  dst_url = provider::alilive::sign_url(
    "rtmp://${var.ingest_domain}/live/${each.key}",
    var.ingest_key,
    timeadd(each.value.start, "168h"),
  )
}

output "relays" {
  description = "Each relay's task ID, status and, while it fails, the reason."
  value = {
    for name, t in alilive_pull_to_push_task.relay : name => {
      id             = t.id
      status         = t.status
      invalid_reason = t.invalid_reason
    }
  }
}
