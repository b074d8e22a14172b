#!/usr/bin/env bash
# make test-modules: runs `terraform test` in every module and guide
# configuration under examples/ that has a tests/ folder, each against its own
# emulator on a free loopback port, with the provider built from this tree
# (dev_overrides, no registry), then the folder's tests/checks.sh when there
# is one (checks terraform test cannot express: exact messages, counts of
# planned changes, -generate-config-out). A folder's tests/emulator.flags, when
# there is one, holds extra flags for its emulator, one per line, such as
# -push-auth-key=push.example.com=KEY (lines that start with # are comments).
# TEST_MODULES_FILTER=text runs only the folders whose path contains text.
# Needs make build, jq and a terraform on PATH: make test-modules runs it once
# per CLI through scripts/with-cli.sh, which puts each CLI there (OpenTofu under
# the name terraform).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
trap 'stop_emulator; rm -rf "$work"' EXIT

require_build
require_cli
use_dev_provider

dirs=()
while IFS= read -r d; do dirs+=("$(dirname "$d")"); done < <(cd "$root" && find examples -type d -name tests -not -path '*/.terraform/*' | sort)
[ "${#dirs[@]}" -gt 0 ] || { echo "error: no examples/**/tests folder found" >&2; exit 1; }

ran=0
for dir in "${dirs[@]}"; do
  if [ -n "${TEST_MODULES_FILTER:-}" ] && [[ "$dir" != *"$TEST_MODULES_FILTER"* ]]; then continue; fi
  echo "==> $dir"
  flags=()
  if [ -f "$root/$dir/tests/emulator.flags" ]; then
    while IFS= read -r flag; do
      if [ -n "$flag" ] && [[ "$flag" != \#* ]]; then flags+=("$flag"); fi
    done <"$root/$dir/tests/emulator.flags"
  fi
  start_emulator 127.0.0.1:0 "$work/emulator-$(echo "$dir" | tr / -).log" ${flags[@]+"${flags[@]}"}
  # Tests run in a copy of examples/, so that state, lock and generated files
  # never land in the tree; relative module sources keep working in the copy.
  rm -rf "$work/tree" && mkdir -p "$work/tree" && cp -r "$root/examples" "$work/tree/examples"
  (
    cd "$work/tree/$dir"
    # terraform init would ask the registry for the provider that dev_overrides
    # replaces; terraform get installs only the modules of module blocks.
    terraform get -no-color >/dev/null
    if compgen -G 'tests/*.tftest.hcl' >/dev/null; then terraform test -no-color; fi
    if [ -x tests/checks.sh ]; then ./tests/checks.sh; fi
  )
  stop_emulator
  ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || { echo "error: no folder matches TEST_MODULES_FILTER=$TEST_MODULES_FILTER" >&2; exit 1; }
echo "==> module tests passed ($ran folders)"
