variable "ingest_key" {
  description = "Primary or secondary key of the ingest domain's URL signing settings."
  type        = string
  sensitive   = true
}

# Relay a live RTMP stream to another ingest point for one evening.
# Times may use any UTC offset; the service stores them in UTC. The ingest
# domain has URL signing on, so the destination carries an auth_key signed
# until the relay ends (provider function, Terraform 1.8 or later).
resource "alilive_pull_to_push_task" "live" {
  task_name       = "evening-news-relay"
  start_time      = "2030-06-01T19:00:00+08:00"
  end_time        = "2030-06-01T22:00:00+08:00"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/news"]
  dst_url         = provider::alilive::sign_url("rtmp://push.example.com/live/news", var.ingest_key, "2030-06-01T22:00:00+08:00")
  callback_url    = "https://hooks.example.com/alilive"
  retry_interval  = 120
  retry_count     = 5

  timeouts {
    create = "5m"
  }
}

# Play a playlist of third-party MP4 files in a loop, starting with the
# second file 30 seconds in.
resource "alilive_pull_to_push_task" "playlist" {
  region        = "cn-beijing"
  start_time    = "2030-06-02T08:00:00Z"
  end_time      = "2030-06-03T08:00:00Z"
  source_type   = "url"
  source_urls   = ["https://media.example.com/intro.mp4", "https://media.example.com/show.mp4"]
  dst_url       = "rtmp://push.example.com/live/loop"
  repeat_number = -1
  file_index    = 1
  offset        = 30
}

# Play ApsaraVideo VOD media by ID, once. A task that has started can be
# stopped (enabled = false) and started again (enabled = true).
resource "alilive_pull_to_push_task" "vod" {
  start_time  = "2030-06-02T08:00:00Z"
  end_time    = "2030-06-02T20:00:00Z"
  source_type = "vod"
  source_urls = ["0f2c4f6bb7e24a54a3c1e5e3a9d7c001", "5b8e11d0a2f3485c9e7f6a1b2c3d4e5f"]
  dst_url     = "rtmp://push.example.com/live/vod"
  enabled     = true
}
