# An event source mapping is imported by its UUID (aws lambda list-event-source-mappings shows it).
terraform import lambdatrigger_poll_mapping.orders 14e0db71-5d35-4eb5-b481-8945cf9d10c2
