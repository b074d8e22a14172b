package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

// tflogLogger forwards the API client's structured events to tflog, so they
// appear in TF_LOG output next to the framework's own lines. The client
// never passes secrets, and tflog masks nothing on its own, so this adapter
// must stay a plain pass-through of what the client sends.
type tflogLogger struct{}

var _ liveapi.Logger = tflogLogger{}

// Debug logs at debug level.
func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}

// Warn logs at warn level.
func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ctx, msg, fields)
}
