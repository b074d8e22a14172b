# Bad input is rejected at plan time by the module, with its own message,
# before the provider is asked. Each run fails on purpose: expect_failures
# names what must fail, and the test fails if it does not.

variables {
  start_time = "2030-01-04T19:00:00Z"
  end_time   = "2030-01-04T23:00:00Z"
}

run "dst_url_must_be_rtmp" {
  command = plan
  variables {
    relays = {
      main = {
        source_urls = ["rtmp://origin.example.com/live/main"]
        dst_url     = "https://push.example.com/live/main"
      }
    }
  }
  expect_failures = [var.relays]
}

run "source_type_enum" {
  command = plan
  variables {
    relays = {
      main = {
        source_type = "hls"
        source_urls = ["https://origin.example.com/live/main.m3u8"]
        dst_url     = "rtmp://push.example.com/live/main"
      }
    }
  }
  expect_failures = [var.relays]
}

run "live_takes_one_source" {
  command = plan
  variables {
    relays = {
      main = {
        source_urls = ["rtmp://origin.example.com/live/a", "rtmp://origin.example.com/live/b"]
        dst_url     = "rtmp://push.example.com/live/main"
      }
    }
  }
  expect_failures = [var.relays]
}

run "repeat_number_playlists_only" {
  command = plan
  variables {
    relays = {
      main = {
        source_urls   = ["rtmp://origin.example.com/live/main"]
        dst_url       = "rtmp://push.example.com/live/main"
        repeat_number = -1
      }
    }
  }
  expect_failures = [var.relays]
}

run "url_playlist_needs_http_files" {
  command = plan
  variables {
    relays = {
      loop = {
        source_type = "url"
        source_urls = ["rtmp://origin.example.com/live/a"]
        dst_url     = "rtmp://push.example.com/live/loop"
      }
    }
  }
  expect_failures = [var.relays]
}

run "one_relay_per_destination" {
  command = plan
  variables {
    relays = {
      a = {
        source_urls = ["rtmp://origin.example.com/live/a"]
        dst_url     = "rtmp://push.example.com/live/same"
      }
      b = {
        source_urls = ["rtmp://origin.example.com/live/b"]
        dst_url     = "rtmp://push.example.com/live/same"
      }
    }
  }
  expect_failures = [var.relays]
}

run "time_format" {
  command = plan
  variables {
    start_time = "2030-01-04 19:00"
    relays     = {}
  }
  expect_failures = [var.start_time]
}

run "source_protocol_enum" {
  command = plan
  variables {
    source_protocol = "hls"
    relays          = {}
  }
  expect_failures = [var.source_protocol]
}

run "longer_than_seven_days" {
  command = plan
  variables {
    end_time = "2030-01-12T19:00:01Z"
    relays = {
      main = {
        source_urls = ["rtmp://origin.example.com/live/main"]
        dst_url     = "rtmp://push.example.com/live/main"
      }
    }
  }
  expect_failures = [alilive_pull_to_push_task.this]
}

run "window_required" {
  command = plan
  variables {
    start_time = null
    relays = {
      main = {
        source_urls = ["rtmp://origin.example.com/live/main"]
        dst_url     = "rtmp://push.example.com/live/main"
      }
    }
  }
  expect_failures = [alilive_pull_to_push_task.this]
}
