package s3

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"time"
)

// now is the simulated time in UTC.
func (s *Service) now() time.Time { return s.clock.Now().UTC() }

// objectTime is the time stamped on an object: S3 keeps Last-Modified to the second (its XML
// listings show .000Z and its headers have no fraction).
func (s *Service) objectTime() time.Time { return s.now().Truncate(time.Second) }

func decodeJSON(data []byte, v any) error { return json.Unmarshal(data, v) }

// quoteETag wraps a hex digest in the quotes S3's ETags carry.
func quoteETag(hexDigest string) string { return `"` + hexDigest + `"` }

// sourceIP is the requester's address for event records: the first X-Forwarded-For hop if a
// proxy set one, else the connection's peer.
func sourceIP(r *http.Request) string {
	if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
		first, _, _ := strings.Cut(fwd, ",")
		return strings.TrimSpace(first)
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// etagMatches compares an If-Match / If-None-Match list with an object's ETag: "*" matches any
// object, and the comparison ignores quotes and weak markers, as S3 does.
func etagMatches(header, etag string) bool {
	bare := strings.Trim(etag, `"`)
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimSpace(part)
		part = strings.TrimPrefix(part, "W/")
		if part == "*" || strings.Trim(part, `"`) == bare {
			return true
		}
	}
	return false
}
