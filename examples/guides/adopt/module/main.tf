# Not a complete configuration: it imports relays that already exist in your account.
# Adopting relays that already run into the relays module: the import blocks
# sit in the root module and name the module's instances, so this works with
# every CLI the project tests (import blocks with for_each need Terraform or
# OpenTofu 1.7 or newer). The relays module itself holds no import block:
# Terraform before 1.16 and OpenTofu 1.12 refuse a module that holds one,
# even when it imports nothing. Run
#
#   terraform plan  -var-file=adopt.tfvars   # N to import, 0 to change
#   terraform apply -var-file=adopt.tfvars
#
# with task_ids = { "1" = "<task id>", "2" = "<task id>" } in adopt.tfvars.
# After the apply, empty task_ids (or delete the import block).

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

variable "task_ids" {
  description = "The task ID of each relay to adopt, by its key in module.relays."
  type        = map(string)
  default     = {}
}

variable "start_time" {
  type = string
}

variable "end_time" {
  type = string
}

module "relays" {
  source = "../../../modules/relays"

  name_prefix = "court-"
  start_time  = var.start_time
  end_time    = var.end_time
  relays = {
    "1" = {
      source_urls = ["rtmp://origin.example.com/venue/court1"]
      dst_url     = "rtmp://ingest.example.org/sports/court1"
    }
    "2" = {
      source_urls = ["rtmp://origin.example.com/venue/court2"]
      dst_url     = "rtmp://ingest.example.org/sports/court2"
    }
  }
}

import {
  for_each = var.task_ids
  to       = module.relays.alilive_pull_to_push_task.this[each.key]
  id       = each.value
}
