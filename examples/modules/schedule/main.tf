# Creates one relay per event of a CSV or YAML file. Each relay is keyed by
# the event's name, so editing one row changes that relay only, adding a row
# creates one relay and removing a row deletes one.
#
# Columns (CSV header) or keys (YAML list of maps):
#   name         stable key of the relay: letters, digits, '-' and '_'
#   source       live stream to pull (rtmp://, rtsp://, srt://, or
#                http(s):// for HTTP-FLV); empty for a playlist
#   destination  rtmp:// URL to push to; one event per destination
#   start, end   RFC 3339 timestamps in whole seconds, any UTC offset,
#                at most 7 days apart
#   playlist     optional: video file URLs (http:// or https://) separated
#                by '|' (a list in YAML), played in order and looped until
#                the end instead of pulling a live source

terraform {
  required_version = ">= 1.6"

  required_providers {
    alilive = {
      source = "alilive/alilive"
    }
  }
}

locals {
  format = lower(coalesce(var.events_format, try(regex("\\.([A-Za-z]+)$", var.events_file)[0], "none")))
  text   = file(var.events_file)

  # Each decoder's rows are brought to one shape first (a YAML row may leave
  # out source or playlist, and its playlist is a list), so that any format
  # gives the same events.
  decoded = (
    local.format == "csv" ? [for r in csvdecode(local.text) : jsonencode(r)] :
    contains(["yaml", "yml"], local.format) ? [for r in yamldecode(local.text) : jsonencode(r)] :
    local.format == "json" ? [for r in jsondecode(local.text) : jsonencode(r)] : []
  )
  rows = [for j in local.decoded : {
    name        = trimspace(tostring(jsondecode(j).name))
    source      = trimspace(try(coalesce(jsondecode(j).source, ""), ""))
    destination = trimspace(tostring(jsondecode(j).destination))
    start       = trimspace(tostring(jsondecode(j).start))
    end         = trimspace(tostring(jsondecode(j)["end"]))
    playlist = [
      for u in try(tolist(jsondecode(j).playlist), split("|", try(coalesce(jsondecode(j).playlist, ""), ""))) :
      trimspace(u) if trimspace(u) != ""
    ]
  }]

  by_name = { for r in local.rows : r.name => r... }
  events  = { for name, rs in local.by_name : name => rs[0] }
  twice   = [for name, rs in local.by_name : name if length(rs) > 1]

  protocols = { rtmp = "rtmp", rtsp = "rtsp", srt = "srt", http = "http-flv", https = "http-flv" }
}

module "relays" {
  source = "../relays"

  region       = var.region
  name_prefix  = var.name_prefix
  callback_url = var.callback_url

  relays = {
    for name, e in local.events : name => {
      source_type     = length(e.playlist) > 0 ? "url" : "live"
      source_urls     = length(e.playlist) > 0 ? e.playlist : [e.source]
      source_protocol = length(e.playlist) > 0 ? null : lookup(local.protocols, lower(try(regex("^([A-Za-z]+)://", e.source)[0], "")), "rtmp")
      repeat_number   = length(e.playlist) > 0 ? -1 : null
      dst_url         = e.destination
      start_time      = e.start
      end_time        = e.end
    }
  }
}
