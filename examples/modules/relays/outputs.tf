output "ids" {
  description = "Task ID of each relay, by key."
  value       = { for k, t in alilive_pull_to_push_task.this : k => t.id }
}

output "statuses" {
  description = "Status of each relay, by key: idle, running, recovering or offline."
  value       = { for k, t in alilive_pull_to_push_task.this : k => t.status }
}

output "relays" {
  description = "Each relay by key: its task ID, task_name, status, dst_url and window (UTC as the service stores it)."
  value = {
    for k, t in alilive_pull_to_push_task.this : k => {
      id         = t.id
      task_name  = t.task_name
      status     = t.status
      dst_url    = t.dst_url
      start_time = t.start_time
      end_time   = t.end_time
    }
  }
}
