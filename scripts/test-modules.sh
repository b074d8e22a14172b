#!/usr/bin/env bash
# make test-modules: runs `terraform test` in every module and guide
# configuration under examples/ that has a tests/ folder, each against its own
# emulator on a free loopback port, with the provider built from this tree
# (dev_overrides, no registry). Then runs the checks of scripts/module-checks.sh
# that terraform test cannot express (exact messages, counts of planned changes).
# Needs only Go (make build ran before) and the terraform CLI.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/bin"
work="$(mktemp -d)"
emulator_pid=""

stop_emulator() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
    emulator_pid=""
  fi
}
cleanup() {
  stop_emulator
  rm -rf "$work"
}
trap cleanup EXIT

for f in "$bin/terraform-provider-alilive" "$bin/alilive-emulator"; do
  [ -x "$f" ] || { echo "error: $f is missing; run make build first" >&2; exit 1; }
done

# start_emulator starts a fresh emulator on a free port (the kernel picks it)
# and exports the provider's environment for it.
start_emulator() {
  local log="$work/emulator-$1.log" endpoint=""
  "$bin/alilive-emulator" -addr 127.0.0.1:0 >"$log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 100); do
    endpoint="$(sed -n 's/.*msg="emulator listening" endpoint=\([^ ]*\).*/\1/p' "$log")"
    [ -n "$endpoint" ] && break
    if ! kill -0 "$emulator_pid" 2>/dev/null; then
      echo "error: the emulator exited:" >&2; cat "$log" >&2; exit 1
    fi
    sleep 0.1
  done
  [ -n "$endpoint" ] || { echo "error: the emulator did not start:" >&2; cat "$log" >&2; exit 1; }
  export ALILIVE_ENDPOINT="$endpoint"
}

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
export ALILIVE_PROTOCOL=http
export ALIBABA_CLOUD_REGION=cn-shanghai
export ALIBABA_CLOUD_ACCESS_KEY_ID=emulator-access-key-id
export ALIBABA_CLOUD_ACCESS_KEY_SECRET=emulator-access-key-secret

dirs=()
while IFS= read -r d; do dirs+=("$(dirname "$d")"); done < <(cd "$root" && find examples -type d -name tests -not -path '*/.terraform/*' | sort)
[ "${#dirs[@]}" -gt 0 ] || { echo "error: no examples/**/tests folder found" >&2; exit 1; }

for dir in "${dirs[@]}"; do
  if [ -n "${TEST_MODULES_FILTER:-}" ] && [[ "$dir" != *"$TEST_MODULES_FILTER"* ]]; then continue; fi
  echo "==> terraform test in $dir"
  start_emulator "$(echo "$dir" | tr / -)"
  # Each configuration is copied so that .terraform and lock files never land in the tree;
  # relative module sources (../../modules/...) keep working because the copy keeps the layout.
  rm -rf "$work/tree" && mkdir -p "$work/tree" && cp -r "$root/examples" "$work/tree/examples"
  (
    cd "$work/tree/$dir"
    # terraform init would ask the registry for the provider that dev_overrides
    # replaces; terraform get installs only the module blocks' modules.
    terraform get -no-color >/dev/null
    if compgen -G 'tests/*.tftest.hcl' >/dev/null; then terraform test -no-color; fi
  )
  if [ -x "$root/$dir/tests/checks.sh" ]; then
    echo "==> $dir/tests/checks.sh"
    (cd "$work/tree/$dir" && ./tests/checks.sh)
  fi
  stop_emulator
done
echo "==> module tests passed"
