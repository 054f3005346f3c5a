package s3

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// CopyObjectInput is CopyObject's request.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
type CopyObjectInput struct {
	Bucket, Key             string
	SourceBucket, SourceKey string
	// MetadataDirective is COPY (keep the source's metadata) or REPLACE (take Meta).
	MetadataDirective string
	TaggingDirective  string
	Meta              objectHeaders
	// ChecksumAlgorithm asks for a new checksum of the copy; empty keeps the source's.
	ChecksumAlgorithm string
	// Conditions on the source (x-amz-copy-source-if-*).
	IfMatch, IfNoneMatch             string
	IfModifiedSince, IfUnmodifiedSin time.Time
	Requester                        requester
}

// CopyObjectResult is CopyObject's answer.
type CopyObjectResult struct {
	XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyObjectResult"`
	LastModified string   `xml:"LastModified"`
	ETag         string   `xml:"ETag"`
	ChecksumFields
}

// ChecksumFields are the checksum members of CopyObject's and CompleteMultipartUpload's answers.
type ChecksumFields struct {
	ChecksumType      string `xml:"ChecksumType,omitempty"`
	ChecksumCRC32     string `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C    string `xml:"ChecksumCRC32C,omitempty"`
	ChecksumCRC64NVME string `xml:"ChecksumCRC64NVME,omitempty"`
	ChecksumSHA1      string `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256    string `xml:"ChecksumSHA256,omitempty"`
	ChecksumSHA512    string `xml:"ChecksumSHA512,omitempty"`
	ChecksumMD5       string `xml:"ChecksumMD5,omitempty"`
}

func (r *ChecksumFields) setChecksum(c *checksumValue) {
	if c == nil {
		return
	}
	r.ChecksumType = c.Type
	switch c.Algorithm {
	case "CRC32":
		r.ChecksumCRC32 = c.Value
	case "CRC32C":
		r.ChecksumCRC32C = c.Value
	case "CRC64NVME":
		r.ChecksumCRC64NVME = c.Value
	case "SHA1":
		r.ChecksumSHA1 = c.Value
	case "SHA256":
		r.ChecksumSHA256 = c.Value
	case "SHA512":
		r.ChecksumSHA512 = c.Value
	case "MD5":
		r.ChecksumMD5 = c.Value
	}
}

// parseCopySource reads x-amz-copy-source: "<bucket>/<key>" or "/<bucket>/<key>", URL-encoded,
// optionally with "?versionId=".
func parseCopySource(v string) (bucket, key, versionID string, ok bool) {
	path, query, _ := strings.Cut(v, "?")
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil {
			return "", "", "", false
		}
		versionID = q.Get("versionId")
	}
	decoded, err := url.PathUnescape(path)
	if err != nil {
		return "", "", "", false
	}
	decoded = strings.TrimPrefix(decoded, "/")
	bucket, key, found := strings.Cut(decoded, "/")
	if !found || bucket == "" || key == "" {
		return "", "", "", false
	}
	return bucket, key, versionID, true
}

func (s *Service) handleCopyObject(c *call) *awswire.Error {
	if len(c.key) > maxKeyLength {
		return errKeyTooLong(len(c.key))
	}
	srcBucket, srcKey, version, ok := parseCopySource(c.r.Header.Get("X-Amz-Copy-Source"))
	if !ok {
		return errInvalidCopySource()
	}
	if version != "" && version != "null" {
		return errNotImplemented("object versions (versionId)")
	}
	in := &CopyObjectInput{
		Bucket: c.bucket, Key: c.key, SourceBucket: srcBucket, SourceKey: srcKey,
		MetadataDirective: c.r.Header.Get("X-Amz-Metadata-Directive"),
		TaggingDirective:  c.r.Header.Get("X-Amz-Tagging-Directive"),
		ChecksumAlgorithm: strings.ToUpper(c.r.Header.Get("X-Amz-Checksum-Algorithm")),
		IfMatch:           c.r.Header.Get("X-Amz-Copy-Source-If-Match"),
		IfNoneMatch:       c.r.Header.Get("X-Amz-Copy-Source-If-None-Match"),
		Requester:         c.requester(),
	}
	if v := c.r.Header.Get("X-Amz-Copy-Source-If-Modified-Since"); v != "" {
		in.IfModifiedSince, _ = http.ParseTime(v)
	}
	if v := c.r.Header.Get("X-Amz-Copy-Source-If-Unmodified-Since"); v != "" {
		in.IfUnmodifiedSin, _ = http.ParseTime(v)
	}
	switch in.MetadataDirective {
	case "":
		in.MetadataDirective = "COPY"
	case "COPY", "REPLACE":
	default:
		return errInvalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", in.MetadataDirective)
	}
	switch in.TaggingDirective {
	case "":
		in.TaggingDirective = "COPY"
	case "COPY", "REPLACE":
	default:
		return errInvalidArgument("Unknown tagging directive.", "x-amz-tagging-directive", in.TaggingDirective)
	}
	if in.ChecksumAlgorithm != "" && checksumAlgorithms[in.ChecksumAlgorithm] == nil {
		return errInvalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
	}
	meta, e := readObjectHeaders(c.r.Header)
	if e != nil {
		return e
	}
	in.Meta = meta
	out, e := s.CopyObject(in)
	if e != nil {
		return e
	}
	awswire.WriteXML(c.w, http.StatusOK, out)
	return nil
}

