# A Go function built for provided.al2023: the zip holds an executable named `bootstrap`.
resource "lambdatrigger_function" "example" {
  function_name    = "orders-handler"
  filename         = "build/orders-handler.zip"
  source_code_hash = filebase64sha256("build/orders-handler.zip")
  runtime          = "provided.al2023"
  role             = "arn:aws:iam::123456789012:role/orders-handler"

  description = "Handles order events"
  timeout     = 10
  memory_size = 256

  reserved_concurrent_executions = 5

  environment {
    variables = {
      TABLE_NAME = "orders"
      LOG_LEVEL  = "info"
    }
  }
}

output "invoke_arn" {
  value = lambdatrigger_function.example.invoke_arn
}
