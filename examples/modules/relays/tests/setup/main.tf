# The time a test starts, in whole seconds, so that every run of the test
# uses the same window and no test goes stale.

output "now" {
  value = formatdate("YYYY-MM-DD'T'hh:mm:ss'Z'", plantimestamp())
}
