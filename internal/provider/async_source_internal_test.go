package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/conns"
)

func TestAsyncSourceParseRuleARN(t *testing.T) {
	cases := map[string][2]string{
		"arn:aws:events:us-east-1:123456789012:rule/nightly":        {"default", "nightly"},
		"arn:aws:events:us-east-1:123456789012:rule/orders/nightly": {"orders", "nightly"},
	}
	for arn, want := range cases {
		if bus, name := asParseRuleARN(arn); bus != want[0] || name != want[1] {
			t.Errorf("asParseRuleARN(%q) = %q, %q; want %q, %q", arn, bus, name, want[0], want[1])
		}
	}
}

// The computed attributes follow from the configuration alone, so plan shows them, and two sources
// of one function on one bucket get distinct configuration and statement ids.
func TestAsyncSourceDerive(t *testing.T) {
	clients := &conns.Clients{AccountID: "123456789012", Region: "eu-west-1", Partition: "aws"}
	source := func(prefix string, events ...string) *asyncSourceResourceModel {
		if len(events) == 0 {
			events = []string{"s3:ObjectCreated:*"}
		}
		m := &asyncSourceResourceModel{FunctionName: types.StringValue("thumbs"), Qualifier: types.StringNull(),
			S3: &asyncSourceS3Model{Bucket: types.StringValue("photos"), FilterPrefix: types.StringValue(prefix), FilterSuffix: types.StringNull(),
				Events: types.ListValueMust(types.StringType, asStringValues(events))}}
		m.derive(context.Background(), clients)
		return m
	}
	a, b := source("a/"), source("b/")
	if a.SourceARN.ValueString() != "arn:aws:s3:::photos" || a.Principal.ValueString() != "s3.amazonaws.com" ||
		a.EventType.ValueString() != "S3Event" || a.InvocationType.ValueString() != "Event" {
		t.Errorf("derived %v %v %v %v", a.SourceARN, a.Principal, a.EventType, a.InvocationType)
	}
	if a.S3.ID.Equal(b.S3.ID) || a.StatementID.Equal(b.StatementID) {
		t.Error("two sources on one bucket share an id")
	}
	if removed := source("a/", "s3:ObjectRemoved:*"); removed.S3.ID.Equal(a.S3.ID) || removed.StatementID.Equal(a.StatementID) {
		t.Error("a source of ObjectRemoved shares the id of the ObjectCreated source on the same keys")
	}
	if again := source("a/"); !again.StatementID.Equal(a.StatementID) || !again.ID.Equal(a.ID) {
		t.Error("derive is not deterministic")
	}
	desc, ok := a.sourceDescription(context.Background())
	if !ok || desc != "s3:ObjectCreated:* under photos/a/*" {
		t.Errorf("source description %q, %v", desc, ok)
	}
}

func TestAsyncSourceFunctionARN(t *testing.T) {
	r := &asyncSourceResource{clients: &conns.Clients{AccountID: "123456789012", Region: "eu-west-1", Partition: "aws"}}
	cases := []struct{ name, qualifier, want string }{
		{"f", "", "arn:aws:lambda:eu-west-1:123456789012:function:f"},
		{"f", "live", "arn:aws:lambda:eu-west-1:123456789012:function:f:live"},
		{"123456789012:function:f", "", "arn:aws:lambda:eu-west-1:123456789012:function:f"},
		{"arn:aws:lambda:us-east-1:123456789012:function:f", "2", "arn:aws:lambda:us-east-1:123456789012:function:f:2"},
	}
	for _, c := range cases {
		q := types.StringNull()
		if c.qualifier != "" {
			q = types.StringValue(c.qualifier)
		}
		if got := r.functionARN(&asyncSourceResourceModel{FunctionName: types.StringValue(c.name), Qualifier: q}); got != c.want {
			t.Errorf("functionARN(%q, %q) = %q, want %q", c.name, c.qualifier, got, c.want)
		}
	}
}
