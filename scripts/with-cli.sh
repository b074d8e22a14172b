#!/usr/bin/env bash
# scripts/with-cli.sh NAME COMMAND [ARG...]: runs COMMAND with the CLI NAME of
# scripts/cli.sh (terraform, terraform-1.16, path, terraform-X.Y.Z,
# tofu-X.Y.Z), building it first when needed:
#   - TF_ACC_TERRAFORM_PATH names it, for terraform-plugin-testing;
#   - the first folder on PATH holds it under the name terraform (OpenTofu
#     through a symbolic link in the cache), for scripts and tfplugindocs;
#   - for OpenTofu, TF_ACC_PROVIDER_HOST=registry.opentofu.org, because
#     OpenTofu reads a provider without a source address as
#     registry.opentofu.org/hashicorp/<name>, and the tests' reattached
#     provider and the scripts' dev_overrides must carry that address.
# ALILIVE_CLI, ALILIVE_CLI_PRODUCT and ALILIVE_CLI_VERSION describe it.
set -euo pipefail

[ "$#" -ge 2 ] || { echo "usage: $0 NAME COMMAND [ARG...]" >&2; exit 2; }
# shellcheck source=scripts/cli.sh
. "$(dirname "$0")/cli.sh"

name="$1"
shift
bin="$(alilive_cli "$name")"
dir="$(cd "$(dirname "$bin")" && pwd)"
bin="$dir/$(basename "$bin")"
case "$(basename "$bin")" in
  terraform)
    product=Terraform
    ;;
  tofu)
    product=OpenTofu
    shim="$(alilive_cli_cache)/shims/$name"
    if [ "$(readlink "$shim/terraform" 2>/dev/null)" != "$bin" ]; then
      mkdir -p "$shim"
      ln -s "$bin" "$shim/terraform.$$"
      mv -f "$shim/terraform.$$" "$shim/terraform"
    fi
    dir="$shim"
    export TF_ACC_PROVIDER_HOST=registry.opentofu.org
    ;;
  *) echo "error: $bin is neither terraform nor tofu" >&2; exit 1 ;;
esac
version="$(alilive_cli_version "$bin" "$product")"
[ -n "$version" ] || { echo "error: $bin version does not report $product" >&2; exit 1; }

export ALILIVE_CLI="$bin" ALILIVE_CLI_PRODUCT="$product" ALILIVE_CLI_VERSION="$version"
export TF_ACC_TERRAFORM_PATH="$bin"
# A TF_CLI_CONFIG_FILE that names no file makes OpenTofu 1.12 print a warning before its
# version line on standard output, which terraform-plugin-testing (terraform-exec) cannot
# parse; without the variable both CLIs read their default file, if any, silently.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -e "$TF_CLI_CONFIG_FILE" ]; then unset TF_CLI_CONFIG_FILE; fi
# The terraform found on PATH stays where it is (its folder may hold other tools).
if [ "$(command -v terraform 2>/dev/null)" != "$dir/terraform" ]; then export PATH="$dir:$PATH"; fi
exec "$@"
