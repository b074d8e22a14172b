# The relay across the 7-day boundary, on the emulator's clock: before the
# boundary the current window runs and the next one waits; after it the
# first window is gone (the service deleted it at its end), the second one
# runs, and the next apply prepares the third.

run "setup" {
  module {
    source = "./tests/setup"
  }
}

run "first_week" {
  variables {
    # The first window started a minute before the test.
    anchor = timeadd(run.setup.now, "-1m")
    now    = run.setup.now
  }

  assert {
    condition     = keys(output.windows) == [formatdate("YYYY-MM-DD'T'hh:mmZZZZZ", var.anchor), formatdate("YYYY-MM-DD'T'hh:mmZZZZZ", timeadd(var.anchor, "168h"))]
    error_message = "Expected the current and the next window: ${jsonencode(output.windows)}."
  }
  assert {
    condition     = [for w in values(output.windows) : w.status] == ["running", "idle"]
    error_message = "The current window runs and the next one waits: ${jsonencode(output.windows)}."
  }
  assert {
    condition     = values(output.windows)[0].end == values(output.windows)[1].start
    error_message = "The next window must start exactly when the current one ends."
  }
  assert {
    condition     = alilive_pull_to_push_task.window[keys(output.windows)[1]].dst_url == "rtmp://push.example.com/live/channel1?window=${formatdate("YYYYMMDDhhmm", timeadd(var.anchor, "168h"))}"
    error_message = "Each window pushes to its own URL."
  }
}

run "four_minutes_before_the_boundary" {
  module {
    source = "./tests/clock"
  }
  variables {
    advance = "167h55m"
  }
}

run "just_before" {
  command = plan
  variables {
    anchor = timeadd(run.setup.now, "-1m")
    now    = timeadd(run.setup.now, "167h55m")
  }

  assert {
    condition     = [for w in values(output.windows) : w.status] == ["running", "idle"]
    error_message = "Before the boundary nothing has changed: ${jsonencode(output.windows)}."
  }
}

run "past_the_boundary" {
  module {
    source = "./tests/clock"
  }
  variables {
    advance = "10m"
  }
}

run "second_week" {
  variables {
    anchor = timeadd(run.setup.now, "-1m")
    now    = timeadd(run.setup.now, "168h5m")
    # Test-only: assertions see run outputs through variables (OpenTofu reads
    # no run.<name> in an assertion).
    test_first_week_windows = run.first_week.windows
  }

  assert {
    condition     = keys(output.windows) == [formatdate("YYYY-MM-DD'T'hh:mmZZZZZ", timeadd(var.anchor, "168h")), formatdate("YYYY-MM-DD'T'hh:mmZZZZZ", timeadd(var.anchor, "336h"))]
    error_message = "The first window is gone, the second runs, the third is prepared: ${jsonencode(output.windows)}."
  }
  assert {
    condition     = output.windows[keys(output.windows)[0]].id == var.test_first_week_windows[keys(output.windows)[0]].id
    error_message = "The second window is the task made a week earlier, never replaced."
  }
  assert {
    condition     = [for w in values(output.windows) : w.status] == ["running", "idle"]
    error_message = "At the boundary the waiting task started: ${jsonencode(output.windows)}."
  }
}
