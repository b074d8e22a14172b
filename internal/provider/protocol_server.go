package provider

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The framework's protocol server (terraform-plugin-framework v1.19.0,
// internal/proto6server) derives a cancellable context from every
// request's context and keeps its cancel function until StopProvider,
// which Terraform sends only to interrupt an operation. A cancel function
// holds its context, and the context its parent: every request's whole
// context (the gRPC stream, the loggers terraform-plugin-go and the
// framework put in it) stayed reachable until the process exited. In a
// no-change plan of 1,000 tasks (about 4,000 requests: validate, upgrade,
// read, plan) that was a live heap growing steadily to about 70 MB, which
// Go's default GOGC turns into about 170 MB resident, and a garbage
// collector that marks ever more memory.
//
// ProtocolServer passes the framework, for the requests Terraform makes
// per resource instance, a context that forwards to the request's own
// until the framework has answered, and after that forwards to a context
// that is cancelled and holds no values: what the framework keeps of a
// request is then a few hundred bytes. A request's work ends with its
// answer (Terraform cancels the gRPC stream's context then too), so
// nothing is lost. Streaming calls (ListResource, InvokeAction), whose
// answers are read after the method returns, keep their context.

// ProtocolServer returns the provider's protocol version 6 server: the
// framework's server for p, with the request contexts it keeps released
// as described above. Serve it with tf6server.Serve; the acceptance tests
// use it as their provider factory.
func ProtocolServer(p provider.Provider) func() tfprotov6.ProviderServer {
	framework := providerserver.NewProtocol6(p)
	return func() tfprotov6.ProviderServer {
		s := framework()
		if full, ok := s.(frameworkServer); ok {
			return releasingServer{full}
		}
		return s
	}
}

// frameworkServer is every interface of terraform-plugin-go that the
// framework's server implements; releasingServer implements them all, so
// that the protocol server finds the same capabilities as before. The
// three optional interfaces are deprecated because terraform-plugin-go
// will move their methods into ProviderServer; until then tf6server finds
// actions, list resources and state stores only through them.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ProviderServerWithActions      //nolint:staticcheck // see above
	tfprotov6.ProviderServerWithListResource //nolint:staticcheck // see above
	tfprotov6.ProviderServerWithStateStores  //nolint:staticcheck // see above
}

// releasingServer forwards every call to the framework's server, those
// made per resource instance with a releasing context.
type releasingServer struct {
	frameworkServer
}

// released is what a request's context forwards to once its request was
// answered: cancelled, without values.
var released = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

// releasingContext forwards to the context in ctx until release.
type releasingContext struct {
	ctx atomic.Pointer[context.Context]
}

func (c *releasingContext) get() context.Context { return *c.ctx.Load() }

func (c *releasingContext) Deadline() (time.Time, bool) { return c.get().Deadline() }
func (c *releasingContext) Done() <-chan struct{}       { return c.get().Done() }
func (c *releasingContext) Err() error                  { return c.get().Err() }
func (c *releasingContext) Value(key any) any           { return c.get().Value(key) }

func (c *releasingContext) release() { c.ctx.Store(&released) }

// serveReleasing calls f with a context that forwards to ctx until f
// returns.
func serveReleasing[Req, Resp any](ctx context.Context, req Req, f func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := &releasingContext{}
	rc.ctx.Store(&ctx)
	defer rc.release()
	return f(rc, req)
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ValidateResourceConfig)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.UpgradeResourceState)
}

func (s releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.UpgradeResourceIdentity)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ReadResource)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ApplyResourceChange)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ImportResourceState)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ValidateDataResourceConfig)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ReadDataSource)
}

func (s releasingServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.CallFunction)
}

func (s releasingServer) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ValidateActionConfig)
}

func (s releasingServer) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.PlanAction)
}
