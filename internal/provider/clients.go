package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/conns"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider/diagnostics"
)

// clientsFrom is every resource's and data source's Configure: the provider hands over its clients,
// or nil before it is configured (terraform validates configurations that early).
func clientsFrom(providerData any, diags *diag.Diagnostics) *conns.Clients {
	if providerData == nil {
		return nil
	}
	clients, ok := providerData.(*conns.Clients)
	if !ok {
		diags.Append(diagnostics.UnexpectedProviderData(providerData))
		return nil
	}
	return clients
}
