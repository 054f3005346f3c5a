package s3

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Multipart uploads (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html), which
// the AWS CLI and the SDKs' transfer managers use for larger files. Parts are kept in the store
// until the upload completes or is aborted; the assembled object is capped by MaxObjectSize like a
// single PUT.

type uploadRecord struct {
	UploadID          string        `json:"uploadId"`
	Bucket            string        `json:"bucket"`
	Key               string        `json:"key"`
	Initiated         time.Time     `json:"initiated"`
	Meta              objectHeaders `json:"meta"`
	ChecksumAlgorithm string        `json:"checksumAlgorithm,omitempty"`
	ChecksumType      string        `json:"checksumType,omitempty"`
}

type partRecord struct {
	PartNumber   int       `json:"partNumber"`
	ETag         string    `json:"etag"`
	Size         int64     `json:"size"`
	LastModified time.Time `json:"lastModified"`
	Checksum     string    `json:"checksum,omitempty"`
}

func partDataBucket(uploadID string) string { return "s3/partdata/" + uploadID }

func partKey(n int) string { return fmt.Sprintf("%05d", n) }

func newUploadID() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// InitiateMultipartUploadResult is CreateMultipartUpload's answer.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
type InitiateMultipartUploadResult struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ InitiateMultipartUploadResult"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	UploadID string   `xml:"UploadId"`
}

func (s *Service) handleCreateMultipartUpload(c *call) *awswire.Error {
	if len(c.key) > maxKeyLength {
		return errKeyTooLong(len(c.key))
	}
	meta, e := readObjectHeaders(c.r.Header)
	if e != nil {
		return e
	}
	up := &uploadRecord{UploadID: newUploadID(), Bucket: c.bucket, Key: c.key, Initiated: s.objectTime(), Meta: meta,
		ChecksumAlgorithm: strings.ToUpper(c.r.Header.Get("X-Amz-Checksum-Algorithm")), ChecksumType: strings.ToUpper(c.r.Header.Get("X-Amz-Checksum-Type"))}
	if up.ChecksumAlgorithm != "" {
		if checksumAlgorithms[up.ChecksumAlgorithm] == nil {
			return errInvalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
		}
		if up.ChecksumType == "" {
			up.ChecksumType = "COMPOSITE"
			if up.ChecksumAlgorithm == "CRC64NVME" {
				up.ChecksumType = "FULL_OBJECT"
			}
		}
	}
	err := s.store.Update(func(tx *store.Tx) error {
		if !tx.Has(bucketsBucket, c.bucket) {
			return abort(errNoSuchBucket(c.bucket))
		}
		return tx.Put(uploadsBucket, up.UploadID, up)
	})
	if e := txError(err); e != nil {
		return e
	}
	if up.ChecksumAlgorithm != "" {
		c.w.Header().Set("X-Amz-Checksum-Algorithm", up.ChecksumAlgorithm)
		c.w.Header().Set("X-Amz-Checksum-Type", up.ChecksumType)
	}
	awswire.WriteXML(c.w, http.StatusOK, &InitiateMultipartUploadResult{Bucket: c.bucket, Key: c.key, UploadID: up.UploadID})
	return nil
}

// getUpload loads the upload a request names, checking that it belongs to its bucket and key.
func getUpload(tx *store.Tx, c *call) (*uploadRecord, error) {
	id := c.q.Get("uploadId")
	var up uploadRecord
	err := tx.Get(uploadsBucket, id, &up)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (up.Bucket != c.bucket || up.Key != c.key)) {
		if !tx.Has(bucketsBucket, c.bucket) {
			return nil, abort(errNoSuchBucket(c.bucket))
		}
		return nil, abort(errNoSuchUpload(id))
	}
	return &up, err
}

func partNumberParam(c *call) (int, *awswire.Error) {
	v := c.q.Get("partNumber")
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxParts {
		return 0, errInvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", v)
	}
	return n, nil
}

