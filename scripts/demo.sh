#!/usr/bin/env bash
# make demo: start the emulator, apply examples/quickstart with the provider
# built from this tree (dev_overrides, no registry), show the task, destroy it
# and stop the emulator. Needs only Go and the terraform CLI.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/bin"
addr="${DEMO_ADDR:-127.0.0.1:9180}"
work="$(mktemp -d)"
emulator_pid=""

cleanup() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

for f in "$bin/terraform-provider-alilive" "$bin/alilive-emulator"; do
  [ -x "$f" ] || { echo "error: $f is missing; run make build first" >&2; exit 1; }
done

echo "==> starting the emulator on $addr"
"$bin/alilive-emulator" -addr "$addr" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 50); do
  if curl -fsS "http://$addr/_emulator/stats" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$emulator_pid" 2>/dev/null; then
    echo "error: the emulator exited; is $addr already in use? Set DEMO_ADDR to another address." >&2
    cat "$work/emulator.log" >&2
    exit 1
  fi
  sleep 0.1
done

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/alilive/alilive" = "$bin"
  }
  direct {}
}
RC

export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1
export ALILIVE_ENDPOINT="$addr"
export TF_VAR_endpoint="$addr"
export ALILIVE_PROTOCOL=http
export ALIBABA_CLOUD_REGION=cn-shanghai
export ALIBABA_CLOUD_ACCESS_KEY_ID=emulator-access-key-id
export ALIBABA_CLOUD_ACCESS_KEY_SECRET=emulator-access-key-secret

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
echo "==> API calls the emulator served"
curl -fsS "http://$addr/_emulator/stats"; echo
echo "==> demo finished"
