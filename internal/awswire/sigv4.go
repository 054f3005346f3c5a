package awswire

import (
	"net/http"
	"strings"
)

// Credential is the scope of a SigV4 signature: who signed, for which region and service.
type Credential struct {
	AccessKeyID string
	Date        string
	Region      string
	Service     string
}

// ParseCredential reads the SigV4 credential scope from the Authorization header, or from the
// X-Amz-Credential query parameter of a presigned URL. ok is false for unsigned requests.
func ParseCredential(r *http.Request) (Credential, bool) {
	scope := ""
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") {
		for _, part := range strings.Split(strings.TrimPrefix(auth, "AWS4-HMAC-SHA256 "), ",") {
			part = strings.TrimSpace(part)
			if v, found := strings.CutPrefix(part, "Credential="); found {
				scope = v
			}
		}
	} else if v := r.URL.Query().Get("X-Amz-Credential"); v != "" {
		scope = v
	}
	parts := strings.Split(scope, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return Credential{}, false
	}
	return Credential{AccessKeyID: parts[0], Date: parts[1], Region: parts[2], Service: parts[3]}, true
}
