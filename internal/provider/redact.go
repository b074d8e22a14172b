package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/alilive/terraform-provider-alilive/internal/urlsign"
)

// No message of the provider shows an auth_key or the user info of a URL
// (a signed dst_url lets anyone push to the ingest point until it expires).
// Messages are built from URLs in many places (conflicts, lookups by
// dst_url, validators that quote a value), so every entry point of the
// provider passes its diagnostics through redactDiagnostics before they
// leave it, and the API client's log events pass through tflogLogger,
// which redacts them too: one place each, whatever a message says.

// redactDiagnostics rewrites the summary and detail of every diagnostic in
// diags with urlsign.Redact, keeping severity and attribute path.
func redactDiagnostics(diags *diag.Diagnostics) {
	for i, d := range *diags {
		summary, detail := urlsign.Redact(d.Summary()), urlsign.Redact(d.Detail())
		if summary == d.Summary() && detail == d.Detail() {
			continue
		}
		var nd diag.Diagnostic
		wp, withPath := d.(diag.DiagnosticWithPath)
		switch {
		case withPath && d.Severity() == diag.SeverityError:
			nd = diag.NewAttributeErrorDiagnostic(wp.Path(), summary, detail)
		case withPath:
			nd = diag.NewAttributeWarningDiagnostic(wp.Path(), summary, detail)
		case d.Severity() == diag.SeverityError:
			nd = diag.NewErrorDiagnostic(summary, detail)
		default:
			nd = diag.NewWarningDiagnostic(summary, detail)
		}
		(*diags)[i] = nd
	}
}

// redactFields returns fields with every string value redacted.
func redactFields(fields map[string]any) map[string]any {
	out := make(map[string]any, len(fields))
	for k, v := range fields {
		if s, ok := v.(string); ok {
			v = urlsign.Redact(s)
		}
		out[k] = v
	}
	return out
}
