package apigateway

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// FuzzOperations sends arbitrary bodies to the body-reading operations: every answer must be a
// well-formed success or an AWS error, never a panic or a 5xx.
func FuzzOperations(f *testing.F) {
	for _, seed := range []string{
		`{"name":"demo","binaryMediaTypes":["image/png"],"endpointConfiguration":{"types":["REGIONAL"]}}`,
		`{"pathPart":"{proxy+}"}`,
		`{"authorizationType":"NONE","apiKeyRequired":false}`,
		`{"type":"AWS_PROXY","httpMethod":"POST","uri":"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations","timeoutInMillis":29000}`,
		`{"stageName":"prod","variables":{"a":"b"}}`,
		`{"name":1}`, `[]`, `{`, ``,
	} {
		f.Add(seed)
	}
	st, err := store.OpenTemp()
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	s, _ := New(Config{Store: st})
	api, e := s.CreateRestApi(t0(), &CreateRestApiInput{Name: "fuzz"})
	if e != nil {
		f.Fatal(e)
	}
	paths := []string{"POST /restapis", "POST /restapis/" + api.ID + "/resources/" + api.RootResourceID,
		"PUT /restapis/" + api.ID + "/resources/" + api.RootResourceID + "/methods/GET",
		"PUT /restapis/" + api.ID + "/resources/" + api.RootResourceID + "/methods/GET/integration",
		"POST /restapis/" + api.ID + "/deployments", "POST /restapis/" + api.ID + "/stages"}
	f.Fuzz(func(t *testing.T, body string) {
		for _, p := range paths {
			method, path, _ := strings.Cut(p, " ")
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(method, path, strings.NewReader(body)))
			if w.Code >= 500 {
				t.Fatalf("%s with %q: %d %s", p, body, w.Code, w.Body)
			}
			if w.Code >= 400 && w.Header().Get("X-Amzn-ErrorType") == "" {
				t.Fatalf("%s with %q: error without X-Amzn-ErrorType", p, body)
			}
		}
	})
}

func FuzzLambdaFunctionARN(f *testing.F) {
	f.Add("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations")
	f.Add("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions//invocations")
	f.Fuzz(func(t *testing.T, uri string) {
		if fn, ok := LambdaFunctionARN(uri); ok && (fn == "" || !strings.Contains(uri, fn)) {
			t.Fatalf("%q gave %q", uri, fn)
		}
	})
}

func t0() context.Context { return context.Background() }
