#!/usr/bin/env bash
# Checks that terraform test cannot express: expect_failures proves that a
# validation failed, not what it said. Each case plans bad input and compares
# the exact message the module user reads. Run by make test-modules.
set -euo pipefail

relay='{main={source_urls=["rtmp://origin.example.com/live/main"],dst_url="rtmp://push.example.com/live/main"}}'
fails=0

# expect_message VARS... -- MESSAGE: terraform plan with the -var arguments must fail with MESSAGE.
expect_message() {
  local args=() msg
  while [ "$1" != "--" ]; do args+=(-var "$1"); shift; done
  msg="$2"
  local out
  if out="$(terraform plan -json -input=false "${args[@]}" 2>&1)"; then
    echo "FAIL: plan with ${args[*]} succeeded; expected: $msg" >&2; fails=$((fails + 1)); return
  fi
  if ! grep -F '"@level":"error"' <<<"$out" | jq -r '.diagnostic.detail' | grep -qxF -- "$msg"; then
    echo "FAIL: plan with ${args[*]} did not fail with: $msg" >&2
    grep -F '"@level":"error"' <<<"$out" | jq -r '.diagnostic.detail' >&2
    fails=$((fails + 1)); return
  fi
  echo "ok: $msg"
}

win=(start_time=2030-01-04T19:00:00Z end_time=2030-01-04T23:00:00Z)

expect_message "${win[@]}" 'relays={main={source_urls=["rtmp://origin.example.com/live/main"],dst_url="https://push.example.com/live/main"}}' -- \
  "relays[*].dst_url must be an rtmp:// URL with a host (the service pushes over RTMP only)."
expect_message "${win[@]}" 'relays={main={source_type="hls",source_urls=["https://o.example.com/a.m3u8"],dst_url="rtmp://push.example.com/live/main"}}' -- \
  "relays[*].source_type must be one of live, vod or url."
expect_message "${win[@]}" 'relays={main={source_urls=["rtmp://o.example.com/live/a","rtmp://o.example.com/live/b"],dst_url="rtmp://push.example.com/live/main"}}' -- \
  'A live relay (source_type = "live") takes exactly one entry in source_urls; use source_type = "url" or "vod" for a playlist.'
expect_message "${win[@]}" 'relays={a={source_urls=["rtmp://o.example.com/live/a"],dst_url="rtmp://push.example.com/live/same"},b={source_urls=["rtmp://o.example.com/live/b"],dst_url="rtmp://push.example.com/live/same"}}' -- \
  "Two relays share a dst_url: the service allows one relay per destination URL."
expect_message "${win[@]}" 'relays={main={source_urls=["rtmp://o.example.com/live/a"],dst_url="rtmp://push.example.com/live/main",repeat_number=-1}}' -- \
  "repeat_number applies to playlists only; leave it out of a live relay."
expect_message "start_time=2030-01-04 19:00" end_time=2030-01-04T23:00:00Z "relays=$relay" -- \
  "start_time must be an RFC 3339 timestamp in whole seconds, such as 2026-12-05T19:00:00+08:00."
expect_message "${win[@]}" source_protocol=hls "relays=$relay" -- \
  "source_protocol must be one of rtmp, rtsp, srt, http-flv or flv."
expect_message start_time=2030-01-04T19:00:00Z end_time=2030-01-11T19:00:01Z "relays=$relay" -- \
  "Relay \"main\" runs longer than 7 days (2030-01-04T19:00:00Z to 2030-01-11T19:00:01Z); the service allows at most 7 days per relay."
expect_message start_time=2030-01-04T19:00:00Z end_time=2030-01-04T18:00:00Z "relays=$relay" -- \
  "Relay \"main\" ends (2030-01-04T18:00:00Z) before it starts (2030-01-04T19:00:00Z)."
expect_message "relays=$relay" -- \
  "Relay \"main\" has no window: set start_time and end_time on the module or on the relay."

[ "$fails" -eq 0 ] || { echo "$fails message check(s) failed" >&2; exit 1; }
