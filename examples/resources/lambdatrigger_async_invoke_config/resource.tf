# Retry a failing event once, give up on events older than an hour, and keep a record of every
# failure in a queue and of every success on an event bus. The function's execution role must be
# allowed sqs:SendMessage on the queue and events:PutEvents on the bus.
resource "lambdatrigger_async_invoke_config" "example" {
  function_name                = "orders-handler"
  maximum_retry_attempts       = 1
  maximum_event_age_in_seconds = 3600

  destination_config {
    on_failure {
      destination = "arn:aws:sqs:us-east-1:123456789012:orders-dlq"
    }
    on_success {
      destination = "arn:aws:events:us-east-1:123456789012:event-bus/default"
    }
  }
}

# The plan shows it before anything is applied:
# "on error: 1 retry after ~1 min; events older than 1h expire; failures -> sqs:orders-dlq; successes -> events:default"
output "behavior" {
  value = lambdatrigger_async_invoke_config.example.behavior
}

# A configuration of its own for one alias: no retries for the live traffic of a published version.
resource "lambdatrigger_async_invoke_config" "live" {
  function_name          = "orders-handler"
  qualifier              = "live"
  maximum_retry_attempts = 0
}
