package s3

import (
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Bucket sub-resources beyond notifications are not configurable in the simulator. Tools that
// read them (the Terraform AWS provider reads a dozen after creating a bucket, the CLI a few) get
// what S3 answers for a bucket created today with no such configuration: the documented
// "not found" error, or the default document (SSE-S3 encryption, BucketOwnerEnforced ownership,
// Block Public Access on, a private ACL). Deleting a configuration that does not exist succeeds
// (204), as on S3. Setting one answers NotImplemented, never a silent success; the one exception is
// setting the private canned ACL, which is what every bucket already has.

var xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

func (s *Service) routeBucketDefaults(sub string) handler {
	return func(c *call) *awswire.Error {
		if _, e := s.withBucket(c); e != nil {
			return e
		}
		m := c.r.Method
		get := m == http.MethodGet
		var doc any
		switch sub {
		case "versioning":
			if get {
				doc = &struct {
					XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ VersioningConfiguration"`
				}{}
			}
		case "acl":
			switch {
			case get:
				doc = s.privateACL()
			case m == http.MethodPut && privateACLRequest(c.r):
				c.w.WriteHeader(http.StatusOK)
				return nil
			}
		case "policy", "policyStatus":
			if get {
				return errNoSuchBucketPolicy(c.bucket)
			}
		case "tagging":
			if get {
				return errNoSuchTagSet(c.bucket)
			}
		case "cors":
			if get {
				return errNoSuchCORSConfiguration(c.bucket)
			}
		case "website":
			if get {
				return errNoSuchWebsiteConfiguration(c.bucket)
			}
		case "lifecycle":
			if get {
				return errNoSuchLifecycleConfiguration(c.bucket)
			}
		case "replication":
			if get {
				return errReplicationConfigurationNotFound(c.bucket)
			}
		case "object-lock":
			if get {
				return errObjectLockConfigurationNotFound(c.bucket)
			}
		case "encryption":
			if get {
				doc = &ServerSideEncryptionConfiguration{Rule: sseRule{Default: sseDefault{Algorithm: "AES256"}, BucketKeyEnabled: false}}
			}
		case "logging":
			if get {
				doc = &struct {
					XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ BucketLoggingStatus"`
				}{}
			}
		case "accelerate":
			if get {
				doc = &struct {
					XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ AccelerateConfiguration"`
				}{}
			}
		case "requestPayment":
			if get {
				doc = &struct {
					XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ RequestPaymentConfiguration"`
					Payer   string   `xml:"Payer"`
				}{Payer: "BucketOwner"}
			}
		case "ownershipControls":
			if get {
				doc = &struct {
					XMLName   xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ OwnershipControls"`
					Ownership string   `xml:"Rule>ObjectOwnership"`
				}{Ownership: "BucketOwnerEnforced"}
			}
		case "publicAccessBlock":
			if get {
				doc = &struct {
					XMLName               xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ PublicAccessBlockConfiguration"`
					BlockPublicAcls       bool     `xml:"BlockPublicAcls"`
					IgnorePublicAcls      bool     `xml:"IgnorePublicAcls"`
					BlockPublicPolicy     bool     `xml:"BlockPublicPolicy"`
					RestrictPublicBuckets bool     `xml:"RestrictPublicBuckets"`
				}{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}
			}
		}
		if doc != nil {
			awswire.WriteXML(c.w, http.StatusOK, doc)
			return nil
		}
		if m == http.MethodDelete {
			switch sub {
			case "policy", "tagging", "cors", "website", "lifecycle", "replication", "encryption":
				c.w.WriteHeader(http.StatusNoContent)
				return nil
			}
		}
		return errNotImplemented(operationName(m, bucketSubresourceNames[sub]) + " (?" + sub + ")")
	}
}

// bucketSubresourceNames name the operations on each sub-resource for NotImplemented answers.
var bucketSubresourceNames = map[string]string{
	"versioning": "BucketVersioning", "acl": "BucketAcl", "policy": "BucketPolicy", "policyStatus": "BucketPolicyStatus",
	"tagging": "BucketTagging", "cors": "BucketCors", "website": "BucketWebsite", "lifecycle": "BucketLifecycleConfiguration",
	"replication": "BucketReplication", "encryption": "BucketEncryption", "logging": "BucketLogging",
	"accelerate": "BucketAccelerateConfiguration", "requestPayment": "BucketRequestPayment",
	"object-lock": "ObjectLockConfiguration", "ownershipControls": "BucketOwnershipControls",
	"publicAccessBlock": "PublicAccessBlock", "analytics": "BucketAnalyticsConfiguration",
	"metrics": "BucketMetricsConfiguration", "inventory": "BucketInventoryConfiguration",
	"intelligent-tiering": "BucketIntelligentTieringConfiguration", "metadataConfiguration": "BucketMetadataConfiguration",
	"metadataTable": "BucketMetadataTableConfiguration", "abac": "BucketAbac", "session": "Session",
}

// privateACLRequest is a PutBucketAcl that asks for what the bucket has: the private canned ACL
// and no grants.
func privateACLRequest(r *http.Request) bool {
	if r.Header.Get("X-Amz-Acl") != "private" || r.ContentLength > 0 {
		return false
	}
	for name := range r.Header {
		if strings.HasPrefix(strings.ToLower(name), "x-amz-grant-") {
			return false
		}
	}
	return true
}

// ServerSideEncryptionConfiguration is GetBucketEncryption's answer: SSE-S3, S3's default for
// every bucket since January 2023.
type ServerSideEncryptionConfiguration struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ServerSideEncryptionConfiguration"`
	Rule    sseRule  `xml:"Rule"`
}

