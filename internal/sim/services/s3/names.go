package s3

import (
	"net/netip"
	"regexp"
	"strings"
)

// Limits S3 documents (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html,
// UsingMetadata.html, bucketnamingrules.html, qfacts.html).
const (
	maxKeyLength      = 1024      // bytes of UTF-8
	maxMetadataSize   = 2 << 10   // user-defined metadata, keys and values, in bytes
	maxDeleteObjects  = 1000      // keys in one DeleteObjects request
	maxListKeys       = 1000      // the cap on max-keys
	maxParts          = 10000     // parts of one multipart upload
	minPartSize       = 5 << 20   // every part but the last
	maxXMLBody        = 1 << 20   // configuration documents; S3's own limits are far below this
	defaultMaxObject  = 512 << 20 // the simulator's cap on one PUT (AWS: 5 GiB); Config.MaxObjectSize
	awsMaxPutObject   = 5 << 30   // AWS's cap on one PUT, the largest MaxObjectSize accepted
	s3XMLNS           = "http://s3.amazonaws.com/doc/2006-03-01/"
	defaultStorage    = "STANDARD"
	defaultObjectType = "binary/octet-stream" // S3's Content-Type for objects stored without one
)

var bucketNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// validBucketName applies the naming rules of general purpose buckets
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html): 3-63 characters
// of lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no
// two adjacent dots, not an IP address, and none of the prefixes and suffixes S3 reserves.
func validBucketName(name string) bool {
	if !bucketNameRE.MatchString(name) || strings.Contains(name, "..") {
		return false
	}
	if _, err := netip.ParseAddr(name); err == nil {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return false
		}
	}
	return true
}

// regionRE is the shape of an AWS Region name (us-east-1, eu-central-2, us-gov-west-1, ...).
var regionRE = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)

// validRegion reports whether a LocationConstraint names a Region. "EU" is S3's legacy name for
// eu-west-1 and is still accepted.
func validRegion(r string) bool { return r == "EU" || regionRE.MatchString(r) }
