# An event invoke config is imported by its function's name (or ARN), followed by
# :QUALIFIER when it belongs to a version or alias.
terraform import lambdatrigger_async_invoke_config.example orders-handler
terraform import lambdatrigger_async_invoke_config.live orders-handler:live
