package s3

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestS3_virtualHostedStyle drives the SDK with UsePathStyle false: it addresses the bucket as
// <bucket>.localhost:<port>, which the router hands to S3 by Host header.
func TestS3_virtualHostedStyle(t *testing.T) {
	e := newEnv(t)
	vc := e.newClient(false)
	if _, err := vc.CreateBucket(ctx(), &awss3.CreateBucketInput{Bucket: aws.String("vhost")}); err != nil {
		t.Fatal(err)
	}
	if _, err := vc.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("vhost"), Key: aws.String("dir/obj.txt"), Body: strings.NewReader("virtual")}); err != nil {
		t.Fatal(err)
	}
	got, _ := getBody(t, vc, "vhost", "dir/obj.txt")
	if got != "virtual" {
		t.Fatalf("got %q", got)
	}
	// The path-style client sees the same object.
	if got, _ := getBody(t, e.client, "vhost", "dir/obj.txt"); got != "virtual" {
		t.Fatalf("path-style got %q", got)
	}
	list, err := vc.ListObjectsV2(ctx(), &awss3.ListObjectsV2Input{Bucket: aws.String("vhost")})
	if err != nil || len(list.Contents) != 1 {
		t.Fatalf("list: %v %+v", err, list)
	}
	// And the requests really went virtual-hosted: the Host header named the bucket.
	resp, body := e.raw(http.MethodGet, "/dir/obj.txt", "", map[string]string{"Host": "vhost.s3.localhost:4566"})
	if resp.StatusCode != 200 || body != "virtual" {
		t.Fatalf("raw vhost: %d %s", resp.StatusCode, body)
	}
	// An unsigned request by Host header reaches S3 too (the router's Host stage comes first).
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/dir/obj.txt", nil)
	req.Host = "vhost.localhost"
	r, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != 200 || string(data) != "virtual" {
		t.Fatalf("unsigned vhost: %d %s", r.StatusCode, data)
	}
	// Hosts that belong to other services are not S3's: the router answers them itself.
	req, _ = http.NewRequest(http.MethodGet, e.srv.URL+"/", nil)
	req.Host = "abcdef.lambda-url.us-east-1.localhost"
	r, err = e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ = io.ReadAll(r.Body)
	r.Body.Close()
	if r.Header.Get("X-Amzn-Errortype") != "UnknownOperationException" || strings.Contains(string(data), "NoSuchBucket") {
		t.Fatalf("function URL host: %d %s", r.StatusCode, data)
	}
}

