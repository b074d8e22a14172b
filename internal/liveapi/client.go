package liveapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	live "github.com/alibabacloud-go/live-20161101/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

// Defaults of the client's timing. The package documentation explains
// the policy they make up.
const (
	// defaultAttemptTimeout bounds one whole attempt (connect, send, read
	// the answer): a backstop for an answer that trickles in.
	defaultAttemptTimeout = 30 * time.Second
	// defaultResponseTimeout is how long an attempt waits for the first
	// byte of the answer after the request was sent. The service answers
	// in well under a second; an endpoint that accepts connections and
	// never answers is not the API.
	defaultResponseTimeout = 5 * time.Second
	defaultBackoffBase     = 200 * time.Millisecond
	defaultBackoffCap      = 5 * time.Second
	defaultGatherWindow    = 15 * time.Millisecond
	defaultSnapshotIdle    = 750 * time.Millisecond
	defaultSnapshotMaxAge  = 10 * time.Second
	defaultGraceTimeout    = 30 * time.Second
	dialTimeout            = 5 * time.Second
	tlsHandshakeTimeout    = 5 * time.Second
	// maxDialRetries bounds retries of a call whose connection was
	// refused, so a wrong endpoint fails within a second or two.
	maxDialRetries = 2
	// maxSilentAttempts bounds the attempts of one call that got no byte
	// back in time (a connection not accepted within dialTimeout, a TLS
	// handshake not answered within tlsHandshakeTimeout, no answer within
	// the response timeout): one retry after the first, so a black hole
	// or an endpoint that never answers fails in about 10 s.
	maxSilentAttempts = 2
	// peekLimit is how much of a non-JSON error answer the client reads
	// to recognise a TLS server's complaint about a plain HTTP request.
	peekLimit = 512
)

// newClient validates cfg and builds the SDK client behind a Client.
func newClient(cfg Config) (*Client, error) {
	if cfg.Credential == nil {
		return nil, errors.New("liveapi: Config.Credential is required")
	}
	if cfg.Region == "" {
		return nil, errors.New("liveapi: Config.Region is required")
	}
	protocol := strings.ToLower(cfg.Protocol)
	switch protocol {
	case "":
		protocol = "https"
	case "http", "https":
	default:
		return nil, fmt.Errorf("liveapi: Config.Protocol %q is not supported: use \"https\" or \"http\"", cfg.Protocol)
	}
	if strings.Contains(cfg.Endpoint, "://") {
		return nil, fmt.Errorf("liveapi: Config.Endpoint %q must be host[:port] without a scheme", cfg.Endpoint)
	}
	oc := &openapiutil.Config{
		Credential: cfg.Credential,
		RegionId:   tea.String(cfg.Region),
		Protocol:   tea.String(protocol),
		HttpClient: sharedHTTP,
	}
	if cfg.Endpoint != "" {
		oc.Endpoint = tea.String(cfg.Endpoint)
	}
	if cfg.UserAgent != "" {
		oc.UserAgent = tea.String(cfg.UserAgent)
	}
	sdk, err := live.NewClient(oc)
	if err != nil {
		return nil, fmt.Errorf("liveapi: building the SDK client: %w", err)
	}
	rl := cfg.RateLimit
	if rl == 0 {
		rl = DefaultRateLimit
	}
	retries := cfg.MaxRetries
	if retries < 0 {
		retries = 0
	}
	c := &Client{
		sdkConfig:        oc,
		cred:             cfg.Credential,
		region:           cfg.Region,
		endpoint:         tea.StringValue(sdk.Endpoint),
		rateLimit:        rl,
		maxRetries:       retries,
		log:              cfg.Logger,
		credAdvice:       cfg.CredentialAdvice,
		shareRateLimit:   cfg.ShareRateLimit,
		rateLimitDirPath: cfg.RateLimitDir,
		attemptTimeout:   defaultAttemptTimeout,
		respTimeout:      defaultResponseTimeout,
		backoffBase:      defaultBackoffBase,
		backoffCap:       defaultBackoffCap,
		gatherWindow:     defaultGatherWindow,
		snapshotIdle:     defaultSnapshotIdle,
		snapshotMaxAge:   defaultSnapshotMaxAge,
		graceTimeout:     defaultGraceTimeout,
		jitter:           rand.Float64,
		account:          cfg.Account,
		sts:              cfg.STS,
		expireSession:    cfg.ExpireSession,
	}
	c.sdk.Put(sdk)
	return c, nil
}

