package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/alilive/terraform-provider-alilive/internal/alilivetest"
	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// skipBelowIdentity skips a test on a Terraform without resource identity
// (before 1.12); the skip message names the version.
var skipBelowIdentity = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// TestAccPullToPushTask_identity pins the resource identity: region and
// id after create (also for a task in another live center than the
// provider's), an import block with that identity (plugin-testing's
// ImportBlockWithResourceIdentity, with and without generated
// configuration), which plans no change.
func TestAccPullToPushTask_identity(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	cfg := a.Config(`
resource "alilive_pull_to_push_task" "test" {
  region          = "cn-beijing"
  start_time      = "{{at "-1m"}}"
  end_time        = "{{at "2h"}}"
  source_type     = "live"
  source_protocol = "rtmp"
  source_urls     = ["rtmp://origin.example.com/live/ident"]
  dst_url         = "{{dst "ident"}}"
}
`)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   skipBelowIdentity,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(alilivetest.Resource, map[string]knownvalue.Check{
						"region": knownvalue.StringExact("cn-beijing"),
						"id":     knownvalue.StringRegexp(taskIDPattern),
					}),
					statecheck.ExpectIdentityValueMatchesState(alilivetest.Resource, tfjsonpath.New("id")),
					statecheck.ExpectIdentityValueMatchesState(alilivetest.Resource, tfjsonpath.New("region")),
				},
			},
			{ResourceName: alilivetest.Resource, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{
				ResourceName: alilivetest.Resource, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity,
				GenerateConfig: true,
			},
		},
	})
}

// TestAccPullToPushTask_importIdentity imports a task made outside
// Terraform with an import block's identity: the region defaults to the
// provider's; a region other than the provider's imports a task of that
// live center; and an identity that names no live center, or no valid ID,
// fails with a message naming the identity attribute, before any call.
func TestAccPullToPushTask_importIdentity(t *testing.T) {
	t.Parallel()
	a := newPtpAcc(t, true)
	info := func(n string) emulator.TaskInfo {
		return emulator.TaskInfo{
			StartTime: a.At(time.Hour), EndTime: a.At(3 * time.Hour), SourceType: "url",
			SourceUrls: []string{"https://media.example.com/" + n + ".mp4"}, DstUrl: a.Dst(n), RetryCount: 3, RetryInterval: 60,
		}
	}
	// cfg is the resource test for the task made as info("home"), plus extra
	// HCL (an import block, the resource away).
	cfg := func(extra string, vars alilivetest.Vars) string {
		return a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "1h"}}"
  end_time    = "{{at "3h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/home.mp4"]
  dst_url     = "{{dst "home"}}"
}
`+extra, vars)
	}
	home, err := a.Emulator.AddTask("cn-shanghai", info("home"))
	if err != nil {
		t.Fatal(err)
	}
	away, err := a.Emulator.AddTask("cn-shenzhen", info("away"))
	if err != nil {
		t.Fatal(err)
	}
	noop := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionNoop),
	}}
	const awayResource = "alilive_pull_to_push_task.away"
	identityIs := func(addr, region, id string) statecheck.StateCheck {
		return statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{
			"region": knownvalue.StringExact(region), "id": knownvalue.StringExact(id),
		})
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   skipBelowIdentity,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				// (The task named by the identity is made as info("away").)
				Config: cfg(`
import {
  to       = alilive_pull_to_push_task.test
  identity = { region = "nope-1", id = "{{.away}}" }
}
`, alilivetest.Vars{"away": away}),
				ExpectError: alilivetest.MsgRegexp(`Invalid Import Identity`, `The identity attribute region is "nope-1", which is not a live center: set it to one of ap-southeast-1, ap-southeast-5, cn-beijing, cn-shanghai, cn-shenzhen.`),
			},
			{
				Config: cfg(`
import {
  to       = alilive_pull_to_push_task.test
  identity = { id = "no/such id" }
}
`, nil),
				ExpectError: alilivetest.MsgRegexp(`Invalid Import Identity`, `The identity attribute id is "no/such id", which is not a task ID: a task ID consists of 1 to 55 letters, digits, - and _.`),
			},
			{
				Config: cfg(`
import {
  to       = alilive_pull_to_push_task.test
  identity = { id = "{{.home}}" }
}
`, alilivetest.Vars{"home": home}),
				ConfigPlanChecks:  noop,
				ConfigStateChecks: []statecheck.StateCheck{identityIs(alilivetest.Resource, "cn-shanghai", home), expect("region", str("cn-shanghai"))},
			},
			{
				// A task of another live center: the configuration names its region.
				Config: cfg(`
resource "alilive_pull_to_push_task" "away" {
  region      = "cn-shenzhen"
  start_time  = "{{at "1h"}}"
  end_time    = "{{at "3h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/away.mp4"]
  dst_url     = "{{dst "away"}}"
}

import {
  to       = alilive_pull_to_push_task.away
  identity = { region = "cn-shenzhen", id = "{{.away}}" }
}
`, alilivetest.Vars{"away": away}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alilivetest.Resource, plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(awayResource, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					identityIs(alilivetest.Resource, "cn-shanghai", home),
					statecheck.ExpectIdentity(awayResource, map[string]knownvalue.Check{
						"region": knownvalue.StringExact("cn-shenzhen"), "id": knownvalue.StringExact(away),
					}),
					statecheck.ExpectKnownValue(awayResource, tfjsonpath.New("dst_url"), knownvalue.StringExact(a.Dst("away"))),
				},
			},
		},
	})
}

// TestAccPullToPushTask_identityFollowsNewID: under the variant that gives
// a restarted task a new ID, the identity follows the ID in the state
// (the identity is mutable); a stop keeps both.
func TestAccPullToPushTask_identityFollowsNewID(t *testing.T) {
	t.Parallel()
	a := newPtpAccWith(t, emulator.Options{Variants: []emulator.Variant{emulator.VariantRestartNewID}})
	// enabled is true or false.
	cfg := func(enabled string) string {
		return a.Config(`
resource "alilive_pull_to_push_task" "test" {
  start_time  = "{{at "-1m"}}"
  end_time    = "{{at "2h"}}"
  source_type = "url"
  source_urls = ["https://media.example.com/follow/a.mp4", "https://media.example.com/follow/b.flv"]
  dst_url     = "{{dst "follow"}}"
  enabled     = {{.enabled}}
}
`, alilivetest.Vars{"enabled": enabled})
	}
	ids := statecheck.CompareValue(compare.ValuesDiffer())
	identityMatches := []statecheck.StateCheck{
		statecheck.ExpectIdentityValueMatchesState(alilivetest.Resource, tfjsonpath.New("id")),
		statecheck.ExpectIdentityValue(alilivetest.Resource, tfjsonpath.New("region"), knownvalue.StringExact("cn-shanghai")),
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   skipBelowIdentity,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             a.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            cfg("true"),
				ConfigStateChecks: append(identityMatches, ids.AddStateValue(alilivetest.Resource, tfjsonpath.New("id"))),
			},
			{Config: cfg("false"), ConfigStateChecks: identityMatches},
			{
				// The restart moves the task to a new ID; the identity follows.
				Config:            cfg("true"),
				ConfigStateChecks: append(identityMatches, ids.AddStateValue(alilivetest.Resource, tfjsonpath.New("id"))),
			},
		},
	})
}
