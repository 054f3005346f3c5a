package s3

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

func mustCreateBucket(t *testing.T, c *awss3.Client, name string) {
	t.Helper()
	if _, err := c.CreateBucket(ctx(), &awss3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
}

func getBody(t *testing.T, c *awss3.Client, bucket, key string) (string, *awss3.GetObjectOutput) {
	t.Helper()
	out, err := c.GetObject(ctx(), &awss3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get %s/%s: %v", bucket, key, err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(data), out
}

func statusOf(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

func TestS3_putGetHeadDelete(t *testing.T) {
	e := newEnv(t)
	c := e.client
	mustCreateBucket(t, c, "objs")
	body := "hello, simulated world"
	sum := md5.Sum([]byte(body))
	put, err := c.PutObject(ctx(), &awss3.PutObjectInput{
		Bucket: aws.String("objs"), Key: aws.String("dir/hello world+1.txt"), Body: strings.NewReader(body),
		ContentType: aws.String("text/plain"), ContentMD5: aws.String(base64.StdEncoding.EncodeToString(sum[:])),
		Metadata: map[string]string{"Color": "blue", "size": "L"}, CacheControl: aws.String("max-age=60"),
		Tagging: aws.String("a=1&b=two"),
	})
	if err != nil {
		t.Fatal(err)
	}
	wantETag := `"` + hex.EncodeToString(sum[:]) + `"`
	if aws.ToString(put.ETag) != wantETag {
		t.Fatalf("etag %s want %s", aws.ToString(put.ETag), wantETag)
	}
	got, out := getBody(t, c, "objs", "dir/hello world+1.txt")
	if got != body || aws.ToString(out.ContentType) != "text/plain" || aws.ToString(out.ETag) != wantETag ||
		aws.ToInt64(out.ContentLength) != int64(len(body)) || aws.ToString(out.CacheControl) != "max-age=60" {
		t.Fatalf("get: %q %+v", got, out)
	}
	if out.Metadata["color"] != "blue" || out.Metadata["size"] != "L" || len(out.Metadata) != 2 {
		t.Fatalf("metadata %v", out.Metadata)
	}
	if aws.ToInt32(out.TagCount) != 2 || out.LastModified == nil || !out.LastModified.Equal(testStart.Truncate(time.Second)) {
		t.Fatalf("tag count %v last modified %v", out.TagCount, out.LastModified)
	}
	tags, err := c.GetObjectTagging(ctx(), &awss3.GetObjectTaggingInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world+1.txt")})
	if err != nil || len(tags.TagSet) != 2 || aws.ToString(tags.TagSet[1].Value) != "two" {
		t.Fatalf("tags %v %+v", err, tags)
	}
	head, err := c.HeadObject(ctx(), &awss3.HeadObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world+1.txt")})
	if err != nil || aws.ToInt64(head.ContentLength) != int64(len(body)) || aws.ToString(head.ETag) != wantETag {
		t.Fatalf("head %v %+v", err, head)
	}

	// Ranges.
	for rng, want := range map[string]string{"bytes=0-4": "hello", "bytes=7-": "simulated world", "bytes=-5": "world", "bytes=17-100": "world"} {
		out, err := c.GetObject(ctx(), &awss3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world+1.txt"), Range: aws.String(rng)})
		if err != nil {
			t.Fatalf("%s: %v", rng, err)
		}
		data, _ := io.ReadAll(out.Body)
		out.Body.Close()
		if string(data) != want || !strings.HasPrefix(aws.ToString(out.ContentRange), "bytes ") {
			t.Errorf("%s: %q %q", rng, data, aws.ToString(out.ContentRange))
		}
	}
	_, err = c.GetObject(ctx(), &awss3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world+1.txt"), Range: aws.String("bytes=100-")})
	if errorCode(err) != "InvalidRange" || statusOf(err) != http.StatusRequestedRangeNotSatisfiable {
		t.Fatalf("range past the end: %v", err)
	}

	// Conditions.
	_, err = c.GetObject(ctx(), &awss3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world+1.txt"), IfNoneMatch: aws.String(wantETag)})
	if statusOf(err) != http.StatusNotModified {
		t.Fatalf("if-none-match: %v", err)
	}
	_, err = c.GetObject(ctx(), &awss3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world+1.txt"), IfMatch: aws.String(`"0000"`)})
	if errorCode(err) != "PreconditionFailed" || statusOf(err) != http.StatusPreconditionFailed {
		t.Fatalf("if-match: %v", err)
	}
	if _, err := c.GetObject(ctx(), &awss3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world+1.txt"), IfMatch: aws.String(wantETag)}); err != nil {
		t.Fatalf("if-match true: %v", err)
	}
	_, err = c.GetObject(ctx(), &awss3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world+1.txt"), IfModifiedSince: aws.Time(testStart.Add(time.Hour))})
	if statusOf(err) != http.StatusNotModified {
		t.Fatalf("if-modified-since: %v", err)
	}
	// Conditional writes: If-None-Match: * refuses to overwrite.
	_, err = c.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world+1.txt"), Body: strings.NewReader("x"), IfNoneMatch: aws.String("*")})
	if errorCode(err) != "PreconditionFailed" {
		t.Fatalf("put if-none-match: %v", err)
	}

	// Integrity.
	_, err = c.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("objs"), Key: aws.String("bad"), Body: strings.NewReader("abc"),
		ContentMD5: aws.String(base64.StdEncoding.EncodeToString(sum[:]))})
	if errorCode(err) != "BadDigest" {
		t.Fatalf("bad md5: %v", err)
	}
	_, err = c.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("objs"), Key: aws.String("bad"), Body: strings.NewReader("abc"), ContentMD5: aws.String("nope")})
	if errorCode(err) != "InvalidDigest" {
		t.Fatalf("invalid md5: %v", err)
	}
	_, err = c.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("objs"), Key: aws.String(strings.Repeat("k", 1025)), Body: strings.NewReader("abc")})
	if errorCode(err) != "KeyTooLongError" {
		t.Fatalf("long key: %v", err)
	}
	_, err = c.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("nobucket"), Key: aws.String("k"), Body: strings.NewReader("abc")})
	if errorCode(err) != "NoSuchBucket" {
		t.Fatalf("put into a missing bucket: %v", err)
	}

	// Empty objects.
	if _, err := c.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("objs"), Key: aws.String("empty")}); err != nil {
		t.Fatal(err)
	}
	if got, out := getBody(t, c, "objs", "empty"); got != "" || aws.ToString(out.ETag) != `"d41d8cd98f00b204e9800998ecf8427e"` {
		t.Fatalf("empty: %q %s %s", got, aws.ToString(out.ETag), aws.ToString(out.ContentType))
	}

	// Without a Content-Type (the SDK always sends one) S3 stores binary/octet-stream.
	if resp, body := e.raw(http.MethodPut, "/objs/untyped", "x", nil); resp.StatusCode != 200 {
		t.Fatalf("raw put: %d %s", resp.StatusCode, body)
	}
	if _, out := getBody(t, c, "objs", "untyped"); aws.ToString(out.ContentType) != "binary/octet-stream" {
		t.Fatalf("default content type %q", aws.ToString(out.ContentType))
	}

	if _, err := c.DeleteObject(ctx(), &awss3.DeleteObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world+1.txt")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetObject(ctx(), &awss3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world+1.txt")})
	var nsk *types.NoSuchKey
	if !errors.As(err, &nsk) {
		t.Fatalf("get deleted: %v", err)
	}
	_, err = c.HeadObject(ctx(), &awss3.HeadObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world+1.txt")})
	var nf *types.NotFound
	if !errors.As(err, &nf) {
		t.Fatalf("head deleted: %v", err)
	}
	// Deleting what is not there succeeds.
	if _, err := c.DeleteObject(ctx(), &awss3.DeleteObjectInput{Bucket: aws.String("objs"), Key: aws.String("never")}); err != nil {
		t.Fatal(err)
	}
}

