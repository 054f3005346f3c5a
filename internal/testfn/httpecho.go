package testfn

// HTTPEcho answers ALB and function URL events with a response whose body is the event it received
// (query parameters mode=, status= and cookie= change the answer; see its main.go).
const HTTPEcho = "httpecho"
