# The guide's configuration against the emulator, with the weekend of
# events/weekend.csv moved to start now (so the test never goes stale).

run "setup" {
  module {
    source = "../../modules/schedule/tests/setup"
  }
  variables {
    dir = "tests/.generated"
  }
}

run "plan_the_weekend" {
  variables {
    events_file = run.setup.csv_file
  }

  assert {
    condition     = length(output.relays) == 7
    error_message = "One relay per event: ${jsonencode(keys(output.relays))}."
  }
  assert {
    condition     = output.relays["sat-final-court1"].task_name == "weekend-sat-final-court1" && output.relays["sat-pregame-loop"].status == "running"
    error_message = "Unexpected relays: ${jsonencode(output.relays)}."
  }
}

run "move_one_event" {
  variables {
    events_file = run.setup.edited_csv_file
    # Test-only: assertions see run outputs through variables (OpenTofu reads
    # no run.<name> in an assertion).
    test_at             = run.setup.at
    test_planned_relays = run.plan_the_weekend.relays
  }

  assert {
    condition     = alltrue([for k, r in output.relays : r.id == var.test_planned_relays[k].id])
    error_message = "Moving one event's end keeps every relay."
  }
  assert {
    condition     = output.relays["sat-final-court1"].end_time == var.test_at.court1_end_edited
    error_message = "sat-final-court1 ends 30 minutes later."
  }
}
