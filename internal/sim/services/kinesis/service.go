package kinesis

import (
	"context"
	"crypto/rand"
	"encoding/json"
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

// TargetPrefix is the X-Amz-Target prefix of Kinesis requests (awsJson 1.1).
const TargetPrefix = "Kinesis_20131202."

// SigningName is Kinesis' SigV4 service name.
const SigningName = "kinesis"

// Config configures the simulated Kinesis Data Streams.
type Config struct {
	// Store holds every stream, shard and record; required.
	Store *store.Store
	// Clock drives status transitions, iterator expiry, retention and throughput windows;
	// default the wall clock.
	Clock clock.Clock
	// Bus is unused for now: nothing delivers to Kinesis yet (kept for the common shape).
	Bus *deliver.Bus
	// Region and AccountID are the simulated account's; defaults us-east-1 and 000000000000.
	Region    string
	AccountID string
	// Logger receives the service's logs; default slog.Default().
	Logger *slog.Logger
	// Endpoint is the simulator's URL (unused by Kinesis, kept for the common shape).
	Endpoint func() string

	// CreateDelay is how long a new stream stays CREATING; UpdateDelay how long a reshard keeps
	// it UPDATING; DeleteDelay how long it stays DELETING. Zero means 200 ms; a negative value
	// makes the transition immediate. AWS takes seconds to minutes; waiters only need to see it.
	CreateDelay, UpdateDelay, DeleteDelay time.Duration
	// ShardQuota is the account's open-shard quota for provisioned streams (LimitExceededException
	// beyond it); default 20,000, AWS's default in us-east-1, us-west-2 and eu-west-1.
	ShardQuota int
	// Throughput, when set, enforces AWS's per-shard throughput limits with
	// ProvisionedThroughputExceededException. nil (the default) leaves them off, since tests
	// rarely want them; DefaultThroughput() gives AWS's figures.
	Throughput *Throughput
	// TrimInterval is how often records past the retention period are removed from the store
	// (they are invisible to readers from the moment they expire); default one minute.
	TrimInterval time.Duration
	// OnRecords, when set, is called with the stream's ARN after PutRecord or PutRecords stored
	// records, so that Lambda's pollers read them at once instead of at their next poll.
	OnRecords func(streamARN string)
}

// Service is the simulated Amazon Kinesis Data Streams.
type Service struct {
	cfg         Config
	clock       clock.Clock
	log         *slog.Logger
	store       *store.Store
	iteratorKey []byte

	mu      sync.RWMutex
	streams map[string]*stream // by name; only the committer goroutine writes
	nextDue int64              // earliest DueMS of any stream, 0 if none; guarded by mu

	writes  chan *writeOp
	wake    chan struct{}
	closing chan struct{}
	done    chan struct{}   // closed when the committer has stopped
	ctx     context.Context // ends when the service closes
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	once    sync.Once

	throttle *throttle
	api      *awswire.JSONService
}

var _ http.Handler = (*Service)(nil)

const defaultDelay = 200 * time.Millisecond

// New opens the service over the store: it reloads every stream, shard and counter, and
// resumes the status transitions that were in progress.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("kinesis: a store is required")
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
	if cfg.ShardQuota <= 0 {
		cfg.ShardQuota = 20000
	}
	if cfg.TrimInterval <= 0 {
		cfg.TrimInterval = time.Minute
	}
	s := &Service{
		cfg: cfg, clock: cfg.Clock, log: cfg.Logger.With("service", "kinesis"), store: cfg.Store,
		streams: map[string]*stream{},
		writes:  make(chan *writeOp, 1024), wake: make(chan struct{}, 1),
		closing: make(chan struct{}), done: make(chan struct{}),
		throttle: newThrottle(cfg.Throughput),
	}
	if err := s.load(); err != nil {
		return nil, err
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.api = &awswire.JSONService{
		Version:          "1.1",
		TargetPrefix:     TargetPrefix,
		MaxBody:          maxRequestBody,
		Ops:              s.ops(),
		UnknownOperation: errUnknownOperation,
	}
	s.wg.Add(2)
	go s.commitLoop()
	go s.scheduleLoop()
	return s, nil
}

// maxRequestBody bounds a request: a 10 MiB PutRecords is about 14 MiB once base64 and JSON.
const maxRequestBody = 16 << 20

func (s *Service) ops() map[string]awswire.JSONOp {
	return map[string]awswire.JSONOp{
		"CreateStream":                  awswire.Op(s.CreateStream),
		"DeleteStream":                  awswire.Op(s.DeleteStream),
		"DescribeStream":                awswire.Op(s.DescribeStream),
		"DescribeStreamSummary":         awswire.Op(s.DescribeStreamSummary),
		"ListStreams":                   awswire.Op(s.ListStreams),
		"ListShards":                    awswire.Op(s.ListShards),
		"DescribeLimits":                awswire.Op(s.DescribeLimits),
		"PutRecord":                     awswire.Op(s.PutRecord),
		"PutRecords":                    awswire.Op(s.PutRecords),
		"GetShardIterator":              awswire.Op(s.GetShardIterator),
		"GetRecords":                    awswire.Op(s.GetRecords),
		"IncreaseStreamRetentionPeriod": awswire.Op(s.IncreaseStreamRetentionPeriod),
		"DecreaseStreamRetentionPeriod": awswire.Op(s.DecreaseStreamRetentionPeriod),
		"AddTagsToStream":               awswire.Op(s.AddTagsToStream),
		"RemoveTagsFromStream":          awswire.Op(s.RemoveTagsFromStream),
		"ListTagsForStream":             awswire.Op(s.ListTagsForStream),
		"UpdateShardCount":              awswire.Op(s.UpdateShardCount),
		"SplitShard":                    awswire.Op(s.SplitShard),
		"MergeShards":                   awswire.Op(s.MergeShards),
		"UpdateMaxRecordSize":           awswire.Op(s.UpdateMaxRecordSize),
		"TagResource":                   awswire.Op(s.TagResource),
		"UntagResource":                 awswire.Op(s.UntagResource),
		"ListTagsForResource":           awswire.Op(s.ListTagsForResource),
	}
}

// Register adds Kinesis' routes: its X-Amz-Target prefix, and requests signed for "kinesis"
// that carry none (which then get UnknownOperationException, never another service's answer).
func (s *Service) Register(r *server.Router) {
	r.Target(TargetPrefix, s)
	r.Service(SigningName, s)
}

// ServeHTTP serves awsJson 1.1, and the CBOR form of the same protocol that the AWS SDK for
// Java (and so the KCL) sends by default (cbor.go).
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isCBOR(r.Header.Get("Content-Type")) {
		s.serveCBOR(w, r)
		return
	}
	s.api.ServeHTTP(w, r)
}

