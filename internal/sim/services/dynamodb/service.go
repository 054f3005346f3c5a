package dynamodb

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// TargetPrefix is the X-Amz-Target prefix of DynamoDB requests (awsJson 1.0).
const TargetPrefix = "DynamoDB_20120810."

// StreamsTargetPrefix is the X-Amz-Target prefix of DynamoDB Streams requests (awsJson 1.0).
const StreamsTargetPrefix = "DynamoDBStreams_20120810."

// SigningName is the SigV4 service name of both DynamoDB and DynamoDB Streams.
const SigningName = "dynamodb"

// namespace prefixes error codes in __type.
const namespace = "com.amazonaws.dynamodb.v20120810"

// Config configures the simulated DynamoDB and DynamoDB Streams.
type Config struct {
	// Store holds every table, item, stream and stream record; required.
	Store *store.Store
	// Clock drives table and stream status transitions, stream retention, shard rolls and
	// iterator expiry; default the wall clock.
	Clock clock.Clock
	// Bus is unused: nothing delivers to DynamoDB (kept for the common shape). The
	// event-source-mapping poller reads streams through the internal API (internal.go).
	Bus *deliver.Bus
	// Region and AccountID are the simulated account's; defaults us-east-1 and 000000000000.
	Region    string
	AccountID string
	// Logger receives the service's logs; default slog.Default().
	Logger *slog.Logger
	// Endpoint is the simulator's URL (unused, kept for the common shape).
	Endpoint func() string

	// CreateDelay is how long a new table stays CREATING (and its stream ENABLING); UpdateDelay
	// how long UpdateTable keeps it UPDATING (and a stream ENABLING or DISABLING); DeleteDelay
	// how long a table stays DELETING. Zero means 200 ms; a negative value makes the transition
	// immediate. AWS takes seconds; waiters only need to see the states.
	CreateDelay, UpdateDelay, DeleteDelay time.Duration
	// ShardRollInterval is how old a stream's open shard may grow before the next write closes
	// it and opens a child (AWS rolls shards about every four hours); default 4 hours, negative
	// never rolls.
	ShardRollInterval time.Duration
	// CleanupInterval is how often completed deletions and stream records past the 24-hour
	// retention are removed from the store (they are invisible from the moment they expire);
	// default one minute.
	CleanupInterval time.Duration
	// EnforceThroughput, when set, answers ProvisionedThroughputExceededException to requests
	// beyond a PROVISIONED table's read or write capacity units in the current second. Off by
	// default: tests rarely want it, and AWS's burst and adaptive capacity make it approximate.
	EnforceThroughput bool
}

// Service is the simulated Amazon DynamoDB and DynamoDB Streams.
type Service struct {
	cfg         Config
	clock       clock.Clock
	log         *slog.Logger
	store       *store.Store
	iteratorKey []byte
	commits     *store.Committer
	throttle    *throttle

	ddb     *awswire.JSONService
	streams *awswire.JSONService

	closing chan struct{}
	wg      sync.WaitGroup
	once    sync.Once
}

var _ http.Handler = (*Service)(nil)

const defaultDelay = 200 * time.Millisecond

// New opens the service over the store. Tables, items, streams and the sequence counter are read
// from the store as requests need them, so a restart resumes where the service stopped; status
// transitions that fell due while it was down have happened (they are lazy, see model.go).
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("dynamodb: a store is required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
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
	for _, d := range []*time.Duration{&cfg.CreateDelay, &cfg.UpdateDelay, &cfg.DeleteDelay} {
		switch {
		case *d == 0:
			*d = defaultDelay
		case *d < 0:
			*d = 0
		}
	}
	if cfg.ShardRollInterval == 0 {
		cfg.ShardRollInterval = 4 * time.Hour
	}
	if cfg.CleanupInterval <= 0 {
		cfg.CleanupInterval = time.Minute
	}
	s := &Service{
		cfg: cfg, clock: cfg.Clock, log: cfg.Logger.With("service", "dynamodb"), store: cfg.Store,
		commits: store.NewCommitter(cfg.Store), throttle: newThrottle(),
		closing: make(chan struct{}),
	}
	if err := s.loadKey(); err != nil {
		return nil, err
	}
	s.ddb = &awswire.JSONService{
		Version: "1.0", TargetPrefix: TargetPrefix, Namespace: namespace,
		Ops: s.ddbOps(), UnknownOperation: errUnknownOperation,
	}
	s.streams = &awswire.JSONService{
		Version: "1.0", TargetPrefix: StreamsTargetPrefix, Namespace: namespace,
		Ops: s.streamsOps(), UnknownOperation: errUnknownOperation,
	}
	s.wg.Add(1)
	go s.janitorLoop()
	return s, nil
}

