# Stands in for the console: makes a relay that no configuration of the
# guide manages (make test-modules forgets it from this state after the
# apply, so it is what a console user left behind).

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
  task_name     = "Evening news (console)"
  start_time    = timeadd(var.now, "-1m")
  end_time      = timeadd(var.now, "3h")
  source_type   = "url"
  source_urls   = ["https://media.example.com/news/intro.mp4", "https://media.example.com/news/main.mp4"]
  dst_url       = "rtmp://push.example.com/live/news?auth_key=1767225600-0-0-example"
  repeat_number = -1
  callback_url  = "https://hooks.example.com/alilive"
}

output "id" {
  value = alilive_pull_to_push_task.made_in_console.id
}
