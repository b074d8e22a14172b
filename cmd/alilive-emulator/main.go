// Command alilive-emulator runs the local ApsaraVideo Live pull-to-push
// emulator (package internal/emulator) as a standalone HTTP service.
//
// Point any Alibaba Cloud SDK at it with endpoint 127.0.0.1:9180, protocol
// http and the access key pair printed by -h. See the emulator package
// documentation for the behaviour, the fault plan syntax and the control
// surface under /_emulator/.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr, nil); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "alilive-emulator:", err)
		os.Exit(2)
	}
}

const faultsHelp = `fault plan: rules separated by ';', each a list of key=value separated by ','.
Keys: op (operation names or short names create|update|describe|list|delete|stop|restart, '|' or ',' separated; default all),
kinds (internal|unavailable|throttle|latency|drop; default all five, chosen uniformly),
rate (0..1, probability per call), every (N: every Nth matching call), nth (list of call numbers, e.g. nth=1,3),
max (at most N faults from this rule), latency (delay of a latency fault, default 300ms), seed (default 1).
Examples: "rate=0.3,seed=7"  "op=CreateLivePullToPush,kinds=drop,every=2"  "op=describe,kinds=internal,nth=1,3;op=update,kinds=latency,rate=0.5,latency=2s"`

const variantsHelp = `variants (-variant NAME[,NAME...] or -variant all): variants of the service's documentation to
emulate instead of the default ones: exited-visible, update-ignored, endtime-while-running, callback-unclearable,
dst-conflict-at-runtime, restart-new-id, stop-idle-noop, omit-empty, protocol-as-sent, flaky, async.
The emulator package documentation and docs/guides/emulator.md describe each one.`

