package provider

// Exported for the acceptance tests of lambdatrigger_poll_mapping.
var FindPollMappingByUUID = findPollMappingByUUID
