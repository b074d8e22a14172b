#!/usr/bin/env bash
# Resolves the Terraform or OpenTofu CLI that the tests, the demo and the docs
# generator run, and builds it from the Go module proxy into a cache folder
# outside the repository when no suitable one is on PATH. Needs only Go.
#
#   scripts/cli.sh [NAME]     prints the path of the CLI NAME (default: terraform)
#   . scripts/cli.sh          defines alilive_cli NAME (prints the path) and alilive_cli_matrix
#
# NAME is one of
#   terraform         terraform on PATH when it is Terraform 1.11.0 or newer, else terraform-1.16.4
#   terraform-1.16    terraform on PATH when it is Terraform 1.16.0 or newer, else terraform-1.16.4
#                     (make generate and docs-examples: the newest Terraform)
#   path              terraform on PATH when it is Terraform 1.11.0 or newer; fails otherwise
#   terraform-X.Y.Z   Terraform vX.Y.Z: terraform on PATH when it is exactly that version, else a
#                     test-only build of the github.com/hashicorp/terraform@vX.Y.Z module (the
#                     matrix's terraform-1.16.4; terraform-1.14.8, the first release with list
#                     resources and actions, on demand)
#   tofu-X.Y.Z        OpenTofu vX.Y.Z: tofu on PATH when it is exactly that version, else a build
#                     of the github.com/opentofu/opentofu@vX.Y.Z module (the matrix's tofu-1.12.6)
#   matrix            prints the names make test-matrix runs: path (when it resolves),
#                     terraform-1.16.4 and tofu-1.12.6
#
# Builds go to ${ALILIVE_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-alilive/cli}/
# <name>/<binary> and are reused afterwards (delete the folder to rebuild). A build prints one
# line on standard error; its log is kept beside the binary. Two builds at once are safe: each
# builds in its own temporary folder and renames the binary into place, and where flock(1)
# exists the second waits for the first. Every binary is checked with `version` before use.

# The oldest Terraform on PATH the project uses: the oldest version it tests (CONTRIBUTING.md).
ALILIVE_CLI_MIN_TERRAFORM="1.11.0"
ALILIVE_CLI_TERRAFORM_VERSION="1.16.4"
ALILIVE_CLI_TOFU_VERSION="1.12.6"

alilive_cli_cache() {
  printf '%s\n' "${ALILIVE_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-alilive/cli}"
}

# alilive_cli_version BIN PRODUCT: prints the version BIN reports when a line of `BIN version`
# starts with "PRODUCT vX.Y.Z" (Terraform or OpenTofu), else nothing. (OpenTofu 1.12 prints
# the problems of its CLI configuration file before that line, on standard output.)
alilive_cli_version() {
  local line
  line="$(CHECKPOINT_DISABLE=1 "$1" version 2>/dev/null | grep -m 1 -E "^$2 v")" || true
  case "$line" in
    "$2 v"*) printf '%s\n' "${line#"$2" v}" ;;
  esac
}

