package s3

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestS3_bucketLifecycle(t *testing.T) {
	e := newEnv(t)
	c := e.client
	out, err := c.CreateBucket(ctx(), &awss3.CreateBucketInput{Bucket: aws.String("alpha")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Location) != "/alpha" || aws.ToString(out.BucketArn) != "arn:aws:s3:::alpha" {
		t.Fatalf("location %q arn %q", aws.ToString(out.Location), aws.ToString(out.BucketArn))
	}
	// In us-east-1 S3 answers 200 to re-creating one's own bucket (legacy compatibility).
	if _, err := c.CreateBucket(ctx(), &awss3.CreateBucketInput{Bucket: aws.String("alpha")}); err != nil {
		t.Fatalf("re-create in us-east-1: %v", err)
	}
	// Elsewhere it is BucketAlreadyOwnedByYou.
	eu := e.newClient(true, func(o *awss3.Options) { o.Region = "eu-west-1" })
	euConf := &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}
	if _, err := eu.CreateBucket(ctx(), &awss3.CreateBucketInput{Bucket: aws.String("beta"), CreateBucketConfiguration: euConf}); err != nil {
		t.Fatal(err)
	}
	_, err = eu.CreateBucket(ctx(), &awss3.CreateBucketInput{Bucket: aws.String("beta"), CreateBucketConfiguration: euConf})
	var owned *types.BucketAlreadyOwnedByYou
	if !errors.As(err, &owned) {
		t.Fatalf("want BucketAlreadyOwnedByYou, got %v", err)
	}
	// A request signed for eu-west-1 must name its Region; naming us-east-1 is refused.
	if _, err := eu.CreateBucket(ctx(), &awss3.CreateBucketInput{Bucket: aws.String("gamma")}); errorCode(err) != "IllegalLocationConstraintException" {
		t.Fatalf("no constraint from eu-west-1: %v", err)
	}
	_, err = c.CreateBucket(ctx(), &awss3.CreateBucketInput{Bucket: aws.String("gamma"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: "us-east-1"}})
	if errorCode(err) != "InvalidLocationConstraint" {
		t.Fatalf("us-east-1 constraint: %v", err)
	}
	for _, bad := range []string{"Upper", "ab", "a..b", "192.168.1.1", "xn--abc", "-abc", "abc-", "my_bucket", strings.Repeat("a", 64), "x-s3alias-s3alias"} {
		if _, err := c.CreateBucket(ctx(), &awss3.CreateBucketInput{Bucket: aws.String(bad)}); errorCode(err) != "InvalidBucketName" {
			t.Errorf("bucket %q: %v", bad, err)
		}
	}

	head, err := c.HeadBucket(ctx(), &awss3.HeadBucketInput{Bucket: aws.String("beta")})
	if err != nil || aws.ToString(head.BucketRegion) != "eu-west-1" {
		t.Fatalf("head: %v %+v", err, head)
	}
	_, err = c.HeadBucket(ctx(), &awss3.HeadBucketInput{Bucket: aws.String("beta"), ExpectedBucketOwner: aws.String("999999999999")})
	if statusOf(err) != http.StatusForbidden {
		t.Fatalf("another expected owner: %v", err)
	}
	if _, err := c.HeadBucket(ctx(), &awss3.HeadBucketInput{Bucket: aws.String("beta"), ExpectedBucketOwner: aws.String(testAccount)}); err != nil {
		t.Fatalf("expected owner: %v", err)
	}
	loc, err := c.GetBucketLocation(ctx(), &awss3.GetBucketLocationInput{Bucket: aws.String("beta")})
	if err != nil || loc.LocationConstraint != types.BucketLocationConstraintEuWest1 {
		t.Fatalf("location: %v %+v", err, loc)
	}
	loc, err = c.GetBucketLocation(ctx(), &awss3.GetBucketLocationInput{Bucket: aws.String("alpha")})
	if err != nil || loc.LocationConstraint != "" {
		t.Fatalf("us-east-1 location: %v %q", err, loc.LocationConstraint)
	}

	list, err := c.ListBuckets(ctx(), &awss3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range list.Buckets {
		names = append(names, aws.ToString(b.Name)+"@"+aws.ToString(b.BucketRegion))
		if b.CreationDate == nil || !b.CreationDate.Equal(testStart.Truncate(1e9)) {
			t.Errorf("creation date %v", b.CreationDate)
		}
	}
	if strings.Join(names, ",") != "alpha@us-east-1,beta@eu-west-1" {
		t.Fatalf("buckets %v", names)
	}
	if aws.ToString(list.Owner.ID) == "" {
		t.Fatal("no owner")
	}
	page, err := c.ListBuckets(ctx(), &awss3.ListBucketsInput{MaxBuckets: aws.Int32(1)})
	if err != nil || len(page.Buckets) != 1 || page.ContinuationToken == nil {
		t.Fatalf("page: %v %+v", err, page)
	}
	page, err = c.ListBuckets(ctx(), &awss3.ListBucketsInput{MaxBuckets: aws.Int32(1), ContinuationToken: page.ContinuationToken})
	if err != nil || len(page.Buckets) != 1 || aws.ToString(page.Buckets[0].Name) != "beta" || page.ContinuationToken != nil {
		t.Fatalf("second page: %v %+v", err, page)
	}

	if _, err := c.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("alpha"), Key: aws.String("k"), Body: strings.NewReader("x")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteBucket(ctx(), &awss3.DeleteBucketInput{Bucket: aws.String("alpha")}); errorCode(err) != "BucketNotEmpty" {
		t.Fatalf("delete non-empty: %v", err)
	}
	if _, err := c.DeleteObject(ctx(), &awss3.DeleteObjectInput{Bucket: aws.String("alpha"), Key: aws.String("k")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteBucket(ctx(), &awss3.DeleteBucketInput{Bucket: aws.String("alpha")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.HeadBucket(ctx(), &awss3.HeadBucketInput{Bucket: aws.String("alpha")})
	var nf *types.NotFound
	if !errors.As(err, &nf) {
		t.Fatalf("head deleted: %v", err)
	}
	if _, err := c.DeleteBucket(ctx(), &awss3.DeleteBucketInput{Bucket: aws.String("alpha")}); errorCode(err) != "NoSuchBucket" {
		t.Fatalf("delete twice: %v", err)
	}
	_, err = c.ListObjectsV2(ctx(), &awss3.ListObjectsV2Input{Bucket: aws.String("alpha")})
	var nsb *types.NoSuchBucket
	if !errors.As(err, &nsb) {
		t.Fatalf("list deleted: %v", err)
	}
}

func TestS3_errorDocument(t *testing.T) {
	e := newEnv(t)
	resp, body := e.raw(http.MethodGet, "/nope/key", "", nil)
	if resp.StatusCode != 404 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	reqID := resp.Header.Get("X-Amz-Request-Id")
	hostID := resp.Header.Get("X-Amz-Id-2")
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>` +
		`<BucketName>nope</BucketName><RequestId>` + reqID + `</RequestId><HostId>` + hostID + `</HostId></Error>`
	if body != want || reqID == "" || hostID == "" {
		t.Fatalf("body\n%s\nwant\n%s", body, want)
	}
	if resp.Header.Get("Content-Type") != "application/xml" {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}
	// Unsupported methods and sub-resources answer S3's errors, never 200.
	if resp, _ := e.raw(http.MethodPost, "/", "", nil); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST /: %d", resp.StatusCode)
	}
}

func TestS3_subresources(t *testing.T) {
	e := newEnv(t)
	c := e.client
	b := aws.String("conf")
	if _, err := c.CreateBucket(ctx(), &awss3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetBucketPolicy(ctx(), &awss3.GetBucketPolicyInput{Bucket: b}); errorCode(err) != "NoSuchBucketPolicy" {
		t.Fatalf("policy: %v", err)
	}
	if _, err := c.PutBucketPolicy(ctx(), &awss3.PutBucketPolicyInput{Bucket: b, Policy: aws.String("{}")}); errorCode(err) != "NotImplemented" {
		t.Fatalf("put policy: %v", err)
	}
	if _, err := c.DeleteBucketPolicy(ctx(), &awss3.DeleteBucketPolicyInput{Bucket: b}); err != nil {
		t.Fatalf("delete policy: %v", err)
	}
	if _, err := c.GetBucketTagging(ctx(), &awss3.GetBucketTaggingInput{Bucket: b}); errorCode(err) != "NoSuchTagSet" {
		t.Fatalf("tagging: %v", err)
	}
	if _, err := c.PutBucketTagging(ctx(), &awss3.PutBucketTaggingInput{Bucket: b, Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}}}); errorCode(err) != "NotImplemented" {
		t.Fatalf("put tagging: %v", err)
	}
	if _, err := c.GetBucketCors(ctx(), &awss3.GetBucketCorsInput{Bucket: b}); errorCode(err) != "NoSuchCORSConfiguration" {
		t.Fatalf("cors: %v", err)
	}
	if _, err := c.GetBucketLifecycleConfiguration(ctx(), &awss3.GetBucketLifecycleConfigurationInput{Bucket: b}); errorCode(err) != "NoSuchLifecycleConfiguration" {
		t.Fatalf("lifecycle: %v", err)
	}
	v, err := c.GetBucketVersioning(ctx(), &awss3.GetBucketVersioningInput{Bucket: b})
	if err != nil || v.Status != "" {
		t.Fatalf("versioning: %v %+v", err, v)
	}
	if _, err := c.PutBucketVersioning(ctx(), &awss3.PutBucketVersioningInput{Bucket: b, VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); errorCode(err) != "NotImplemented" {
		t.Fatalf("put versioning: %v", err)
	}
	enc, err := c.GetBucketEncryption(ctx(), &awss3.GetBucketEncryptionInput{Bucket: b})
	if err != nil || enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != types.ServerSideEncryptionAes256 {
		t.Fatalf("encryption: %v", err)
	}
	acl, err := c.GetBucketAcl(ctx(), &awss3.GetBucketAclInput{Bucket: b})
	if err != nil || len(acl.Grants) != 1 || acl.Grants[0].Permission != types.PermissionFullControl || aws.ToString(acl.Grants[0].Grantee.ID) != aws.ToString(acl.Owner.ID) {
		t.Fatalf("acl: %v %+v", err, acl)
	}
	if _, err := c.PutBucketAcl(ctx(), &awss3.PutBucketAclInput{Bucket: b, ACL: types.BucketCannedACLPrivate}); err != nil {
		t.Fatalf("put private acl: %v", err)
	}
	if _, err := c.PutBucketAcl(ctx(), &awss3.PutBucketAclInput{Bucket: b, ACL: types.BucketCannedACLPublicRead}); errorCode(err) != "NotImplemented" {
		t.Fatalf("put public acl: %v", err)
	}
	pab, err := c.GetPublicAccessBlock(ctx(), &awss3.GetPublicAccessBlockInput{Bucket: b})
	if err != nil || !aws.ToBool(pab.PublicAccessBlockConfiguration.BlockPublicAcls) {
		t.Fatalf("public access block: %v", err)
	}
	own, err := c.GetBucketOwnershipControls(ctx(), &awss3.GetBucketOwnershipControlsInput{Bucket: b})
	if err != nil || own.OwnershipControls.Rules[0].ObjectOwnership != types.ObjectOwnershipBucketOwnerEnforced {
		t.Fatalf("ownership: %v", err)
	}
	if _, err := c.GetBucketAnalyticsConfiguration(ctx(), &awss3.GetBucketAnalyticsConfigurationInput{Bucket: b, Id: aws.String("x")}); errorCode(err) != "NotImplemented" {
		t.Fatalf("analytics: %v", err)
	}
	if _, err := c.GetBucketPolicy(ctx(), &awss3.GetBucketPolicyInput{Bucket: aws.String("missing")}); errorCode(err) != "NoSuchBucket" {
		t.Fatalf("policy of a missing bucket: %v", err)
	}
}

func TestS3_bucketFromHost(t *testing.T) {
	s := &Service{cfg: Config{Endpoint: func() string { return "http://sim.example:4566" }}}
	for host, want := range map[string]string{
		"photos.localhost:4566":                 "photos",
		"photos.localhost":                      "photos",
		"photos.s3.localhost:4566":              "photos",
		"photos.s3.us-west-2.localhost:4566":    "photos",
		"my.dotted.bucket.s3.localhost:4566":    "my.dotted.bucket",
		"photos.127.0.0.1:4566":                 "photos",
		"PHOTOS.LOCALHOST:4566":                 "photos",
		"photos.sim.example:4566":               "photos",
		"localhost:4566":                        "",
		"127.0.0.1:4566":                        "",
		"s3.localhost:4566":                     "",
		"s3.us-east-1.localhost:4566":           "",
		"abc123.lambda-url.us-east-1.localhost": "",
		"abc123.execute-api.localhost:4566":     "",
		"web-1234.us-east-1.elb.localhost:4566": "",
		"sqs.localhost:4566":                    "",
		"sqs.us-east-1.localhost:4566":          "",
		"bad_name.localhost:4566":               "",
		"photos.example.com":                    "",
		"photos.s3.amazonaws.com":               "",
	} {
		got, ok := s.BucketFromHost(host)
		if got != want || ok != (want != "") {
			t.Errorf("BucketFromHost(%q) = %q, %v; want %q", host, got, ok, want)
		}
	}
}
