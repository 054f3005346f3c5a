package s3

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// LambdaPolicy answers whether a function's resource-based policy lets a service principal invoke
// it on behalf of a source, as PutBucketNotificationConfiguration must know before it accepts a
// Lambda destination. Lambda implements it; a function that does not exist is simply not allowed.
type LambdaPolicy interface {
	AllowsInvoke(ctx context.Context, functionARN, principal, sourceARN, sourceAccount string) (bool, error)
}

// Config is what the S3 service needs from the simulator.
type Config struct {
	Store *store.Store
	// Clock drives event times, Last-Modified and the notification worker's retries.
	Clock clock.Clock
	// Bus delivers event notifications (and PutBucketNotificationConfiguration's test events) to
	// SQS queues, SNS topics, Lambda functions and EventBridge.
	Bus *deliver.Bus
	// Region is where buckets are created by default; AccountID owns every bucket.
	Region, AccountID string
	Logger            *slog.Logger
	// Endpoint is the simulator's URL: its host name (when not an IP address) also addresses
	// buckets virtual-hosted-style, and CreateBucket's Location points at it.
	Endpoint func() string
	// LambdaPolicy checks Lambda destinations; nil refuses every one, as S3 refuses a function whose
	// policy does not allow it.
	LambdaPolicy LambdaPolicy
	// MaxObjectSize caps the body of one PutObject or UploadPart, and an object assembled by
	// CompleteMultipartUpload; default 512 MiB (AWS: 5 GiB per PUT, 5 TiB per object). A body is
	// held in memory while it is verified and stored (measured: a 256 MiB PUT peaks near 1.3 GB
	// of process memory), so the simulator's cap is lower; above it S3's EntityTooLarge answers.
	MaxObjectSize int64
	// VirtualHostSuffixes are the host names under which "<bucket>.<suffix>" names a bucket;
	// default "localhost" and "127.0.0.1".
	VirtualHostSuffixes []string
}

