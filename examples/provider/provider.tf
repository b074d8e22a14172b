terraform {
  required_providers {
    alilive = {
      source = "alilive/alilive"
    }
  }
}

# Credentials and region usually come from the environment
# (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET,
# ALIBABA_CLOUD_REGION), as for the alicloud provider.
provider "alilive" {
  region = "cn-shanghai"
}

# The local emulator (make emulator) speaks plain HTTP on 127.0.0.1:9180.
provider "alilive" {
  alias      = "emulator"
  region     = "cn-shanghai"
  endpoint   = "127.0.0.1:9180"
  protocol   = "http"
  access_key = "emulator-access-key-id"
  secret_key = "emulator-access-key-secret"
}
