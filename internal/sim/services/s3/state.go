package s3

import (
	"errors"
	"fmt"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// The service's state lives under the top-level store bucket "s3":
//
//	s3/buckets            bucket name -> bucketRecord (JSON), with its notification configuration
//	s3/objects/<bucket>   object key  -> objectRecord (JSON): everything but the bytes
//	s3/data/<bucket>      object key  -> the object's bytes, raw
//	s3/uploads            upload id   -> uploadRecord (JSON), multipart uploads in progress
//	s3/parts/<upload id>  part number -> partRecord (JSON) with the part's bytes
//	s3/outbox             sequence    -> outboxEntry (JSON): notifications not yet delivered
//	s3/sequencer          (sequence only) the last event sequencer handed out
//
// Keys sort as bytes, which is the UTF-8 binary order S3 lists keys in.
const (
	bucketsBucket   = "s3/buckets"
	uploadsBucket   = "s3/uploads"
	outboxBucket    = "s3/outbox"
	sequencerBucket = "s3/sequencer"
)

func objectsBucket(bucket string) string { return "s3/objects/" + bucket }
func dataBucket(bucket string) string    { return "s3/data/" + bucket }
func partsBucket(uploadID string) string { return "s3/parts/" + uploadID }

// bucketRecord is one bucket.
type bucketRecord struct {
	Name         string    `json:"name"`
	Region       string    `json:"region"`
	CreationDate time.Time `json:"creationDate"`
	// Notification is the bucket's notification configuration; nil means none (the default).
	Notification *notificationConfig `json:"notification,omitempty"`
}

// objectRecord is an object's metadata; its bytes are stored apart so that listing and HEAD do not
// read them.
type objectRecord struct {
	Key          string    `json:"key"`
	Size         int64     `json:"size"`
	ETag         string    `json:"etag"` // quoted, as S3 sends it
	LastModified time.Time `json:"lastModified"`
	// System metadata S3 stores and returns as headers.
	ContentType        string `json:"contentType,omitempty"`
	ContentEncoding    string `json:"contentEncoding,omitempty"`
	ContentDisposition string `json:"contentDisposition,omitempty"`
	ContentLanguage    string `json:"contentLanguage,omitempty"`
	CacheControl       string `json:"cacheControl,omitempty"`
	Expires            string `json:"expires,omitempty"`
	WebsiteRedirect    string `json:"websiteRedirect,omitempty"`
	StorageClass       string `json:"storageClass,omitempty"`
	// Metadata is the user-defined metadata (x-amz-meta-*), keys lowercased as S3 stores them.
	Metadata map[string]string `json:"metadata,omitempty"`
	// Tagging is the object's tag set in its header form (x-amz-tagging, URL-encoded).
	Tagging string `json:"tagging,omitempty"`
	// Checksum is the object's full-object checksum: the client's, or CRC64NVME computed by the
	// simulator as S3 does for uploads that send none.
	Checksum *checksumValue `json:"checksum,omitempty"`
	// PartSizes are the sizes of a multipart object's parts, for GetObject's partNumber.
	PartSizes []int64 `json:"partSizes,omitempty"`
}

func getBucket(tx *store.Tx, name string) (*bucketRecord, error) {
	var b bucketRecord
	if err := tx.Get(bucketsBucket, name, &b); err != nil {
		return nil, err
	}
	return &b, nil
}

func getObject(tx *store.Tx, bucket, key string) (*objectRecord, error) {
	var o objectRecord
	if err := tx.Get(objectsBucket(bucket), key, &o); err != nil {
		return nil, err
	}
	return &o, nil
}

func putObjectState(tx *store.Tx, bucket string, o *objectRecord, data []byte) error {
	if err := tx.Put(objectsBucket(bucket), o.Key, o); err != nil {
		return err
	}
	return tx.PutRaw(dataBucket(bucket), o.Key, data)
}

func deleteObjectState(tx *store.Tx, bucket, key string) error {
	if err := tx.Delete(objectsBucket(bucket), key); err != nil {
		return err
	}
	return tx.Delete(dataBucket(bucket), key)
}

// objectData returns an object's bytes.
func objectData(tx *store.Tx, bucket, key string) ([]byte, error) {
	data, err := tx.GetRaw(dataBucket(bucket), key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("the bytes of %s/%s are missing from the store", bucket, key)
	}
	return data, err
}

// walkKeys calls fn for the keys of bucket that start with prefix and sort after `after`, in order,
// until fn returns store.ErrStop or an error.
func walkKeys(tx *store.Tx, bucket, prefix, after string, fn func(key string, value []byte) error) error {
	if after < prefix {
		return tx.ForEach(objectsBucket(bucket), prefix, fn)
	}
	return tx.ForEachAfter(objectsBucket(bucket), after, func(k string, v []byte) error {
		if len(k) < len(prefix) || k[:len(prefix)] != prefix {
			return store.ErrStop
		}
		return fn(k, v)
	})
}
