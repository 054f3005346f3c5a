package s3

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// GetObjectInput is GetObject's (and HeadObject's) request.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
type GetObjectInput struct {
	Bucket, Key string
	Head        bool
	Range       string
	PartNumber  int
	// Conditions (RFC 7232, as S3 evaluates them).
	IfMatch, IfNoneMatch             string
	IfModifiedSince, IfUnmodifiedSin time.Time
	ChecksumMode                     bool
}

// GetObjectOutput is the object (or the requested range of it) and its metadata.
type GetObjectOutput struct {
	Object *objectRecord
	Body   []byte // nil for HEAD
	// Start and End delimit a partial answer (206); Partial is false for the whole object.
	Start, End int64
	Partial    bool
	PartsCount int
}

func (s *Service) handleGetObject(c *call) *awswire.Error {
	in := &GetObjectInput{
		Bucket: c.bucket, Key: c.key, Head: c.r.Method == http.MethodHead,
		Range: c.r.Header.Get("Range"), IfMatch: c.r.Header.Get("If-Match"), IfNoneMatch: c.r.Header.Get("If-None-Match"),
		ChecksumMode: strings.EqualFold(c.r.Header.Get("X-Amz-Checksum-Mode"), "ENABLED"),
	}
	if v := c.r.Header.Get("If-Modified-Since"); v != "" {
		in.IfModifiedSince, _ = http.ParseTime(v)
	}
	if v := c.r.Header.Get("If-Unmodified-Since"); v != "" {
		in.IfUnmodifiedSin, _ = http.ParseTime(v)
	}
	if v := c.q.Get("partNumber"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxParts {
			return errInvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", v)
		}
		if in.Range != "" {
			return errInvalidRequest("Cannot specify both Range header and partNumber query parameter")
		}
		in.PartNumber = n
	}
	if c.q.Has("versionId") && c.q.Get("versionId") != "null" {
		return errNotImplemented("object versions (versionId)")
	}
	if c.r.Header.Get("X-Amz-Server-Side-Encryption-Customer-Algorithm") != "" {
		return errNotImplemented("server-side encryption with customer-provided keys")
	}
	out, e := s.GetObject(in)
	if e != nil {
		if e.Status == http.StatusNotModified || e.Status == http.StatusPreconditionFailed {
			// S3 still tells the client which version it compared against.
			if out != nil {
				writeObjectHeaders(c.w.Header(), out.Object, false)
			}
		}
		return e
	}
	o := out.Object
	h := c.w.Header()
	writeObjectHeaders(h, o, in.ChecksumMode && !out.Partial)
	overrideResponseHeaders(h, c.q)
	h.Set("Accept-Ranges", "bytes")
	status := http.StatusOK
	length := o.Size
	if out.Partial {
		status = http.StatusPartialContent
		length = out.End - out.Start + 1
		h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", out.Start, out.End, o.Size))
	}
	if out.PartsCount > 0 {
		h.Set("X-Amz-Mp-Parts-Count", strconv.Itoa(out.PartsCount))
	}
	h.Set("Content-Length", strconv.FormatInt(length, 10))
	c.w.WriteHeader(status)
	if !in.Head {
		c.w.Write(out.Body)
	}
	return nil
}

// GetObject returns an object or a range of it, after evaluating the request's conditions.
// On 304 and 412 the object is returned with the error, for its headers.
func (s *Service) GetObject(in *GetObjectInput) (*GetObjectOutput, *awswire.Error) {
	out := &GetObjectOutput{}
	var data []byte
	err := s.store.View(func(tx *store.Tx) error {
		if !tx.Has(bucketsBucket, in.Bucket) {
			return abort(errNoSuchBucket(in.Bucket))
		}
		o, err := getObject(tx, in.Bucket, in.Key)
		if errors.Is(err, store.ErrNotFound) {
			return abort(errNoSuchKey(in.Key))
		}
		if err != nil {
			return err
		}
		out.Object = o
		if in.Head || o.Size == 0 {
			return nil
		}
		data, err = objectData(tx, in.Bucket, in.Key)
		return err
	})
	if e := txError(err); e != nil {
		return nil, e
	}
	o := out.Object
	if e := checkConditions(in, o); e != nil {
		return out, e
	}
	out.Start, out.End = 0, o.Size-1
	switch {
	case in.PartNumber > 0:
		start, end, count, e := partRange(o, in.PartNumber)
		if e != nil {
			return nil, e
		}
		out.Start, out.End, out.PartsCount, out.Partial = start, end, count, true
	case in.Range != "":
		start, end, ok, e := parseRange(in.Range, o.Size)
		if e != nil {
			return nil, e
		}
		if ok {
			out.Start, out.End, out.Partial = start, end, true
		}
	}
	if !in.Head && data != nil {
		if out.Partial {
			data = data[out.Start : out.End+1]
		}
		out.Body = data
	}
	if in.Head || out.Body == nil {
		out.Body = []byte{}
	}
	return out, nil
}

