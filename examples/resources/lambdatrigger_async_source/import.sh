# An async source is imported by the wiring it owns; the function (and qualifier) are read from it.
terraform import lambdatrigger_async_source.uploads 's3|photos|lambdatrigger-07ce176e0d5ae97848c0'
terraform import lambdatrigger_async_source.orders 'sns|arn:aws:sns:us-east-1:123456789012:orders:6f1d2c9e-0b7a-4f7e-9d51-3c2b1a0e9f88'
terraform import lambdatrigger_async_source.nightly 'eventbridge|arn:aws:events:us-east-1:123456789012:rule/lambdatrigger-5b0c7e2d9a4f1e3c8b6d0a2f|lambdatrigger-9e8d7c6b5a4f3e2d'
terraform import lambdatrigger_async_source.errors 'cloudwatch_logs|/app/orders|errors'
