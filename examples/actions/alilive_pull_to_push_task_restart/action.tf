# Restart a running relay on demand, without changing the configuration:
#
#   terraform apply -invoke=action.alilive_pull_to_push_task_restart.news
#
# The invocation waits until the relay runs again and reports its status
# while it waits.
action "alilive_pull_to_push_task_restart" "news" {
  config {
    task_id = alilive_pull_to_push_task.news.id
  }
}

# Restart a playlist from its third file, 90 seconds in. The position is
# stored in the task, so the resource ignores changes of file_index and
# offset, which would otherwise be planned back (and restart the relay
# again).
action "alilive_pull_to_push_task_restart" "loop_from_third_file" {
  config {
    task_id    = alilive_pull_to_push_task.loop.id
    region     = alilive_pull_to_push_task.loop.region
    file_index = 2
    offset     = 90

    timeouts {
      invoke = "5m"
    }
  }
}

resource "alilive_pull_to_push_task" "loop" {
  region        = "cn-beijing"
  start_time    = "2030-06-02T08:00:00Z"
  end_time      = "2030-06-03T08:00:00Z"
  source_type   = "url"
  source_urls   = ["https://media.example.com/intro.mp4", "https://media.example.com/show.mp4", "https://media.example.com/outro.mp4"]
  dst_url       = "rtmp://push.example.com/live/loop"
  repeat_number = -1

  lifecycle {
    ignore_changes = [file_index, offset]
  }
}

# Restart the relay from a resource's lifecycle: here whenever the origin
# publishes a new revision of its stream.
variable "origin_revision" {
  type    = string
  default = "2026-12-01.1"
}

resource "terraform_data" "origin_revision" {
  input = var.origin_revision

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.alilive_pull_to_push_task_restart.news]
    }
  }
}

resource "alilive_pull_to_push_task" "news" {
  start_time      = "2030-06-01T19:00:00+08:00"
  end_time        = "2030-06-01T22:00:00+08:00"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/news"]
  dst_url         = "rtmp://push.example.com/live/news"
}