func TestS3_entityTooLarge(t *testing.T) {
	e := newEnv(t, withMaxObjectSize(1024))
	mustCreateBucket(t, e.client, "small")
	if _, err := e.client.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("small"), Key: aws.String("ok"), Body: bytes.NewReader(make([]byte, 1024))}); err != nil {
		t.Fatal(err)
	}
	_, err := e.client.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("small"), Key: aws.String("big"), Body: bytes.NewReader(make([]byte, 1025))})
	if errorCode(err) != "EntityTooLarge" {
		t.Fatalf("got %v", err)
	}
}

func TestS3_copyObject(t *testing.T) {
	e := newEnv(t)
	c := e.client
	mustCreateBucket(t, c, "src")
	mustCreateBucket(t, c, "dst")
	if _, err := c.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("src"), Key: aws.String("a b.txt"), Body: strings.NewReader("payload"),
		ContentType: aws.String("text/plain"), Metadata: map[string]string{"m": "1"}}); err != nil {
		t.Fatal(err)
	}
	out, err := c.CopyObject(ctx(), &awss3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("copy"), CopySource: aws.String("src/a%20b.txt")})
	if err != nil {
		t.Fatal(err)
	}
	sum := md5.Sum([]byte("payload"))
	if aws.ToString(out.CopyObjectResult.ETag) != `"`+hex.EncodeToString(sum[:])+`"` {
		t.Fatalf("etag %s", aws.ToString(out.CopyObjectResult.ETag))
	}
	got, o := getBody(t, c, "dst", "copy")
	if got != "payload" || aws.ToString(o.ContentType) != "text/plain" || o.Metadata["m"] != "1" {
		t.Fatalf("copy: %q %+v", got, o)
	}
	if _, err := c.CopyObject(ctx(), &awss3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("replaced"), CopySource: aws.String("/src/a%20b.txt"),
		MetadataDirective: types.MetadataDirectiveReplace, ContentType: aws.String("application/json"), Metadata: map[string]string{"n": "2"}}); err != nil {
		t.Fatal(err)
	}
	_, o = getBody(t, c, "dst", "replaced")
	if aws.ToString(o.ContentType) != "application/json" || o.Metadata["n"] != "2" || o.Metadata["m"] != "" {
		t.Fatalf("replace: %+v", o)
	}
	_, err = c.CopyObject(ctx(), &awss3.CopyObjectInput{Bucket: aws.String("src"), Key: aws.String("a b.txt"), CopySource: aws.String("src/a%20b.txt")})
	if errorCode(err) != "InvalidRequest" {
		t.Fatalf("copy onto itself: %v", err)
	}
	if _, err := c.CopyObject(ctx(), &awss3.CopyObjectInput{Bucket: aws.String("src"), Key: aws.String("a b.txt"), CopySource: aws.String("src/a%20b.txt"),
		MetadataDirective: types.MetadataDirectiveReplace}); err != nil {
		t.Fatalf("copy onto itself with REPLACE: %v", err)
	}
	_, err = c.CopyObject(ctx(), &awss3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("x"), CopySource: aws.String("src/missing")})
	if errorCode(err) != "NoSuchKey" {
		t.Fatalf("missing source: %v", err)
	}
	_, err = c.CopyObject(ctx(), &awss3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("x"), CopySource: aws.String("src/a%20b.txt"), CopySourceIfMatch: aws.String(`"nope"`)})
	if errorCode(err) != "PreconditionFailed" {
		t.Fatalf("copy-source-if-match: %v", err)
	}
	_, err = c.CopyObject(ctx(), &awss3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("x"), CopySource: aws.String("src/a%20b.txt"), MetadataDirective: "MOVE"})
	if errorCode(err) != "InvalidArgument" {
		t.Fatalf("bad directive: %v", err)
	}
}

