# The guide's configuration against an emulator whose ingest domain
# push.example.com has URL signing on (tests/emulator.flags): a relay signed
# with the domain's key runs; moving its end keeps the URL and the task; a
# relay signed with another key is created but cannot push.

variables {
  ingest_key = "guide-test-ingest-key"
}

run "setup" {
  module {
    source = "../round-the-clock/tests/setup"
  }
}

run "signed" {
  variables {
    relays = {
      news = {
        source_url = "rtmp://origin.example.com/live/news"
        start      = timeadd(run.setup.now, "-1m")
        end        = timeadd(run.setup.now, "2h")
      }
    }
  }

  assert {
    condition     = output.relays.news.status == "running" && output.relays.news.invalid_reason == null
    error_message = "The signed relay should run: ${jsonencode(output.relays)}."
  }
  assert {
    condition     = can(regex("^rtmp://push\\.example\\.com/live/news\\?auth_key=[0-9]{10}-0-0-[0-9a-f]{32}$", nonsensitive(alilive_pull_to_push_task.relay["news"].dst_url)))
    error_message = "dst_url should be the stream's URL with one auth_key."
  }
}

run "end_moved" {
  variables {
    relays = {
      news = {
        source_url = "rtmp://origin.example.com/live/news"
        start      = timeadd(run.setup.now, "-1m")
        end        = timeadd(run.setup.now, "3h")
      }
    }
    # A test-only variable: OpenTofu reads no run.<name> in an assertion.
    test_signed_relays = run.signed.relays
  }

  assert {
    condition     = output.relays.news.id == var.test_signed_relays.news.id && output.relays.news.status == "running"
    error_message = "Moving the end keeps the signed URL, so the running task stays: ${jsonencode(output.relays)}."
  }
}

run "wrong_key" {
  variables {
    ingest_key = "not-the-domain-key"
    relays = {
      news = {
        source_url = "rtmp://origin.example.com/live/news"
        start      = timeadd(run.setup.now, "-1m")
        end        = timeadd(run.setup.now, "3h")
      }
    }
  }

  assert {
    condition     = output.relays.news.status == "recovering" && output.relays.news.invalid_reason == "PushStreamFailed"
    error_message = "A URL signed with another key is refused at the ingest domain: ${jsonencode(output.relays)}."
  }
}
