# A sync caller is imported by FUNCTION[:QUALIFIER],KIND,KEY... (its id):
# an API Gateway route (add ",integration" when the resource manages the integration too),
terraform import lambdatrigger_sync_caller.api 'hello,api_gateway,a1b2c3,prod,GET,/hello,integration'
# a target group,
terraform import lambdatrigger_sync_caller.alb 'hello,alb,arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/hello/50dc6c495c0c9188'
# or a function URL.
terraform import lambdatrigger_sync_caller.url 'hello:live,function_url'
