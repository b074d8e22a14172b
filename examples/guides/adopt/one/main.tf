# Not a complete configuration: it imports a relay that already exists in your account.
# Adopting one relay by its resource identity (Terraform 1.12 and later).
# region may be left out for a task of the provider's region. Run
#
#   terraform plan -generate-config-out=generated.tf -var task_id=<id>
#   terraform apply -var task_id=<id>

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
  type = string
}

import {
  to       = alilive_pull_to_push_task.evening
  identity = { region = "cn-beijing", id = var.task_id }
}
