# Writes the weekend of events/weekend.csv moved to start now, so that tests
# and the demo never go stale: events.csv, the same events as events.yaml,
# and events-edited.csv where exactly one row (sat-final-court1) ends 30
# minutes later. The times keep the weekend's shape: the pre-game loop starts
# a minute ago (running at once), the rest follow over the next 32 hours.

variable "dir" {
  description = "Folder the files are written to (created if missing)."
  type        = string
}

locals {
  now = formatdate("YYYY-MM-DD'T'hh:mm:ss'Z'", plantimestamp())
  at  = { for k, d in local.offsets : k => timeadd(local.now, d) }
  offsets = {
    pregame_start    = "-1m", pregame_end = "1h"
    court1_start     = "1h", court1_end = "5h30m", court1_end_edited = "6h"
    court2_start     = "1h30m", court2_end = "6h"
    studio_start     = "7h", studio_end = "9h"
    highlights_start = "21h", highlights_end = "24h"
    sun_start        = "25h", sun_end = "29h30m"
    ceremony_start   = "30h", ceremony_end = "31h30m"
  }

  rows = [
    ["sat-pregame-loop", "", "rtmp://push.example.com/sports/court1-pregame-sat", local.at.pregame_start, local.at.pregame_end, "https://media.example.com/promos/season-trailer.mp4|https://media.example.com/promos/sponsor-reel.mp4"],
    ["sat-final-court1", "rtmp://origin.example.com/venue/court1", "rtmp://push.example.com/sports/court1-sat", local.at.court1_start, local.at.court1_end, ""],
    ["sat-final-court2", "srt://origin.example.com:9000/venue/court2", "rtmp://push.example.com/sports/court2-sat", local.at.court2_start, local.at.court2_end, ""],
    ["sat-studio-show", "https://studio.example.com/live/show.flv", "rtmp://push.example.com/sports/studio-sat", local.at.studio_start, local.at.studio_end, ""],
    ["sun-highlights", "", "rtmp://push.example.com/sports/highlights-sun", local.at.highlights_start, local.at.highlights_end, "https://media.example.com/vod/sat-highlights-part1.mp4|https://media.example.com/vod/sat-highlights-part2.mp4"],
    ["sun-final-court1", "rtmp://origin.example.com/venue/court1", "rtmp://push.example.com/sports/court1-sun", local.at.sun_start, local.at.sun_end, ""],
    ["sun-ceremony", "rtsp://origin.example.com/venue/ceremony-cam", "rtmp://push.example.com/sports/ceremony-sun", local.at.ceremony_start, local.at.ceremony_end, ""],
  ]
  edited = [for r in local.rows : r[0] == "sat-final-court1" ? [r[0], r[1], r[2], r[3], local.at.court1_end_edited, r[5]] : r]

  header     = "name,source,destination,start,end,playlist"
  csv        = join("\n", concat([local.header], [for r in local.rows : join(",", r)]))
  edited_csv = join("\n", concat([local.header], [for r in local.edited : join(",", r)]))
  yaml = yamlencode([for r in local.rows : merge(
    { name = r[0], destination = r[2], start = r[3], end = r[4] },
    r[1] == "" ? {} : { source = r[1] },
    r[5] == "" ? {} : { playlist = split("|", r[5]) },
  )])
}

resource "terraform_data" "files" {
  input = { csv = local.csv, edited = local.edited_csv, yaml = local.yaml }

  provisioner "local-exec" {
    command = "mkdir -p \"$DIR\" && printf '%s\\n' \"$CSV\" >\"$DIR/events.csv\" && printf '%s\\n' \"$EDITED\" >\"$DIR/events-edited.csv\" && printf '%s' \"$YAML\" >\"$DIR/events.yaml\""
    environment = {
      DIR    = var.dir
      CSV    = local.csv
      EDITED = local.edited_csv
      YAML   = local.yaml
    }
  }
}

output "now" {
  value = local.now
}

output "at" {
  description = "Each start and end time written, by name (pregame_start, court1_end, ...)."
  value       = local.at
}

output "csv_file" {
  value = "${var.dir}/events.csv"
}

output "edited_csv_file" {
  value = "${var.dir}/events-edited.csv"
}

output "yaml_file" {
  value = "${var.dir}/events.yaml"
}
