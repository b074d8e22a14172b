output "ids" {
  description = "Task ID of each relay, by key."
  value       = { for k, t in alilive_pull_to_push_task.this : k => t.id }
}

output "statuses" {
  description = "Status of each relay, by key."
  value       = { for k, t in alilive_pull_to_push_task.this : k => t.status }
}
