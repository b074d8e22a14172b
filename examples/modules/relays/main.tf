# Stamps out one live relay per entry of var.relays.

terraform {
  required_providers {
    alilive = {
      source = "alilive/alilive"
    }
  }
}

resource "alilive_pull_to_push_task" "this" {
  for_each = var.relays

  region          = var.region
  task_name       = "${var.name_prefix}${each.key}"
  start_time      = var.start_time
  end_time        = var.end_time
  source_type     = "live"
  source_protocol = var.source_protocol
  source_urls     = [each.value.source_url]
  dst_url         = each.value.dst_url
  callback_url    = var.callback_url
}
