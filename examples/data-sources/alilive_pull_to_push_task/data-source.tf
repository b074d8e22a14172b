# Not a complete configuration: it reads a task that already exists; put its ID here.
# Read a task by ID (in the provider's region unless region is set).
data "alilive_pull_to_push_task" "example" {
  id = "fd245384-4067-4f91-9d75-9666a6bc9123"
}

output "relay_status" {
  value = data.alilive_pull_to_push_task.example.status
}
