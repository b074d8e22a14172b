# Every running task that pushes to one destination, in one live center.
data "alilive_pull_to_push_tasks" "running" {
  region  = "cn-shanghai"
  dst_url = "rtmp://push.example.com/live/news?auth_key=1767225600-0-0-example"
  status  = "running"
}

output "running_task_ids" {
  value = data.alilive_pull_to_push_tasks.running.ids
}

# All tasks named "evening-news-relay".
data "alilive_pull_to_push_tasks" "by_name" {
  task_name = "evening-news-relay"
}

output "relay_windows" {
  value = { for t in data.alilive_pull_to_push_tasks.by_name.tasks : t.id => "${t.start_time} - ${t.end_time}" }
}
