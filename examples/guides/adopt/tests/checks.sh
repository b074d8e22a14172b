#!/usr/bin/env bash
# The adopt guide against make test-modules' emulator. Relays made outside
# the configuration stand in for the console's (tests/console):
# - module/ adopts two of them into the relays module with a root-level
#   import block per relay (for_each), under every CLI;
# - the guide's terraform query finds the three to push.example.com (and not
#   the one to another ingest host), -generate-config-out writes an import
#   block and a resource block for each, the plan imports the three and
#   changes nothing, and after the apply the plan is empty;
# - one/ adopts a relay of another live center by a hand-written import block
#   by identity.
# terraform query needs Terraform 1.14 or newer; with an older CLI (or
# OpenTofu) its checks and one/'s are skipped with a message.
set -euo pipefail

has_query=true
if ! terraform query -help >/dev/null 2>&1; then has_query=false; fi

now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
terraform -chdir=tests/console apply -auto-approve -input=false -no-color -var "now=$now" >/dev/null
ids="$(terraform -chdir=tests/console output -json ids | jq -r '.[]')"
beijing="$(terraform -chdir=tests/console output -raw beijing_id)"
court_ids="$(terraform -chdir=tests/console output -json court_ids)"
court_start="$(terraform -chdir=tests/console output -json court_window | jq -r .start_time)"
court_end="$(terraform -chdir=tests/console output -json court_window | jq -r .end_time)"
for key in 'made_in_console["morning"]' 'made_in_console["match"]' 'made_in_console["loop"]' beijing \
  'courts["1"]' 'courts["2"]'; do
  terraform -chdir=tests/console state rm "alilive_pull_to_push_task.$key" >/dev/null
done
module_vars=(-var "start_time=$court_start" -var "end_time=$court_end")
cleanup() {
  terraform -chdir=module destroy -auto-approve -input=false -no-color "${module_vars[@]}" >/dev/null
  if $has_query; then
    terraform destroy -auto-approve -input=false -no-color >/dev/null
    terraform -chdir=one destroy -auto-approve -input=false -no-color -var "task_id=$beijing" >/dev/null
  fi
  terraform -chdir=tests/console destroy -auto-approve -input=false -no-color -var "now=$now" >/dev/null
}
trap cleanup EXIT

# module/: the two court relays are adopted into module.relays by the
# root-level import block, without a change, under every CLI.
terraform -chdir=module get -no-color >/dev/null
printf 'task_ids = %s\n' "$court_ids" >module/adopt.tfvars
changes="$(terraform -chdir=module plan -json -input=false "${module_vars[@]}" -var-file=adopt.tfvars |
  jq -c 'select(.type == "change_summary") | .changes | [.add, .change, .["import"], .remove]')"
if [ "$changes" != '[0,0,2,0]' ]; then
  echo "FAIL: module/ should import the two court relays into module.relays and change nothing; got [add, change, import, remove] = $changes" >&2
  terraform -chdir=module plan -no-color -input=false "${module_vars[@]}" -var-file=adopt.tfvars >&2 || true
  exit 1
fi
terraform -chdir=module apply -auto-approve -input=false -no-color "${module_vars[@]}" -var-file=adopt.tfvars >/dev/null
for key in 1 2; do
  want="$(jq -r --arg k "$key" '.[$k]' <<<"$court_ids")"
  got="$(terraform -chdir=module state show -no-color "module.relays.alilive_pull_to_push_task.this[\"$key\"]" |
    sed -n -E 's/^ +id += "(.*)"$/\1/p')"
  if [ "$got" != "$want" ]; then
    echo "FAIL: module.relays.alilive_pull_to_push_task.this[\"$key\"] should hold task $want; got \"$got\"" >&2; exit 1
  fi
done
# With the import blocks done (task_ids empty), the plan is empty.
if ! terraform -chdir=module plan -detailed-exitcode -input=false -no-color "${module_vars[@]}" >/dev/null; then
  echo "FAIL: the plan of module/ after the import is not empty" >&2
  terraform -chdir=module plan -input=false -no-color "${module_vars[@]}" >&2 || true
  exit 1
fi
echo "ok: module/ adopts the two court relays into module.relays without a change"

if ! $has_query; then
  echo "skip: $(terraform version | grep -m 1 -E '^(Terraform|OpenTofu) v') has no terraform query (Terraform 1.14 or newer has it): the query and identity checks are skipped"
  exit 0
fi

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
