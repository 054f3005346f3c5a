# A function is imported by its name.
terraform import lambdatrigger_function.example orders-handler