type sseRule struct {
	Default          sseDefault `xml:"ApplyServerSideEncryptionByDefault"`
	BucketKeyEnabled bool       `xml:"BucketKeyEnabled"`
}

type sseDefault struct {
	Algorithm string `xml:"SSEAlgorithm"`
}

// AccessControlPolicy is an ACL: the owner with FULL_CONTROL, S3's private ACL.
type AccessControlPolicy struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ AccessControlPolicy"`
	Owner   Owner    `xml:"Owner"`
	Grants  []Grant  `xml:"AccessControlList>Grant"`
}

// Grant is one ACL grant.
type Grant struct {
	Grantee    Grantee `xml:"Grantee"`
	Permission string  `xml:"Permission"`
}

// Grantee is a canonical user.
type Grantee struct {
	XMLNSXSI string `xml:"xmlns:xsi,attr"`
	Type     string `xml:"xsi:type,attr"`
	ID       string `xml:"ID"`
}

func (s *Service) privateACL() *AccessControlPolicy {
	return &AccessControlPolicy{Owner: Owner{ID: s.ownerID}, Grants: []Grant{{
		Grantee:    Grantee{XMLNSXSI: xsiNamespace, Type: "CanonicalUser", ID: s.ownerID},
		Permission: "FULL_CONTROL",
	}}}
}

// handleGetObjectACL answers the private ACL every object has.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAcl.html
func (s *Service) handleGetObjectACL(c *call) *awswire.Error {
	if _, e := s.headObject(c); e != nil {
		return e
	}
	awswire.WriteXML(c.w, http.StatusOK, s.privateACL())
	return nil
}

// Tagging is GetObjectTagging's answer: the tags the object was written with (x-amz-tagging).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectTagging.html
type Tagging struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ Tagging"`
	TagSet  []Tag    `xml:"TagSet>Tag"`
}

// Tag is one tag.
type Tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

func (s *Service) handleGetObjectTagging(c *call) *awswire.Error {
	o, e := s.headObject(c)
	if e != nil {
		return e
	}
	out := &Tagging{TagSet: []Tag{}}
	values, _ := url.ParseQuery(o.Tagging)
	for k, vs := range values {
		v := ""
		if len(vs) > 0 {
			v = vs[0]
		}
		out.TagSet = append(out.TagSet, Tag{Key: k, Value: v})
	}
	sort.Slice(out.TagSet, func(i, j int) bool { return out.TagSet[i].Key < out.TagSet[j].Key })
	awswire.WriteXML(c.w, http.StatusOK, out)
	return nil
}

// tagCount is the number of tags in an x-amz-tagging value.
func tagCount(tagging string) int {
	if tagging == "" {
		return 0
	}
	values, err := url.ParseQuery(tagging)
	if err != nil {
		return 0
	}
	return len(values)
}

// headObject loads the request's object metadata.
func (s *Service) headObject(c *call) (*objectRecord, *awswire.Error) {
	var o *objectRecord
	err := s.store.View(func(tx *store.Tx) error {
		if !tx.Has(bucketsBucket, c.bucket) {
			return abort(errNoSuchBucket(c.bucket))
		}
		var err error
		o, err = getObject(tx, c.bucket, c.key)
		if errors.Is(err, store.ErrNotFound) {
			return abort(errNoSuchKey(c.key))
		}
		return err
	})
	if e := txError(err); e != nil {
		return nil, e
	}
	return o, nil
}