// handleUploadPart is UploadPart.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
func (s *Service) handleUploadPart(c *call) *awswire.Error {
	n, e := partNumberParam(c)
	if e != nil {
		return e
	}
	body, e := readPayload(c.r, s.cfg.MaxObjectSize, func(size int64) *awswire.Error { return errEntityTooLarge(size, s.cfg.MaxObjectSize) })
	if e != nil {
		return e
	}
	part := &partRecord{PartNumber: n, ETag: quoteETag(hex.EncodeToString(body.md5[:])), Size: int64(len(body.data)), LastModified: s.objectTime()}
	algorithm := ""
	err := s.store.Update(func(tx *store.Tx) error {
		up, err := getUpload(tx, c)
		if err != nil {
			return err
		}
		algorithm = up.ChecksumAlgorithm
		if up.ChecksumAlgorithm != "" {
			switch {
			case body.checksum == nil:
				part.Checksum = computeChecksum(up.ChecksumAlgorithm, body.data)
			case body.checksum.Algorithm != up.ChecksumAlgorithm:
				return abort(errInvalidRequest("Checksum Type mismatch occurred, expected checksum Type: %s, actual checksum Type: %s",
					strings.ToLower(up.ChecksumAlgorithm), strings.ToLower(body.checksum.Algorithm)))
			default:
				part.Checksum = body.checksum.Value
			}
		}
		if err := tx.Put(partsBucket(up.UploadID), partKey(n), part); err != nil {
			return err
		}
		return tx.PutRaw(partDataBucket(up.UploadID), partKey(n), body.data)
	})
	if e := txError(err); e != nil {
		return e
	}
	c.w.Header().Set("ETag", part.ETag)
	c.w.Header().Set("X-Amz-Server-Side-Encryption", "AES256")
	if part.Checksum != "" {
		c.w.Header().Set("x-amz-checksum-"+strings.ToLower(algorithm), part.Checksum)
	} else if body.checksum != nil {
		c.w.Header().Set(body.checksum.header(), body.checksum.Value)
	}
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// CompleteMultipartUpload is the operation's body.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
type CompleteMultipartUpload struct {
	XMLName xml.Name        `xml:"CompleteMultipartUpload"`
	Parts   []CompletedPart `xml:"Part"`
}

// CompletedPart names one uploaded part.
type CompletedPart struct {
	PartNumber int    `xml:"PartNumber"`
	ETag       string `xml:"ETag"`
}

// CompleteMultipartUploadResult is the operation's answer.
type CompleteMultipartUploadResult struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CompleteMultipartUploadResult"`
	Location string   `xml:"Location"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
	ChecksumFields
}

func (s *Service) handleCompleteMultipartUpload(c *call) *awswire.Error {
	var in CompleteMultipartUpload
	if _, e := readXMLPayload(c.r, &in, false); e != nil {
		return e
	}
	if len(in.Parts) == 0 {
		return errMalformedXML()
	}
	for i := 1; i < len(in.Parts); i++ {
		if in.Parts[i].PartNumber <= in.Parts[i-1].PartNumber {
			return errInvalidPartOrder()
		}
	}
	rq := c.requester()
	var out *CompleteMultipartUploadResult
	err := s.store.Update(func(tx *store.Tx) error {
		up, err := getUpload(tx, c)
		if err != nil {
			return err
		}
		b, err := getBucket(tx, c.bucket)
		if err != nil {
			return err
		}
		var data bytes.Buffer
		var md5s []byte
		var sizes []int64
		var partSums []string
		for i, p := range in.Parts {
			var part partRecord
			if err := tx.Get(partsBucket(up.UploadID), partKey(p.PartNumber), &part); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return abort(errInvalidPart(p.PartNumber))
				}
				return err
			}
			if !etagMatches(p.ETag, part.ETag) {
				return abort(errInvalidPart(p.PartNumber))
			}
			if i < len(in.Parts)-1 && part.Size < minPartSize {
				return abort(errEntityTooSmall(part.Size, minPartSize))
			}
			if int64(data.Len())+part.Size > s.cfg.MaxObjectSize {
				return abort(errEntityTooLarge(int64(data.Len())+part.Size, s.cfg.MaxObjectSize))
			}
			if part.Size > 0 {
				raw, err := tx.GetRaw(partDataBucket(up.UploadID), partKey(p.PartNumber))
				if err != nil {
					return err
				}
				data.Write(raw)
			}
			sum, _ := hex.DecodeString(strings.Trim(part.ETag, `"`))
			md5s = append(md5s, sum...)
			sizes = append(sizes, part.Size)
			partSums = append(partSums, part.Checksum)
		}
		etagSum := md5.Sum(md5s)
		obj := &objectRecord{Key: c.key, Size: int64(data.Len()), LastModified: s.objectTime(), PartSizes: sizes,
			ETag: quoteETag(hex.EncodeToString(etagSum[:]) + "-" + strconv.Itoa(len(in.Parts)))}
		obj.setHeaders(up.Meta)
		switch {
		case up.ChecksumAlgorithm != "" && up.ChecksumType == "COMPOSITE":
			obj.Checksum = &checksumValue{Algorithm: up.ChecksumAlgorithm, Value: compositeChecksum(up.ChecksumAlgorithm, partSums), Type: "COMPOSITE"}
		case up.ChecksumAlgorithm != "":
			obj.Checksum = &checksumValue{Algorithm: up.ChecksumAlgorithm, Value: computeChecksum(up.ChecksumAlgorithm, data.Bytes()), Type: "FULL_OBJECT"}
		default:
			obj.Checksum = &checksumValue{Algorithm: "CRC64NVME", Value: computeChecksum("CRC64NVME", data.Bytes()), Type: "FULL_OBJECT"}
		}
		if err := putObjectState(tx, c.bucket, obj, data.Bytes()); err != nil {
			return err
		}
		if err := deleteUpload(tx, up.UploadID); err != nil {
			return err
		}
		out = &CompleteMultipartUploadResult{Location: "/" + c.bucket + "/" + c.key, Bucket: c.bucket, Key: c.key, ETag: obj.ETag}
		out.setChecksum(obj.Checksum)
		return s.enqueueObjectEvent(tx, b, objectEvent{Name: "ObjectCreated:CompleteMultipartUpload", Reason: "CompleteMultipartUpload", Object: obj, Requester: rq})
	})
	if e := txError(err); e != nil {
		return e
	}
	s.signal()
	c.w.Header().Set("X-Amz-Server-Side-Encryption", "AES256")
	awswire.WriteXML(c.w, http.StatusOK, out)
	return nil
}

