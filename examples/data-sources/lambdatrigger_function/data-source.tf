data "lambdatrigger_function" "existing" {
  function_name = "orders-handler"
}

output "orders_handler_arn" {
  value = data.lambdatrigger_function.existing.arn
}
