// Command terraform-provider-lambdatrigger is the lambdatrigger Terraform provider and, with the
// `simulator` subcommand, the bundled local simulator that executes Lambda triggers as AWS does.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simcli"
)

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "simulator" {
		os.Exit(simcli.Main(os.Args[2:], version, os.Stdout, os.Stderr))
	}

	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), `Usage:
  %[1]s [-debug]          serve the Terraform provider (terraform starts it; not for humans)
  %[1]s simulator serve   run the local Lambda trigger simulator (see "simulator serve --help")
`, os.Args[0])
		flag.PrintDefaults()
	}
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/lambdatrigger/lambdatrigger",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
