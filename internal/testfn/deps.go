package testfn

// The test functions under testdata/functions are built from this module, but `go mod tidy` does not
// look inside testdata. These imports keep their runtime client in go.mod.
import (
	_ "github.com/aws/aws-lambda-go/lambda"
	_ "github.com/aws/aws-lambda-go/lambdacontext"
)
