# The demo: one function and how it is triggered, deployed to the local simulator. scripts/demo.sh
# (make demo) builds the function in examples/demo/function, starts the simulator, creates an SQS
# queue and applies this with:
#   terraform apply -var endpoint=http://127.0.0.1:4566 -var zip_path=.demo/function.zip -var queue_arn=...

terraform {
  required_providers {
    lambdatrigger = {
      source = "lambdatrigger/lambdatrigger"
    }
  }
}

variable "endpoint" {
  description = "Address of the lambdatrigger simulator."
  type        = string
  default     = "http://127.0.0.1:4566"
}

variable "zip_path" {
  description = "Deployment package of the demo function: a zip with a provided.al2023 `bootstrap`."
  type        = string
}

variable "queue_arn" {
  description = "ARN of an SQS queue the function polls (the demo script creates it)."
  type        = string
}

variable "function_name" {
  description = "Name of the demo function."
  type        = string
  default     = "lambdatrigger-demo"
}

provider "lambdatrigger" {
  simulator {
    endpoint = var.endpoint
  }
}

resource "lambdatrigger_function" "demo" {
  function_name    = var.function_name
  filename         = var.zip_path
  source_code_hash = filebase64sha256(var.zip_path)
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  # The simulator accepts any well-formed role; on AWS this must be a role Lambda can assume.
  role        = "arn:aws:iam::000000000000:role/lambdatrigger-demo"
  description = "lambdatrigger demo function"
  timeout     = 10
  memory_size = 128

  environment {
    variables = {
      GREETING = "hello"
    }
  }
}

# Asynchronous invocations: one retry, and events older than an hour are dropped.
resource "lambdatrigger_async_invoke_config" "demo" {
  function_name                = lambdatrigger_function.demo.function_name
  maximum_retry_attempts       = 1
  maximum_event_age_in_seconds = 3600
}

# Poll-based: Lambda polls the queue and invokes the function with batches of up to 10 messages.
resource "lambdatrigger_poll_mapping" "demo" {
  function_name    = lambdatrigger_function.demo.function_name
  event_source_arn = var.queue_arn
  batch_size       = 10
}

output "async_behavior" {
  value = lambdatrigger_async_invoke_config.demo.behavior
}

output "poll_behavior" {
  value = lambdatrigger_poll_mapping.demo.behavior
}

output "function_name" {
  value = lambdatrigger_function.demo.function_name
}

output "arn" {
  value = lambdatrigger_function.demo.arn
}