// sdkClient takes an SDK client from the pool (building one when none is
// free). The SDK's client keeps per-call state (it resets its debug
// headers on every call), so concurrent calls must not share one. Give it
// back with c.sdk.Put.
func (c *Client) sdkClient() (*live.Client, error) {
	if v, ok := c.sdk.Get().(*live.Client); ok {
		return v, nil
	}
	return live.NewClient(c.sdkConfig)
}

func (c *Client) regionOr(region string) string {
	if region == "" {
		return c.region
	}
	return region
}

// identity returns the access key ID that keys the shared limiters and the
// read batcher. It is resolved once: temporary credentials rotate their
// key ID, but the account (and so the quota) stays the same.
func (c *Client) identity() (string, error) {
	c.idMu.Lock()
	defer c.idMu.Unlock()
	if c.id != "" {
		return c.id, nil
	}
	m, err := c.cred.GetCredential()
	if err != nil {
		return "", fmt.Errorf("unable to obtain credentials (%s): %s", tea.StringValue(c.cred.GetType()),
			c.scrub(err.Error()))
	}
	c.id = tea.StringValue(m.AccessKeyId)
	if c.id == "" {
		c.id = "(bearer)"
	}
	return c.id, nil
}

// scrub removes the credential's secret and security token from s. The
// service never echoes them, but an error text is the last place a secret
// could slip into a log line or a diagnostic, so every message the client
// builds from foreign text passes through here.
func (c *Client) scrub(s string) string {
	m, err := c.cred.GetCredential()
	if err != nil || m == nil {
		return s
	}
	for _, secret := range []string{tea.StringValue(m.AccessKeySecret), tea.StringValue(m.SecurityToken),
		tea.StringValue(m.BearerToken)} {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "***")
		}
	}
	return s
}

// attemptInfo records what the HTTP layer saw during one attempt. The SDK
// hides the transport, so the client threads this through the request's
// context and its own dara.HttpClient fills it in.
type attemptInfo struct {
	respTimeout time.Duration // first byte of the answer due this long after sending; 0 = no limit
	called      atomic.Bool   // the HTTP layer was reached (credentials and signing succeeded)
	sent        atomic.Bool   // the request was written completely: the service may have acted on it
	silent      atomic.Bool   // no byte of the answer arrived within respTimeout of sending
	status      atomic.Int32  // HTTP status of the answer, 0 if none
	answeredAt  atomic.Int64  // Unix nanoseconds of the answer's first byte, 0 if none
	retryAfter  atomic.Int64  // server's advice in nanoseconds, 0 if none
	requestID   atomic.Value  // string from x-acs-request-id, if any
	peek        atomic.Value  // string: the start of a non-JSON error answer's body
}

type attemptKey struct{}

func withAttempt(ctx context.Context, a *attemptInfo) context.Context {
	return context.WithValue(ctx, attemptKey{}, a)
}

// httpDoer is the dara.HttpClient every Client uses: one tuned transport
// for the process (connection reuse across provider configurations, many
// idle connections per host for Terraform's parallelism, a short dial
// timeout so a wrong endpoint fails fast).
type httpDoer struct {
	hc *http.Client
}

