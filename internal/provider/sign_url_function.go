package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/alilive/terraform-provider-alilive/internal/urlsign"
)

var _ function.Function = (*signURLFunction)(nil)

// NewSignURLFunction returns the provider function sign_url.
func NewSignURLFunction() function.Function { return &signURLFunction{} }

// signURLFunction is provider::alilive::sign_url(url, key, timestamp).
type signURLFunction struct{}

// Metadata names the function.
func (f *signURLFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "sign_url"
}

// Definition describes the arguments and the result.
func (f *signURLFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Sign an ingest or streaming URL with an ApsaraVideo Live type A auth_key",
		MarkdownDescription: "Returns `url` with the query parameter " +
			"`auth_key={timestamp}-0-0-{md5hash}` of Alibaba Cloud's type A URL signing, the default of " +
			"ApsaraVideo Live domains: `md5hash` is the lower-case hexadecimal MD5 of " +
			"`{path}-{timestamp}-0-0-{key}`, `timestamp` the Unix time of the `timestamp` argument, and the " +
			"random part and user ID are `0`. Use it for the `dst_url` of an " +
			"`alilive_pull_to_push_task` whose ingest domain has URL signing on.\n\n" +
			"The query's other parameters keep their order; an `auth_key` already in the URL is replaced (every " +
			"one of them is removed and the new one appended last), and empty items (a trailing `?` or `&`) are " +
			"dropped. The path is signed exactly as written: percent-escapes are kept as they are, and only " +
			"spaces and non-ASCII characters are percent-encoded first (UTF-8, upper-case hexadecimal), as the " +
			"vendor's documentation asks. The function has no clock: the same arguments always give the same " +
			"URL, so plans stay stable.\n\n" +
			"**The timestamp.** ApsaraVideo Live accepts a signed URL until `timestamp` plus the validity " +
			"period set in the domain's URL signing settings, and lets the signer put a later time than now " +
			"into `timestamp`; Alibaba Cloud CDN's signing examples call the field the expiry time. Pass the " +
			"time until which the URL must be accepted: the URL then works at least that long whatever " +
			"validity period the domain has. A relay connects to its destination again after every failure, " +
			"so sign until the task can end: its `end_time`, or `timeadd(start_time, \"168h\")`, which does " +
			"not change when `end_time` moves (a new `dst_url` replaces the task). The guide \"Signing " +
			"destination URLs\" explains the choice.\n\n" +
			"The result contains the signature, never the key; a `key` that comes from a sensitive variable " +
			"makes the result sensitive too, so plans show it as `(sensitive value)`. Works with Terraform 1.8 " +
			"and later and OpenTofu 1.7 and later.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name: "url",
				MarkdownDescription: "The URL to sign: `rtmp://`, `http://` or `https://` (the scheme in any letter " +
					"case) with a host, an optional port, a path such as `/AppName/StreamName`, an optional query, " +
					"and no fragment.",
			},
			function.StringParameter{
				Name: "key",
				MarkdownDescription: "The primary or secondary key of the domain's URL signing settings (for " +
					"`dst_url`, the ingest domain's). Must not be empty. Never appears in the result or an error.",
			},
			function.StringParameter{
				Name: "timestamp",
				MarkdownDescription: "RFC 3339 time in whole seconds, such as `2026-12-01T22:00:00+08:00`, written " +
					"into `auth_key` as Unix seconds: the time until which the URL must be accepted (see above).",
			},
		},
		Return: function.StringReturn{},
	}
}

// Run signs the URL. Errors name the argument at fault.
func (f *signURLFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var rawURL, key, timestamp string
	resp.Error = req.Arguments.Get(ctx, &rawURL, &key, &timestamp)
	if resp.Error != nil {
		return
	}
	signed, err := urlsign.SignRFC3339(rawURL, key, timestamp)
	if err != nil {
		var e *urlsign.Error
		if errors.As(err, &e) {
			resp.Error = function.NewArgumentFuncError(int64(e.Arg), e.Rule)
		} else {
			resp.Error = function.NewFuncError(err.Error())
		}
		return
	}
	resp.Error = resp.Result.Set(ctx, signed)
}
