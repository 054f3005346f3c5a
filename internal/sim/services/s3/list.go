package s3

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// listing is one page of a bucket's keys: objects and the common prefixes that roll keys up at a
// delimiter, in key order, each counting once against max-keys.
type listing struct {
	objects   []objectRecord
	prefixes  []string
	truncated bool
	last      string // the last key or common prefix of the page, where the next page starts
}

// listKeys pages through bucket's keys that start with prefix and sort after `after`. When `after`
// is itself a common prefix (the end of an earlier page), the keys under it were rolled up into
// that page's prefix and are skipped.
func listKeys(tx *store.Tx, bucket, prefix, delimiter, after string, maxKeys int) (*listing, error) {
	l := &listing{}
	if maxKeys == 0 {
		return l, nil
	}
	count := 0
	err := walkKeys(tx, bucket, prefix, after, func(key string, value []byte) error {
		cp := ""
		if delimiter != "" {
			if i := strings.Index(key[len(prefix):], delimiter); i >= 0 {
				cp = key[:len(prefix)+i+len(delimiter)]
			}
		}
		if cp != "" {
			if cp == after || (len(l.prefixes) > 0 && l.prefixes[len(l.prefixes)-1] == cp) {
				return nil
			}
			if count == maxKeys {
				l.truncated = true
				return store.ErrStop
			}
			l.prefixes = append(l.prefixes, cp)
			l.last = cp
			count++
			return nil
		}
		if count == maxKeys {
			l.truncated = true
			return store.ErrStop
		}
		var o objectRecord
		if err := decodeJSON(value, &o); err != nil {
			return err
		}
		l.objects = append(l.objects, o)
		l.last = key
		count++
		return nil
	})
	return l, err
}

// ObjectEntry is one object in a listing.
type ObjectEntry struct {
	Key               string `xml:"Key"`
	LastModified      string `xml:"LastModified"`
	ETag              string `xml:"ETag"`
	ChecksumAlgorithm string `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string `xml:"ChecksumType,omitempty"`
	Size              int64  `xml:"Size"`
	Owner             *Owner `xml:"Owner,omitempty"`
	StorageClass      string `xml:"StorageClass"`
}

// CommonPrefix is a prefix that rolls up keys at the delimiter.
type CommonPrefix struct {
	Prefix string `xml:"Prefix"`
}

// listParams are the query parameters every listing takes.
type listParams struct {
	Prefix, Delimiter, EncodingType string
	MaxKeys                         int
}

func readListParams(c *call) (listParams, *awswire.Error) {
	p := listParams{Prefix: c.q.Get("prefix"), Delimiter: c.q.Get("delimiter"), EncodingType: c.q.Get("encoding-type"), MaxKeys: maxListKeys}
	if v := c.q.Get("max-keys"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return p, errInvalidArgument("Provided max-keys not an integer or within integer range", "max-keys", v)
		}
		p.MaxKeys = min(n, maxListKeys)
	}
	if p.EncodingType != "" && p.EncodingType != "url" {
		return p, errInvalidArgument("Invalid Encoding Method specified in Request", "encoding-type", p.EncodingType)
	}
	return p, nil
}

// encode applies encoding-type=url to a key or prefix in an answer.
func (p listParams) encode(s string) string {
	if p.EncodingType == "url" {
		return urlEncodeKey(s)
	}
	return s
}

// urlEncodeKey is the percent-encoding S3 applies to keys with encoding-type=url: everything but
// the unreserved characters and "/", spaces as %20 (clients decode with a plain unquote).
func urlEncodeKey(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case 'a' <= ch && ch <= 'z', 'A' <= ch && ch <= 'Z', '0' <= ch && ch <= '9',
			ch == '-', ch == '_', ch == '.', ch == '~', ch == '/':
			b.WriteByte(ch)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[ch>>4])
			b.WriteByte(hexDigits[ch&15])
		}
	}
	return b.String()
}

func (s *Service) entry(o *objectRecord, p listParams, withOwner bool) ObjectEntry {
	e := ObjectEntry{Key: p.encode(o.Key), LastModified: awswire.XMLTime(o.LastModified), ETag: o.ETag, Size: o.Size, StorageClass: o.StorageClass}
	if e.StorageClass == "" {
		e.StorageClass = defaultStorage
	}
	if o.Checksum != nil {
		e.ChecksumAlgorithm, e.ChecksumType = o.Checksum.Algorithm, o.Checksum.Type
	}
	if withOwner {
		e.Owner = &Owner{ID: s.ownerID}
	}
	return e
}

func (l *listing) commonPrefixes(p listParams) []CommonPrefix {
	out := make([]CommonPrefix, 0, len(l.prefixes))
	for _, cp := range l.prefixes {
		out = append(out, CommonPrefix{Prefix: p.encode(cp)})
	}
	return out
}

// ListBucketResultV2 is ListObjectsV2's answer.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
type ListBucketResultV2 struct {
	XMLName               xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name                  string         `xml:"Name"`
	Prefix                string         `xml:"Prefix"`
	Delimiter             string         `xml:"Delimiter,omitempty"`
	MaxKeys               int            `xml:"MaxKeys"`
	EncodingType          string         `xml:"EncodingType,omitempty"`
	KeyCount              int            `xml:"KeyCount"`
	IsTruncated           bool           `xml:"IsTruncated"`
	ContinuationToken     string         `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string         `xml:"NextContinuationToken,omitempty"`
	StartAfter            string         `xml:"StartAfter,omitempty"`
	Contents              []ObjectEntry  `xml:"Contents"`
	CommonPrefixes        []CommonPrefix `xml:"CommonPrefixes"`
}

