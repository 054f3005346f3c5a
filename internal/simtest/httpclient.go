// Package simtest holds what the simulator's over-the-wire tests share.
package simtest

import (
	"bytes"
	"io"
	"net/http"
)

// HTTPClient is an HTTP client for aws-sdk-go-v2 clients in tests that make one attempt per call.
//
// It works around a client-side race of aws-sdk-go-v2 (aws/aws-sdk-go-v2#2737): smithy-go closes a
// request's body as soon as the response arrives, and when the server answers fast enough (a
// loopback simulator), net/http's write loop is still reading that body for its EOF, fails, and
// closes the connection under the response ("use of closed network connection"). The SDK's default
// retryer hides it; a test with one attempt would flake. The body is handed to net/http as a copy
// the SDK cannot close.
func HTTPClient() *http.Client { return WrapClient(nil) }

// WrapClient applies the same workaround to c's transport (nil: a clone of the default transport).
func WrapClient(c *http.Client) *http.Client {
	if c == nil {
		c = &http.Client{}
	}
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	out := *c
	out.Transport = bufferedBodies{base}
	return &out
}

type bufferedBodies struct{ base http.RoundTripper }

func (b bufferedBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return b.base.RoundTrip(r)
	}
	data, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	c := r.Clone(r.Context())
	c.Body = io.NopCloser(bytes.NewReader(data))
	c.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	c.ContentLength = int64(len(data))
	return b.base.RoundTrip(c)
}