var sharedHTTP = &httpDoer{hc: &http.Client{Transport: &http.Transport{
	Proxy:                 http.ProxyFromEnvironment,
	DialContext:           (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext,
	ForceAttemptHTTP2:     true,
	MaxIdleConns:          256,
	MaxIdleConnsPerHost:   64,
	IdleConnTimeout:       90 * time.Second,
	TLSHandshakeTimeout:   tlsHandshakeTimeout,
	ExpectContinueTimeout: time.Second,
}}}

// Call sends the request the SDK built. The SDK's own transport argument
// is ignored in favour of the shared one.
func (d *httpDoer) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	a, _ := req.Context().Value(attemptKey{}).(*attemptInfo)
	var cancel context.CancelFunc = func() {}
	if a != nil {
		a.called.Store(true)
		var ctx context.Context
		ctx, cancel = context.WithCancel(req.Context())
		fb := &firstByteTimer{d: a.respTimeout, fire: func() {
			a.silent.Store(true)
			cancel()
		}}
		trace := &httptrace.ClientTrace{
			WroteRequest: func(i httptrace.WroteRequestInfo) {
				if i.Err == nil {
					a.sent.Store(true)
					fb.start()
				}
			},
			GotFirstResponseByte: func() {
				a.answeredAt.Store(time.Now().UnixNano())
				fb.stop()
			},
		}
		req = req.WithContext(httptrace.WithClientTrace(ctx, trace))
		defer fb.stop()
	}
	if req.Method == http.MethodGet && (req.Body == nil || req.Body == http.NoBody) {
		// Go's transport silently resends a GET whose connection broke,
		// bypassing the rate limiter and the client's accounting (and
		// every pull-to-push call but Create is a GET, writes included).
		// A body without GetBody makes the request non-replayable; the
		// transport probes it, finds it empty and sends no body. (A POST
		// is never replayed, so Create keeps its plain empty body.)
		req.Body = emptyBody{}
		req.GetBody = nil
	}
	resp, err := d.hc.Do(req)
	if err != nil {
		cancel()
		return resp, err
	}
	// The answer's body is read after Call returns: release the attempt's
	// context when it is closed.
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	if a != nil {
		a.sent.Store(true)
		a.status.Store(int32(resp.StatusCode))
		a.retryAfter.Store(int64(retryAfterHint(resp.Header)))
		if rid := resp.Header.Get("x-acs-request-id"); rid != "" {
			a.requestID.Store(rid)
		}
		if resp.StatusCode >= 400 && !strings.Contains(strings.ToLower(resp.Header.Get("Content-Type")), "json") {
			// Not the service's error format: keep its start for the
			// classification (a TLS server's answer to plain HTTP), and
			// hand the SDK the whole body.
			head := make([]byte, peekLimit)
			n, _ := io.ReadFull(resp.Body, head)
			a.peek.Store(string(head[:n]))
			resp.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(head[:n]), resp.Body), resp.Body}
		}
	}
	return resp, nil
}

// firstByteTimer fires when no byte of the answer arrived within d of the
// request being sent. Its methods are called from the transport's
// goroutines.
type firstByteTimer struct {
	mu   sync.Mutex
	d    time.Duration
	t    *time.Timer
	done bool
	fire func()
}

func (f *firstByteTimer) start() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done || f.d <= 0 || f.t != nil {
		return
	}
	f.t = time.AfterFunc(f.d, f.fire)
}

func (f *firstByteTimer) stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.done = true
	if f.t != nil {
		f.t.Stop()
	}
}

// cancelOnClose releases a context when the body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// emptyBody is an empty request body that net/http cannot replay.
type emptyBody struct{}

func (emptyBody) Read([]byte) (int, error) { return 0, io.EOF }
func (emptyBody) Close() error             { return nil }

// retryAfterHint reads the server's advice on when to retry: the standard
// Retry-After header (seconds) or the gateway's x-ratelimit-* TimeLeft
// entries (milliseconds).
func retryAfterHint(h http.Header) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.ParseFloat(v, 64); err == nil && s > 0 {
			return time.Duration(s * float64(time.Second))
		}
	}
	var best time.Duration
	for _, name := range []string{"x-ratelimit-user-api", "x-ratelimit-user"} {
		for _, part := range strings.Split(h.Get(name), ",") {
			k, v, ok := strings.Cut(strings.TrimSpace(part), ":")
			if !ok || k != "TimeLeft" {
				continue
			}
			if ms, err := strconv.ParseInt(v, 10, 64); err == nil && time.Duration(ms)*time.Millisecond > best {
				best = time.Duration(ms) * time.Millisecond
			}
		}
	}
	return best
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// detached returns a context that keeps ctx's values (the log sink) but not
// its cancellation, bounded by d: for work that must finish even when the
// caller gave up, such as resolving an ambiguous write.
func detached(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), d)
}

// DefaultRateLimitDir is where the processes of a host share their
// limiters when Config.RateLimitDir is empty: alilive/ratelimit under the
// user's cache directory (os.UserCacheDir: $XDG_CACHE_HOME or ~/.cache on
// Linux, ~/Library/Caches on macOS).
func DefaultRateLimitDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "alilive", "ratelimit"), nil
}

// rateLimitDir resolves the directory the client shares its limiters in:
// "" when it shares nothing.
func (c *Client) rateLimitDir() (string, error) {
	if !c.shareRateLimit {
		return "", nil
	}
	if c.rateLimitDirPath != "" {
		return c.rateLimitDirPath, nil
	}
	return DefaultRateLimitDir()
}
