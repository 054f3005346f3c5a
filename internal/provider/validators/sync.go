package validators

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

// Checks of lambdatrigger_sync_caller's attributes; the facts are in internal/trigger/catalog.go.

// APIGatewayStage checks api_gateway.stage: "*", $default or a stage name.
func APIGatewayStage() validator.String {
	return stringCheck{
		summary: "Invalid API Gateway Stage",
		what:    `"*" (any stage), "$default" or a stage name`,
		check:   trigger.ValidateAPIGatewayStage,
		fix: func(name string) string {
			return "Set " + name + ` to the stage's name, such as prod, or leave it unset ("*") to allow every stage.`
		},
	}
}

// APIGatewayMethod checks api_gateway.method: "*" or an upper-case HTTP method API Gateway routes.
func APIGatewayMethod() validator.String {
	return stringCheck{
		summary: "Invalid API Gateway Method",
		what:    `"*" or one of ` + strings.Join(trigger.APIGatewayMethods, ", "),
		check:   trigger.ValidateAPIGatewayMethod,
		fix: func(name string) string {
			return "Set " + name + ` to an upper-case method such as GET, or leave it unset ("*") to allow every method.`
		},
	}
}

// APIGatewayPath checks api_gateway.path: "*", $default or a resource path starting with "/".
func APIGatewayPath() validator.String {
	return stringCheck{
		summary: "Invalid API Gateway Path",
		what:    `"*", "$default" or a resource path such as /pets/{id}`,
		check:   trigger.ValidateAPIGatewayPath,
		fix: func(name string) string {
			return "Set " + name + ` to the resource path as the API defines it, such as /hello or /pets/{id}, or leave it unset ("*") to allow every path.`
		},
	}
}

// TargetGroupARN checks alb.target_group_arn.
func TargetGroupARN() validator.String {
	return stringCheck{
		summary: "Invalid Target Group ARN",
		what:    "an Elastic Load Balancing target group ARN",
		check:   trigger.ValidateTargetGroupARN,
		fix: func(name string) string {
			return "Set " + name + " to the ARN of a target group created with target type lambda."
		},
	}
}

// OneOf checks that a string is one of a few values AWS accepts, naming them all.
func OneOf(summary string, values ...string) validator.String {
	return stringCheck{
		summary: summary,
		what:    "one of " + strings.Join(values, ", "),
		check: func(s string) error {
			if slices.Contains(values, s) {
				return nil
			}
			return fmt.Errorf("%q is not accepted: AWS takes %s", s, strings.Join(values, ", "))
		},
		fix: func(name string) string { return "Set " + name + " to one of those values (they are case-sensitive)." },
	}
}

// CORSMethod checks one of a function URL's CORS allow_methods: an upper-case method or "*".
func CORSMethod() validator.String {
	return stringCheck{
		summary: "Invalid CORS Method",
		what:    `"*" or an upper-case HTTP method`,
		check: func(s string) error {
			if s == "*" || slices.Contains([]string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}, s) {
				return nil
			}
			return fmt.Errorf("%q is not an HTTP method function URLs accept (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or *)", s)
		},
		fix: func(name string) string { return "Fix the method in " + name + "." },
	}
}
