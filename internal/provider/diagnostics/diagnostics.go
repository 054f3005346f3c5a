// Package diagnostics is the one place where the provider words its repeated error diagnostics: a
// Title Case summary, then a detail that says what happened and what to do, ending with the original
// error.
package diagnostics

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// APIError is an AWS call that failed while a resource or data source did its work.
// action is a verb in -ing form ("creating"), thing the kind ("Lambda Function"), id its name.
func APIError(action, thing, id string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic(
		"Error "+titleCase(action)+" "+thing,
		fmt.Sprintf("While %s %s (%s), the AWS API returned an error. %s\n\nOriginal Error: %s",
			action, thing, id, Hint(err), err),
	)
}

// ConfigureError is the provider failing to build its clients or to learn its identity.
func ConfigureError(err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic(
		"Unable To Configure AWS Clients",
		"The provider could not build its AWS clients and confirm its identity with STS "+
			"GetCallerIdentity. "+Hint(err)+
			"\n\nOriginal Error: "+err.Error(),
	)
}

// UnexpectedProviderData is a programming error: the provider passed something other than its clients.
func UnexpectedProviderData(got any) diag.Diagnostic {
	return diag.NewErrorDiagnostic(
		"Unexpected Provider Data",
		fmt.Sprintf("Expected *conns.Clients, got %T. This is a bug in the provider; please report it.", got),
	)
}

// Hint suggests what to do about an error from an AWS call. It reads the error's AWS code (the same
// from AWS and from the simulator) and the network error underneath.
func Hint(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch code := apiErr.ErrorCode(); {
		case code == "ResourceConflictException":
			return "Another change to the resource is still in progress; wait for it to finish, then apply again."
		case code == "InvalidParameterValueException" || code == "ValidationException" || code == "InvalidRequestContentException":
			return "AWS rejected a value in the configuration; fix the value the error names, then apply again."
		case code == "TooManyRequestsException" || code == "ThrottlingException" || code == "Throttling":
			return "The request was throttled; apply again in a moment."
		case code == "ResourceNotFoundException":
			return "The resource does not exist (it may have been deleted outside Terraform); run terraform apply to recreate it."
		case strings.HasPrefix(code, "AccessDenied") || code == "UnrecognizedClientException" ||
			code == "InvalidClientTokenId" || code == "ExpiredToken" || code == "ExpiredTokenException" ||
			code == "SignatureDoesNotMatch" || code == "InvalidSignatureException":
			return "Check the provider's credentials (profile, AWS_* environment variables) and that they allow this call."
		case code == "ServiceException" || code == "InternalFailure" || code == "ServiceUnavailable":
			return "The service failed; apply again, and report it if the failure persists."
		}
	}
	var netErr net.Error
	var opErr *net.OpError
	if errors.As(err, &opErr) || errors.As(err, &netErr) || strings.Contains(err.Error(), "connection refused") {
		return "The endpoint could not be reached. With a simulator block, check that the simulator is running " +
			"(terraform-provider-lambdatrigger simulator serve) at the configured endpoint; otherwise check the " +
			"network, the region and any endpoints or AWS_ENDPOINT_URL* settings."
	}
	if strings.Contains(err.Error(), "failed to retrieve credentials") || strings.Contains(err.Error(), "no EC2 IMDS role found") {
		return "No AWS credentials were found: configure a profile or the AWS_* environment variables, or use a simulator block to run against the local simulator."
	}
	return "Check the error below, fix its cause, then apply again."
}

func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// PackageUnreadable is a deployment package the provider cannot upload.
func PackageUnreadable(attr path.Path, err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(attr, "Unable To Read Deployment Package",
		"Check that "+attr.String()+" names an existing .zip of at most 50 MB that Terraform can read."+
			"\n\nOriginal Error: "+err.Error())
}
