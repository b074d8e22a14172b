# A weekend of relays from one file. Each row of the events file becomes a
# relay keyed by its name; edit a row and the next plan changes that relay
# only. The module's source is its path in a clone of the provider's
# repository; copy examples/modules/relays and examples/modules/schedule
# next to each other into your own repository and point source at the copy.

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

variable "events_file" {
  description = "The weekend's events: CSV, YAML or JSON."
  type        = string
  default     = "../../modules/schedule/events/weekend.csv"
}

module "weekend" {
  source = "../../modules/schedule"

  events_file  = var.events_file
  name_prefix  = "weekend-"
  callback_url = "https://hooks.example.com/alilive"
}

output "relays" {
  description = "Each event's relay: task ID, status and window."
  value       = module.weekend.relays
}
