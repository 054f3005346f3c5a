# A REST or HTTP API route calls the function: the permission for apigateway.amazonaws.com, scoped
# to GET /hello on the prod stage, plus the AWS_PROXY integration on the API's /hello resource.
resource "lambdatrigger_sync_caller" "api" {
  function_name = lambdatrigger_function.hello.function_name

  api_gateway {
    api_id      = "a1b2c3"
    stage       = "prod"
    method      = "GET"
    path        = "/hello"
    integration = true
  }
}

# An Application Load Balancer target group (target type lambda) forwards to the function.
resource "lambdatrigger_sync_caller" "alb" {
  function_name = lambdatrigger_function.hello.function_name

  alb {
    target_group_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/hello/50dc6c495c0c9188"
  }
}

# A public function URL on the live alias, with CORS for one origin.
resource "lambdatrigger_sync_caller" "url" {
  function_name = lambdatrigger_function.hello.function_name
  qualifier     = "live"

  function_url {
    authorization_type = "NONE"

    cors {
      allow_origins = ["https://www.example.com"]
      allow_methods = ["GET", "POST"]
      max_age       = 300
    }
  }
}

output "hello_url" {
  value = lambdatrigger_sync_caller.url.function_url.function_url
}
