package s3

import (
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Addressing (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html): a
// request names its bucket either in the path (path-style, /<bucket>/<key>) or in the Host header
// (virtual-hosted-style, <bucket>.<endpoint host>/<key>). Against the simulator the endpoint host
// is localhost or 127.0.0.1 (or the host name the simulator is reached by), so virtual-hosted
// requests come as <bucket>.localhost:4566 or <bucket>.s3.localhost:4566 (also
// <bucket>.s3.<region>.localhost). SDKs use path-style by themselves when the endpoint is an IP
// address.

// otherServiceHosts are first labels that name another AWS service's endpoint, not a bucket, should
// a client be pointed at e.g. http://sqs.localhost:4566. A bucket with such a name can still be
// reached path-style.
var otherServiceHosts = map[string]bool{
	"sqs": true, "sns": true, "sts": true, "iam": true, "lambda": true, "events": true, "logs": true,
	"kinesis": true, "dynamodb": true, "streams": true, "apigateway": true, "monitoring": true,
	"firehose": true, "cognito-idp": true, "email": true, "ses": true, "codecommit": true,
	"config": true, "cloudformation": true, "elasticloadbalancing": true, "cloudfront": true,
	"runtime": true, "execute-api": true,
}

// hostSuffixes are the host names under which a first label is a bucket.
func (s *Service) hostSuffixes() []string {
	suffixes := append([]string(nil), s.cfg.VirtualHostSuffixes...)
	if len(suffixes) == 0 {
		suffixes = []string{"localhost", "127.0.0.1"}
	}
	if s.cfg.Endpoint != nil {
		if u, err := url.Parse(s.cfg.Endpoint()); err == nil && u.Hostname() != "" && net.ParseIP(u.Hostname()) == nil {
			suffixes = append(suffixes, strings.ToLower(u.Hostname()))
		}
	}
	return suffixes
}

// BucketFromHost returns the bucket a virtual-hosted-style Host header names, if it names one. It is
// the router's Host matcher: it must claim no host another service owns, so function URLs
// (<id>.lambda-url.<region>.localhost), API Gateway stages (<id>.execute-api.localhost) and load
// balancers (<name>-<id>.<region>.elb.localhost) are left alone, as are the bare endpoint hosts (localhost, s3.localhost, s3.<region>.localhost).
func (s *Service) BucketFromHost(host string) (string, bool) {
	host = strings.ToLower(host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(host, ".")
	if strings.Contains(host, ".lambda-url.") || strings.Contains(host, ".execute-api.") || strings.Contains(host, ".elb.") {
		return "", false
	}
	for _, suffix := range s.hostSuffixes() {
		rest, ok := strings.CutSuffix(host, "."+suffix)
		if !ok || rest == "" {
			continue
		}
		bucket := stripS3Labels(rest)
		if bucket == "" || bucket == "s3" || strings.HasPrefix(bucket, "s3.") {
			return "", false
		}
		first, _, _ := strings.Cut(bucket, ".")
		if otherServiceHosts[first] || !validBucketName(bucket) {
			return "", false
		}
		return bucket, true
	}
	return "", false
}

// stripS3Labels removes a trailing ".s3" or ".s3.<region>" (and S3's dash form "s3-<region>") from
// the part of a host before the endpoint host.
func stripS3Labels(rest string) string {
	labels := strings.Split(rest, ".")
	n := len(labels)
	switch {
	case n >= 2 && labels[n-1] == "s3":
		return strings.Join(labels[:n-1], ".")
	case n >= 3 && labels[n-2] == "s3" && validRegion(labels[n-1]):
		return strings.Join(labels[:n-2], ".")
	case n >= 2 && strings.HasPrefix(labels[n-1], "s3-") && validRegion(strings.TrimPrefix(labels[n-1], "s3-")):
		return strings.Join(labels[:n-1], ".")
	}
	return rest
}

// address splits a request into bucket and key, from the Host header or the path.
func (s *Service) address(r *http.Request) (bucket, key string, virtual bool) {
	path := r.URL.Path
	if b, ok := s.BucketFromHost(r.Host); ok {
		return b, strings.TrimPrefix(path, "/"), true
	}
	path = strings.TrimPrefix(path, "/")
	bucket, key, _ = strings.Cut(path, "/")
	return bucket, key, false
}