func TestS3_deleteObjects(t *testing.T) {
	e := newEnv(t)
	c := e.client
	mustCreateBucket(t, c, "many")
	for _, k := range []string{"a", "b", "c"} {
		if _, err := c.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("many"), Key: aws.String(k), Body: strings.NewReader(k)}); err != nil {
			t.Fatal(err)
		}
	}
	out, err := c.DeleteObjects(ctx(), &awss3.DeleteObjectsInput{Bucket: aws.String("many"), Delete: &types.Delete{Objects: []types.ObjectIdentifier{
		{Key: aws.String("a")}, {Key: aws.String("zzz")},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Deleted) != 2 || len(out.Errors) != 0 {
		t.Fatalf("deleted %+v errors %+v", out.Deleted, out.Errors)
	}
	out, err = c.DeleteObjects(ctx(), &awss3.DeleteObjectsInput{Bucket: aws.String("many"), Delete: &types.Delete{Quiet: aws.Bool(true), Objects: []types.ObjectIdentifier{
		{Key: aws.String("b")}, {Key: aws.String("c"), ETag: aws.String(`"bad"`)},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Deleted) != 0 || len(out.Errors) != 1 || aws.ToString(out.Errors[0].Code) != "PreconditionFailed" {
		t.Fatalf("quiet: deleted %+v errors %+v", out.Deleted, out.Errors)
	}
	list, err := c.ListObjectsV2(ctx(), &awss3.ListObjectsV2Input{Bucket: aws.String("many")})
	if err != nil || len(list.Contents) != 1 || aws.ToString(list.Contents[0].Key) != "c" {
		t.Fatalf("left: %v %+v", err, list)
	}
	// Without Content-MD5 or a checksum S3 refuses the request.
	resp, body := e.raw(http.MethodPost, "/many?delete", `<Delete><Object><Key>c</Key></Object></Delete>`, nil)
	if resp.StatusCode != 400 || !strings.Contains(body, "<Code>InvalidRequest</Code>") {
		t.Fatalf("no md5: %d %s", resp.StatusCode, body)
	}
}

func TestS3_listObjects(t *testing.T) {
	e := newEnv(t)
	c := e.client
	mustCreateBucket(t, c, "tree")
	keys := []string{"a.txt", "photos/2024/1.jpg", "photos/2024/2.jpg", "photos/2025/1.jpg", "photos/index.html", "z z.txt", "zeta"}
	for _, k := range keys {
		if _, err := c.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("tree"), Key: aws.String(k), Body: strings.NewReader(k)}); err != nil {
			t.Fatal(err)
		}
	}
	list, err := c.ListObjectsV2(ctx(), &awss3.ListObjectsV2Input{Bucket: aws.String("tree"), Delimiter: aws.String("/")})
	if err != nil {
		t.Fatal(err)
	}
	if got := listed(list); got != "a.txt z z.txt zeta | photos/" {
		t.Fatalf("root: %s", got)
	}
	if aws.ToInt32(list.KeyCount) != 4 || aws.ToBool(list.IsTruncated) {
		t.Fatalf("key count %d truncated %v", aws.ToInt32(list.KeyCount), aws.ToBool(list.IsTruncated))
	}
	list, err = c.ListObjectsV2(ctx(), &awss3.ListObjectsV2Input{Bucket: aws.String("tree"), Prefix: aws.String("photos/"), Delimiter: aws.String("/")})
	if err != nil || listed(list) != "photos/index.html | photos/2024/ photos/2025/" {
		t.Fatalf("photos/: %v %s", err, listed(list))
	}
	c0 := list.Contents[0]
	if aws.ToInt64(c0.Size) != int64(len("photos/index.html")) || c0.StorageClass != types.ObjectStorageClassStandard || c0.LastModified == nil || c0.ETag == nil {
		t.Fatalf("entry %+v", c0)
	}
	list, err = c.ListObjectsV2(ctx(), &awss3.ListObjectsV2Input{Bucket: aws.String("tree"), StartAfter: aws.String("photos/2024/2.jpg")})
	if err != nil || listed(list) != "photos/2025/1.jpg photos/index.html z z.txt zeta |" {
		t.Fatalf("start-after: %v %s", err, listed(list))
	}

	// Pages of two, with the delimiter: items are keys and prefixes alike.
	var pages []string
	p := awss3.NewListObjectsV2Paginator(c, &awss3.ListObjectsV2Input{Bucket: aws.String("tree"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx())
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, listed(page))
	}
	if strings.Join(pages, " / ") != "a.txt | photos/ / z z.txt zeta |" {
		t.Fatalf("pages: %q", pages)
	}
	pages = nil
	p = awss3.NewListObjectsV2Paginator(c, &awss3.ListObjectsV2Input{Bucket: aws.String("tree"), MaxKeys: aws.Int32(3)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx())
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, listed(page))
	}
	if strings.Join(pages, " / ") != "a.txt photos/2024/1.jpg photos/2024/2.jpg | / photos/2025/1.jpg photos/index.html z z.txt | / zeta |" {
		t.Fatalf("pages: %q", pages)
	}

	// ListObjects (v1) pages by marker.
	v1, err := c.ListObjects(ctx(), &awss3.ListObjectsInput{Bucket: aws.String("tree"), MaxKeys: aws.Int32(2), Delimiter: aws.String("/")})
	if err != nil || !aws.ToBool(v1.IsTruncated) || aws.ToString(v1.NextMarker) != "photos/" {
		t.Fatalf("v1: %v %+v", err, v1)
	}
	v1, err = c.ListObjects(ctx(), &awss3.ListObjectsInput{Bucket: aws.String("tree"), Marker: v1.NextMarker, Delimiter: aws.String("/")})
	if err != nil || len(v1.Contents) != 2 || aws.ToString(v1.Contents[0].Key) != "z z.txt" || v1.Contents[0].Owner == nil {
		t.Fatalf("v1 page 2: %v %+v", err, v1)
	}

	// encoding-type=url, as the AWS CLI asks for it.
	resp, body := e.raw(http.MethodGet, "/tree?list-type=2&encoding-type=url&prefix=z", "", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "<Key>z%20z.txt</Key>") || !strings.Contains(body, "<EncodingType>url</EncodingType>") {
		t.Fatalf("encoded: %s", body)
	}
	if _, err := c.ListObjectsV2(ctx(), &awss3.ListObjectsV2Input{Bucket: aws.String("tree"), ContinuationToken: aws.String("!!")}); errorCode(err) != "InvalidArgument" {
		t.Fatalf("bad token: %v", err)
	}

	versions, err := c.ListObjectVersions(ctx(), &awss3.ListObjectVersionsInput{Bucket: aws.String("tree"), Prefix: aws.String("z")})
	if err != nil || len(versions.Versions) != 2 || aws.ToString(versions.Versions[0].VersionId) != "null" || !aws.ToBool(versions.Versions[0].IsLatest) {
		t.Fatalf("versions: %v %+v", err, versions)
	}
}

func listed(out *awss3.ListObjectsV2Output) string {
	var parts []string
	for _, o := range out.Contents {
		parts = append(parts, aws.ToString(o.Key))
	}
	parts = append(parts, "|")
	for _, p := range out.CommonPrefixes {
		parts = append(parts, aws.ToString(p.Prefix))
	}
	return strings.Join(parts, " ")
}
