# Not a complete configuration: it imports relays that already exist in your account.
# Adopting every relay made in the console. Put this file and
# relays.tfquery.hcl in a new configuration, then run
#
#   terraform init      # not with the provider built from a clone: see below
#   terraform query                                   # what would be adopted
#   terraform query -generate-config-out=generated.tf # import and resource blocks
#   terraform plan                                    # N to import, 0 to change
#   terraform apply
#
# After the apply the relays are managed like any other resource; delete the
# import blocks from generated.tf (they have done their work).
#
# The provider is not released yet: with the provider built from a clone and
# the dev_overrides block of the README's "Try it locally", skip terraform
# init, which would look for it in the registry.

terraform {
  required_providers {
    alilive = {
      source = "alilive/alilive"
    }
  }
}

provider "alilive" {
  region = "cn-shanghai"
}
