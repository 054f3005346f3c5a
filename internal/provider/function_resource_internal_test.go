package provider

import (
	"testing"

	awstypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/conns"
)

func baseFunctionModel() functionResourceModel {
	return functionResourceModel{
		FunctionName:                 types.StringValue("f"),
		Filename:                     types.StringValue("f.zip"),
		SourceCodeHash:               types.StringValue("h1"),
		Runtime:                      types.StringValue("provided.al2023"),
		Handler:                      types.StringValue("bootstrap"),
		Role:                         types.StringValue("arn:aws:iam::000000000000:role/r"),
		Description:                  types.StringValue(""),
		Timeout:                      types.Int64Value(3),
		MemorySize:                   types.Int64Value(128),
		ReservedConcurrentExecutions: types.Int64Value(-1),
		Publish:                      types.BoolValue(false),
	}
}

func vars(m map[string]string) *functionEnvironmentModel {
	if m == nil {
		return &functionEnvironmentModel{Variables: types.MapNull(types.StringType)}
	}
	return &functionEnvironmentModel{Variables: stringMap(m)}
}

func TestFunctionChanges(t *testing.T) {
	for name, tc := range map[string]struct {
		edit func(plan, state *functionResourceModel)
		want functionChangeSet
	}{
		"nothing":          {func(p, s *functionResourceModel) {}, functionChangeSet{}},
		"timeout":          {func(p, s *functionResourceModel) { p.Timeout = types.Int64Value(10) }, functionChangeSet{configuration: true}},
		"unknown memory":   {func(p, s *functionResourceModel) { p.MemorySize = types.Int64Unknown() }, functionChangeSet{configuration: true}},
		"environment":      {func(p, s *functionResourceModel) { p.Environment = vars(map[string]string{"A1": "x"}) }, functionChangeSet{configuration: true}},
		"empty env block":  {func(p, s *functionResourceModel) { p.Environment = vars(nil) }, functionChangeSet{}},
		"empty env map":    {func(p, s *functionResourceModel) { p.Environment = vars(map[string]string{}) }, functionChangeSet{}},
		"hash":             {func(p, s *functionResourceModel) { p.SourceCodeHash = types.StringValue("h2") }, functionChangeSet{code: true, sourceCodeHash: true}},
		"unknown hash":     {func(p, s *functionResourceModel) { p.SourceCodeHash = types.StringUnknown() }, functionChangeSet{code: true, sourceCodeHash: true}},
		"filename":         {func(p, s *functionResourceModel) { p.Filename = types.StringValue("g.zip") }, functionChangeSet{code: true, filename: true}},
		"imported":         {func(p, s *functionResourceModel) { s.Filename = types.StringNull() }, functionChangeSet{}},
		"concurrency":      {func(p, s *functionResourceModel) { p.ReservedConcurrentExecutions = types.Int64Value(2) }, functionChangeSet{concurrency: true}},
		"publish switched": {func(p, s *functionResourceModel) { p.Publish = types.BoolValue(true) }, functionChangeSet{publishFlag: true}},
	} {
		t.Run(name, func(t *testing.T) {
			plan, state := baseFunctionModel(), baseFunctionModel()
			tc.edit(&plan, &state)
			if got := functionChanges(&plan, &state); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestFunctionChanges_publish(t *testing.T) {
	plan, state := baseFunctionModel(), baseFunctionModel()
	plan.Publish, state.Publish = types.BoolValue(true), types.BoolValue(true)
	if ch := functionChanges(&plan, &state); ch.publish(&plan) {
		t.Error("publishes without a change")
	}
	plan.ReservedConcurrentExecutions = types.Int64Value(1)
	if ch := functionChanges(&plan, &state); ch.publish(&plan) {
		t.Error("concurrency is not part of a version")
	}
	plan.Timeout = types.Int64Value(9)
	if ch := functionChanges(&plan, &state); !ch.publish(&plan) {
		t.Error("a configuration change must publish")
	}
}

func TestFlattenEnvironment(t *testing.T) {
	api := func(m map[string]string) *awstypes.EnvironmentResponse {
		return &awstypes.EnvironmentResponse{Variables: m}
	}
	empty := types.MapValueMust(types.StringType, map[string]attr.Value{})
	for name, tc := range map[string]struct {
		prior *functionEnvironmentModel
		api   *awstypes.EnvironmentResponse
		want  *functionEnvironmentModel
	}{
		"no block, none":          {nil, nil, nil},
		"no block, empty":         {nil, api(map[string]string{}), nil},
		"imported":                {nil, api(map[string]string{"A1": "x"}), vars(map[string]string{"A1": "x"})},
		"block without variables": {vars(nil), nil, vars(nil)},
		"empty map kept":          {vars(map[string]string{}), nil, &functionEnvironmentModel{Variables: empty}},
		"removed outside":         {vars(map[string]string{"A1": "x"}), nil, &functionEnvironmentModel{Variables: empty}},
		"changed outside":         {vars(map[string]string{"A1": "x"}), api(map[string]string{"A1": "y"}), vars(map[string]string{"A1": "y"})},
	} {
		t.Run(name, func(t *testing.T) {
			got := flattenEnvironment(tc.prior, tc.api)
			if (got == nil) != (tc.want == nil) || (got != nil && !got.Variables.Equal(tc.want.Variables)) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestInvokeARN(t *testing.T) {
	c := &conns.Clients{Region: "us-east-1", Partition: "aws"}
	got := invokeARN(c, "arn:aws-cn:lambda:cn-north-1:000000000000:function:f")
	want := "arn:aws-cn:apigateway:cn-north-1:lambda:path/2015-03-31/functions/arn:aws-cn:lambda:cn-north-1:000000000000:function:f/invocations"
	if got != want {
		t.Errorf("invokeARN = %s", got)
	}
}
