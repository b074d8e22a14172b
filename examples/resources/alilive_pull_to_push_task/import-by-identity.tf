# Not a complete configuration: it imports a task that already exists, into a resource block of yours.
# Adopt a task by its resource identity (Terraform 1.12 and later): the
# live center and the task ID. region may be left out for a task of the
# provider's region. terraform query writes import blocks of this form for
# every task it lists (see the guide "Adopt every relay made in the console").
import {
  to = alilive_pull_to_push_task.playlist
  identity = {
    region = "cn-beijing"
    id     = "2a7c1e6f-90b4-4c4e-8d7b-31f0c2a9e456"
  }
}
