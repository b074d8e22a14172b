variable "relays" {
  description = "Relays to create, keyed by a stable name: the source (one live stream URL) and the RTMP destination."
  type = map(object({
    source_url = string
    dst_url    = string
  }))
}

variable "source_protocol" {
  description = "Protocol of every source: rtmp, rtsp, srt, http-flv or flv."
  type        = string
  default     = "rtmp"
}

variable "start_time" {
  description = "Start of every relay (RFC 3339, whole seconds)."
  type        = string
}

variable "end_time" {
  description = "End of every relay (RFC 3339, at most 7 days after start_time)."
  type        = string
}

variable "region" {
  description = "Live center; null uses the provider's region."
  type        = string
  default     = null
}

variable "callback_url" {
  description = "Optional http(s) URL that receives status events of every relay."
  type        = string
  default     = null
}

variable "name_prefix" {
  description = "Prefix of each task_name; the map key is appended."
  type        = string
  default     = "relay-"
}
