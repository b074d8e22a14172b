package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// rfc3339Rule is how every message states the format of start_time and
// end_time.
const rfc3339Rule = "must be an RFC 3339 timestamp with a UTC offset, such as 2026-12-01T10:00:00Z or " +
	"2026-12-01T18:00:00+08:00"

// rfc3339Type is timetypes.RFC3339Type with the provider's own message for
// an invalid value. The framework runs a value's ValidateAttribute before
// any validator of the attribute and stops there when it fails, so a
// validator can never replace the library's message ("Invalid RFC3339
// String Value" with Go's reference layout 2006-01-02T15:04:05Z07:00);
// overriding ValidateAttribute is the one place that can. Parsing and
// semantic equality stay the library's.
type rfc3339Type struct {
	timetypes.RFC3339Type
}

var _ basetypes.StringTypable = rfc3339Type{}

// String names the type.
func (t rfc3339Type) String() string { return "provider.rfc3339Type" }

// Equal reports whether o is this type.
func (t rfc3339Type) Equal(o attr.Type) bool {
	_, ok := o.(rfc3339Type)
	return ok
}

// ValueType returns the value type.
func (t rfc3339Type) ValueType(_ context.Context) attr.Value { return rfc3339Value{} }

// ValueFromString wraps a string value.
func (t rfc3339Type) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return rfc3339Value{RFC3339: timetypes.RFC3339{StringValue: in}}, nil
}

// ValueFromTerraform converts a Terraform value.
func (t rfc3339Type) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	sv, diags := t.ValueFromString(ctx, s)
	if diags.HasError() {
		return nil, fmt.Errorf("unexpected error converting a string to an RFC 3339 value: %v", diags)
	}
	return sv, nil
}

// rfc3339Value is a value of rfc3339Type.
type rfc3339Value struct {
	timetypes.RFC3339
}

var (
	_ basetypes.StringValuableWithSemanticEquals = rfc3339Value{}
	_ xattr.ValidateableAttribute                = rfc3339Value{}
)

// Type returns the value's type.
func (v rfc3339Value) Type(_ context.Context) attr.Type { return rfc3339Type{} }

// Equal reports whether o is the same value.
func (v rfc3339Value) Equal(o attr.Value) bool {
	other, ok := o.(rfc3339Value)
	return ok && v.StringValue.Equal(other.StringValue)
}

// StringSemanticEquals reports whether both name the same instant.
func (v rfc3339Value) StringSemanticEquals(ctx context.Context, newValuable basetypes.StringValuable) (bool, diag.Diagnostics) {
	other, ok := newValuable.(rfc3339Value)
	if !ok {
		return false, nil
	}
	return v.RFC3339.StringSemanticEquals(ctx, other.RFC3339)
}

// ValidateAttribute rejects a value that is not an RFC 3339 timestamp, naming
// the attribute and the rule with examples.
func (v rfc3339Value) ValidateAttribute(_ context.Context, req xattr.ValidateAttributeRequest, resp *xattr.ValidateAttributeResponse) {
	if v.IsNull() || v.IsUnknown() {
		return
	}
	if _, err := time.Parse(time.RFC3339, v.ValueString()); err != nil {
		resp.Diagnostics.Append(invalidValue(req.Path, rfc3339Rule, v.ValueString()))
	}
}

// newRFC3339 returns a known value; the caller guarantees the format.
func newRFC3339(s string) rfc3339Value {
	return rfc3339Value{RFC3339: timetypes.NewRFC3339ValueMust(s)}
}

// newRFC3339Unknown returns an unknown value.
func newRFC3339Unknown() rfc3339Value {
	return rfc3339Value{RFC3339: timetypes.NewRFC3339Unknown()}
}

// knownTime returns the instant of a known, parsable timestamp.
func knownTime(v rfc3339Value) (time.Time, bool) {
	if v.IsNull() || v.IsUnknown() {
		return time.Time{}, false
	}
	return parseRFC3339(v.ValueString())
}
