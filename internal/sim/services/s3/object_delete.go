package s3

import (
	"encoding/xml"
	"errors"
	"net/http"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

func (s *Service) handleDeleteObject(c *call) *awswire.Error {
	if v := c.q.Get("versionId"); c.q.Has("versionId") && v != "null" {
		return errNotImplemented("object versions (versionId)")
	}
	if e := s.DeleteObject(c.bucket, c.key, c.r.Header.Get("If-Match"), c.requester()); e != nil {
		return e
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// DeleteObject removes an object. Deleting a key that holds nothing succeeds, as on S3; only a
// removal that happened produces an s3:ObjectRemoved:Delete notification.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
func (s *Service) DeleteObject(bucket, key, ifMatch string, rq requester) *awswire.Error {
	err := s.store.Update(func(tx *store.Tx) error {
		b, err := getBucket(tx, bucket)
		if errors.Is(err, store.ErrNotFound) {
			return abort(errNoSuchBucket(bucket))
		}
		if err != nil {
			return err
		}
		_, err = s.deleteInTx(tx, b, key, ifMatch, rq)
		return err
	})
	if e := txError(err); e != nil {
		return e
	}
	s.signal()
	return nil
}

// deleteInTx removes one object and records its notifications; removed is false when there was
// no object.
func (s *Service) deleteInTx(tx *store.Tx, b *bucketRecord, key, ifMatch string, rq requester) (removed bool, err error) {
	o, err := getObject(tx, b.Name, key)
	if errors.Is(err, store.ErrNotFound) {
		if ifMatch != "" {
			return false, abort(errNoSuchKey(key))
		}
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if ifMatch != "" && !etagMatches(ifMatch, o.ETag) {
		return false, abort(errPreconditionFailed("If-Match"))
	}
	if err := deleteObjectState(tx, b.Name, key); err != nil {
		return false, err
	}
	return true, s.enqueueObjectEvent(tx, b, objectEvent{Name: "ObjectRemoved:Delete", Reason: "DeleteObject", Object: &objectRecord{Key: key}, Requester: rq})
}

// Delete is DeleteObjects' body.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
type Delete struct {
	XMLName xml.Name           `xml:"Delete"`
	Objects []ObjectIdentifier `xml:"Object"`
	Quiet   bool               `xml:"Quiet"`
}

// ObjectIdentifier names one object to delete.
type ObjectIdentifier struct {
	Key       string `xml:"Key"`
	VersionID string `xml:"VersionId"`
	ETag      string `xml:"ETag"`
}

// DeleteResult is DeleteObjects' answer.
type DeleteResult struct {
	XMLName xml.Name        `xml:"http://s3.amazonaws.com/doc/2006-03-01/ DeleteResult"`
	Deleted []DeletedObject `xml:"Deleted"`
	Errors  []DeleteError   `xml:"Error"`
}

// DeletedObject is a key DeleteObjects deleted (or found absent).
type DeletedObject struct {
	Key string `xml:"Key"`
}

// DeleteError is a key DeleteObjects could not delete.
type DeleteError struct {
	Key     string `xml:"Key"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

func (s *Service) handleDeleteObjects(c *call) *awswire.Error {
	var in Delete
	p, e := readXMLPayload(c.r, &in, false)
	if e != nil {
		return e
	}
	// S3 requires the body's integrity to be proven (DeleteObjects: "The Content-MD5 or
	// x-amz-sdk-checksum-algorithm header is required").
	if c.r.Header.Get("Content-Md5") == "" && p.checksum == nil {
		return errMissingContentMD5()
	}
	if len(in.Objects) == 0 || len(in.Objects) > maxDeleteObjects {
		return errMalformedXML()
	}
	out, e := s.DeleteObjects(c.bucket, &in, c.requester())
	if e != nil {
		return e
	}
	awswire.WriteXML(c.w, http.StatusOK, out)
	return nil
}

// DeleteObjects deletes up to 1,000 keys in one transaction; each removal produces its own
// s3:ObjectRemoved:Delete notification. Quiet leaves the deleted keys out of the answer.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
func (s *Service) DeleteObjects(bucket string, in *Delete, rq requester) (*DeleteResult, *awswire.Error) {
	out := &DeleteResult{}
	err := s.store.Update(func(tx *store.Tx) error {
		out.Deleted, out.Errors = nil, nil
		b, err := getBucket(tx, bucket)
		if errors.Is(err, store.ErrNotFound) {
			return abort(errNoSuchBucket(bucket))
		}
		if err != nil {
			return err
		}
		for _, obj := range in.Objects {
			switch {
			case obj.Key == "":
				out.Errors = append(out.Errors, DeleteError{Key: obj.Key, Code: "InvalidArgument", Message: "Invalid key"})
				continue
			case obj.VersionID != "" && obj.VersionID != "null":
				out.Errors = append(out.Errors, DeleteError{Key: obj.Key, Code: "NotImplemented", Message: "The lambdatrigger simulator does not implement object versions."})
				continue
			}
			if _, err := s.deleteInTx(tx, b, obj.Key, obj.ETag, rq); err != nil {
				var a txAbort
				if errors.As(err, &a) {
					out.Errors = append(out.Errors, DeleteError{Key: obj.Key, Code: a.e.Code, Message: a.e.Message})
					continue
				}
				return err
			}
			if !in.Quiet {
				out.Deleted = append(out.Deleted, DeletedObject{Key: obj.Key})
			}
		}
		return nil
	})
	if e := txError(err); e != nil {
		return nil, e
	}
	s.signal()
	return out, nil
}