func deleteUpload(tx *store.Tx, uploadID string) error {
	if err := tx.DeleteBucket(partsBucket(uploadID)); err != nil {
		return err
	}
	if err := tx.DeleteBucket(partDataBucket(uploadID)); err != nil {
		return err
	}
	return tx.Delete(uploadsBucket, uploadID)
}

// abortBucketUploads removes the uploads in progress into a bucket being deleted.
func abortBucketUploads(tx *store.Tx, bucket string) error {
	var ids []string
	err := tx.ForEach(uploadsBucket, "", func(k string, v []byte) error {
		var up uploadRecord
		if err := decodeJSON(v, &up); err != nil {
			return err
		}
		if up.Bucket == bucket {
			ids = append(ids, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := deleteUpload(tx, id); err != nil {
			return err
		}
	}
	return nil
}

// handleAbortMultipartUpload is AbortMultipartUpload.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
func (s *Service) handleAbortMultipartUpload(c *call) *awswire.Error {
	err := s.store.Update(func(tx *store.Tx) error {
		up, err := getUpload(tx, c)
		if err != nil {
			return err
		}
		return deleteUpload(tx, up.UploadID)
	})
	if e := txError(err); e != nil {
		return e
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// ListPartsResult is ListParts' answer.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
type ListPartsResult struct {
	XMLName              xml.Name   `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListPartsResult"`
	Bucket               string     `xml:"Bucket"`
	Key                  string     `xml:"Key"`
	UploadID             string     `xml:"UploadId"`
	PartNumberMarker     int        `xml:"PartNumberMarker"`
	NextPartNumberMarker int        `xml:"NextPartNumberMarker"`
	MaxParts             int        `xml:"MaxParts"`
	IsTruncated          bool       `xml:"IsTruncated"`
	Parts                []PartInfo `xml:"Part"`
	Initiator            Owner      `xml:"Initiator"`
	Owner                Owner      `xml:"Owner"`
	StorageClass         string     `xml:"StorageClass"`
	ChecksumAlgorithm    string     `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType         string     `xml:"ChecksumType,omitempty"`
}

// PartInfo is one uploaded part.
type PartInfo struct {
	PartNumber   int    `xml:"PartNumber"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int64  `xml:"Size"`
}

func (s *Service) handleListParts(c *call) *awswire.Error {
	maxParts, marker := 1000, 0
	if v := c.q.Get("max-parts"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return errInvalidArgument("Provided max-parts not an integer or within integer range", "max-parts", v)
		}
		maxParts = min(n, 1000)
	}
	if v := c.q.Get("part-number-marker"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return errInvalidArgument("Provided part-number-marker not an integer or within integer range", "part-number-marker", v)
		}
		marker = n
	}
	out := &ListPartsResult{Bucket: c.bucket, Key: c.key, UploadID: c.q.Get("uploadId"), PartNumberMarker: marker, MaxParts: maxParts,
		Initiator: Owner{ID: s.ownerID}, Owner: Owner{ID: s.ownerID}}
	err := s.store.View(func(tx *store.Tx) error {
		up, err := getUpload(tx, c)
		if err != nil {
			return err
		}
		out.StorageClass, out.ChecksumAlgorithm, out.ChecksumType = up.Meta.StorageClass, up.ChecksumAlgorithm, up.ChecksumType
		if out.StorageClass == "" {
			out.StorageClass = defaultStorage
		}
		return tx.ForEachAfter(partsBucket(up.UploadID), partKey(marker), func(_ string, v []byte) error {
			var p partRecord
			if err := decodeJSON(v, &p); err != nil {
				return err
			}
			if len(out.Parts) == maxParts {
				out.IsTruncated = true
				return store.ErrStop
			}
			out.Parts = append(out.Parts, PartInfo{PartNumber: p.PartNumber, LastModified: awswire.XMLTime(p.LastModified), ETag: p.ETag, Size: p.Size})
			out.NextPartNumberMarker = p.PartNumber
			return nil
		})
	})
	if e := txError(err); e != nil {
		return e
	}
	awswire.WriteXML(c.w, http.StatusOK, out)
	return nil
}

// ListMultipartUploadsResult is ListMultipartUploads' answer (without delimiter roll-up).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html
type ListMultipartUploadsResult struct {
	XMLName     xml.Name     `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListMultipartUploadsResult"`
	Bucket      string       `xml:"Bucket"`
	Prefix      string       `xml:"Prefix"`
	MaxUploads  int          `xml:"MaxUploads"`
	IsTruncated bool         `xml:"IsTruncated"`
	Uploads     []UploadInfo `xml:"Upload"`
}

// UploadInfo is one upload in progress.
type UploadInfo struct {
	Key          string `xml:"Key"`
	UploadID     string `xml:"UploadId"`
	Initiated    string `xml:"Initiated"`
	StorageClass string `xml:"StorageClass"`
	Owner        Owner  `xml:"Owner"`
	Initiator    Owner  `xml:"Initiator"`
}

func (s *Service) handleListMultipartUploads(c *call) *awswire.Error {
	if c.q.Get("delimiter") != "" || c.q.Get("key-marker") != "" {
		return errNotImplemented("ListMultipartUploads with a delimiter or markers")
	}
	out := &ListMultipartUploadsResult{Bucket: c.bucket, Prefix: c.q.Get("prefix"), MaxUploads: 1000}
	if v := c.q.Get("max-uploads"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return errInvalidArgument("Provided max-uploads not an integer or within integer range", "max-uploads", v)
		}
		out.MaxUploads = min(n, 1000)
	}
	var ups []uploadRecord
	err := s.store.View(func(tx *store.Tx) error {
		if !tx.Has(bucketsBucket, c.bucket) {
			return abort(errNoSuchBucket(c.bucket))
		}
		return tx.ForEach(uploadsBucket, "", func(_ string, v []byte) error {
			var up uploadRecord
			if err := decodeJSON(v, &up); err != nil {
				return err
			}
			if up.Bucket == c.bucket && strings.HasPrefix(up.Key, out.Prefix) {
				ups = append(ups, up)
			}
			return nil
		})
	})
	if e := txError(err); e != nil {
		return e
	}
	sort.Slice(ups, func(i, j int) bool {
		if ups[i].Key != ups[j].Key {
			return ups[i].Key < ups[j].Key
		}
		return ups[i].Initiated.Before(ups[j].Initiated)
	})
	for _, up := range ups {
		if len(out.Uploads) == out.MaxUploads {
			out.IsTruncated = true
			break
		}
		sc := up.Meta.StorageClass
		if sc == "" {
			sc = defaultStorage
		}
		out.Uploads = append(out.Uploads, UploadInfo{Key: up.Key, UploadID: up.UploadID, Initiated: awswire.XMLTime(up.Initiated),
			StorageClass: sc, Owner: Owner{ID: s.ownerID}, Initiator: Owner{ID: s.ownerID}})
	}
	awswire.WriteXML(c.w, http.StatusOK, out)
	return nil
}