func (s *Service) handleListObjectsV2(c *call) *awswire.Error {
	p, e := readListParams(c)
	if e != nil {
		return e
	}
	startAfter := c.q.Get("start-after")
	token := c.q.Get("continuation-token")
	after := startAfter
	if c.q.Has("continuation-token") {
		raw, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || token == "" {
			return errInvalidArgument("The continuation token provided is incorrect", "continuation-token", token)
		}
		after = string(raw)
	}
	l, e := s.list(c.bucket, p, after)
	if e != nil {
		return e
	}
	out := &ListBucketResultV2{
		Name: c.bucket, Prefix: p.encode(p.Prefix), Delimiter: p.encode(p.Delimiter), MaxKeys: p.MaxKeys, EncodingType: p.EncodingType,
		KeyCount: len(l.objects) + len(l.prefixes), IsTruncated: l.truncated, ContinuationToken: token,
		StartAfter: p.encode(startAfter), CommonPrefixes: l.commonPrefixes(p),
	}
	if l.truncated {
		out.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(l.last))
	}
	fetchOwner := c.q.Get("fetch-owner") == "true"
	for i := range l.objects {
		out.Contents = append(out.Contents, s.entry(&l.objects[i], p, fetchOwner))
	}
	awswire.WriteXML(c.w, http.StatusOK, out)
	return nil
}

func (s *Service) list(bucket string, p listParams, after string) (*listing, *awswire.Error) {
	var l *listing
	err := s.store.View(func(tx *store.Tx) error {
		if !tx.Has(bucketsBucket, bucket) {
			return abort(errNoSuchBucket(bucket))
		}
		var err error
		l, err = listKeys(tx, bucket, p.Prefix, p.Delimiter, after, p.MaxKeys)
		return err
	})
	if e := txError(err); e != nil {
		return nil, e
	}
	return l, nil
}

// ListBucketResultV1 is ListObjects' answer.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html
type ListBucketResultV1 struct {
	XMLName        xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name           string         `xml:"Name"`
	Prefix         string         `xml:"Prefix"`
	Marker         string         `xml:"Marker"`
	NextMarker     string         `xml:"NextMarker,omitempty"`
	MaxKeys        int            `xml:"MaxKeys"`
	Delimiter      string         `xml:"Delimiter,omitempty"`
	EncodingType   string         `xml:"EncodingType,omitempty"`
	IsTruncated    bool           `xml:"IsTruncated"`
	Contents       []ObjectEntry  `xml:"Contents"`
	CommonPrefixes []CommonPrefix `xml:"CommonPrefixes"`
}

