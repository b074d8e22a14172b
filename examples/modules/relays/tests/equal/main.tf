# A helper of the module tests (terraform test and tofu test): a run of its own
# that compares a value of the run just before it with one kept from an earlier
# run (see ../remember). OpenTofu 1.11 reads no run.<name> in an assertion,
# only the last run of each module under run.<name> in variables, and, after an
# apply whose plan held unknown values (a task that may restart shows its id as
# known after apply), no test-only variable in an assertion; a run of this
# module sees both values as its own inputs.

variable "got" {
  description = "The value to check."
}

variable "want" {
  description = "The value it must equal."
}

output "equal" {
  value = var.got == var.want
}
