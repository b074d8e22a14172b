# Quickstart: one relay against the local emulator (make demo starts it on
# 127.0.0.1:9180). Every setting is a variable whose default fits the
# emulator; override them (terraform.tfvars or TF_VAR_...) to use the real
# service, and leave endpoint/protocol null there.

terraform {
  required_providers {
    alilive = {
      source = "alilive/alilive"
    }
  }
}

variable "region" {
  description = "Live center of the task."
  type        = string
  default     = "cn-shanghai"
}

variable "endpoint" {
  description = "API endpoint (host:port); null uses the service's endpoint."
  type        = string
  default     = "127.0.0.1:9180"
}

variable "protocol" {
  description = "http for the emulator, https for the service."
  type        = string
  default     = "http"
}

variable "access_key" {
  description = "Access key ID; the default is the emulator's."
  type        = string
  default     = "emulator-access-key-id"
}

variable "secret_key" {
  description = "Access key secret; the default is the emulator's."
  type        = string
  default     = "emulator-access-key-secret"
  sensitive   = true
}

variable "source_url" {
  description = "File the relay plays (a url task plays http(s) files)."
  type        = string
  default     = "https://media.example.com/quickstart.mp4"
}

variable "dst_url" {
  description = "RTMP URL the relay pushes to."
  type        = string
  default     = "rtmp://push.example.com/live/quickstart"
}

variable "duration" {
  description = "How long the relay runs after it starts (at most 168h)."
  type        = string
  default     = "2h"
}

provider "alilive" {
  region     = var.region
  endpoint   = var.endpoint
  protocol   = var.protocol
  access_key = var.access_key
  secret_key = var.secret_key
}

locals {
  # The window starts a minute before the first plan, so the task starts at
  # once. plantimestamp() moves on every plan; ignore_changes below keeps the
  # window the first apply chose.
  start_time = timeadd(plantimestamp(), "-1m")
  end_time   = timeadd(plantimestamp(), var.duration)
}

resource "alilive_pull_to_push_task" "relay" {
  task_name     = "quickstart"
  start_time    = local.start_time
  end_time      = local.end_time
  source_type   = "url"
  source_urls   = [var.source_url]
  dst_url       = var.dst_url
  repeat_number = -1

  lifecycle {
    ignore_changes = [start_time, end_time]
  }
}

output "task_id" {
  value = alilive_pull_to_push_task.relay.id
}

output "status" {
  value = alilive_pull_to_push_task.relay.status
}
