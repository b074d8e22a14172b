// Command terraform-provider-alilive is the Terraform provider for
// ApsaraVideo Live pull-to-push tasks (pulled-stream relays).
package main

import (
	"flag"
	"log"
	"os"
	"runtime/debug"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	// First of the project's packages to initialize: a Ctrl-C while the
	// provider starts no longer ends it (see the package).
	_ "github.com/alilive/terraform-provider-alilive/internal/interrupt"
	"github.com/alilive/terraform-provider-alilive/internal/provider"
)

// Run "go generate" to format example terraform files and generate the docs for the registry/website.

//go:generate terraform fmt -recursive ./examples/
//go:generate go tool -modfile=tools/go.mod tfplugindocs generate --provider-name alilive

// version is set by the goreleaser configuration (ldflags) to the release tag.
var version = "dev"

func main() {
	var debug bool

	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()

	if !debug {
		for name, value := range quietLogLevels(os.Getenv) {
			if err := os.Setenv(name, value); err != nil {
				log.Fatal(err.Error())
			}
		}
	}

	// What providerserver.Serve does, with the provider's own protocol
	// server (see provider.ProtocolServer).
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}

	setGCPercent(os.Getenv)
	stopProfiles := startProfiles(os.Getenv)
	err := tf6server.Serve("registry.terraform.io/alilive/alilive", provider.ProtocolServer(provider.New(version)()), opts...)
	stopProfiles()
	if err != nil {
		log.Fatal(err.Error())
	}
}

// gcPercent is the provider's garbage collection target (GOGC) unless the
// GOGC variable sets one. The provider lives for one Terraform command and
// holds little between requests: in a no-change plan of 1,000 tasks its
// live heap peaks at about 4 MB while it allocates about 1.7 GB, so with
// Go's default of 100 it collected hundreds of times. At 200 the same plan
// took 16% less of the provider's CPU time (5.0-5.2 s against 6.1 s, the
// same binary side by side) for a peak resident size of 54-56 MB instead
// of 42 MB; at 400 it took 4.3-4.5 s but peaked at 81-97 MB.
const gcPercent = 200

// setGCPercent applies gcPercent unless getenv("GOGC") is set (os.Getenv;
// a parameter for the tests). It returns whether it did.
func setGCPercent(getenv func(string) string) bool {
	if getenv("GOGC") != "" {
		return false
	}
	debug.SetGCPercent(gcPercent)
	return true
}

// providerLogLevelVars are the variables that set the levels of the
// provider process's own loggers: the protocol server's (TF_LOG_SDK and
// its proto subsystem), the framework's and the provider's own (tflog,
// named after the provider). Unset, each of them logs at TRACE.
var providerLogLevelVars = []string{
	"TF_LOG_SDK",
	"TF_LOG_SDK_PROTO",
	"TF_LOG_SDK_FRAMEWORK",
	"TF_LOG_PROVIDER_ALILIVE",
}

// quietLogLevels returns the log level variables to set before the
// provider serves Terraform: every one of providerLogLevelVars that is
// unset, to the level at which Terraform keeps the provider's lines
// (TF_LOG_PROVIDER, else TF_LOG; OFF when neither is set). Terraform (and
// OpenTofu) drops every line below that level, yet a framework provider
// left to its defaults formats each of them as JSON at TRACE and Terraform
// parses each before dropping it: at 1,000 resources that was about 40% of
// the provider's CPU time in a plan, and a plan with no changes took 10.5 s
// instead of 6.5 s (debug-mode provider, emulator unthrottled). So the
// lines Terraform keeps are the same, and the others are never made.
// TRACE, JSON (which is TRACE) and a value Terraform does not know (which
// it reads as TRACE) change nothing, nor does a level variable the user
// set. getenv is os.Getenv (a parameter for the tests).
func quietLogLevels(getenv func(string) string) map[string]string {
	level := getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = getenv("TF_LOG")
	}
	level = strings.ToUpper(strings.TrimSpace(level))
	switch level {
	case "":
		level = "OFF"
	case "OFF", "ERROR", "WARN", "INFO", "DEBUG":
	default:
		return nil
	}
	out := map[string]string{}
	for _, name := range providerLogLevelVars {
		if getenv(name) == "" {
			out[name] = level
		}
	}
	return out
}
