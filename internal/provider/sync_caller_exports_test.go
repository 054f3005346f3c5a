package provider

// Exported for the sync caller acceptance tests in package provider_test, which check through the
// production finders.
var (
	FindPolicyStatement   = findPolicyStatement
	FindTargetGroupTarget = findTargetGroupTarget
	FindHTTPRouteByKey    = findHTTPRouteByKey
)
