// Command zipbootstrap packages an executable as a Lambda deployment zip whose entry is `bootstrap`
// (mode 0755), the layout of provided.al2023 functions. The demo uses it so that it needs no `zip`
// binary on the machine:
//
//	go run ./internal/tools/zipbootstrap <executable> <out.zip>
package main

import (
	"fmt"
	"os"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: zipbootstrap <executable> <out.zip>")
		os.Exit(2)
	}
	data, err := testfn.ZipFile(os.Args[1])
	if err == nil {
		err = os.WriteFile(os.Args[2], data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "zipbootstrap:", err)
		os.Exit(1)
	}
}
