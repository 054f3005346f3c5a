package urlconfig

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

const (
	bucketConfigs = "lambdaurls/configs" // "<function name>/<qualifier>" -> record
	bucketIDs     = "lambdaurls/ids"     // url id -> config key
	// MountPattern is what the Lambda service mounts this API under.
	MountPattern = "/2021-10-31/functions/"
	// HostSuffix ends every function URL host name after the region: "<id>.lambda-url.<region>" + HostSuffix.
	HostSuffix = ".localhost"
)

// Lambda is what the API needs from the Lambda service: that a function (or alias) exists, and
// its ARN. *lambda.Service implements it.
type Lambda interface {
	GetFunction(ctx context.Context, in *lambda.GetFunctionInput) (*lambda.GetFunctionOutput, *awswire.Error)
}

// Config configures the service.
type Config struct {
	Store             *store.Store
	Clock             clock.Clock
	Region, AccountID string
	Logger            *slog.Logger
	// Endpoint is the simulator's URL ("http://127.0.0.1:4566"); its port goes into FunctionUrl.
	Endpoint func() string
	Lambda   Lambda
}

// Service is the function URL config API.
type Service struct {
	cfg Config
	mux *http.ServeMux
}

// New builds the service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Lambda == nil {
		return nil, errors.New("urlconfig: Store and Lambda are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.AccountID == "" {
		cfg.AccountID = "000000000000"
	}
	if cfg.Endpoint == nil {
		cfg.Endpoint = func() string { return "" }
	}
	s := &Service{cfg: cfg, mux: http.NewServeMux()}
	const fn = "/2021-10-31/functions/{FunctionName}"
	handle(s, "CreateFunctionUrlConfig", http.StatusCreated, s.CreateFunctionUrlConfig, "POST "+fn+"/url", "POST "+fn+"/url/{$}")
	handle(s, "GetFunctionUrlConfig", http.StatusOK, s.GetFunctionUrlConfig, "GET "+fn+"/url", "GET "+fn+"/url/{$}")
	handle(s, "UpdateFunctionUrlConfig", http.StatusOK, s.UpdateFunctionUrlConfig, "PUT "+fn+"/url", "PUT "+fn+"/url/{$}")
	handle(s, "DeleteFunctionUrlConfig", http.StatusNoContent, s.DeleteFunctionUrlConfig, "DELETE "+fn+"/url", "DELETE "+fn+"/url/{$}")
	handle(s, "ListFunctionUrlConfigs", http.StatusOK, s.ListFunctionUrlConfigs, "GET "+fn+"/urls", "GET "+fn+"/urls/{$}")
	return s, nil
}

// ServeHTTP serves the API; a path under 2021-10-31/functions/ it does not know is Lambda's
// UnknownOperationException.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := s.mux.Handler(r); pattern == "" {
		awswire.WriteRestJSONError(w, awswire.Errorf(http.StatusBadRequest, "UnknownOperationException",
			"The lambdatrigger simulator does not serve this Lambda operation (%s %s); see the README's support matrix.", r.Method, r.URL.Path))
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Close has nothing to stop.
func (s *Service) Close() error { return nil }

// request is what every operation receives: the path and query members and the body.
type request struct {
	FunctionName string
	Qualifier    string
	Marker       string
	MaxItems     string
	Body         []byte
}

// maxBody bounds a request body: a CORS configuration is small.
const maxBody = 1 << 20

func handle[Out any](s *Service, operation string, status int, op func(ctx context.Context, in *request) (*Out, *awswire.Error), patterns ...string) {
	h := func(w http.ResponseWriter, r *http.Request) {
		body, err := awswire.ReadBody(r, maxBody)
		if err != nil {
			awswire.WriteRestJSONError(w, awswire.Errorf(http.StatusRequestEntityTooLarge, "RequestTooLargeException", "Request must be smaller than %d bytes for the %s operation", maxBody, operation))
			return
		}
		q := r.URL.Query()
		name, _ := url.PathUnescape(r.PathValue("FunctionName"))
		in := &request{FunctionName: name, Qualifier: q.Get("Qualifier"), Marker: q.Get("Marker"), MaxItems: q.Get("MaxItems"), Body: body}
		out, e := op(r.Context(), in)
		if e != nil {
			awswire.WriteRestJSONError(w, e)
			return
		}
		if out == nil || status == http.StatusNoContent {
			w.WriteHeader(status)
			return
		}
		awswire.WriteJSON(w, status, out)
	}
	for _, p := range patterns {
		s.mux.HandleFunc(p, h)
	}
}

// newURLID is a url id as AWS makes them: 32 lowercase letters and digits.
func newURLID() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 32)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// functionURL is the URL clients call: http://<id>.lambda-url.<region>.localhost:<port>/.
func (s *Service) functionURL(id string) string {
	host := id + ".lambda-url." + s.cfg.Region + HostSuffix
	if ep, err := url.Parse(s.cfg.Endpoint()); err == nil && ep.Port() != "" {
		host += ":" + ep.Port()
	}
	return "http://" + host + "/"
}

// ParseHost returns the url id of a function URL host name (with or without its port) in this
// Region, or "".
func ParseHost(host, region string) string {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	host = strings.ToLower(host)
	id, ok := strings.CutSuffix(host, ".lambda-url."+region+HostSuffix)
	if !ok || !urlIDRE.MatchString(id) {
		return ""
	}
	return id
}
