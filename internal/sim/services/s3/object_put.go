package s3

import (
	"encoding/hex"
	"errors"
	"net/http"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// PutObjectInput is PutObject's request: the verified body and the object's metadata headers.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
type PutObjectInput struct {
	Bucket, Key string
	Body        *payload
	Meta        objectHeaders
	// IfMatch and IfNoneMatch make the write conditional (IfNoneMatch: "*" only, as on S3).
	IfMatch, IfNoneMatch string
	Requester            requester
}

// PutObjectOutput is PutObject's answer (headers only).
type PutObjectOutput struct {
	ETag     string
	Checksum *checksumValue
}

// objectHeaders are the object metadata a write sets from its request headers.
type objectHeaders struct {
	ContentType, ContentEncoding, ContentDisposition, ContentLanguage, CacheControl, Expires string
	WebsiteRedirect, StorageClass, Tagging                                                   string
	Metadata                                                                                 map[string]string
}

// requester is who made a request, for event records.
type requester struct {
	RequestID, HostID, SourceIP, PrincipalID string
}

func (c *call) requester() requester {
	rq := requester{RequestID: c.reqID, HostID: c.hostID, SourceIP: sourceIP(c.r), PrincipalID: "Anonymous"}
	if cred, ok := awswire.ParseCredential(c.r); ok {
		rq.PrincipalID = "AWS:" + cred.AccessKeyID
	}
	return rq
}

// storageClasses are the classes an object may be stored in and read back at once. The archive
// classes (GLACIER, DEEP_ARCHIVE) need restores the simulator does not model.
var storageClasses = map[string]bool{
	"STANDARD": true, "REDUCED_REDUNDANCY": true, "STANDARD_IA": true, "ONEZONE_IA": true,
	"INTELLIGENT_TIERING": true, "GLACIER_IR": true,
}

var archiveClasses = map[string]bool{"GLACIER": true, "DEEP_ARCHIVE": true, "OUTPOSTS": true, "SNOW": true,
	"EXPRESS_ONEZONE": true, "FSX_OPENZFS": true, "FSX_ONTAP": true}

// readObjectHeaders reads the metadata headers of PutObject, CopyObject (with REPLACE) and
// CreateMultipartUpload, refusing the features the simulator does not model.
func readObjectHeaders(h http.Header) (objectHeaders, *awswire.Error) {
	m := objectHeaders{
		ContentType:        h.Get("Content-Type"),
		ContentEncoding:    storedContentEncoding(h),
		ContentDisposition: h.Get("Content-Disposition"),
		ContentLanguage:    h.Get("Content-Language"),
		CacheControl:       h.Get("Cache-Control"),
		Expires:            h.Get("Expires"),
		WebsiteRedirect:    h.Get("X-Amz-Website-Redirect-Location"),
		StorageClass:       h.Get("X-Amz-Storage-Class"),
		Tagging:            h.Get("X-Amz-Tagging"),
	}
	switch {
	case m.StorageClass == "" || storageClasses[m.StorageClass]:
	case archiveClasses[m.StorageClass]:
		return m, errNotImplemented("the " + m.StorageClass + " storage class")
	default:
		return m, awswire.Errorf(http.StatusBadRequest, "InvalidStorageClass", "The storage class you specified is not valid").
			WithField("StorageClassRequested", m.StorageClass)
	}
	if sse := h.Get("X-Amz-Server-Side-Encryption"); sse != "" && sse != "AES256" {
		return m, errNotImplemented("server-side encryption with " + sse)
	}
	if h.Get("X-Amz-Server-Side-Encryption-Customer-Algorithm") != "" {
		return m, errNotImplemented("server-side encryption with customer-provided keys")
	}
	for _, name := range []string{"X-Amz-Object-Lock-Mode", "X-Amz-Object-Lock-Retain-Until-Date", "X-Amz-Object-Lock-Legal-Hold"} {
		if h.Get(name) != "" {
			return m, errNotImplemented("S3 Object Lock")
		}
	}
	if h.Get("X-Amz-Write-Offset-Bytes") != "" {
		return m, errNotImplemented("appends (x-amz-write-offset-bytes)")
	}
	if acl := h.Get("X-Amz-Acl"); acl != "" && acl != "private" && acl != "bucket-owner-full-control" {
		return m, errNotImplemented("object ACLs other than private")
	}
	size := 0
	for name, values := range h {
		lower := strings.ToLower(name)
		key, ok := strings.CutPrefix(lower, "x-amz-meta-")
		if !ok || len(values) == 0 {
			continue
		}
		if m.Metadata == nil {
			m.Metadata = map[string]string{}
		}
		m.Metadata[key] = strings.Join(values, ",")
		size += len(key) + len(m.Metadata[key])
	}
	if size > maxMetadataSize {
		return m, errMetadataTooLarge(size)
	}
	return m, nil
}

func (s *Service) handlePutObject(c *call) *awswire.Error {
	if len(c.key) > maxKeyLength {
		return errKeyTooLong(len(c.key))
	}
	meta, e := readObjectHeaders(c.r.Header)
	if e != nil {
		return e
	}
	if v := c.r.Header.Get("If-None-Match"); v != "" && v != "*" {
		return errNotImplemented("If-None-Match values other than * on PutObject")
	}
	body, e := readPayload(c.r, s.cfg.MaxObjectSize, func(size int64) *awswire.Error { return errEntityTooLarge(size, s.cfg.MaxObjectSize) })
	if e != nil {
		return e
	}
	out, e := s.PutObject(&PutObjectInput{
		Bucket: c.bucket, Key: c.key, Body: body, Meta: meta,
		IfMatch: c.r.Header.Get("If-Match"), IfNoneMatch: c.r.Header.Get("If-None-Match"),
		Requester: c.requester(),
	})
	if e != nil {
		return e
	}
	h := c.w.Header()
	h.Set("ETag", out.ETag)
	h.Set("X-Amz-Server-Side-Encryption", "AES256")
	h.Set(out.Checksum.header(), out.Checksum.Value)
	h.Set("X-Amz-Checksum-Type", out.Checksum.Type)
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// PutObject stores an object, replacing any object under its key, and records the
// s3:ObjectCreated:Put notifications the bucket's configuration asks for in the same transaction.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
func (s *Service) PutObject(in *PutObjectInput) (*PutObjectOutput, *awswire.Error) {
	sum := in.Body.checksum
	if sum == nil {
		// S3 computes a CRC64NVME checksum for every upload that carries none (since Dec 2024,
		// checking-object-integrity.html), and returns it like a client's.
		sum = &checksumValue{Algorithm: "CRC64NVME", Value: computeChecksum("CRC64NVME", in.Body.data), Type: "FULL_OBJECT"}
	}
	obj := &objectRecord{
		Key: in.Key, Size: int64(len(in.Body.data)), ETag: quoteETag(hex.EncodeToString(in.Body.md5[:])),
		LastModified: s.objectTime(), Checksum: sum,
	}
	obj.setHeaders(in.Meta)
	err := s.store.Update(func(tx *store.Tx) error {
		b, err := getBucket(tx, in.Bucket)
		if errors.Is(err, store.ErrNotFound) {
			return abort(errNoSuchBucket(in.Bucket))
		}
		if err != nil {
			return err
		}
		if in.IfMatch != "" || in.IfNoneMatch != "" {
			old, err := getObject(tx, in.Bucket, in.Key)
			switch {
			case errors.Is(err, store.ErrNotFound) && in.IfMatch != "":
				return abort(errNoSuchKey(in.Key))
			case err != nil && !errors.Is(err, store.ErrNotFound):
				return err
			case err == nil && in.IfNoneMatch == "*":
				return abort(errPreconditionFailed("If-None-Match"))
			case err == nil && in.IfMatch != "" && !etagMatches(in.IfMatch, old.ETag):
				return abort(errPreconditionFailed("If-Match"))
			}
		}
		if err := putObjectState(tx, in.Bucket, obj, in.Body.data); err != nil {
			return err
		}
		return s.enqueueObjectEvent(tx, b, objectEvent{Name: "ObjectCreated:Put", Reason: "PutObject", Object: obj, Requester: in.Requester})
	})
	if e := txError(err); e != nil {
		return nil, e
	}
	s.signal()
	return &PutObjectOutput{ETag: obj.ETag, Checksum: sum}, nil
}

// setHeaders copies the metadata of a write onto the object, with S3's defaults.
func (o *objectRecord) setHeaders(m objectHeaders) {
	o.ContentType = m.ContentType
	if o.ContentType == "" {
		o.ContentType = defaultObjectType
	}
	o.ContentEncoding, o.ContentDisposition, o.ContentLanguage = m.ContentEncoding, m.ContentDisposition, m.ContentLanguage
	o.CacheControl, o.Expires, o.WebsiteRedirect, o.Tagging = m.CacheControl, m.Expires, m.WebsiteRedirect, m.Tagging
	o.StorageClass, o.Metadata = m.StorageClass, m.Metadata
	if o.StorageClass == "" {
		o.StorageClass = defaultStorage
	}
}

// txAbort carries an S3 error out of a store transaction, rolling it back.
type txAbort struct{ e *awswire.Error }

func (t txAbort) Error() string { return t.e.Error() }

func abort(e *awswire.Error) error { return txAbort{e} }

// txError turns a transaction's error into the answer: the S3 error it aborted with, or an
// internal error.
func txError(err error) *awswire.Error {
	if err == nil {
		return nil
	}
	var a txAbort
	if errors.As(err, &a) {
		return a.e
	}
	return errInternal(err)
}
