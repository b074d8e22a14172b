#!/usr/bin/env bash
# make demo: start the emulator, apply examples/quickstart with the provider
# built from this tree (dev_overrides, no registry), show the task, destroy it;
# then apply the weekend-schedule guide (the schedule and relays modules) with
# the example weekend moved to start now, edit one row, destroy, and stop the
# emulator. Needs make build, curl, jq and a terraform on PATH (make demo
# runs it through scripts/with-cli.sh, which provides one).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
addr="${DEMO_ADDR:-127.0.0.1:9180}"
work="$(mktemp -d)"
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
trap 'stop_emulator; rm -rf "$work"' EXIT

require_build
require_cli
echo "==> starting the emulator on $addr"
start_emulator "$addr" "$work/emulator.log"
use_dev_provider
export TF_VAR_endpoint="$addr"

cp -r "$root/examples/quickstart" "$work/quickstart"
cd "$work/quickstart"

echo "==> terraform apply"
terraform apply -auto-approve -input=false -no-color
echo "==> terraform state show"
terraform state show -no-color alilive_pull_to_push_task.relay
echo "==> the emulator's view of the task"
curl -fsS "http://$addr/_emulator/tasks"; echo
echo "==> terraform plan (expects no changes)"
terraform plan -detailed-exitcode -input=false -no-color
echo "==> terraform destroy"
terraform destroy -auto-approve -input=false -no-color

echo "==> a weekend of relays from a file: examples/guides/weekend-schedule with the modules"
echo "    examples/modules/schedule and examples/modules/relays (the example weekend, moved to start now)"
cp -r "$root/examples" "$work/examples"
terraform -chdir="$work/examples/modules/schedule/tests/setup" apply -auto-approve -input=false -no-color \
  -var "dir=$work/events" >/dev/null
cd "$work/examples/guides/weekend-schedule"
terraform get -no-color >/dev/null
head -n 3 "$work/events/events.csv"
echo "    ..."
terraform apply -auto-approve -input=false -no-color -var "events_file=$work/events/events.csv" | grep -E '^(Apply complete|module\.weekend.*Creation complete)'
terraform output -json relays | jq -r 'to_entries[] | "    \(.key): \(.value.status), \(.value.start_time) to \(.value.end_time)"'
echo "==> one row edited (sat-final-court1 ends 30 minutes later): the plan changes one relay"
terraform plan -input=false -no-color -var "events_file=$work/events/events-edited.csv" | grep -E '^(Plan:|  # )'
echo "==> terraform destroy"
terraform destroy -auto-approve -input=false -no-color -var "events_file=$work/events/events.csv" | grep -E '^Destroy complete'
echo "==> API calls the emulator served"
curl -fsS "http://$addr/_emulator/stats"; echo
echo "==> demo finished"
