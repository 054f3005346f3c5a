package testfn

// APIGW is the API Gateway proxy test function (testdata/functions/apigw): it echoes the event as
// the response body, and its "mode" query parameter asks for a malformed answer, an error, a
// sleep, a binary answer or the payload 2.0 simple form.
const APIGW = "apigw"
