# Stands in for the console: makes the relays that no configuration of the
# guide manages (make test-modules forgets the first three from this state
# after the apply, so they are what a console user left behind) and one relay
# to another ingest host, which the guide's query leaves alone; the relay in
# cn-beijing is adopted by identity (one/), also outside the query's region;
# the two court relays, to a third ingest host, are adopted into the relays
# module (module/).

terraform {
  required_providers {
    alilive = {
      source = "alilive/alilive"
    }
  }
}

variable "now" {
  type = string
}

resource "alilive_pull_to_push_task" "made_in_console" {
  for_each = {
    morning = { name = "Morning show (console)", type = "live" }
    match   = { name = "Match day (console)", type = "vod" }
    loop    = { name = null, type = "url" }
  }
  task_name       = each.value.name
  start_time      = timeadd(var.now, each.value.type == "live" ? "-1m" : "1h")
  end_time        = timeadd(var.now, "3h")
  source_type     = each.value.type
  source_protocol = each.value.type == "live" ? "rtmp" : null
  source_urls = {
    live = ["rtmp://origin.example.com/live/morning"]
    vod  = ["a1b2c3d4e5", "f6a7b8c9d0"]
    url  = ["https://media.example.com/loop.mp4"]
  }[each.value.type]
  dst_url       = "rtmp://push.example.com/live/${each.key}?auth_key=1767225600-0-0-example"
  repeat_number = each.value.type == "url" ? -1 : null
  retry_count   = 5
}

resource "alilive_pull_to_push_task" "beijing" {
  region      = "cn-beijing"
  task_name   = "Evening (console)"
  start_time  = timeadd(var.now, "1h")
  end_time    = timeadd(var.now, "3h")
  source_type = "url"
  source_urls = ["https://media.example.com/evening.mp4"]
  dst_url     = "rtmp://push.example.com/live/evening"
}

resource "alilive_pull_to_push_task" "other_host" {
  task_name   = "Backup (console)"
  start_time  = timeadd(var.now, "1h")
  end_time    = timeadd(var.now, "3h")
  source_type = "url"
  source_urls = ["https://media.example.com/backup.mp4"]
  dst_url     = "rtmp://backup.example.net/live/backup"
}

resource "alilive_pull_to_push_task" "courts" {
  for_each = toset(["1", "2"])

  task_name       = "court-${each.key}"
  start_time      = timeadd(var.now, "1h")
  end_time        = timeadd(var.now, "3h")
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/venue/court${each.key}"]
  dst_url         = "rtmp://ingest.example.org/sports/court${each.key}"
}

output "court_ids" {
  value = { for k, t in alilive_pull_to_push_task.courts : k => t.id }
}

output "court_window" {
  value = { start_time = timeadd(var.now, "1h"), end_time = timeadd(var.now, "3h") }
}

output "beijing_id" {
  value = alilive_pull_to_push_task.beijing.id
}

output "ids" {
  value = sort([for t in alilive_pull_to_push_task.made_in_console : t.id])
}
