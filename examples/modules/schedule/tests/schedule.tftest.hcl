# Runs against the emulator that make test-modules starts. The events are
# the weekend of events/weekend.csv moved to start now (tests/setup).

run "setup" {
  module {
    source = "./tests/setup"
  }
  variables {
    dir = "tests/.generated"
  }
}

run "create_from_csv" {
  variables {
    events_file = run.setup.csv_file
    test_at     = run.setup.at
  }

  assert {
    condition     = length(output.ids) == 7
    error_message = "Expected one relay per row (7), got ${jsonencode(output.ids)}."
  }
  assert {
    condition = output.statuses == {
      sat-pregame-loop = "running", sat-final-court1 = "idle", sat-final-court2 = "idle", sat-studio-show = "idle",
      sun-highlights   = "idle", sun-final-court1 = "idle", sun-ceremony = "idle"
    }
    error_message = "Only the pre-game loop has started: ${jsonencode(output.statuses)}."
  }
  assert {
    condition     = module.relays.relays["sat-final-court1"].task_name == "event-sat-final-court1"
    error_message = "The task name is the prefix and the event's name."
  }
  assert {
    condition = (
      output.events["sat-pregame-loop"].playlist == ["https://media.example.com/promos/season-trailer.mp4", "https://media.example.com/promos/sponsor-reel.mp4"]
      && output.events["sat-pregame-loop"].source == ""
    )
    error_message = "The playlist column is split on '|': ${jsonencode(output.events["sat-pregame-loop"])}."
  }
  assert {
    condition = (
      module.relays.relays["sat-final-court2"].dst_url == "rtmp://push.example.com/sports/court2-sat"
      && output.relays["sat-final-court1"].end_time == var.test_at.court1_end
    )
    error_message = "Unexpected relay: ${jsonencode(output.relays["sat-final-court1"])}."
  }
}

# Comparisons with runs before the previous one run in runs of their own (the
# relays module's tests/equal with a value kept by tests/remember), and values
# of earlier runs reach assertions as test-only variables, so that OpenTofu
# runs them too.
run "remember_create_from_csv" {
  module {
    source = "../relays/tests/remember"
  }
  variables {
    value = { ids = run.create_from_csv.ids, events = run.create_from_csv.events }
  }
}

run "edit_one_row" {
  variables {
    events_file         = run.setup.edited_csv_file
    test_at             = run.setup.at
    test_created_ids    = run.create_from_csv.ids
    test_created_relays = run.create_from_csv.relays
  }

  assert {
    condition     = output.ids == var.test_created_ids
    error_message = "Editing one row's end must keep every relay (no replacement)."
  }
  assert {
    condition     = output.relays["sat-final-court1"].end_time == var.test_at.court1_end_edited
    error_message = "sat-final-court1 should end 30 minutes later: ${output.relays["sat-final-court1"].end_time}."
  }
  assert {
    condition = alltrue([
      for k, r in output.relays : r == var.test_created_relays[k] if k != "sat-final-court1"
    ])
    error_message = "Every other relay must stay exactly as it was."
  }
}

run "same_events_from_yaml" {
  variables {
    events_file = run.setup.yaml_file
  }
}

run "yaml_gives_the_same_relays" {
  module {
    source = "../relays/tests/equal"
  }
  variables {
    got  = run.same_events_from_yaml.ids
    want = run.remember_create_from_csv.value.ids
  }

  assert {
    condition     = output.equal
    error_message = "The YAML file describes the same events as the CSV file, so the same relays."
  }
}

run "yaml_moves_the_end_back" {
  module {
    source = "../relays/tests/equal"
  }
  variables {
    got  = run.same_events_from_yaml.relays["sat-final-court1"].end_time
    want = run.setup.at.court1_end
  }

  assert {
    condition     = output.equal
    error_message = "The YAML file keeps sat-final-court1's original end, so it moves back."
  }
}

run "yaml_reads_the_same_events" {
  module {
    source = "../relays/tests/equal"
  }
  variables {
    got  = run.same_events_from_yaml.events
    want = run.remember_create_from_csv.value.events
  }

  assert {
    condition     = output.equal
    error_message = "CSV and YAML must read to the same events."
  }
}
