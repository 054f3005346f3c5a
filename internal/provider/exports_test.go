package provider

// Exported for the acceptance tests in package provider_test, which check through the production
// finders rather than their own copies.
var (
	FindFunctionByName = findFunctionByName
	IsNotFound         = isNotFound
)
