# Moves the emulator's clock forward (POST /_emulator/clock) by var.advance,
# once per distinct value. The emulator is the one the provider talks to
# (ALILIVE_ENDPOINT, as make test-modules sets it).

variable "advance" {
  description = "Go duration to move the emulator's clock by."
  type        = string
}

resource "terraform_data" "advance" {
  triggers_replace = [var.advance]

  provisioner "local-exec" {
    command = "curl -fsS -X POST -H 'Content-Type: application/json' -d \"{\\\"advance\\\":\\\"$ADVANCE\\\"}\" \"http://$ALILIVE_ENDPOINT/_emulator/clock\""
    environment = {
      ADVANCE = var.advance
    }
  }
}
