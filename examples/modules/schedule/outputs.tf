output "events" {
  description = "The events as read from the file, by name."
  value       = local.events

  precondition {
    condition     = contains(["csv", "yaml", "yml", "json"], local.format)
    error_message = "Cannot tell the format of ${var.events_file}: name it .csv, .yaml, .yml or .json, or set events_format."
  }
  precondition {
    condition     = length(local.twice) == 0
    error_message = "Event names must be unique, as each keys its relay; ${var.events_file} repeats: ${join(", ", local.twice)}."
  }
}

output "ids" {
  description = "Task ID of each event's relay, by name."
  value       = module.relays.ids
}

output "statuses" {
  description = "Status of each event's relay, by name: idle, running, recovering or offline."
  value       = module.relays.statuses
}

output "relays" {
  description = "Each event's relay by name: task ID, task_name, status, dst_url and window."
  value       = module.relays.relays
}