// run parses args, serves until ctx is done, then shuts down gracefully.
// ready, when set, receives the endpoint once the server listens.
func run(ctx context.Context, args []string, stderr io.Writer, ready func(endpoint string)) error {
	fs := flag.NewFlagSet("alilive-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", emulator.DefaultAddr, "listen address (host:port)")
	akID := fs.String("access-key-id", emulator.DefaultAccessKeyID, "access key ID the emulator accepts")
	akSecret := fs.String("access-key-secret", emulator.DefaultAccessKeySecret, "access key secret the emulator accepts (never logged)")
	qps := fs.Int("qps", emulator.DefaultQPS, "calls per second per account per operation; 0 or negative turns throttling off")
	maxTasks := fs.Int("max-tasks", emulator.DefaultMaxTasks, "tasks per account; 0 or negative means no limit")
	stateFile := fs.String("state-file", "", "JSON file the tasks are loaded from and saved to after every change (empty: memory only)")
	faults := fs.String("faults", "", "fault injection plan, e.g. rate=0.3,seed=7 (see below)")
	listLag := fs.Duration("list-lag", 0, "how long DescribeLivePullToPushList lags behind each write, e.g. 2s (0: no lag)")
	deny := map[string][]string{}
	fs.Func("deny", "ACCESSKEYID=Op1,Op2: answer these operations (full or short names, or *) to this access key with "+
		"403 Forbidden.RAM, as a RAM policy that does not allow them (repeatable)", func(v string) error {
		ak, ops, err := emulator.ParseDeny(v)
		if err == nil {
			deny[ak] = append(deny[ak], ops...)
		}
		return err
	})
	conditions := map[string]emulator.AccountCondition{}
	fs.Func("account-condition", "ACCOUNT=CONDITION: no-live-domain (every call answers CodeInvalidAliUid) or "+
		"limit-reached (Create answers CodeNotEnoughResource); the flag's access keys belong to account default "+
		"(repeatable)", func(v string) error {
		account, c, err := emulator.ParseAccountCondition(v)
		if err == nil {
			conditions[account] = c
		}
		return err
	})
	pushAuth := map[string]string{}
	fs.Func("push-auth-key", "HOST=KEY: the ingest key of a destination host with URL signing on; a task pushing there "+
		"fails at its start with PushStreamFailed unless its DstUrl carries a valid, unexpired type A auth_key "+
		"(repeatable; the key is never logged)", func(v string) error {
		host, key, err := emulator.ParsePushAuthKey(v)
		if err == nil {
			pushAuth[host] = key
		}
		return err
	})
	var extraKeys []emulator.Credential
	fs.Func("access-key", "ID:SECRET[@ACCOUNT[/USER]]: one more access key the emulator accepts, of an account "+
		"(default: default) and a RAM user (default: the account's own key) (repeatable; the secret is never logged)",
		func(v string) error {
			c, err := emulator.ParseAccessKey(v)
			if err == nil {
				extraKeys = append(extraKeys, c)
			}
			return err
		})
	accounts := map[string]string{}
	fs.Func("account", "KEYID=ACCOUNT: the account an access key belongs to (the account's keys share its quota "+
		"and tasks; STS GetCallerIdentity answers it) (repeatable)", func(v string) error {
		k, a, ok := strings.Cut(v, "=")
		if !ok || strings.TrimSpace(k) == "" || strings.TrimSpace(a) == "" {
			return fmt.Errorf("account %q: want KEYID=ACCOUNT", v)
		}
		accounts[strings.TrimSpace(k)] = strings.TrimSpace(a)
		return nil
	})
	var roles []string
	fs.Func("role", "ARN: a role STS AssumeRole knows, acs:ram::ACCOUNT:role/NAME (repeatable; default: every role of "+
		"an account that has a key)", func(v string) error {
		if _, _, ok := emulator.ParseRoleARN(v); !ok {
			return fmt.Errorf("role %q: want acs:ram::ACCOUNT:role/NAME", v)
		}
		roles = append(roles, v)
		return nil
	})
	sessionLimit := fs.Duration("sts-session-limit", 0, "cap on the lifetime of the sessions AssumeRole issues, e.g. 30s (0: DurationSeconds as asked)")
	variant := fs.String("variant", "", "variants of the documentation to emulate: NAME[,NAME...] or all (see below; default: none)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: alilive-emulator [flags]\n\nRuns the local ApsaraVideo Live pull-to-push emulator.\n"+
			"The STS triple %s / (secret) / (token) documented in the emulator package is also accepted.\n\nFlags:\n",
			emulator.DefaultSTSAccessKeyID)
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\n%s\n\n%s\n", faultsHelp, variantsHelp)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	variants, err := emulator.ParseVariants(*variant)
	if err != nil {
		return fmt.Errorf("-variant: %w", err)
	}
	if *qps <= 0 {
		*qps = -1
	}
	if *maxTasks == 0 {
		*maxTasks = -1
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	creds := append([]emulator.Credential{
		{AccessKeyID: *akID, AccessKeySecret: *akSecret, Account: "default"},
		{AccessKeyID: emulator.DefaultSTSAccessKeyID, AccessKeySecret: emulator.DefaultSTSAccessKeySecret, SecurityToken: emulator.DefaultSTSSecurityToken, Account: "default"},
	}, extraKeys...)
	for k, a := range accounts {
		found := false
		for i := range creds {
			if creds[i].AccessKeyID == k {
				creds[i].Account, found = a, true
			}
		}
		if !found {
			return fmt.Errorf("-account %s=%s: no access key %s (declare it with -access-key-id or -access-key)", k, a, k)
		}
	}
	e, err := emulator.New(emulator.Options{
		Credentials:       creds,
		Roles:             roles,
		STSSessionLimit:   *sessionLimit,
		QPS:               *qps,
		MaxTasks:          *maxTasks,
		Faults:            *faults,
		StateFile:         *stateFile,
		Logger:            logger,
		Variants:          variants,
		Deny:              deny,
		AccountConditions: conditions,
		ListLag:           *listLag,
		PushAuthKeys:      pushAuth,
	})
	if err != nil {
		return err
	}
	if err := e.Start(*addr); err != nil {
		return err
	}
	logger.Info("emulator listening", "endpoint", e.Endpoint(), "access_key_id", *akID, "qps", *qps, "max_tasks", *maxTasks,
		"state_file", *stateFile, "faults", *faults, "list_lag", listLag.String(), "deny", fmt.Sprint(e.Denied()),
		"account_conditions", fmt.Sprint(e.AccountConditions()), "variants", fmt.Sprint(variants),
		"push_auth_hosts", fmt.Sprint(e.PushAuthHosts()))
	if ready != nil {
		ready(e.Endpoint())
	}
	<-ctx.Done()
	logger.Info("shutting down")
	return e.Close()
}