func (s *Service) ddbOps() map[string]awswire.JSONOp {
	return map[string]awswire.JSONOp{
		"CreateTable":        awswire.Op(s.CreateTable),
		"DescribeTable":      awswire.Op(s.DescribeTable),
		"ListTables":         awswire.Op(s.ListTables),
		"UpdateTable":        awswire.Op(s.UpdateTable),
		"DeleteTable":        awswire.Op(s.DeleteTable),
		"PutItem":            awswire.Op(s.PutItem),
		"GetItem":            awswire.Op(s.GetItem),
		"UpdateItem":         awswire.Op(s.UpdateItem),
		"DeleteItem":         awswire.Op(s.DeleteItem),
		"Query":              awswire.Op(s.Query),
		"Scan":               awswire.Op(s.Scan),
		"BatchWriteItem":     awswire.Op(s.BatchWriteItem),
		"BatchGetItem":       awswire.Op(s.BatchGetItem),
		"TagResource":        awswire.Op(s.TagResource),
		"UntagResource":      awswire.Op(s.UntagResource),
		"ListTagsOfResource": awswire.Op(s.ListTagsOfResource),
		"DescribeTimeToLive": awswire.Op(s.DescribeTimeToLive),
		"DescribeLimits":     awswire.Op(s.DescribeLimits),
	}
}

func (s *Service) streamsOps() map[string]awswire.JSONOp {
	return map[string]awswire.JSONOp{
		"ListStreams":      awswire.Op(s.ListStreams),
		"DescribeStream":   awswire.Op(s.DescribeStream),
		"GetShardIterator": awswire.Op(s.GetShardIterator),
		"GetRecords":       awswire.Op(s.GetRecords),
	}
}

// Register adds the routes of DynamoDB and DynamoDB Streams: their X-Amz-Target prefixes, and
// requests signed for "dynamodb" that carry neither (which get UnknownOperationException).
func (s *Service) Register(r *server.Router) {
	r.Target(TargetPrefix, s)
	r.Target(StreamsTargetPrefix, s)
	r.Service(SigningName, s)
}

// ServeHTTP routes by X-Amz-Target to DynamoDB or DynamoDB Streams (both are signed for
// "dynamodb"), and adds the X-Amz-Crc32 header the SDKs check on DynamoDB answers.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	api := s.ddb
	if strings.HasPrefix(r.Header.Get("X-Amz-Target"), StreamsTargetPrefix) {
		api = s.streams
	}
	withCRC32(api).ServeHTTP(w, r)
}

// Close stops the janitor; it does not close the store, which the caller owns.
func (s *Service) Close() error {
	s.once.Do(func() { close(s.closing) })
	s.wg.Wait()
	return nil
}

func (s *Service) nowMS() int64 { return s.clock.Now().UnixMilli() }

func (s *Service) tableARN(name string) string {
	return "arn:aws:dynamodb:" + s.cfg.Region + ":" + s.cfg.AccountID + ":table/" + name
}

// tableFromARN returns the table name of a table ARN of this account and Region.
func (s *Service) tableFromARN(arn string) (string, bool) {
	name, ok := strings.CutPrefix(arn, s.tableARN(""))
	if !ok || name == "" || strings.Contains(name, "/") {
		return "", false
	}
	return name, true
}

func (s *Service) loadKey() error {
	return s.store.Update(func(tx *store.Tx) error {
		key, err := tx.GetRaw(bucketMeta, "iterator-key")
		if errors.Is(err, store.ErrNotFound) {
			key = make([]byte, 32)
			if _, err := rand.Read(key); err != nil {
				return err
			}
			err = tx.PutRaw(bucketMeta, "iterator-key", key)
		}
		if err != nil {
			return fmt.Errorf("dynamodb: iterator key: %w", err)
		}
		s.iteratorKey = key
		return nil
	})
}

// view runs fn in a read transaction, turning a store failure into InternalServerError.
func (s *Service) view(fn func(tx *store.Tx) *awswire.Error) *awswire.Error {
	var e *awswire.Error
	if err := s.store.View(func(tx *store.Tx) error {
		e = fn(tx)
		return nil
	}); err != nil {
		return errInternal(err)
	}
	return e
}

// update runs fn in a write transaction of its own (table operations). fn's *awswire.Error
// rolls the transaction back.
func (s *Service) update(fn func(tx *store.Tx) *awswire.Error) *awswire.Error {
	var e *awswire.Error
	err := s.store.Update(func(tx *store.Tx) error {
		e = fn(tx)
		if e != nil {
			return errRollback
		}
		return nil
	})
	if e != nil {
		return e
	}
	if err != nil {
		return errInternal(err)
	}
	return nil
}

// errRollback aborts a transaction whose operation answered an AWS error.
var errRollback = errors.New("dynamodb: rolled back")
