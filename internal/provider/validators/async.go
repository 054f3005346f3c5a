package validators

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

// FunctionNameOrARN checks a function given by name, partial ARN or ARN, without a qualifier.
func FunctionNameOrARN() validator.String {
	return stringCheck{
		summary: "Invalid Function Name",
		what:    "a function name, partial ARN or ARN, without a qualifier",
		check:   trigger.ValidateFunctionNameOrARN,
		fix: func(name string) string {
			return "Set " + name + " to the function's name or ARN, and give a version or alias in qualifier."
		},
	}
}

// Qualifier checks a version number, $LATEST or an alias name.
func Qualifier() validator.String {
	return stringCheck{
		summary: "Invalid Qualifier",
		what:    "$LATEST, a version number or an alias name",
		check:   trigger.ValidateQualifier,
		fix: func(name string) string {
			return "Set " + name + " to a published version (1, 2, ...), $LATEST, or an alias name, or leave it unset for the unqualified function."
		},
	}
}

// DestinationARN checks the ARN of an asynchronous invocation's destination: its form, and that Lambda
// accepts its service there (S3 buckets only on failure). A FIFO queue or topic is accepted by Lambda
// but never receives anything, so it gets a warning.
func DestinationARN(onFailure bool) validator.String { return destinationARN{onFailure: onFailure} }

type destinationARN struct{ onFailure bool }

func (v destinationARN) Description(context.Context) string {
	return "value must be the ARN of one of: " + fmt.Sprint(trigger.DestinationServices(v.onFailure))
}

func (v destinationARN) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v destinationARN) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	arn := req.ConfigValue.ValueString()
	if err := trigger.ValidateDestinationARN(arn, v.onFailure); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Destination",
			fmt.Sprintf("%s. Set %s to the ARN of a standard SQS queue, SNS topic, Lambda function or EventBridge event bus%s.",
				err, req.Path, map[bool]string{true: ", or of an S3 bucket", false: ""}[v.onFailure]))
		return
	}
	if trigger.IsFIFODestination(arn) {
		resp.Diagnostics.AddAttributeWarning(req.Path, "FIFO Destination Never Receives",
			fmt.Sprintf("%s is a FIFO queue or topic. Lambda accepts it in the configuration, but every delivery to it fails "+
				"(the DestinationDeliveryFailures metric counts them). Use a standard queue or topic.", arn))
	}
}

// DestinationSet requires `destination` in an on_success or on_failure block that is present. (An
// attribute marked Required inside an optional single block would be required even without the block.)
func DestinationSet() validator.Object { return destinationSet{} }

type destinationSet struct{}

func (destinationSet) Description(context.Context) string {
	return "destination must be set when the block is present"
}

func (v destinationSet) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (destinationSet) ValidateObject(ctx context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if d, ok := req.ConfigValue.Attributes()["destination"]; ok && !d.IsNull() {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path.AtName("destination"), "Missing Destination",
		fmt.Sprintf("The %s block has no destination. Set destination to the ARN of the queue, topic, function, "+
			"event bus or bucket, or remove the block.", req.Path))
}
