# Adopt a task of the provider's region by its task ID. For a task in
# another live center use "<region>:<task_id>", for example
# "cn-beijing:2a7c1e6f-90b4-4c4e-8d7b-31f0c2a9e456".
import {
  to = alilive_pull_to_push_task.live
  id = "fd245384-4067-4f91-9d75-9666a6bc9123"
}