// Service is the simulated S3.
type Service struct {
	cfg     Config
	store   *store.Store
	clock   clock.Clock
	log     *slog.Logger
	ownerID string // the account's canonical user ID, as buckets and objects show their owner

	ctx       context.Context
	cancel    context.CancelFunc
	wake      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

var _ http.Handler = (*Service)(nil)

// New builds the service and starts its notification worker, which resumes the deliveries a
// previous run left in the store.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("s3: a store is required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
	}
	if cfg.Bus == nil {
		cfg.Bus = deliver.NewBus()
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.AccountID == "" {
		cfg.AccountID = "000000000000"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxObjectSize <= 0 {
		cfg.MaxObjectSize = defaultMaxObject
	}
	if cfg.MaxObjectSize > awsMaxPutObject {
		cfg.MaxObjectSize = awsMaxPutObject
	}
	sum := sha256.Sum256([]byte("lambdatrigger-simulator-canonical-user:" + cfg.AccountID))
	s := &Service{
		cfg:     cfg,
		store:   cfg.Store,
		clock:   cfg.Clock,
		log:     cfg.Logger.With("service", "s3"),
		ownerID: hex.EncodeToString(sum[:]),
		wake:    make(chan struct{}, 1),
		done:    make(chan struct{}),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	go s.runOutbox()
	return s, nil
}

// Register adds S3's routes: virtual-hosted-style requests by Host header, and everything signed
// for the "s3" service (path-style requests, presigned URLs).
func (s *Service) Register(r *server.Router) {
	r.Host(func(host string) bool { _, ok := s.BucketFromHost(host); return ok }, s)
	r.Service("s3", s)
}

// Close stops the notification worker; undelivered notifications stay in the store for the next run.
func (s *Service) Close() error {
	s.closeOnce.Do(func() {
		s.cancel()
		<-s.done
	})
	return nil
}

// call is one request being served.
type call struct {
	w       http.ResponseWriter
	r       *http.Request
	ctx     context.Context
	bucket  string
	key     string
	q       url.Values
	reqID   string
	hostID  string
	virtual bool
}

// handler serves one operation; it writes the answer itself or returns the error to write.
type handler func(c *call) *awswire.Error

func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{w: w, r: r, ctx: r.Context(), q: r.URL.Query(), reqID: awswire.RequestID(r.Context()), hostID: newHostID()}
	w.Header().Set("X-Amz-Id-2", c.hostID)
	w.Header().Set("Server", "AmazonS3")
	c.bucket, c.key, c.virtual = s.address(r)
	// Every bucket belongs to the simulated account; a request that expects another owner is
	// refused as S3 refuses it (403 AccessDenied).
	if owner := r.Header.Get("X-Amz-Expected-Bucket-Owner"); owner != "" && owner != s.cfg.AccountID && c.bucket != "" {
		s.writeError(c, errAccessDenied())
		return
	}
	h := s.route(c)
	if e := h(c); e != nil {
		s.writeError(c, e)
	}
}

func (s *Service) writeError(c *call, e *awswire.Error) {
	if e.Status >= 500 && e.Status != http.StatusNotImplemented {
		s.log.Error("request failed", "method", c.r.Method, "path", c.r.URL.Path, "code", e.Code, "error", e.Message)
	}
	if e.Status == http.StatusNotModified {
		c.w.WriteHeader(http.StatusNotModified)
		return
	}
	awswire.WriteRestXMLError(c.w, c.r, e)
}

// newHostID is the x-amz-id-2 of an answer (S3's "host ID"): opaque base64.
func newHostID() string {
	var b [48]byte
	rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

// route picks the operation: by whether a bucket and a key are named, the method, and the
// sub-resource in the query string.
func (s *Service) route(c *call) handler {
	m := c.r.Method
	switch {
	case c.bucket == "":
		if m == http.MethodGet {
			return s.handleListBuckets
		}
		return methodNotAllowed("SERVICE")
	case c.key == "":
		return s.routeBucket(c)
	default:
		return s.routeObject(c)
	}
}

func methodNotAllowed(resource string) handler {
	return func(c *call) *awswire.Error { return errMethodNotAllowed(c.r.Method, resource) }
}

// subresource returns the first of names present in the query string.
func (c *call) subresource(names []string) string {
	for _, n := range names {
		if _, ok := c.q[n]; ok {
			return n
		}
	}
	return ""
}

// bucketSubresources are the query parameters that select a bucket sub-resource operation.
var bucketSubresources = []string{
	"notification", "location", "versions", "uploads", "delete", "versioning", "acl", "policy",
	"policyStatus", "tagging", "cors", "website", "lifecycle", "replication", "encryption", "logging",
	"accelerate", "requestPayment", "object-lock", "ownershipControls", "publicAccessBlock",
	"analytics", "metrics", "inventory", "intelligent-tiering", "metadataConfiguration",
	"metadataTable", "abac", "session",
}

func (s *Service) routeBucket(c *call) handler {
	m := c.r.Method
	sub := c.subresource(bucketSubresources)
	switch sub {
	case "":
		switch m {
		case http.MethodPut:
			return s.handleCreateBucket
		case http.MethodDelete:
			return s.handleDeleteBucket
		case http.MethodHead:
			return s.handleHeadBucket
		case http.MethodGet:
			if c.q.Get("list-type") == "2" {
				return s.handleListObjectsV2
			}
			return s.handleListObjects
		case http.MethodPost:
			return notImplemented("PostObject (browser-based uploads)")
		}
	case "notification":
		switch m {
		case http.MethodGet:
			return s.handleGetBucketNotificationConfiguration
		case http.MethodPut:
			return s.handlePutBucketNotificationConfiguration
		}
	case "location":
		if m == http.MethodGet {
			return s.handleGetBucketLocation
		}
	case "versions":
		if m == http.MethodGet {
			return s.handleListObjectVersions
		}
	case "uploads":
		if m == http.MethodGet {
			return s.handleListMultipartUploads
		}
	case "delete":
		if m == http.MethodPost {
			return s.handleDeleteObjects
		}
	default:
		return s.routeBucketDefaults(sub)
	}
	return methodNotAllowed("BUCKET")
}

// objectSubresources are the query parameters that select an object sub-resource operation.
var objectSubresources = []string{
	"uploads", "uploadId", "tagging", "acl", "attributes", "retention", "legal-hold", "restore",
	"torrent", "select", "renameObject", "annotation", "encryption",
}

func (s *Service) routeObject(c *call) handler {
	m := c.r.Method
	switch sub := c.subresource(objectSubresources); sub {
	case "":
		switch m {
		case http.MethodPut:
			if c.r.Header.Get("X-Amz-Copy-Source") != "" {
				return s.handleCopyObject
			}
			return s.handlePutObject
		case http.MethodGet, http.MethodHead:
			return s.handleGetObject
		case http.MethodDelete:
			return s.handleDeleteObject
		case http.MethodPost:
			return notImplemented("POST on an object")
		}
	case "uploads":
		if m == http.MethodPost {
			return s.handleCreateMultipartUpload
		}
	case "uploadId":
		switch m {
		case http.MethodPut:
			if c.r.Header.Get("X-Amz-Copy-Source") != "" {
				return notImplemented("UploadPartCopy")
			}
			return s.handleUploadPart
		case http.MethodPost:
			return s.handleCompleteMultipartUpload
		case http.MethodDelete:
			return s.handleAbortMultipartUpload
		case http.MethodGet:
			return s.handleListParts
		}
	case "tagging":
		if m == http.MethodGet {
			return s.handleGetObjectTagging
		}
		return notImplemented(operationName(m, "ObjectTagging"))
	case "acl":
		if m == http.MethodGet {
			return s.handleGetObjectACL
		}
		return notImplemented(operationName(m, "ObjectAcl"))
	default:
		return notImplemented(fmt.Sprintf("the object sub-resource ?%s", sub))
	}
	return methodNotAllowed("OBJECT")
}

func notImplemented(what string) handler {
	return func(*call) *awswire.Error { return errNotImplemented(what) }
}

// operationName names the operation of a method on a sub-resource, for NotImplemented answers.
func operationName(method, resource string) string {
	switch method {
	case http.MethodGet, http.MethodHead:
		return "Get" + resource
	case http.MethodPut:
		return "Put" + resource
	case http.MethodDelete:
		return "Delete" + resource
	}
	return strings.ToUpper(method) + " " + resource
}

// withBucket loads the request's bucket or answers NoSuchBucket.
func (s *Service) withBucket(c *call) (*bucketRecord, *awswire.Error) {
	var b *bucketRecord
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		b, err = getBucket(tx, c.bucket)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNoSuchBucket(c.bucket)
	}
	if err != nil {
		return nil, errInternal(err)
	}
	return b, nil
}

// bucketARN is arn:aws:s3:::<bucket>, the SourceArn of S3's deliveries.
func bucketARN(bucket string) string { return "arn:aws:s3:::" + bucket }
