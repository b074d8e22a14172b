# The time a test starts, in whole seconds.

output "now" {
  value = formatdate("YYYY-MM-DD'T'hh:mm:ss'Z'", plantimestamp())
}
