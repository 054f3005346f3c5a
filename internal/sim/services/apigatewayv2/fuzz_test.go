package apigatewayv2

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// FuzzOperations sends arbitrary bodies to the body-reading operations: every answer must be a
// success or an AWS error, never a panic or a 5xx.
func FuzzOperations(f *testing.F) {
	for _, seed := range []string{
		`{"name":"x","protocolType":"HTTP","target":"arn:aws:lambda:us-east-1:000000000000:function:f"}`,
		`{"integrationType":"AWS_PROXY","integrationUri":"arn:aws:lambda:us-east-1:000000000000:function:f","payloadFormatVersion":"2.0","timeoutInMillis":30000}`,
		`{"routeKey":"ANY /{proxy+}","target":"integrations/abc"}`,
		`{"stageName":"$default","autoDeploy":true}`,
		`{"stageName":"prod"}`, `{"routeKey":1}`, `[]`, `{`, ``,
	} {
		f.Add(seed)
	}
	st, err := store.OpenTemp()
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	s, _ := New(Config{Store: st})
	api, e := s.CreateApi(context.Background(), &CreateApiInput{Name: "fuzz", ProtocolType: "HTTP"})
	if e != nil {
		f.Fatal(e)
	}
	base := "/v2/apis/" + api.APIID
	paths := []string{"POST /v2/apis", "POST " + base + "/integrations", "POST " + base + "/routes", "POST " + base + "/stages", "POST " + base + "/deployments"}
	f.Fuzz(func(t *testing.T, body string) {
		for _, p := range paths {
			method, path, _ := strings.Cut(p, " ")
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(method, path, strings.NewReader(body)))
			if w.Code >= 500 {
				t.Fatalf("%s with %q: %d %s", p, body, w.Code, w.Body)
			}
		}
	})
}

func FuzzRouteKey(f *testing.F) {
	for _, k := range []string{"$default", "GET /", "ANY /{proxy+}", "GET /a/{b}/c", "GET /{x+}/y"} {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, k string) {
		if validRouteKey(k) && k != "$default" {
			m, p, ok := strings.Cut(k, " ")
			if !ok || m == "" || !strings.HasPrefix(p, "/") {
				t.Fatalf("accepted %q", k)
			}
			if i := strings.Index(p, "+}"); i >= 0 && i != len(p)-2 {
				t.Fatalf("greedy variable not last in %q", k)
			}
		}
	})
}
