package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
	"github.com/alilive/terraform-provider-alilive/internal/urlsign"
)

// tflogLogger forwards the API client's structured events to tflog, so they
// appear in TF_LOG output next to the framework's own lines. The client
// never passes secrets; an error text in a field may hold a URL, so the
// message and every string field are redacted (no auth_key, no URL user
// info), as every diagnostic is (redact.go).
type tflogLogger struct{}

var _ liveapi.Logger = tflogLogger{}

// Debug logs at debug level.
func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, urlsign.Redact(msg), redactFields(fields))
}

// Warn logs at warn level.
func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ctx, urlsign.Redact(msg), redactFields(fields))
}
