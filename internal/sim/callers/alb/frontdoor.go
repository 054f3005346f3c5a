package alb

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/elbv2"
)

// Limits of Lambda targets (lambda-functions.html, "Limits").
const (
	MaxRequestBody  = 1 << 20
	MaxResponseJSON = 1 << 20
	principal       = "elasticloadbalancing.amazonaws.com"
	// PathPrefix is the path form's prefix on the simulator's port.
	PathPrefix = "/_alb/"
)

// Lambda is what the front door needs from the Lambda service.
type Lambda interface {
	ResolveFunction(name, qualifier string) (invoke.Function, *awswire.Error)
	AllowsInvoke(ctx context.Context, functionARN, principal, sourceARN, sourceAccount string) (bool, error)
}

// Invoker runs a synchronous invocation (*invoke.Invoker).
type Invoker interface {
	Invoke(ctx context.Context, fn invoke.Function, req invoke.Request) (invoke.Result, error)
}

// Config configures the front door.
type Config struct {
	ELB               *elbv2.Service
	Lambda            Lambda
	Invoker           Invoker
	Clock             clock.Clock
	Region, AccountID string
	Logger            *slog.Logger
	// NoLoopbackListeners turns off the per-listener ports (Host and path forms still work).
	NoLoopbackListeners bool
}

// FrontDoor serves ALB listeners.
type FrontDoor struct {
	cfg Config
	log *slog.Logger

	mu        sync.Mutex
	closed    bool
	listeners map[string]*loopback // by listener ARN
}

type loopback struct {
	addr string
	srv  *http.Server
}

// New builds the front door and opens a loopback port for every stored listener.
func New(cfg Config) (*FrontDoor, error) {
	if cfg.ELB == nil || cfg.Lambda == nil || cfg.Invoker == nil {
		return nil, errors.New("alb: ELB, Lambda and Invoker are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.AccountID == "" {
		cfg.AccountID = "000000000000"
	}
	f := &FrontDoor{cfg: cfg, log: cfg.Logger, listeners: map[string]*loopback{}}
	if !cfg.NoLoopbackListeners {
		cfg.ELB.Subscribe(f.onListener)
		infos, err := cfg.ELB.Listeners()
		if err != nil {
			return nil, err
		}
		for _, l := range infos {
			f.open(l)
		}
	}
	return f, nil
}

// Register routes load balancer Hosts and the /_alb/ path form to the front door.
func (f *FrontDoor) Register(r *server.Router) {
	r.Host(func(host string) bool { return elbv2.IsLoadBalancerHost(hostOnly(host)) }, http.HandlerFunc(f.serveHost))
	r.PathPrefix(PathPrefix, http.HandlerFunc(f.servePath))
}

// Close stops every loopback listener.
func (f *FrontDoor) Close() error {
	f.mu.Lock()
	f.closed = true
	ls := f.listeners
	f.listeners = map[string]*loopback{}
	f.mu.Unlock()
	var errs []error
	for _, l := range ls {
		errs = append(errs, l.srv.Close())
	}
	return errors.Join(errs...)
}

// Addresses maps each listener ARN to the loopback address serving it ("127.0.0.1:8080").
func (f *FrontDoor) Addresses() map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]string{}
	for arn, l := range f.listeners {
		out[arn] = l.addr
	}
	return out
}

// ServeAddresses answers {"listeners":{"<listener arn>":"127.0.0.1:<port>"}} (an admin page).
func (f *FrontDoor) ServeAddresses(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"listeners": f.Addresses()})
}

func (f *FrontDoor) onListener(ev elbv2.ListenerEvent) {
	if ev.Deleted {
		f.mu.Lock()
		l := f.listeners[ev.Listener.ListenerARN]
		delete(f.listeners, ev.Listener.ListenerARN)
		f.mu.Unlock()
		if l != nil {
			l.srv.Close()
		}
		return
	}
	f.open(ev.Listener)
}

// open serves a listener on 127.0.0.1:<Port>, or on an ephemeral port when that one is taken.
func (f *FrontDoor) open(info elbv2.ListenerInfo) {
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(info.Port)))
	if err != nil {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		f.log.Warn("cannot open a loopback port for the listener", "listener", info.ListenerARN, "error", err)
		return
	}
	arn := info.ListenerARN
	srv := &http.Server{ReadHeaderTimeout: 30 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route, err := f.cfg.ELB.RouteByListener(arn)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		f.forward(w, r, route, r.URL.EscapedPath(), r.URL.RawQuery)
	})}
	f.mu.Lock()
	if f.closed || f.listeners[arn] != nil {
		f.mu.Unlock()
		ln.Close()
		return
	}
	f.listeners[arn] = &loopback{addr: ln.Addr().String(), srv: srv}
	f.mu.Unlock()
	f.log.Info("ALB listener serving", "listener", arn, "port", info.Port, "address", ln.Addr().String())
	go srv.Serve(ln)
}

// serveHost serves a request whose Host is a load balancer's DNS name.
func (f *FrontDoor) serveHost(w http.ResponseWriter, r *http.Request) {
	host, portText, _ := net.SplitHostPort(r.Host)
	if host == "" {
		host = r.Host
	}
	port, _ := strconv.Atoi(portText)
	route, err := f.cfg.ELB.RouteByHost(host, port)
	if err != nil {
		errorPage(w, http.StatusNotFound)
		return
	}
	f.forward(w, r, route, r.URL.EscapedPath(), r.URL.RawQuery)
}

// servePath serves /_alb/<load-balancer-name>/<listener-port>/<path>.
func (f *FrontDoor) servePath(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.EscapedPath(), PathPrefix)
	name, rest, _ := strings.Cut(rest, "/")
	portText, path, _ := strings.Cut(rest, "/")
	port, err := strconv.Atoi(portText)
	if name == "" || err != nil {
		http.Error(w, "use "+PathPrefix+"<load-balancer-name>/<listener-port>/<path>", http.StatusNotFound)
		return
	}
	route, err := f.cfg.ELB.RouteByName(name, port)
	if err != nil {
		errorPage(w, http.StatusNotFound)
		return
	}
	f.forward(w, r, route, "/"+path, r.URL.RawQuery)
}

func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}
