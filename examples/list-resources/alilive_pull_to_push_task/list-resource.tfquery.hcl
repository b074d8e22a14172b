# Not a complete configuration: list blocks go in a .tfquery.hcl file, which terraform query reads (Terraform 1.14 or newer).
# Every running relay of cn-beijing whose name contains "news" (the
# service's fuzzy match), with each task's attributes.
list "alilive_pull_to_push_task" "news" {
  provider         = alilive
  include_resource = true

  config {
    region    = "cn-beijing"
    task_name = "news"
    status    = "running"
  }
}

# Every relay that pushes to one ingest host, at most 500.
list "alilive_pull_to_push_task" "ingest" {
  provider = alilive
  limit    = 500

  config {
    dst_url = "rtmp://push.example.com/"
  }
}