// CopyObject copies an object within the simulator, producing s3:ObjectCreated:Copy.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
func (s *Service) CopyObject(in *CopyObjectInput) (*CopyObjectResult, *awswire.Error) {
	var result *CopyObjectResult
	err := s.store.Update(func(tx *store.Tx) error {
		if !tx.Has(bucketsBucket, in.SourceBucket) {
			return abort(errNoSuchBucket(in.SourceBucket))
		}
		src, err := getObject(tx, in.SourceBucket, in.SourceKey)
		if errors.Is(err, store.ErrNotFound) {
			return abort(errNoSuchKey(in.SourceKey))
		}
		if err != nil {
			return err
		}
		cond := &GetObjectInput{IfMatch: in.IfMatch, IfNoneMatch: in.IfNoneMatch, IfModifiedSince: in.IfModifiedSince, IfUnmodifiedSin: in.IfUnmodifiedSin}
		if e := checkConditions(cond, src); e != nil {
			// A copy source that fails x-amz-copy-source-if-none-match or -if-modified-since is a
			// failed precondition too, not "not modified".
			if e.Status == http.StatusNotModified {
				e = errPreconditionFailed("x-amz-copy-source-If-None-Match")
			}
			return abort(e)
		}
		dstBucket, err := getBucket(tx, in.Bucket)
		if errors.Is(err, store.ErrNotFound) {
			return abort(errNoSuchBucket(in.Bucket))
		}
		if err != nil {
			return err
		}
		if in.SourceBucket == in.Bucket && in.SourceKey == in.Key && in.MetadataDirective == "COPY" &&
			in.Meta.StorageClass == "" && in.Meta.WebsiteRedirect == "" && in.ChecksumAlgorithm == "" {
			return abort(errCopyToItself())
		}
		data := []byte{}
		if src.Size > 0 {
			if data, err = objectData(tx, in.SourceBucket, in.SourceKey); err != nil {
				return err
			}
		}
		dst := *src
		dst.Key, dst.LastModified, dst.PartSizes = in.Key, s.objectTime(), nil
		if len(src.PartSizes) > 0 {
			// CopyObject writes the copy in one piece: its ETag is the MD5 of the bytes.
			sum := md5.Sum(data)
			dst.ETag = quoteETag(hex.EncodeToString(sum[:]))
		}
		if in.MetadataDirective == "REPLACE" {
			tagging := dst.Tagging
			dst.setHeaders(in.Meta)
			dst.Tagging = tagging
		} else if in.Meta.StorageClass != "" {
			dst.StorageClass = in.Meta.StorageClass
		}
		if in.TaggingDirective == "REPLACE" {
			dst.Tagging = in.Meta.Tagging
		}
		if in.ChecksumAlgorithm != "" {
			dst.Checksum = &checksumValue{Algorithm: in.ChecksumAlgorithm, Value: computeChecksum(in.ChecksumAlgorithm, data), Type: "FULL_OBJECT"}
		} else if src.Checksum != nil && src.Checksum.Type != "FULL_OBJECT" {
			// A composite checksum describes parts the copy does not have.
			dst.Checksum = &checksumValue{Algorithm: "CRC64NVME", Value: computeChecksum("CRC64NVME", data), Type: "FULL_OBJECT"}
		}
		if err := putObjectState(tx, in.Bucket, &dst, data); err != nil {
			return err
		}
		result = &CopyObjectResult{LastModified: awswire.XMLTime(dst.LastModified), ETag: dst.ETag}
		result.setChecksum(dst.Checksum)
		return s.enqueueObjectEvent(tx, dstBucket, objectEvent{Name: "ObjectCreated:Copy", Reason: "CopyObject", Object: &dst, Requester: in.Requester})
	})
	if e := txError(err); e != nil {
		return nil, e
	}
	s.signal()
	return result, nil
}
