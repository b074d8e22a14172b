// Package ratelimit keeps API calls under a quota counted in a sliding
// window by the service, for one process or for every process of a host,
// and adapts the rate to throttled answers when other hosts share the
// quota.
//
// A Limiter holds n slots per window. A call takes a slot when it is
// admitted and gives it back one window after its answer arrived, so that
// no window of the service's length ever holds more than n of its calls,
// whatever delays the network or a busy machine adds between admission
// and arrival.
//
// With a Dir, limiters of the same Name in different processes share one
// small log file under that directory, read and rewritten under flock(2).
// Nothing runs in the background and nothing needs to be started: the
// file is the whole shared state. A process killed at any point leaves no
// lock behind (the kernel releases flock locks with the process) and no
// slot lost for long (each process holds a lock on its own owner file
// while it lives, so the others notice that it is gone and take back the
// slots of its unfinished calls). Entries carry absolute times and expire
// by themselves; entries that cannot be right are dropped: a slot that is
// free only later than now plus one window (plus 100 ms) was written before
// the wall clock stepped back (NTP, a resumed virtual machine), since a slot
// is freed one window after its call ended, and a holder stuck for minutes
// is gone. A damaged file is replaced, so the log heals itself. A clock
// step therefore makes no call wait longer than one window and never turns
// into a deadline error. Inside one process the log counts on the
// monotonic clock, which no step moves. File names are SHA-256 hashes (see Name): no key
// material reaches the directory. When the directory cannot be used the
// limiter counts its own process's calls only, and says so once (see
// Limiter.Fallback).
//
// Calls are also paced at an adaptive rate: the configured rate until the
// service throttles a call, then a cut to a fraction of this process's
// share of the window and a recovery along a CUBIC curve, as in the AWS
// SDKs' adaptive retry mode (see adaptive.go). A throttled answer's advice
// (the time left until the service admits calls again) holds every call
// of the limiter until then.
package ratelimit
