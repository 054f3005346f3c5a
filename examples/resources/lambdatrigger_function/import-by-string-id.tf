import {
  to = lambdatrigger_function.example
  id = "orders-handler"
}
