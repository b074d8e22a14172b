# Not a complete configuration: it imports a relay that already exists in your account.
# Adopting a relay made in the console. Put this file alone in a new
# configuration, set task_id to the task's ID (the console shows it, and the
# alilive_pull_to_push_tasks data source lists tasks by name), and run
#
#   terraform plan -generate-config-out=generated.tf -var task_id=<id>
#
# Terraform writes the task's resource block to generated.tf. Review it,
# then terraform apply -var task_id=<id> records the task in the state
# without changing it, and the next terraform plan shows no changes. Keep
# generated.tf (move its block wherever you like) and delete the import
# block once applied.

terraform {
  required_providers {
    alilive = {
      source = "alilive/alilive"
    }
  }
}

provider "alilive" {
  region = "cn-shanghai"
}

variable "task_id" {
  description = "ID of the task to adopt; <region>:<task_id> for a task of another live center."
  type        = string
}

import {
  to = alilive_pull_to_push_task.console
  id = var.task_id
}