// checkConditions evaluates If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since in
// RFC 7232's order, which is how S3 answers them together: a true If-Match overrides a false
// If-Unmodified-Since, and a false If-None-Match overrides a true If-Modified-Since.
func checkConditions(in *GetObjectInput, o *objectRecord) *awswire.Error {
	if in.IfMatch != "" {
		if !etagMatches(in.IfMatch, o.ETag) {
			return errPreconditionFailed("If-Match")
		}
	} else if !in.IfUnmodifiedSin.IsZero() && o.LastModified.After(in.IfUnmodifiedSin) {
		return errPreconditionFailed("If-Unmodified-Since")
	}
	if in.IfNoneMatch != "" {
		if etagMatches(in.IfNoneMatch, o.ETag) {
			return errNotModified()
		}
	} else if !in.IfModifiedSince.IsZero() && !o.LastModified.After(in.IfModifiedSince) {
		return errNotModified()
	}
	return nil
}

// parseRange reads a single-range "bytes=" header. ok is false for a header S3 ignores (not a byte
// range, or several ranges, which S3 does not serve: it answers the whole object); a range that
// starts beyond the object is 416.
func parseRange(header string, size int64) (start, end int64, ok bool, e *awswire.Error) {
	spec, found := strings.CutPrefix(strings.TrimSpace(header), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false, nil
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, 0, false, nil
	}
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)
	switch {
	case first == "" && last == "":
		return 0, 0, false, nil
	case first == "":
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n < 0 {
			return 0, 0, false, nil
		}
		if n == 0 || size == 0 {
			return 0, 0, false, errInvalidRange(header, size)
		}
		if n > size {
			n = size
		}
		return size - n, size - 1, true, nil
	}
	a, err := strconv.ParseInt(first, 10, 64)
	if err != nil || a < 0 {
		return 0, 0, false, nil
	}
	b := size - 1
	if last != "" {
		b, err = strconv.ParseInt(last, 10, 64)
		if err != nil || b < a {
			return 0, 0, false, nil
		}
	}
	if a >= size {
		return 0, 0, false, errInvalidRange(header, size)
	}
	if b >= size {
		b = size - 1
	}
	return a, b, true, nil
}

// partRange is the byte range of part n of an object; an object not uploaded in parts has one part.
func partRange(o *objectRecord, n int) (start, end int64, count int, e *awswire.Error) {
	sizes := o.PartSizes
	if len(sizes) == 0 {
		sizes = []int64{o.Size}
	}
	if n > len(sizes) {
		return 0, 0, 0, errInvalidPartNumber(n, len(sizes))
	}
	for i := 0; i < n-1; i++ {
		start += sizes[i]
	}
	end = start + sizes[n-1] - 1
	return start, end, len(sizes), nil
}

func errInvalidPartNumber(n, count int) *awswire.Error {
	return awswire.Errorf(http.StatusRequestedRangeNotSatisfiable, "InvalidPartNumber", "The requested partnumber is not satisfiable").
		WithField("PartNumberRequested", strconv.Itoa(n)).WithField("ActualPartCount", strconv.Itoa(count))
}

// writeObjectHeaders sets the headers every GET and HEAD of an object carries.
func writeObjectHeaders(h http.Header, o *objectRecord, withChecksum bool) {
	h.Set("ETag", o.ETag)
	h.Set("Last-Modified", o.LastModified.UTC().Format(http.TimeFormat))
	h.Set("Content-Type", o.ContentType)
	for name, v := range map[string]string{
		"Content-Encoding": o.ContentEncoding, "Content-Disposition": o.ContentDisposition,
		"Content-Language": o.ContentLanguage, "Cache-Control": o.CacheControl, "Expires": o.Expires,
		"X-Amz-Website-Redirect-Location": o.WebsiteRedirect,
	} {
		if v != "" {
			h.Set(name, v)
		}
	}
	if o.StorageClass != "" && o.StorageClass != defaultStorage {
		h.Set("X-Amz-Storage-Class", o.StorageClass)
	}
	h.Set("X-Amz-Server-Side-Encryption", "AES256")
	for k, v := range o.Metadata {
		// S3 sends user metadata names in lower case; set the map directly so that net/http does
		// not canonicalise them.
		h["x-amz-meta-"+k] = []string{v}
	}
	if n := tagCount(o.Tagging); n > 0 {
		h.Set("X-Amz-Tagging-Count", strconv.Itoa(n))
	}
	if withChecksum && o.Checksum != nil {
		h.Set(o.Checksum.header(), o.Checksum.Value)
		h.Set("X-Amz-Checksum-Type", o.Checksum.Type)
	}
}

// overrideResponseHeaders applies GetObject's response-* query parameters.
func overrideResponseHeaders(h http.Header, q map[string][]string) {
	for param, header := range map[string]string{
		"response-content-type": "Content-Type", "response-content-language": "Content-Language",
		"response-expires": "Expires", "response-cache-control": "Cache-Control",
		"response-content-disposition": "Content-Disposition", "response-content-encoding": "Content-Encoding",
	} {
		if v, ok := q[param]; ok && len(v) > 0 {
			h.Set(header, v[0])
		}
	}
}
