package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestPlanModifiers(t *testing.T) {
	ctx := context.Background()
	run := func(m planmodifier.String, state, config types.String) types.String {
		req := planmodifier.StringRequest{StateValue: state, ConfigValue: config, PlanValue: config}
		resp := &planmodifier.StringResponse{PlanValue: config}
		m.PlanModifyString(ctx, req, resp)
		return resp.PlanValue
	}
	s := types.StringValue
	cases := []struct {
		name                  string
		m                     planmodifier.String
		state, config, wanted types.String
	}{
		{"same instant keeps state", sameInstantModifier{}, s("2026-12-01T12:00:00Z"), s("2026-12-01T20:00:00+08:00"), s("2026-12-01T12:00:00Z")},
		{"other instant is planned", sameInstantModifier{}, s("2026-12-01T12:00:00Z"), s("2026-12-01T20:00:01+08:00"), s("2026-12-01T20:00:01+08:00")},
		{"no state", sameInstantModifier{}, types.StringNull(), s("2026-12-01T12:00:00Z"), s("2026-12-01T12:00:00Z")},
		{"unknown config", sameInstantModifier{}, s("2026-12-01T12:00:00Z"), types.StringUnknown(), types.StringUnknown()},
		{"case only keeps state", caseInsensitiveModifier{}, s("RTMP"), s("rtmp"), s("RTMP")},
		{"other protocol is planned", caseInsensitiveModifier{}, s("rtmp"), s("srt"), s("srt")},
	}
	for _, c := range cases {
		if got := run(c.m, c.state, c.config); !got.Equal(c.wanted) {
			t.Errorf("%s: planned %v, want %v", c.name, got, c.wanted)
		}
	}
}
