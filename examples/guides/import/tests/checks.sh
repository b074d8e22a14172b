#!/usr/bin/env bash
# The import guide against make test-modules' emulator: a relay made outside
# the configuration is adopted with the guide's import block and
# -generate-config-out; the apply imports it without a change and the next
# plan is empty.
set -euo pipefail

now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
terraform -chdir=tests/console apply -auto-approve -input=false -no-color -var "now=$now" >/dev/null
id="$(terraform -chdir=tests/console output -raw id)"
terraform -chdir=tests/console state rm alilive_pull_to_push_task.made_in_console >/dev/null
trap 'terraform destroy -auto-approve -input=false -no-color -var "task_id=$id" >/dev/null' EXIT

found="$(terraform -chdir=find apply -auto-approve -input=false -no-color >/dev/null && terraform -chdir=find output -json task_ids)"
if [ "$found" != "[\"$id\"]" ]; then
  echo "FAIL: find/ should list the console relay $id; got $found" >&2; exit 1
fi
echo "ok: find/ lists the console relay by its name"

rm -f generated.tf
terraform plan -input=false -no-color -generate-config-out=generated.tf -var "task_id=$id" >/dev/null
for want in 'task_name = "Evening news (console)"' 'repeat_number = -1' 'source_type = "url"'; do
  if ! tr -s ' ' <generated.tf | grep -qF -- "$want"; then
    echo "FAIL: generated.tf lacks: $want" >&2; cat generated.tf >&2; exit 1
  fi
done
echo "ok: generated.tf holds the console relay"

# The summary's counts that every CLI reports (Terraform 1.14 adds action_invocation,
# OpenTofu forget).
changes="$(terraform plan -json -input=false -var "task_id=$id" |
  jq -c 'select(.type == "planned_change" or .type == "change_summary") |
    .change.action // (.changes | {add, change, "import": .["import"], remove, operation})')"
want='"import"
{"add":0,"change":0,"import":1,"remove":0,"operation":"plan"}'
want="$(printf '%s' "$want" | jq -c .)"
if [ "$changes" != "$want" ]; then
  echo "FAIL: the plan after generating the configuration should import and change nothing; got:" >&2
  echo "$changes" >&2; exit 1
fi
echo "ok: the plan imports the relay and changes nothing"

terraform apply -auto-approve -input=false -no-color -var "task_id=$id" >/dev/null
if ! terraform plan -detailed-exitcode -input=false -no-color -var "task_id=$id" >/dev/null; then
  echo "FAIL: the plan after the import is not empty" >&2; exit 1
fi
echo "ok: after the apply the plan is empty"
