package provider

import (
	"testing"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// ptpAcc is the set-up of one acceptance test (alilivetest.Env) with the
// provider's own helpers on top.
type ptpAcc struct {
	*alilivetest.Env
}

// newPtpAcc prepares an acceptance test. needsEmulator skips it in real
// mode; other tests run against the real service there and skip only
// their emulator checks.
func newPtpAcc(t *testing.T, needsEmulator bool) *ptpAcc {
	t.Helper()
	testAccPreCheck(t)
	if alilivetest.RealMode() && !needsEmulator {
		return &ptpAcc{alilivetest.NewRealEnv(t)}
	}
	return &ptpAcc{alilivetest.NewEnv(t, emulator.Options{Variants: alilivetest.Variants(t)})}
}

// newPtpAccWith prepares an acceptance test against its own emulator
// started with opts (throttling off unless opts.QPS says otherwise). It is
// skipped in real mode.
func newPtpAccWith(t *testing.T, opts emulator.Options) *ptpAcc {
	t.Helper()
	testAccPreCheck(t)
	return &ptpAcc{alilivetest.NewEnv(t, opts)}
}
