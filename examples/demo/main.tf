# The demo: one function, deployed to the local simulator. scripts/demo.sh (make demo) builds the
# function in examples/demo/function, starts the simulator and applies this with:
#   terraform apply -var endpoint=http://127.0.0.1:4566 -var zip_path=.demo/function.zip

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

output "function_name" {
  value = lambdatrigger_function.demo.function_name
}

output "arn" {
  value = lambdatrigger_function.demo.arn
}
