# Not a complete configuration: it imports a task that already exists, into a resource block of yours.
# Adopt a task of the provider's region by its task ID. For a task in
# another live center use "<region>:<task_id>", for example
# "cn-beijing:2a7c1e6f-90b4-4c4e-8d7b-31f0c2a9e456".
#
# To adopt a task made in the console without writing its resource block,
# put only this import block in a configuration and run
#
#   terraform plan -generate-config-out=generated.tf
#
# Terraform writes the task's arguments to generated.tf; the next
# `terraform plan` shows the import and no other change, and
# `terraform apply` records the task in the state.
import {
  to = alilive_pull_to_push_task.live
  id = "fd245384-4067-4f91-9d75-9666a6bc9123"
}