// handleListObjects is ListObjects (version 1), which pages by Marker; NextMarker is only sent
// with a delimiter, as on S3 (clients use the last key otherwise).
func (s *Service) handleListObjects(c *call) *awswire.Error {
	p, e := readListParams(c)
	if e != nil {
		return e
	}
	marker := c.q.Get("marker")
	l, e := s.list(c.bucket, p, marker)
	if e != nil {
		return e
	}
	out := &ListBucketResultV1{
		Name: c.bucket, Prefix: p.encode(p.Prefix), Marker: p.encode(marker), MaxKeys: p.MaxKeys,
		Delimiter: p.encode(p.Delimiter), EncodingType: p.EncodingType, IsTruncated: l.truncated, CommonPrefixes: l.commonPrefixes(p),
	}
	if l.truncated && p.Delimiter != "" {
		out.NextMarker = p.encode(l.last)
	}
	for i := range l.objects {
		out.Contents = append(out.Contents, s.entry(&l.objects[i], p, true))
	}
	awswire.WriteXML(c.w, http.StatusOK, out)
	return nil
}

// ListVersionsResult is ListObjectVersions' answer. Buckets are never versioned in the
// simulator, so every object is its only version, "null", and the latest.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
type ListVersionsResult struct {
	XMLName             xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListVersionsResult"`
	Name                string         `xml:"Name"`
	Prefix              string         `xml:"Prefix"`
	KeyMarker           string         `xml:"KeyMarker"`
	VersionIDMarker     string         `xml:"VersionIdMarker"`
	NextKeyMarker       string         `xml:"NextKeyMarker,omitempty"`
	NextVersionIDMarker string         `xml:"NextVersionIdMarker,omitempty"`
	MaxKeys             int            `xml:"MaxKeys"`
	Delimiter           string         `xml:"Delimiter,omitempty"`
	EncodingType        string         `xml:"EncodingType,omitempty"`
	IsTruncated         bool           `xml:"IsTruncated"`
	Versions            []VersionEntry `xml:"Version"`
	CommonPrefixes      []CommonPrefix `xml:"CommonPrefixes"`
}

// VersionEntry is one object version.
type VersionEntry struct {
	Key               string `xml:"Key"`
	VersionID         string `xml:"VersionId"`
	IsLatest          bool   `xml:"IsLatest"`
	LastModified      string `xml:"LastModified"`
	ETag              string `xml:"ETag"`
	ChecksumAlgorithm string `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string `xml:"ChecksumType,omitempty"`
	Size              int64  `xml:"Size"`
	Owner             Owner  `xml:"Owner"`
	StorageClass      string `xml:"StorageClass"`
}

func (s *Service) handleListObjectVersions(c *call) *awswire.Error {
	p, e := readListParams(c)
	if e != nil {
		return e
	}
	keyMarker := c.q.Get("key-marker")
	l, e := s.list(c.bucket, p, keyMarker)
	if e != nil {
		return e
	}
	out := &ListVersionsResult{
		Name: c.bucket, Prefix: p.encode(p.Prefix), KeyMarker: p.encode(keyMarker), VersionIDMarker: c.q.Get("version-id-marker"),
		MaxKeys: p.MaxKeys, Delimiter: p.encode(p.Delimiter), EncodingType: p.EncodingType, IsTruncated: l.truncated,
		CommonPrefixes: l.commonPrefixes(p),
	}
	if l.truncated {
		out.NextKeyMarker, out.NextVersionIDMarker = p.encode(l.last), "null"
	}
	for i := range l.objects {
		en := s.entry(&l.objects[i], p, true)
		out.Versions = append(out.Versions, VersionEntry{
			Key: en.Key, VersionID: "null", IsLatest: true, LastModified: en.LastModified, ETag: en.ETag,
			ChecksumAlgorithm: en.ChecksumAlgorithm, ChecksumType: en.ChecksumType, Size: en.Size, Owner: *en.Owner, StorageClass: en.StorageClass,
		})
	}
	awswire.WriteXML(c.w, http.StatusOK, out)
	return nil
}
