package provider

import (
	"context"
	"reflect"
	"sort"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/conns"
)

func TestProvider_schemas(t *testing.T) {
	ctx := context.Background()
	p := New("test")()

	var presp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &presp)
	if presp.Diagnostics.HasError() {
		t.Fatal(presp.Diagnostics)
	}
	if d := presp.Schema.ValidateImplementation(ctx); d.HasError() {
		t.Fatal(d)
	}

	for _, newResource := range p.Resources(ctx) {
		var resp resource.SchemaResponse
		newResource().Schema(ctx, resource.SchemaRequest{}, &resp)
		if d := append(resp.Diagnostics, resp.Schema.ValidateImplementation(ctx)...); d.HasError() {
			t.Fatal(d)
		}
	}
	for _, newDataSource := range p.DataSources(ctx) {
		var resp datasource.SchemaResponse
		newDataSource().Schema(ctx, datasource.SchemaRequest{}, &resp)
		if d := append(resp.Diagnostics, resp.Schema.ValidateImplementation(ctx)...); d.HasError() {
			t.Fatal(d)
		}
	}
}

// The endpoints block, its model and conns.Services must name the same services.
func TestProvider_endpointsMatchConns(t *testing.T) {
	var got []string
	for name := range (endpointsModel{}).byService() {
		got = append(got, name)
	}
	var tags []string
	ty := reflect.TypeOf(endpointsModel{})
	for i := range ty.NumField() {
		tags = append(tags, ty.Field(i).Tag.Get("tfsdk"))
	}
	want := append([]string(nil), conns.Services...)
	sort.Strings(got)
	sort.Strings(tags)
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(tags, want) {
		t.Errorf("byService %v, tags %v, conns.Services %v", got, tags, want)
	}
}
