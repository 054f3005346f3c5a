package s3

import (
	"bytes"
	"crypto/md5"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// payload is a request body as S3 takes it: decoded from aws-chunked if it was, complete, and
// checked against the Content-MD5 and x-amz-checksum-* the client sent.
type payload struct {
	data []byte
	md5  [16]byte
	// checksum is the client's checksum, verified; nil when it sent none.
	checksum *checksumValue
}

// readPayload reads r's body. S3 needs the size before the bytes (Content-Length, or
// x-amz-decoded-content-length for aws-chunked bodies): a body without one is refused as S3 refuses
// it, and a size above limit is refused before anything is read, with tooLarge's error.
func readPayload(r *http.Request, limit int64, tooLarge func(size int64) *awswire.Error) (*payload, *awswire.Error) {
	var (
		body     io.Reader = r.Body
		size     int64
		trailers http.Header
	)
	if r.Body == nil {
		body = http.NoBody
	}
	if isAWSChunked(r.Header) {
		decoded := r.Header.Get("X-Amz-Decoded-Content-Length")
		n, err := strconv.ParseInt(strings.TrimSpace(decoded), 10, 64)
		if err != nil || n < 0 {
			return nil, errMissingContentLength()
		}
		size = n
		cr := newChunkedReader(body)
		body, trailers = cr, cr.Trailers
	} else {
		if r.ContentLength < 0 {
			return nil, errMissingContentLength()
		}
		size = r.ContentLength
	}
	if size > limit {
		return nil, tooLarge(size)
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	if _, err := io.Copy(buf, io.LimitReader(body, size+1)); err != nil {
		if _, chunked := body.(*chunkedReader); chunked && !errors.Is(err, errChunkTruncated) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errMalformedChunk(err)
		}
		// The client sent less than it announced (or went away).
		return nil, errIncompleteBody()
	}
	if int64(buf.Len()) != size {
		return nil, errIncompleteBody()
	}
	if cr, ok := body.(*chunkedReader); ok {
		// The payload is complete; read on to the end so that the trailers are in.
		if n, err := io.Copy(io.Discard, cr); err != nil {
			return nil, errMalformedChunk(err)
		} else if n > 0 {
			return nil, errIncompleteBody()
		}
	}
	p := &payload{data: buf.Bytes(), md5: md5.Sum(buf.Bytes())}
	if e := verifyContentMD5(r.Header, p.md5); e != nil {
		return nil, e
	}
	sum, e := requestedChecksum(r.Header, trailers)
	if e != nil {
		return nil, e
	}
	if sum != nil {
		if e := verifyChecksum(sum, p.data); e != nil {
			return nil, e
		}
		p.checksum = sum
	}
	return p, nil
}

// readXMLPayload reads a configuration document (DeleteObjects, PutBucketNotificationConfiguration,
// CompleteMultipartUpload, CreateBucket) into v; a body that is not the expected XML answers
// MalformedXML. An empty body leaves v alone when emptyOK.
func readXMLPayload(r *http.Request, v any, emptyOK bool) (*payload, *awswire.Error) {
	p, e := readPayload(r, maxXMLBody, func(int64) *awswire.Error { return errMalformedXML() })
	if e != nil {
		return nil, e
	}
	if len(bytes.TrimSpace(p.data)) == 0 && emptyOK {
		return p, nil
	}
	if err := awswire.DecodeXML(p.data, v); err != nil {
		return nil, errMalformedXML()
	}
	return p, nil
}
