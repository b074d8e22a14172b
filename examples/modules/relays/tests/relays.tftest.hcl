# Runs against the emulator that make test-modules starts (ALILIVE_ENDPOINT,
# ALILIVE_PROTOCOL and the emulator's key pair come from the environment).

run "setup" {
  module {
    source = "./tests/setup"
  }
}

variables {
  relays = {
    main = {
      source_urls = ["rtmp://origin.example.com/live/main"]
      dst_url     = "rtmp://push.example.com/live/tftest-main"
    }
    backup = {
      source_urls = ["rtmp://origin.example.com/live/backup"]
      dst_url     = "rtmp://push.example.com/live/tftest-backup"
    }
    loop = {
      source_type   = "url"
      source_urls   = ["https://media.example.com/a.mp4", "https://media.example.com/b.flv"]
      dst_url       = "rtmp://push.example.com/live/tftest-loop"
      repeat_number = -1
    }
  }
}

run "create" {
  variables {
    start_time = timeadd(run.setup.now, "-1m")
    end_time   = timeadd(run.setup.now, "2h")
  }

  assert {
    condition     = length(output.ids) == 3 && alltrue([for id in values(output.ids) : length(id) > 0])
    error_message = "Expected three task IDs, got ${jsonencode(output.ids)}."
  }
  assert {
    condition     = output.statuses == { main = "running", backup = "running", loop = "running" }
    error_message = "Expected every relay running (its start lies in the past), got ${jsonencode(output.statuses)}."
  }
  assert {
    condition     = output.relays["main"].task_name == "relay-main" && output.relays["loop"].dst_url == "rtmp://push.example.com/live/tftest-loop"
    error_message = "Unexpected relays output: ${jsonencode(output.relays)}."
  }
  assert {
    condition     = alilive_pull_to_push_task.this["main"].source_protocol == "rtmp" && alilive_pull_to_push_task.this["loop"].source_protocol == null
    error_message = "A live relay takes the module's source_protocol and a playlist none."
  }
}

# Comparisons with earlier runs run in runs of their own (tests/equal with a
# value kept by tests/remember), so that OpenTofu runs them too.
run "remember_create" {
  module {
    source = "./tests/remember"
  }
  variables {
    value = run.create.ids
  }
}

run "update_callback_in_place" {
  variables {
    start_time   = timeadd(run.setup.now, "-1m")
    end_time     = timeadd(run.setup.now, "2h")
    callback_url = "https://hooks.example.com/alilive"
  }
  assert {
    condition     = alltrue([for t in values(alilive_pull_to_push_task.this) : t.callback_url == "https://hooks.example.com/alilive"])
    error_message = "Every relay should carry the new callback_url."
  }
}

run "update_callback_in_place_keeps_ids" {
  module {
    source = "./tests/equal"
  }
  variables {
    got  = run.update_callback_in_place.ids
    want = run.remember_create.value
  }

  assert {
    condition     = output.equal
    error_message = "A callback_url change must update the relays in place, keeping their IDs: ${jsonencode(var.got)}."
  }
}

run "extend_one_relay" {
  variables {
    start_time   = timeadd(run.setup.now, "-1m")
    end_time     = timeadd(run.setup.now, "2h")
    callback_url = "https://hooks.example.com/alilive"
    relays = {
      main = {
        source_urls = ["rtmp://origin.example.com/live/main"]
        dst_url     = "rtmp://push.example.com/live/tftest-main"
        end_time    = timeadd(run.setup.now, "3h")
      }
      backup = {
        source_urls = ["rtmp://origin.example.com/live/backup"]
        dst_url     = "rtmp://push.example.com/live/tftest-backup"
      }
      loop = {
        source_type   = "url"
        source_urls   = ["https://media.example.com/a.mp4", "https://media.example.com/b.flv"]
        dst_url       = "rtmp://push.example.com/live/tftest-loop"
        repeat_number = -1
      }
    }
  }
  assert {
    condition     = output.statuses["main"] == "running"
    error_message = "The provider restarts a running relay after changing its end_time; got ${output.statuses["main"]}."
  }
}

run "extend_one_relay_keeps_every_task" {
  module {
    source = "./tests/equal"
  }
  variables {
    got  = run.extend_one_relay.ids
    want = run.remember_create.value
  }

  assert {
    condition     = output.equal
    error_message = "Extending one relay's end_time must keep every task: ${jsonencode(var.got)}."
  }
}

run "extend_one_relay_moves_only_main" {
  module {
    source = "./tests/equal"
  }
  variables {
    got  = { main = run.extend_one_relay.relays["main"].end_time, backup = run.extend_one_relay.relays["backup"].end_time }
    want = { main = timeadd(run.setup.now, "3h"), backup = timeadd(run.setup.now, "2h") }
  }

  assert {
    condition     = output.equal
    error_message = "Only main should end an hour later: ${jsonencode(var.got)}."
  }
}

run "remove_backup" {
  variables {
    start_time   = timeadd(run.setup.now, "-1m")
    end_time     = timeadd(run.setup.now, "2h")
    callback_url = "https://hooks.example.com/alilive"
    relays = {
      main = {
        source_urls = ["rtmp://origin.example.com/live/main"]
        dst_url     = "rtmp://push.example.com/live/tftest-main"
        end_time    = timeadd(run.setup.now, "3h")
      }
      loop = {
        source_type   = "url"
        source_urls   = ["https://media.example.com/a.mp4", "https://media.example.com/b.flv"]
        dst_url       = "rtmp://push.example.com/live/tftest-loop"
        repeat_number = -1
      }
    }
  }

  assert {
    condition     = keys(output.ids) == ["loop", "main"]
    error_message = "Only backup should be gone: ${jsonencode(output.ids)}."
  }
}

run "remove_backup_keeps_the_others" {
  module {
    source = "./tests/equal"
  }
  variables {
    got  = run.remove_backup.ids
    want = { main = run.remember_create.value["main"], loop = run.remember_create.value["loop"] }
  }

  assert {
    condition     = output.equal
    error_message = "Removing one relay must leave the others untouched: ${jsonencode(var.got)}."
  }
}
