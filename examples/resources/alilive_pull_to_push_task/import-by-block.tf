# Adopt a task created in the console. Run
#   terraform plan -generate-config-out=generated.tf
# to have Terraform write the matching resource block.
import {
  to = alilive_pull_to_push_task.adopted
  id = "cn-shanghai:fd245384-4067-4f91-9d75-9666a6bc9123"
}
