package s3

import (
	"encoding/base64"
	"encoding/xml"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// CreateBucketConfiguration is CreateBucket's optional body.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
type CreateBucketConfiguration struct {
	XMLName            xml.Name  `xml:"CreateBucketConfiguration"`
	LocationConstraint string    `xml:"LocationConstraint"`
	Location           *struct{} `xml:"Location"` // directory buckets
	Bucket             *struct{} `xml:"Bucket"`   // directory buckets
	Tags               *struct{} `xml:"Tags"`
}

// CreateBucketInput is CreateBucket's request.
type CreateBucketInput struct {
	Bucket string
	// LocationConstraint is the body's Region; SigningRegion the Region the request was signed for.
	LocationConstraint string
	SigningRegion      string
}

// CreateBucketOutput is CreateBucket's answer: the Location and x-amz-bucket-arn headers.
type CreateBucketOutput struct {
	Location  string
	BucketARN string
}

func (s *Service) handleCreateBucket(c *call) *awswire.Error {
	var conf CreateBucketConfiguration
	if _, e := readXMLPayload(c.r, &conf, true); e != nil {
		return e
	}
	if conf.Location != nil || conf.Bucket != nil {
		return errNotImplemented("directory buckets")
	}
	if conf.Tags != nil {
		return errNotImplemented("tags in CreateBucketConfiguration")
	}
	if strings.EqualFold(c.r.Header.Get("X-Amz-Bucket-Object-Lock-Enabled"), "true") {
		return errNotImplemented("S3 Object Lock")
	}
	if acl := c.r.Header.Get("X-Amz-Acl"); acl != "" && acl != "private" {
		return errNotImplemented("bucket ACLs other than private")
	}
	in := &CreateBucketInput{Bucket: c.bucket, LocationConstraint: strings.TrimSpace(conf.LocationConstraint)}
	if cred, ok := awswire.ParseCredential(c.r); ok {
		in.SigningRegion = cred.Region
	}
	out, e := s.CreateBucket(in)
	if e != nil {
		return e
	}
	c.w.Header().Set("Location", out.Location)
	c.w.Header().Set("X-Amz-Bucket-Arn", out.BucketARN)
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// CreateBucket creates a bucket in LocationConstraint's Region (us-east-1 when none).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
func (s *Service) CreateBucket(in *CreateBucketInput) (*CreateBucketOutput, *awswire.Error) {
	if !validBucketName(in.Bucket) {
		return nil, errInvalidBucketName(in.Bucket)
	}
	region := in.LocationConstraint
	switch {
	case region == "":
		// A request signed for another Region must say where the bucket goes.
		if in.SigningRegion != "" && in.SigningRegion != "us-east-1" {
			return nil, errIllegalLocationConstraint("")
		}
		region = "us-east-1"
	case region == "us-east-1" || !validRegion(region):
		// us-east-1 is said by leaving LocationConstraint out; naming it is refused.
		return nil, errInvalidLocationConstraint(region)
	case region == "EU":
		region = "eu-west-1"
	}
	if in.SigningRegion != "" && in.SigningRegion != "us-east-1" && in.SigningRegion != region {
		return nil, errIllegalLocationConstraint(in.LocationConstraint)
	}
	var existed *bucketRecord
	err := s.store.Update(func(tx *store.Tx) error {
		b, err := getBucket(tx, in.Bucket)
		if err == nil {
			existed = b
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return tx.Put(bucketsBucket, in.Bucket, &bucketRecord{Name: in.Bucket, Region: region, CreationDate: s.objectTime()})
	})
	if err != nil {
		return nil, errInternal(err)
	}
	if existed != nil && !(existed.Region == "us-east-1" && region == "us-east-1") {
		return nil, errBucketAlreadyOwnedByYou(in.Bucket)
	}
	out := &CreateBucketOutput{Location: "/" + in.Bucket, BucketARN: bucketARN(in.Bucket)}
	if region != "us-east-1" && s.cfg.Endpoint != nil {
		out.Location = strings.TrimSuffix(s.cfg.Endpoint(), "/") + "/" + in.Bucket + "/"
	}
	return out, nil
}

func (s *Service) handleDeleteBucket(c *call) *awswire.Error {
	if e := s.DeleteBucket(c.bucket); e != nil {
		return e
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// DeleteBucket deletes an empty bucket, with its notification configuration and any multipart
// uploads still in progress.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html
func (s *Service) DeleteBucket(bucket string) *awswire.Error {
	var missing, notEmpty bool
	err := s.store.Update(func(tx *store.Tx) error {
		if !tx.Has(bucketsBucket, bucket) {
			missing = true
			return nil
		}
		if tx.Count(objectsBucket(bucket)) > 0 {
			notEmpty = true
			return nil
		}
		if err := abortBucketUploads(tx, bucket); err != nil {
			return err
		}
		for _, path := range []string{objectsBucket(bucket), dataBucket(bucket)} {
			if err := tx.DeleteBucket(path); err != nil {
				return err
			}
		}
		return tx.Delete(bucketsBucket, bucket)
	})
	switch {
	case err != nil:
		return errInternal(err)
	case missing:
		return errNoSuchBucket(bucket)
	case notEmpty:
		return errBucketNotEmpty(bucket)
	}
	return nil
}

// HeadBucket answers 200 with the bucket's Region, or 404 without a body.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
func (s *Service) handleHeadBucket(c *call) *awswire.Error {
	b, e := s.withBucket(c)
	if e != nil {
		return e
	}
	h := c.w.Header()
	h.Set("X-Amz-Bucket-Region", b.Region)
	h.Set("X-Amz-Bucket-Arn", bucketARN(b.Name))
	h.Set("X-Amz-Access-Point-Alias", "false")
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// ListAllMyBucketsResult is ListBuckets' answer.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
type ListAllMyBucketsResult struct {
	XMLName           xml.Name     `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListAllMyBucketsResult"`
	Buckets           []BucketInfo `xml:"Buckets>Bucket"`
	Owner             Owner        `xml:"Owner"`
	ContinuationToken string       `xml:"ContinuationToken,omitempty"`
	Prefix            string       `xml:"Prefix,omitempty"`
}

// BucketInfo is one bucket in ListBuckets.
type BucketInfo struct {
	Name         string `xml:"Name"`
	CreationDate string `xml:"CreationDate"`
	BucketRegion string `xml:"BucketRegion"`
	BucketARN    string `xml:"BucketArn"`
}

// Owner is the canonical user owning buckets and objects.
type Owner struct {
	ID string `xml:"ID"`
}

// ListBucketsInput is ListBuckets' query string.
type ListBucketsInput struct {
	MaxBuckets        int
	ContinuationToken string
	Prefix            string
	BucketRegion      string
}

func (s *Service) handleListBuckets(c *call) *awswire.Error {
	in := &ListBucketsInput{MaxBuckets: 10000, ContinuationToken: c.q.Get("continuation-token"), Prefix: c.q.Get("prefix"), BucketRegion: c.q.Get("bucket-region")}
	if v := c.q.Get("max-buckets"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return errInvalidArgument("Argument max-buckets must be an integer between 1 and 10000.", "max-buckets", v)
		}
		in.MaxBuckets = n
	}
	out, e := s.ListBuckets(in)
	if e != nil {
		return e
	}
	awswire.WriteXML(c.w, http.StatusOK, out)
	return nil
}

// ListBuckets lists the account's buckets by name, a page at a time when max-buckets is given.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
func (s *Service) ListBuckets(in *ListBucketsInput) (*ListAllMyBucketsResult, *awswire.Error) {
	after := ""
	if in.ContinuationToken != "" {
		raw, err := base64.RawURLEncoding.DecodeString(in.ContinuationToken)
		if err != nil {
			return nil, errInvalidArgument("The continuation token provided is incorrect", "continuation-token", in.ContinuationToken)
		}
		after = string(raw)
	}
	out := &ListAllMyBucketsResult{Owner: Owner{ID: s.ownerID}, Prefix: in.Prefix, Buckets: []BucketInfo{}}
	var all []bucketRecord
	err := s.store.View(func(tx *store.Tx) error {
		return tx.ForEachAfter(bucketsBucket, after, func(_ string, v []byte) error {
			var b bucketRecord
			if err := decodeJSON(v, &b); err != nil {
				return err
			}
			all = append(all, b)
			return nil
		})
	})
	if err != nil {
		return nil, errInternal(err)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	for _, b := range all {
		if !strings.HasPrefix(b.Name, in.Prefix) || (in.BucketRegion != "" && b.Region != in.BucketRegion) {
			continue
		}
		if len(out.Buckets) == in.MaxBuckets {
			out.ContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(out.Buckets[len(out.Buckets)-1].Name))
			break
		}
		out.Buckets = append(out.Buckets, BucketInfo{Name: b.Name, CreationDate: awswire.XMLTime(b.CreationDate), BucketRegion: b.Region, BucketARN: bucketARN(b.Name)})
	}
	return out, nil
}

// LocationConstraint is GetBucketLocation's answer: empty for us-east-1.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
type LocationConstraint struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ LocationConstraint"`
	Region  string   `xml:",chardata"`
}

func (s *Service) handleGetBucketLocation(c *call) *awswire.Error {
	b, e := s.withBucket(c)
	if e != nil {
		return e
	}
	out := LocationConstraint{}
	if b.Region != "us-east-1" {
		out.Region = b.Region
	}
	awswire.WriteXML(c.w, http.StatusOK, out)
	return nil
}
