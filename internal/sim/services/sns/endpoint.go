package sns

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// The simulator runs on a developer's machine or a CI runner and must never send traffic
// elsewhere: http and https subscriptions are accepted only for loopback hosts (127.0.0.0/8,
// ::1, "localhost"), and the client that delivers to them re-checks every address it dials
// and never follows a redirect.

// checkHTTPEndpoint validates an http/https subscription endpoint.
func checkHTTPEndpoint(protocol, endpoint string) *awswire.Error {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return errInvalidParameter("Endpoint Reason: %q is not a valid %s URL", endpoint, protocol)
	}
	if !strings.EqualFold(u.Scheme, protocol) {
		return errInvalidParameter("Endpoint must match the specified protocol")
	}
	if !isLoopbackHost(u.Hostname()) {
		return errInvalidParameter("Endpoint Reason: the lambdatrigger simulator delivers http and https notifications only to loopback hosts (127.0.0.0/8, ::1, localhost), never to %s", u.Hostname())
	}
	return nil
}

// isLoopbackHost accepts "localhost" and loopback IP literals.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// httpTimeout: "The connection will time out in 15 seconds" (SendMessageToHttp.prepare).
const httpTimeout = 15 * time.Second

// loopbackClient derives the delivery client from base (or a plain one): no proxy, no redirects,
// and a dialer that refuses any address that is not loopback, whatever a name resolves to.
func loopbackClient(base *http.Client) *http.Client {
	var tr *http.Transport
	if base != nil {
		if t, ok := base.Transport.(*http.Transport); ok {
			tr = t.Clone()
		}
	}
	if tr == nil {
		tr = http.DefaultTransport.(*http.Transport).Clone()
	}
	tr.Proxy = nil
	tr.DialTLSContext = nil
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, err
		}
		for _, ip := range ips {
			if ip.Unmap().IsLoopback() {
				return dialer.DialContext(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
			}
		}
		return nil, fmt.Errorf("sns: refusing to connect to %s: not a loopback address", host)
	}
	return &http.Client{
		Transport: tr,
		Timeout:   httpTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
