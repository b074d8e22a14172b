#!/usr/bin/env bash
# Checks that terraform test cannot express, run by make test-modules against
# its emulator: editing one row of the events file plans exactly one change,
# an update in place of that row's relay; and the exact messages of a bad file.
set -euo pipefail

gen="$PWD/tests/.generated"
terraform -chdir=tests/setup apply -auto-approve -input=false -no-color -var "dir=$gen" >/dev/null
trap 'terraform destroy -auto-approve -input=false -no-color -var "events_file=$gen/events.csv" >/dev/null' EXIT

terraform apply -auto-approve -input=false -no-color -var "events_file=$gen/events.csv" >/dev/null
changes="$(terraform plan -json -input=false -var "events_file=$gen/events-edited.csv" |
  jq -c 'select(.type == "planned_change") | [.change.resource.addr, .change.action]')"
want='["module.relays.alilive_pull_to_push_task.this[\"sat-final-court1\"]","update"]'
if [ "$changes" != "$want" ]; then
  echo "FAIL: editing one row should plan exactly $want; planned:" >&2
  echo "${changes:-(nothing)}" >&2
  exit 1
fi
echo "ok: editing one row plans one update: $changes"

# expect_message FILE MESSAGE: a plan with FILE must fail with MESSAGE.
expect_message() {
  local out
  if out="$(terraform plan -json -input=false -var "events_file=$1" 2>&1)"; then
    echo "FAIL: plan with $1 succeeded; expected: $2" >&2; exit 1
  fi
  if ! grep -F '"@level":"error"' <<<"$out" | jq -r '.diagnostic.detail' | grep -qxF -- "$2"; then
    echo "FAIL: plan with $1 did not fail with: $2" >&2
    grep -F '"@level":"error"' <<<"$out" | jq -r '.diagnostic.detail' >&2
    exit 1
  fi
  echo "ok: $2"
}

{ head -n 2 "$gen/events.csv"; sed -n 2p "$gen/events.csv"; } >"$gen/dup.csv"
expect_message "$gen/dup.csv" \
  "Event names must be unique, as each keys its relay; $gen/dup.csv repeats: sat-pregame-loop."
cp "$gen/events.csv" "$gen/events.txt"
expect_message "$gen/events.txt" \
  "Cannot tell the format of $gen/events.txt: name it .csv, .yaml, .yml or .json, or set events_format."
expect_message "$gen/missing.csv" "events_file does not name an existing file."
