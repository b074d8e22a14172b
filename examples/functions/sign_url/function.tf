# The example of Alibaba Cloud's type A URL signing documentation (key
# aliyuncdnexp1234, timestamp 1444435200) gives its published signature:
# "http://domain.example.com/video/standard/test.mp4?auth_key=1444435200-0-0-23bf85053008f5c0e791667a313e28ce"
output "documented_example" {
  value = provider::alilive::sign_url(
    "http://domain.example.com/video/standard/test.mp4",
    "aliyuncdnexp1234",
    "2015-10-10T08:00:00+08:00",
  )
}

variable "ingest_key" {
  description = "Primary or secondary key of the ingest domain's URL signing settings."
  type        = string
  sensitive   = true
}

# A relay to an ingest domain with URL signing on, its destination signed
# until the relay ends. Query parameters already in the URL are kept; an
# auth_key already in it is replaced.
resource "alilive_pull_to_push_task" "news" {
  start_time      = "2030-06-01T19:00:00+08:00"
  end_time        = "2030-06-01T22:00:00+08:00"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/news"]
  dst_url = provider::alilive::sign_url(
    "rtmp://push.example.com/live/news",
    var.ingest_key,
    "2030-06-01T22:00:00+08:00",
  )
}
