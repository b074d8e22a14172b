variable "events_file" {
  description = "Path of the events file: .csv, .yaml/.yml or .json (see main.tf for the columns)."
  type        = string

  validation {
    condition     = fileexists(var.events_file)
    error_message = "events_file does not name an existing file."
  }
}

variable "events_format" {
  description = "csv, yaml or json; null takes it from the file's extension."
  type        = string
  default     = null

  validation {
    condition     = var.events_format == null || contains(["csv", "yaml", "yml", "json"], lower(coalesce(var.events_format, "-")))
    error_message = "events_format must be csv, yaml or json (or null to use the file's extension)."
  }
}

variable "region" {
  description = "Live center of every relay; null uses the provider's region."
  type        = string
  default     = null
}

variable "callback_url" {
  description = "Optional http(s) URL that receives status events of every relay."
  type        = string
  default     = null
}

variable "name_prefix" {
  description = "Prefix of each task_name; the event's name is appended."
  type        = string
  default     = "event-"
}
