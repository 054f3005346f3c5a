// Package functionurl is the front door of Lambda function URLs: it turns an HTTP request to a URL
// into a LambdaFunctionURLRequest event (payload format 2.0), invokes the function synchronously,
// and turns the answer back into HTTP, as described in
// https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html.
//
// A URL is reached by Host through the simulator's port,
// http://<url-id>.lambda-url.<region>.localhost:4566/<path> (the FunctionUrl the API returns), or
// by path with no DNS or Host header: http://127.0.0.1:4566/_url/<url-id>/<path>.
//
// Access control (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html):
//
//   - AuthType NONE: the function's resource-based policy (of the URL's alias, when it has one)
//     must allow principal "*" lambda:InvokeFunctionUrl (a lambda:FunctionUrlAuthType condition must
//     say NONE) and, as AWS requires of URLs created since October 2025, principal "*"
//     lambda:InvokeFunction (unconditioned, or with lambda:InvokedViaFunctionUrl true). Otherwise
//     403 {"Message":"Forbidden"}.
//   - AuthType AWS_IAM: the request must be SigV4-signed for service "lambda" in the simulator's
//     Region (an Authorization header, or a presigned X-Amz-Credential query). The simulator has no
//     IAM and accepts any access key, so it checks the signature's form (algorithm, a credential
//     scope <key>/<date>/<region>/lambda/aws4_request, signed headers including host, a 64-hex
//     signature and an X-Amz-Date) but not the signature's value; an unsigned or mis-scoped request
//     is 403 {"Message":"Forbidden"}.
//
// CORS: with a Cors configuration, a preflight (OPTIONS with Origin and
// Access-Control-Request-Method) is answered by the front door without invoking the function, and
// actual responses to an allowed Origin carry Access-Control-Allow-Origin, -Allow-Credentials and
// -Expose-Headers, overriding the function's own, as AWS does.
//
// Responses: a JSON object with statusCode is mapped (headers, cookies to Set-Cookie, body,
// isBase64Encoded); any other valid JSON is returned as a 200 application/json body, as Lambda
// infers it. A function error or a statusCode that is not a number is 502 (body "Internal Server
// Error"); a throttle is 429. InvokeMode RESPONSE_STREAM is served buffered (the whole response at
// once): streaming is not simulated.
package functionurl