func TestS3_multipartUpload(t *testing.T) {
	e := newEnv(t)
	c := e.client
	mustCreateBucket(t, c, "mpu")
	e.putNotification(t, "mpu", `<QueueConfiguration><Queue>arn:aws:sqs:us-east-1:123456789012:q</Queue><Event>s3:ObjectCreated:CompleteMultipartUpload</Event></QueueConfiguration>`)
	create, err := c.CreateMultipartUpload(ctx(), &awss3.CreateMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("big.bin"),
		ContentType: aws.String("application/x-big"), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
	if err != nil {
		t.Fatal(err)
	}
	parts := [][]byte{bytes.Repeat([]byte("a"), minPartSize), bytes.Repeat([]byte("b"), minPartSize), []byte("tail")}
	var completed []types.CompletedPart
	var md5s []byte
	for i, p := range parts {
		out, err := c.UploadPart(ctx(), &awss3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("big.bin"), UploadId: create.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
		if err != nil {
			t.Fatalf("part %d: %v", i+1, err)
		}
		completed = append(completed, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32})
		sum := md5.Sum(p)
		md5s = append(md5s, sum[:]...)
	}
	lp, err := c.ListParts(ctx(), &awss3.ListPartsInput{Bucket: aws.String("mpu"), Key: aws.String("big.bin"), UploadId: create.UploadId})
	if err != nil || len(lp.Parts) != 3 || aws.ToInt64(lp.Parts[2].Size) != 4 {
		t.Fatalf("list parts: %v %+v", err, lp)
	}
	ups, err := c.ListMultipartUploads(ctx(), &awss3.ListMultipartUploadsInput{Bucket: aws.String("mpu")})
	if err != nil || len(ups.Uploads) != 1 {
		t.Fatalf("list uploads: %v %+v", err, ups)
	}
	// Parts out of order are refused.
	_, err = c.CompleteMultipartUpload(ctx(), &awss3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("big.bin"), UploadId: create.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{completed[1], completed[0]}}})
	if errorCode(err) != "InvalidPartOrder" {
		t.Fatalf("order: %v", err)
	}
	done, err := c.CompleteMultipartUpload(ctx(), &awss3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("big.bin"), UploadId: create.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: completed}})
	if err != nil {
		t.Fatal(err)
	}
	etagSum := md5.Sum(md5s)
	wantETag := fmt.Sprintf(`"%s-3"`, hex.EncodeToString(etagSum[:]))
	if aws.ToString(done.ETag) != wantETag {
		t.Fatalf("etag %s want %s", aws.ToString(done.ETag), wantETag)
	}
	got, out := getBody(t, c, "mpu", "big.bin")
	if got != string(bytes.Join(parts, nil)) || aws.ToString(out.ContentType) != "application/x-big" {
		t.Fatalf("object: %d bytes, type %s", len(got), aws.ToString(out.ContentType))
	}
	part2, err := c.GetObject(ctx(), &awss3.GetObjectInput{Bucket: aws.String("mpu"), Key: aws.String("big.bin"), PartNumber: aws.Int32(3)})
	if err != nil || aws.ToInt32(part2.PartsCount) != 3 {
		t.Fatalf("part 3: %v", err)
	}
	data, _ := io.ReadAll(part2.Body)
	part2.Body.Close()
	if string(data) != "tail" {
		t.Fatalf("part 3 = %q", data)
	}
	if _, err := c.AbortMultipartUpload(ctx(), &awss3.AbortMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("big.bin"), UploadId: create.UploadId}); errorCode(err) != "NoSuchUpload" {
		t.Fatalf("abort completed: %v", err)
	}
	waitFor(t, "the CompleteMultipartUpload event", func() bool { return len(e.recorder("sqs").objectEvents()) == 1 })
	rec := decodeEvent(t, e.recorder("sqs").objectEvents()[0])
	if rec.EventName != "ObjectCreated:CompleteMultipartUpload" || rec.S3.Object.Size != int64(len(got)) || rec.S3.Object.ETag != strings.Trim(wantETag, `"`) {
		t.Fatalf("event %+v", rec)
	}

	// Abort removes an upload; a too-small part is refused at completion.
	up2, err := c.CreateMultipartUpload(ctx(), &awss3.CreateMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("small")})
	if err != nil {
		t.Fatal(err)
	}
	var small []types.CompletedPart
	for i := 1; i <= 2; i++ {
		out, err := c.UploadPart(ctx(), &awss3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("small"), UploadId: up2.UploadId, PartNumber: aws.Int32(int32(i)), Body: strings.NewReader("tiny")})
		if err != nil {
			t.Fatal(err)
		}
		small = append(small, types.CompletedPart{PartNumber: aws.Int32(int32(i)), ETag: out.ETag})
	}
	_, err = c.CompleteMultipartUpload(ctx(), &awss3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("small"), UploadId: up2.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: small}})
	if errorCode(err) != "EntityTooSmall" {
		t.Fatalf("small parts: %v", err)
	}
	if _, err := c.AbortMultipartUpload(ctx(), &awss3.AbortMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("small"), UploadId: up2.UploadId}); err != nil {
		t.Fatal(err)
	}
	_, err = c.UploadPart(ctx(), &awss3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("small"), UploadId: up2.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("x")})
	var nsu *types.NoSuchUpload
	if errorCode(err) != "NoSuchUpload" && !asErr(err, &nsu) {
		t.Fatalf("part after abort: %v", err)
	}
}
