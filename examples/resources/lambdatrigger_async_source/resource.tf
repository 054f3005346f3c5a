# Uploads of .jpg files under uploads/ in the photos bucket trigger the thumbnailer. Other
# notification configurations of the bucket, including other lambdatrigger_async_source resources,
# are kept.
resource "lambdatrigger_async_source" "uploads" {
  function_name = lambdatrigger_function.thumbs.function_name

  s3 {
    bucket        = "photos"
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = "uploads/"
    filter_suffix = ".jpg"
  }
}

# Orders published with the attribute priority = "high" go to the function.
resource "lambdatrigger_async_source" "orders" {
  function_name = lambdatrigger_function.orders.function_name
  qualifier     = "live"

  sns {
    topic_arn     = "arn:aws:sns:us-east-1:123456789012:orders"
    filter_policy = jsonencode({ priority = ["high"] })
  }
}

# A rule of the resource's own, on a schedule, with EventBridge's retries bounded and a DLQ.
resource "lambdatrigger_async_source" "nightly" {
  function_name = lambdatrigger_function.report.function_name

  eventbridge {
    schedule_expression = "cron(0 2 * * ? *)"
    input               = jsonencode({ report = "daily" })
    dead_letter_arn     = "arn:aws:sqs:us-east-1:123456789012:report-dlq"

    retry_policy {
      maximum_retry_attempts       = 4
      maximum_event_age_in_seconds = 3600
    }
  }
}

# Error lines of the application's log group.
resource "lambdatrigger_async_source" "errors" {
  function_name = lambdatrigger_function.alerts.function_name

  cloudwatch_logs {
    log_group_name = "/app/orders"
    filter_name    = "errors"
    filter_pattern = "ERROR"
  }
}
