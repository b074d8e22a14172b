# A task in the provider's region, by its task ID.
terraform import alilive_pull_to_push_task.live fd245384-4067-4f91-9d75-9666a6bc9123

# A task in another live center: <region>:<task_id>.
terraform import alilive_pull_to_push_task.playlist cn-beijing:2a7c1e6f-90b4-4c4e-8d7b-31f0c2a9e456
