# Poll an SQS queue: batches of up to 100 messages or 5 seconds, only the messages the function
# reports as failed come back, and at most 10 batches run at once. The function's execution role
# must allow reading the queue (AWSLambdaSQSQueueExecutionRole grants it).
resource "lambdatrigger_poll_mapping" "orders" {
  function_name                      = "orders-handler"
  event_source_arn                   = "arn:aws:sqs:us-east-1:123456789012:orders"
  batch_size                         = 100
  maximum_batching_window_in_seconds = 5
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = 10
  }

  filter_criteria {
    filter {
      pattern = jsonencode({ body = { type = ["order"] } })
    }
  }
}

# The plan shows it before anything is applied:
# "polls sqs:orders; batches of up to 100 or 5 s; only records matching 1 filter (others deleted);
#  failed items retried individually; at most 10 concurrent"
output "orders_behavior" {
  value = lambdatrigger_poll_mapping.orders.behavior
}

# Read a Kinesis stream from its oldest record. A failing batch is split in two until the bad record
# is alone, retried twice, then described in a message to a queue (the role needs sqs:SendMessage
# on it) and skipped, so the shard moves on.
resource "lambdatrigger_poll_mapping" "clicks" {
  function_name                  = "clicks-handler"
  event_source_arn               = "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"
  starting_position              = "TRIM_HORIZON"
  parallelization_factor         = 2
  bisect_batch_on_function_error = true
  maximum_retry_attempts         = 2
  maximum_record_age_in_seconds  = 3600

  destination_config {
    on_failure {
      destination_arn = "arn:aws:sqs:us-east-1:123456789012:clicks-failed"
    }
  }
}

# A DynamoDB table's stream (the table's stream_arn, not its ARN), with 60-second tumbling windows.
resource "lambdatrigger_poll_mapping" "users" {
  function_name              = "users-aggregator"
  event_source_arn           = "arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/2024-01-01T00:00:00.000"
  starting_position          = "LATEST"
  tumbling_window_in_seconds = 60
}
