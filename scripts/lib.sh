# Shared by scripts/demo.sh and scripts/test-modules.sh (sourced, not run):
# starts bin/alilive-emulator and points Terraform and the provider built
# from this tree at it. The caller sets root (the repository) and work (a
# temporary folder it removes) and calls stop_emulator on exit. The CLI is
# the terraform on PATH; make runs the scripts through scripts/with-cli.sh,
# which puts the CLI of its choice there (OpenTofu under the name terraform).

bin="$root/bin"
emulator_pid=""

# require_build fails unless make build has produced both binaries.
require_build() {
  local f
  for f in "$bin/terraform-provider-alilive" "$bin/alilive-emulator"; do
    [ -x "$f" ] || { echo "error: $f is missing; run make build first" >&2; exit 1; }
  done
}

# start_emulator ADDR LOG [FLAG...]: starts the emulator on ADDR (host:0
# lets the kernel pick a free port) with the extra emulator flags, if any,
# waits until it listens and exports ALILIVE_ENDPOINT with the address it
# listens on. The log exists before the emulator starts (the background
# process opens it only when it is scheduled, which on a loaded machine
# comes after the first read), and a read that finds nothing yet just
# waits: the emulator is ready when its log names the address it listens
# on, within 30 seconds.
start_emulator() {
  local addr="$1" log="$2" endpoint="" i
  shift 2
  : >"$log"
  "$bin/alilive-emulator" -addr "$addr" "$@" >>"$log" 2>&1 &
  emulator_pid=$!
  for i in $(seq 1 300); do
    endpoint="$(sed -n 's/.*msg="emulator listening" endpoint=\([^ ]*\).*/\1/p' "$log" 2>/dev/null || true)"
    [ -n "$endpoint" ] && break
    if ! kill -0 "$emulator_pid" 2>/dev/null; then
      emulator_pid=""
      echo "error: the emulator exited at once; is $addr already in use? Its log ($log):" >&2
      cat "$log" >&2 2>/dev/null || true
      echo "Run it alone to see why: $bin/alilive-emulator -addr $addr $*" >&2
      exit 1
    fi
    sleep 0.1
  done
  if [ -z "$endpoint" ]; then
    echo "error: the emulator did not report its address within 30 s (machine too busy?). Its log ($log):" >&2
    cat "$log" >&2 2>/dev/null || true
    stop_emulator
    exit 1
  fi
  export ALILIVE_ENDPOINT="$endpoint"
}

# stop_emulator stops the emulator this script started, if any.
stop_emulator() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
    emulator_pid=""
  fi
}

# require_cli fails unless a terraform (or OpenTofu as terraform) is on PATH,
# and says which one runs.
require_cli() {
  if ! command -v terraform >/dev/null 2>&1; then
    echo "error: no terraform on PATH; run this through make (which builds one when" >&2
    echo "       needed), or: scripts/with-cli.sh terraform $0" >&2
    exit 1
  fi
  echo "==> CLI: $(CHECKPOINT_DISABLE=1 terraform version 2>/dev/null | grep -m 1 -E '^(Terraform|OpenTofu) v') ($(command -v terraform))"
}

# use_dev_provider makes Terraform use the provider in bin/ (dev_overrides,
# no registry) and gives the provider the emulator's protocol, region and
# key pair. The endpoint comes from start_emulator. The provider address
# carries the CLI's default registry host: registry.opentofu.org for OpenTofu
# (scripts/with-cli.sh sets TF_ACC_PROVIDER_HOST), else registry.terraform.io.
use_dev_provider() {
  cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "${TF_ACC_PROVIDER_HOST:-registry.terraform.io}/alilive/alilive" = "$bin"
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
}
