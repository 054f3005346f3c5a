package validators

import (
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

// S3EventType checks one S3 event type of a notification configuration.
func S3EventType() validator.String {
	return stringCheck{
		summary: "Invalid S3 Event Type",
		what:    "an S3 event type such as s3:ObjectCreated:*",
		check:   trigger.ValidateS3EventType,
		fix:     func(name string) string { return "Set " + name + " to one of the S3 event types." },
	}
}

// ScheduleExpression checks an EventBridge schedule expression.
func ScheduleExpression() validator.String {
	return stringCheck{
		summary: "Invalid Schedule Expression",
		what:    "rate(N unit) or cron(six fields)",
		check:   trigger.ValidateScheduleExpression,
		fix:     func(name string) string { return "Fix " + name + "." },
	}
}

// JSONObject checks a JSON document that must be an object (an event pattern, a filter policy).
func JSONObject(what string) validator.String {
	return stringCheck{
		summary: "Invalid " + what,
		what:    "a JSON object",
		check:   trigger.ValidateJSONObject,
		fix:     func(name string) string { return "Set " + name + " to a JSON object, e.g. with jsonencode({...})." },
	}
}