# alilive_cli_at_least A B: true when version A >= version B (numeric X.Y.Z; a
# prerelease suffix counts as below its release).
alilive_cli_at_least() {
  local a b i x y
  IFS=. read -r -a a <<<"${1%%-*}"
  IFS=. read -r -a b <<<"${2%%-*}"
  for i in 0 1 2; do
    x="${a[i]:-0}" y="${b[i]:-0}"
    [[ "$x" =~ ^[0-9]+$ && "$y" =~ ^[0-9]+$ ]] || return 1
    if ((10#$x > 10#$y)); then return 0; fi
    if ((10#$x < 10#$y)); then return 1; fi
  done
  [[ "$1" != *-* || "$2" == *-* ]]
}

# alilive_cli_on_path PROGRAM PRODUCT MIN [EXACT]: prints the path of PROGRAM on PATH when it
# reports PRODUCT at version >= MIN (or exactly EXACT when given).
alilive_cli_on_path() {
  local bin v
  bin="$(command -v "$1" 2>/dev/null)" || return 1
  v="$(alilive_cli_version "$bin" "$2")"
  [ -n "$v" ] || return 1
  if [ -n "${4:-}" ]; then
    [ "$v" = "$4" ] || return 1
  else
    alilive_cli_at_least "$v" "$3" || return 1
  fi
  printf '%s\n' "$bin"
}

# alilive_cli_build KIND: builds terraform-X.Y.Z or tofu-X.Y.Z into the cache (unless a
# working binary is there) and prints its path.
alilive_cli_build() {
  local kind="$1" product module version program pkg about cache dest bin tmp src dir start v
  case "$kind" in
    terraform-*)
      product=Terraform program=terraform module=github.com/hashicorp/terraform
      version="${kind#terraform-}" pkg=.
      about="Terraform $version (test-only build without 9 remote-state backends; see CONTRIBUTING.md)"
      ;;
    tofu-*)
      product=OpenTofu program=tofu module=github.com/opentofu/opentofu
      version="${kind#tofu-}" pkg=./cmd/tofu
      about="OpenTofu $version (test-only build without 8 remote-state backends; see CONTRIBUTING.md)"
      ;;
    *) echo "error: unknown CLI build $kind" >&2; return 1 ;;
  esac
  cache="$(alilive_cli_cache)"
  dest="$cache/$program-$version"
  bin="$dest/$program"
  if [ -x "$bin" ] && [ "$(alilive_cli_version "$bin" "$product")" = "$version" ]; then
    printf '%s\n' "$bin"; return 0
  fi
  mkdir -p "$dest" || return 1

  # One build at a time per CLI where flock(1) exists; the rename below keeps
  # concurrent builds safe where it does not.
  if command -v flock >/dev/null 2>&1; then
    local lockfd
    exec {lockfd}>"$dest/.lock" || return 1
    if ! flock -n "$lockfd"; then
      echo "==> waiting for another process to finish building $about in $dest" >&2
      flock "$lockfd"
    fi
    if [ -x "$bin" ] && [ "$(alilive_cli_version "$bin" "$product")" = "$version" ]; then
      exec {lockfd}>&-
      printf '%s\n' "$bin"; return 0
    fi
  fi

  echo "==> building $about from the Go module proxy into $dest (once; several minutes, up to 40 on 2 busy cores)" >&2
  start="$(date +%s)"
  tmp="$(mktemp -d "$dest/.build.XXXXXX")" || return 1
  if ! (
    set -euo pipefail
    exec >"$tmp/build.log" 2>&1
    cd "$tmp"
    go="${GO:-go}"
    dir="$(GOFLAGS= "$go" mod download -json "$module@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
    [ -n "$dir" ] || { echo "go mod download did not report the module's folder"; exit 1; }
    src="$tmp/src"
    cp -R "$dir" "$src"
    chmod -R u+w "$src"
    cd "$src"
    ldflags="-s -w -X 'github.com/$([ "$program" = tofu ] && echo opentofu/opentofu || echo hashicorp/terraform)/version.dev=no'"
    if [ "$program" = terraform ]; then
      # The module zip lacks Terraform's nested modules: nine remote-state backends and
      # internal/legacy (used only by one _test.go). Drop their requires and replaces and the
      # backends' registrations; local, remote, http, inmem and cloud stay.
      sed -E '/github.com\/hashicorp\/terraform\/internal\/(backend\/remote-state\/(azure|consul|cos|gcs|kubernetes|oci|oss|pg|s3)|legacy)( |$)/d' go.mod >go.mod.new
      mv go.mod.new go.mod
      init=internal/backend/init/init.go
      sed -E '/backend(Azure|Consul|Cos|GCS|Kubernetes|OCI|OSS|Pg|S3)[ .]/d' "$init" >"$init.new"
      mv "$init.new" "$init"
      if grep -Eq 'remote-state/(azure|consul|cos|gcs|kubernetes|oci|oss|pg|s3)"' "$init" ||
        grep -Eq 'internal/(backend/remote-state/[a-z0-9]+|legacy) ' go.mod; then
        echo "the nested backend modules are still referenced"; exit 1
      fi
      modflag=-mod=mod
    else
      # OpenTofu's backends are in its own module, so the build would succeed with them; it
      # drops the same remote-state backends anyway (1,407 packages to compile instead of 1,783,
      # 283 of them from k8s.io), which no test uses: local, remote, http, inmem and cloud stay.
      init=internal/backend/init/init.go
      sed -E '/backend(Azure|Consul|Cos|GCS|Kubernetes|OSS|Pg|S3)[ .]/d' "$init" >"$init.new"
      mv "$init.new" "$init"
      if grep -Eq 'remote-state/(azure|consul|cos|gcs|kubernetes|oss|pg|s3)"' "$init"; then
        echo "the dropped backends are still registered"; exit 1
      fi
      modflag=-mod=readonly
    fi
    # The release's flags: no cgo, trimmed paths, the release version string.
    CGO_ENABLED=0 GOFLAGS="$modflag" "$go" build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$tmp/$program" "$pkg"
  ); then
    echo "error: building $about failed; the last lines of $tmp/build.log:" >&2
    tail -n 20 "$tmp/build.log" >&2
    [ -n "${lockfd:-}" ] && exec {lockfd}>&-
    return 1
  fi
  v="$(alilive_cli_version "$tmp/$program" "$product")"
  if [ "$v" != "$version" ]; then
    echo "error: the $program built in $tmp reports version '${v:-?}', not $version" >&2
    [ -n "${lockfd:-}" ] && exec {lockfd}>&-
    return 1
  fi
  echo "built in $(($(date +%s) - start)) s with $("${GO:-go}" env GOVERSION)" >>"$tmp/build.log"
  mv -f "$tmp/build.log" "$dest/build.log"
  mv -f "$tmp/$program" "$bin"
  chmod -R u+w "$tmp" && rm -rf "$tmp"
  [ -n "${lockfd:-}" ] && exec {lockfd}>&-
  printf '%s\n' "$bin"
}

# alilive_cli NAME: prints the path of the CLI NAME (see the top of this file).
alilive_cli() {
  local name="${1:-terraform}"
  case "$name" in
    terraform)
      alilive_cli_on_path terraform Terraform "$ALILIVE_CLI_MIN_TERRAFORM" ||
        alilive_cli_build "terraform-$ALILIVE_CLI_TERRAFORM_VERSION"
      ;;
    terraform-1.16)
      alilive_cli_on_path terraform Terraform 1.16.0 ||
        alilive_cli_build "terraform-$ALILIVE_CLI_TERRAFORM_VERSION"
      ;;
    path)
      alilive_cli_on_path terraform Terraform "$ALILIVE_CLI_MIN_TERRAFORM" || {
        echo "error: no Terraform $ALILIVE_CLI_MIN_TERRAFORM or newer on PATH" >&2; return 1; }
      ;;
    terraform-[0-9]*.[0-9]*.[0-9]*)
      alilive_cli_on_path terraform Terraform "" "${name#terraform-}" ||
        alilive_cli_build "$name"
      ;;
    tofu-[0-9]*.[0-9]*.[0-9]*)
      alilive_cli_on_path tofu OpenTofu "" "${name#tofu-}" ||
        alilive_cli_build "$name"
      ;;
    matrix)
      alilive_cli_matrix
      ;;
    *)
      echo "error: unknown CLI '$name'; use terraform, terraform-1.16, path, terraform-X.Y.Z (such as terraform-$ALILIVE_CLI_TERRAFORM_VERSION), tofu-X.Y.Z (such as tofu-$ALILIVE_CLI_TOFU_VERSION) or matrix" >&2
      return 1
      ;;
  esac
}

# alilive_cli_matrix: prints the CLI names of make test-matrix, one a line.
alilive_cli_matrix() {
  if alilive_cli_on_path terraform Terraform "$ALILIVE_CLI_MIN_TERRAFORM" >/dev/null; then echo path; fi
  echo "terraform-$ALILIVE_CLI_TERRAFORM_VERSION"
  echo "tofu-$ALILIVE_CLI_TOFU_VERSION"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  alilive_cli "$@"
fi
