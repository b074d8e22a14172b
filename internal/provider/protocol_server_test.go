package provider

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// TestProtocolServerWrapsFramework pins that the framework's server still
// implements every interface releasingServer forwards (otherwise
// ProtocolServer would serve it unwrapped, and keep every request's
// context again).
func TestProtocolServerWrapsFramework(t *testing.T) {
	s := ProtocolServer(New("test")())()
	if _, ok := s.(releasingServer); !ok {
		t.Fatalf("ProtocolServer returned %T, want releasingServer", s)
	}
	for name, ok := range map[string]bool{
		"ProviderServerWithActions":      implements[tfprotov6.ProviderServerWithActions](s),      //nolint:staticcheck // see frameworkServer
		"ProviderServerWithListResource": implements[tfprotov6.ProviderServerWithListResource](s), //nolint:staticcheck // see frameworkServer
		"ProviderServerWithStateStores":  implements[tfprotov6.ProviderServerWithStateStores](s),  //nolint:staticcheck // see frameworkServer
	} {
		if !ok {
			t.Errorf("the wrapped server does not implement tfprotov6.%s", name)
		}
	}
}

func implements[I any](v any) bool {
	_, ok := v.(I)
	return ok
}

type bigValueKey struct{}

// requestsReleased sends n ValidateResourceConfig requests to s, each with
// a context that holds a large value, as the gRPC stream and the loggers
// are, cancels each context once answered (as gRPC does) and reports how
// many of those values the garbage collector freed.
func requestsReleased(t *testing.T, s tfprotov6.ProviderServer, n int) int {
	t.Helper()
	var freed atomic.Int64
	for range n {
		big := make([]byte, 1<<20)
		runtime.AddCleanup(&big[0], func(*atomic.Int64) { freed.Add(1) }, &freed)
		ctx, cancel := context.WithCancel(context.WithValue(context.Background(), bigValueKey{}, big))
		if _, err := s.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "alilive_unknown"}); err != nil {
			t.Fatal(err)
		}
		cancel()
	}
	for i := 0; i < 50 && freed.Load() < int64(n); i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(s) // a served provider's server lives as long as its process
	return int(freed.Load())
}

// TestProtocolServerReleasesRequestContexts pins the reason for
// ProtocolServer: the framework's own server keeps every request's context
// until StopProvider, the wrapped one lets go of it once it answered.
func TestProtocolServerReleasesRequestContexts(t *testing.T) {
	const n = 8
	if got := requestsReleased(t, ProtocolServer(New("test")())(), n); got != n {
		t.Errorf("wrapped server: %d of %d request contexts freed, want all", got, n)
	}
	// The framework's server alone keeps them; should a release of the
	// framework stop doing so, the wrapper can go.
	if got := requestsReleased(t, providerserver.NewProtocol6(New("test")())(), n); got != 0 {
		t.Logf("the framework's own server freed %d of %d request contexts: ProtocolServer may no longer be needed", got, n)
	}
}

// TestReleasingContext checks the forwarding context before and after its
// request was answered.
func TestReleasingContext(t *testing.T) {
	parent, cancel := context.WithTimeout(context.WithValue(context.Background(), bigValueKey{}, "v"), time.Hour)
	defer cancel()
	var seen context.Context
	_, _ = serveReleasing(parent, 0, func(ctx context.Context, _ int) (int, error) {
		seen = ctx
		if ctx.Value(bigValueKey{}) != "v" {
			t.Error("value not forwarded")
		}
		if _, ok := ctx.Deadline(); !ok {
			t.Error("deadline not forwarded")
		}
		if ctx.Err() != nil {
			t.Errorf("Err() = %v before the answer", ctx.Err())
		}
		child, childCancel := context.WithCancel(ctx)
		defer childCancel()
		cancel()
		select {
		case <-child.Done():
		case <-time.After(5 * time.Second):
			t.Error("a child context was not cancelled with the request's")
		}
		return 0, nil
	})
	if seen.Value(bigValueKey{}) != nil {
		t.Error("value still reachable after the answer")
	}
	if !errors.Is(seen.Err(), context.Canceled) {
		t.Errorf("Err() = %v after the answer, want context.Canceled", seen.Err())
	}
	select {
	case <-seen.Done():
	default:
		t.Error("Done() open after the answer")
	}
}
