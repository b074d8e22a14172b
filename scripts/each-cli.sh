#!/usr/bin/env bash
# scripts/each-cli.sh WHAT "NAME..." COMMAND [ARG...]: runs COMMAND once under
# each CLI NAME of scripts/cli.sh through scripts/with-cli.sh, after resolving
# (and, where needed, building) all of them, so that no build is counted in a
# run's time. Every CLI runs even when one fails; at the end one line per CLI
# says what it is, whether WHAT passed and how long it took, and the script
# fails when any run failed. make test-matrix and make test-modules use it.
set -euo pipefail

[ "$#" -ge 3 ] || { echo "usage: $0 WHAT \"NAME...\" COMMAND [ARG...]" >&2; exit 2; }
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/cli.sh
. "$here/cli.sh"

what="$1"
read -r -a names <<<"$2"
shift 2
[ "${#names[@]}" -gt 0 ] || { echo "error: no CLI named" >&2; exit 2; }

for name in "${names[@]}"; do
  alilive_cli "$name" >/dev/null
done

summary=()
failed=0
for name in "${names[@]}"; do
  label="$("$here/with-cli.sh" "$name" sh -c 'echo "$ALILIVE_CLI_PRODUCT $ALILIVE_CLI_VERSION ($ALILIVE_CLI)"')"
  echo "==> $what with $name: $label"
  start="$(date +%s)"
  if "$here/with-cli.sh" "$name" "$@"; then
    result=passed
  else
    result=FAILED
    failed=$((failed + 1))
  fi
  took=$(($(date +%s) - start))
  echo "<== $what with $name: $result in $took s"
  summary+=("$(printf '%-18s %-7s %5d s  %s' "$name" "$result" "$took" "$label")")
done

echo "==> $what, per CLI:"
printf '    %s\n' "${summary[@]}"
if [ "$failed" -gt 0 ]; then
  echo "error: $what failed under $failed of ${#names[@]} CLIs" >&2
  exit 1
fi
