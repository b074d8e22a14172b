#!/usr/bin/env bash
# The adopt guide against make test-modules' emulator: three relays made
# outside the configuration (and one to another ingest host) are found by the
# guide's terraform query, -generate-config-out writes an import block and a
# resource block for each, the plan imports the three and changes nothing,
# and after the apply the plan is empty; one/ adopts a relay of another live
# center by a hand-written import block by identity. terraform query needs Terraform 1.14
# or newer; with an older CLI the checks are skipped.
set -euo pipefail

if ! terraform query -help >/dev/null 2>&1; then
  echo "skip: $(terraform version | grep -m 1 -E '^(Terraform|OpenTofu) v') has no terraform query (Terraform 1.14 or newer has it)"
  exit 0
fi

now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
terraform -chdir=tests/console apply -auto-approve -input=false -no-color -var "now=$now" >/dev/null
ids="$(terraform -chdir=tests/console output -json ids | jq -r '.[]')"
beijing="$(terraform -chdir=tests/console output -raw beijing_id)"
for key in 'made_in_console["morning"]' 'made_in_console["match"]' 'made_in_console["loop"]' beijing; do
  terraform -chdir=tests/console state rm "alilive_pull_to_push_task.$key" >/dev/null
done
cleanup() {
  terraform destroy -auto-approve -input=false -no-color >/dev/null
  terraform -chdir=one destroy -auto-approve -input=false -no-color -var "task_id=$beijing" >/dev/null
  terraform -chdir=tests/console destroy -auto-approve -input=false -no-color -var "now=$now" >/dev/null
}
trap cleanup EXIT

# terraform query lists the three relays, each by name (or destination
# without its query string), live center and ID, and not the backup relay.
listed="$(terraform query -no-color)"
for id in $ids; do
  if ! grep -qF "$id" <<<"$listed"; then
    echo "FAIL: terraform query should list $id; got:" >&2; echo "$listed" >&2; exit 1
  fi
done
for want in 'Morning show (console) (cn-shanghai, ' 'Match day (console) (cn-shanghai, ' \
  'rtmp://push.example.com/live/loop (cn-shanghai, '; do
  if ! grep -qF -- "$want" <<<"$listed"; then
    echo "FAIL: terraform query should show: $want; got:" >&2; echo "$listed" >&2; exit 1
  fi
done
if grep -qF 'Backup' <<<"$listed" || [ "$(grep -c 'cn-shanghai, ' <<<"$listed")" != 3 ]; then
  echo "FAIL: terraform query should list exactly the three relays to push.example.com; got:" >&2
  echo "$listed" >&2; exit 1
fi
echo "ok: terraform query lists the three console relays"

rm -f generated.tf
terraform query -no-color -generate-config-out=generated.tf >/dev/null
imports="$(grep -c '^import {' generated.tf || true)"
resources="$(grep -c '^resource "alilive_pull_to_push_task"' generated.tf || true)"
if [ "$imports" != 3 ] || [ "$resources" != 3 ]; then
  echo "FAIL: generated.tf should hold 3 import blocks and 3 resource blocks; got $imports and $resources:" >&2
  cat generated.tf >&2; exit 1
fi
for id in $ids; do
  if ! tr -s ' ' <generated.tf | grep -qF "id = \"$id\""; then
    echo "FAIL: generated.tf should import $id by identity:" >&2; cat generated.tf >&2; exit 1
  fi
done
echo "ok: generated.tf imports the three relays by identity"

changes="$(terraform plan -json -input=false |
  jq -c 'select(.type == "change_summary") | .changes | [.add, .change, .["import"], .remove]')"
if [ "$changes" != '[0,0,3,0]' ]; then
  echo "FAIL: the plan of the generated configuration should import 3 and change nothing; got [add, change, import, remove] = $changes" >&2
  terraform plan -no-color -input=false >&2 || true
  exit 1
fi
echo "ok: the plan imports the three relays and changes nothing"

terraform apply -auto-approve -input=false -no-color >/dev/null
if ! terraform plan -detailed-exitcode -input=false -no-color >/dev/null; then
  echo "FAIL: the plan after the import is not empty" >&2
  terraform plan -input=false -no-color >&2 || true
  exit 1
fi
echo "ok: after the apply the plan is empty"

# one/: a hand-written import block by identity, for a relay of another live
# center than the provider's (which the query above did not list).
terraform -chdir=one plan -input=false -no-color -generate-config-out=generated.tf -var "task_id=$beijing" >/dev/null
if ! tr -s ' ' <one/generated.tf | grep -qF 'region = "cn-beijing"'; then
  echo "FAIL: one/generated.tf should keep the relay's region:" >&2; cat one/generated.tf >&2; exit 1
fi
changes="$(terraform -chdir=one plan -json -input=false -var "task_id=$beijing" |
  jq -c 'select(.type == "change_summary") | .changes | [.add, .change, .["import"], .remove]')"
if [ "$changes" != '[0,0,1,0]' ]; then
  echo "FAIL: one/ should import the cn-beijing relay by identity and change nothing; got $changes" >&2; exit 1
fi
terraform -chdir=one apply -auto-approve -input=false -no-color -var "task_id=$beijing" >/dev/null
if ! terraform -chdir=one plan -detailed-exitcode -input=false -no-color -var "task_id=$beijing" >/dev/null; then
  echo "FAIL: the plan of one/ after the import is not empty" >&2; exit 1
fi
echo "ok: one/ adopts the cn-beijing relay by identity without a change"
