package provider

// Exported for the acceptance tests of lambdatrigger_async_invoke_config.
var FindAsyncInvokeConfigByTwoPartKey = findAsyncInvokeConfigByTwoPartKey
