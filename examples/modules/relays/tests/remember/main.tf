# A helper of the module tests: keeps a value of a run for later comparisons
# (see ../equal), since OpenTofu 1.11 only reads the last run of each module.

variable "value" {
  description = "The value to keep."
}

output "value" {
  value = var.value
}