// Close stops the service's goroutines; it does not close the store, which the caller owns.
// Requests still waiting for a commit get an error: nothing is acknowledged that was not stored.
func (s *Service) Close() error {
	s.once.Do(func() {
		close(s.closing)
		s.cancel()
	})
	s.wg.Wait()
	return nil
}

func (s *Service) nowMS() int64 { return s.clock.Now().UnixMilli() }

func (s *Service) streamARN(name string) string {
	return "arn:aws:kinesis:" + s.cfg.Region + ":" + s.cfg.AccountID + ":stream/" + name
}

// load rebuilds the in-memory streams from the store.
func (s *Service) load() error {
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
			return fmt.Errorf("kinesis: iterator key: %w", err)
		}
		s.iteratorKey = key
		err = tx.ForEach(bucketStreams, "", func(name string, value []byte) error {
			st := &stream{}
			if err := json.Unmarshal(value, &st.rec); err != nil {
				return fmt.Errorf("kinesis: decoding stream %s: %w", name, err)
			}
			st.rebuild()
			for _, sh := range st.shards {
				var c counterRec
				err := tx.Get(bucketCounters, counterKey(st.rec.Incarnation, sh.rec.Index), &c)
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
				sh.last, sh.lastMS = c.Last, c.LastMS
			}
			s.streams[name] = st
			return nil
		})
		if err != nil {
			return err
		}
		s.recomputeDue()
		return nil
	})
}

// recomputeDue refreshes nextDue; callers hold mu (or are New).
func (s *Service) recomputeDue() {
	s.nextDue = 0
	for _, st := range s.streams {
		if st.rec.DueMS != 0 && (s.nextDue == 0 || st.rec.DueMS < s.nextDue) {
			s.nextDue = st.rec.DueMS
		}
	}
}

// resolveStream turns a request's StreamName and/or StreamARN into a stream name, after the
// caller validated their patterns. An ARN of another account or Region names a stream that does
// not exist here.
func (s *Service) resolveStream(name, arn *string) (string, *awswire.Error) {
	n := deref(name)
	if arn == nil || *arn == "" {
		if n == "" {
			// ours: the text of AWS's answer to a request naming no stream was not found.
			return "", errInvalidArgument("Either StreamName or StreamARN should be provided.")
		}
		return n, nil
	}
	parts := strings.SplitN(*arn, ":", 6)
	resource, _ := strings.CutPrefix(parts[len(parts)-1], "stream/")
	if len(parts) != 6 || parts[3] != s.cfg.Region || parts[4] != s.cfg.AccountID {
		account := ""
		if len(parts) == 6 {
			account = parts[4]
		}
		return "", errStreamNotFound(resource, account)
	}
	if n != "" && n != resource {
		// ours: AWS documents that both may be given, not what it answers when they disagree.
		return "", errInvalidArgument("StreamARN %s and StreamName %s do not name the same stream.", *arn, n)
	}
	return resource, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func derefInt(p *int32, def int) int {
	if p == nil {
		return def
	}
	return int(*p)
}

func timestamp(ms int64) awswire.Timestamp {
	return awswire.Timestamp(float64(ms) / 1000)
}

func timestampMS(t awswire.Timestamp) int64 {
	return int64(float64(t)*1000 + 0.5)
}
