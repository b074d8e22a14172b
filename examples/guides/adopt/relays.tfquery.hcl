# Not a complete configuration: list blocks go in a .tfquery.hcl file, which terraform query reads (Terraform 1.14 or newer).
# Every relay of the provider's live center that pushes to the ingest host
# of the event. The service matches dst_url (and task_name) by substring.

list "alilive_pull_to_push_task" "console" {
  provider         = alilive
  include_resource = true
  limit            = 1000

  config {
    dst_url = "rtmp://push.example.com/"
  }
}
