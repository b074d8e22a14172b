// Package alilivetest is what the provider's acceptance tests share that
// needs no provider code: the in-process emulator, the test's clock and
// destination URLs, configurations written as literal HCL, checks against
// the emulator's tasks and counters, and matchers for Terraform's output.
//
// It is imported only by tests (like terraform-provider-time's
// internal/timetesting and -random's internal/randomtest); it cannot
// import internal/provider, whose tests import it.
package alilivetest
