# Lists the IDs of the tasks with a given name, to import them.

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

variable "task_name" {
  description = "The task_name the console shows."
  type        = string
  default     = "Evening news (console)"
}

data "alilive_pull_to_push_tasks" "named" {
  task_name = var.task_name
}

output "task_ids" {
  value = data.alilive_pull_to_push_tasks.named.ids
}
