package esm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/pattern"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/kinesis"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// The Kinesis poller follows https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html and
// services-kinesis-errors.html (SEMANTICS.md C3): each shard is read in order from its durable
// checkpoint, once per second; a parent shard is finished before its children start; a failed
// batch is retried whole (blocking its shard) until it succeeds, MaximumRetryAttempts is
// exhausted or its records pass MaximumRecordAgeInSeconds; BisectBatchOnFunctionError halves a
// failed batch without counting a retry; ReportBatchItemFailures checkpoints just before the
// lowest failed sequence number; a discarded batch's metadata goes to the OnFailure destination.

// CheckpointBucket holds stream checkpoints, keyed "<uuid>/<shardId>".
const CheckpointBucket = "esm/checkpoints"

// KinesisPollInterval is how often a shard is polled (AWS: once per second per shard).
const KinesisPollInterval = time.Second

// KinesisReader is the stream API the Kinesis poller uses; *kinesis.Service implements it.
type KinesisReader interface {
	Kinesis
	ListShardsInternal(streamARN string) ([]kinesis.StreamShard, error)
	ReadInternal(streamARN, shardID, afterSeq string, limit int) ([]kinesis.StreamRecord, error)
	PositionInternal(streamARN, shardID, startingPosition string, at time.Time) (string, error)
}

// checkpoint is a shard's durable progress: records after Seq are still to be processed.
type checkpoint struct {
	Seq      string `json:"seq"`
	Finished bool   `json:"finished"` // a closed shard read to its end
}

type kinesisPoller struct {
	s         *Service
	src       KinesisReader
	r         *record
	stream    string
	fn        string
	batch     int
	window    time.Duration
	retries   int // -1 infinite
	maxAge    time.Duration
	bisect    bool
	partial   bool
	filters   []*pattern.Pattern
	onFailure string
	region    string
	role      string
}

func newKinesisPoller(s *Service, src KinesisReader, r *record) *kinesisPoller {
	c := &r.Config
	p := &kinesisPoller{s: s, src: src, r: r, stream: c.EventSourceArn, fn: r.FunctionName, batch: int(*c.BatchSize),
		retries: -1, region: regionOf(c.EventSourceArn), filters: compileFilters(c.FilterCriteria)}
	if c.MaximumBatchingWindowInSeconds != nil {
		p.window = time.Duration(*c.MaximumBatchingWindowInSeconds) * time.Second
	}
	if c.MaximumRetryAttempts != nil {
		p.retries = int(*c.MaximumRetryAttempts)
	}
	if c.MaximumRecordAgeInSeconds != nil && *c.MaximumRecordAgeInSeconds > 0 {
		p.maxAge = time.Duration(*c.MaximumRecordAgeInSeconds) * time.Second
	}
	p.bisect = c.BisectBatchOnFunctionError != nil && *c.BisectBatchOnFunctionError
	for _, t := range c.FunctionResponseTypes {
		p.partial = p.partial || t == "ReportBatchItemFailures"
	}
	if d := c.DestinationConfig; d != nil && d.OnFailure != nil && d.OnFailure.Destination != nil {
		p.onFailure = *d.OnFailure.Destination
	}
	if role, err := s.cfg.Functions.FunctionRole(r.FunctionName); err == nil {
		p.role = role
	}
	return p
}

// run starts a worker per shard whose parents are finished, rechecking the shard list each poll.
func (p *kinesisPoller) run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	started := map[string]bool{}
	for ctx.Err() == nil {
		shards, err := p.src.ListShardsInternal(p.stream)
		if err != nil {
			p.s.setResult(p.r.Config.UUID, "PROBLEM: "+err.Error())
		}
		known := map[string]bool{}
		for _, sh := range shards {
			known[sh.ShardID] = true
		}
		for _, sh := range shards {
			if started[sh.ShardID] || !p.parentsDone(sh, known) {
				continue
			}
			started[sh.ShardID] = true
			child := sh.ParentShardID != "" && known[sh.ParentShardID]
			wg.Add(1)
			go func() {
				defer wg.Done()
				p.shard(ctx, sh, child)
			}()
		}
		if p.s.cfg.Clock.Sleep(ctx, KinesisPollInterval) != nil {
			return
		}
	}
}

// parentsDone reports whether the shard's parents (those still listed) are finished.
func (p *kinesisPoller) parentsDone(sh kinesis.StreamShard, known map[string]bool) bool {
	for _, parent := range []string{sh.ParentShardID, sh.AdjacentParentShardID} {
		if parent == "" || !known[parent] {
			continue
		}
		cp, ok := p.loadCheckpoint(parent)
		if !ok || !cp.Finished {
			return false
		}
	}
	return true
}

func (p *kinesisPoller) key(shardID string) string { return p.r.Config.UUID + "/" + shardID }

func (p *kinesisPoller) loadCheckpoint(shardID string) (checkpoint, bool) {
	var cp checkpoint
	err := p.s.cfg.Store.View(func(tx *store.Tx) error { return tx.Get(CheckpointBucket, p.key(shardID), &cp) })
	return cp, err == nil
}

func (p *kinesisPoller) saveCheckpoint(shardID string, cp checkpoint) {
	if err := p.s.cfg.Store.Update(func(tx *store.Tx) error { return tx.Put(CheckpointBucket, p.key(shardID), cp) }); err != nil {
		p.s.cfg.Logger.Error("saving a stream checkpoint", "uuid", p.r.Config.UUID, "shard", shardID, "error", err)
	}
}

// shard processes one shard from its checkpoint until it is finished or ctx ends.
func (p *kinesisPoller) shard(ctx context.Context, sh kinesis.StreamShard, child bool) {
	cp, ok := p.loadCheckpoint(sh.ShardID)
	if !ok {
		// The first read of a shard: the mapping's starting position, or the start of a child
		// shard (its parent was read to its end). Saved at once, so LATEST means "as of now"
		// even after a restart.
		pos := p.r.Config.StartingPosition
		if child {
			pos = "TRIM_HORIZON"
		}
		var at time.Time
		if ts := p.r.Config.StartingPositionTimestamp; ts != nil {
			at = time.UnixMilli(int64(float64(*ts) * 1000))
		}
		seq, err := p.src.PositionInternal(p.stream, sh.ShardID, pos, at)
		if err != nil {
			p.s.cfg.Logger.Warn("positioning a shard", "uuid", p.r.Config.UUID, "shard", sh.ShardID, "error", err)
			return
		}
		cp = checkpoint{Seq: seq}
		p.saveCheckpoint(sh.ShardID, cp)
	}
	attempts := 0 // invocations of the current batch that failed
	limit := p.batch
	var firstSeen time.Time
	for ctx.Err() == nil && !cp.Finished {
		recs, err := p.src.ReadInternal(p.stream, sh.ShardID, cp.Seq, limit)
		if errors.Is(err, kinesis.ErrShardNotFound) {
			return
		}
		if err != nil {
			p.s.cfg.Logger.Warn("reading a shard", "uuid", p.r.Config.UUID, "shard", sh.ShardID, "error", err)
			if p.s.cfg.Clock.Sleep(ctx, KinesisPollInterval) != nil {
				return
			}
			continue
		}
		if len(recs) == 0 {
			if sh.Closed || p.closed(sh.ShardID) {
				cp.Finished = true
				p.saveCheckpoint(sh.ShardID, cp)
				return
			}
			if p.s.cfg.Clock.Sleep(ctx, KinesisPollInterval) != nil {
				return
			}
			continue
		}
		// Batching window: a batch that is not full waits for the window to end.
		if len(recs) < limit && p.window > 0 && attempts == 0 {
			now := p.s.cfg.Clock.Now()
			if firstSeen.IsZero() {
				firstSeen = now
			}
			if wait := firstSeen.Add(p.window).Sub(now); wait > 0 {
				if p.s.cfg.Clock.Sleep(ctx, min(wait, KinesisPollInterval)) != nil {
					return
				}
				continue
			}
		}
		firstSeen = time.Time{}
		// Records past MaximumRecordAgeInSeconds are discarded before they are sent.
		if p.maxAge > 0 {
			cutoff := p.s.cfg.Clock.Now().Add(-p.maxAge)
			n := 0
			for n < len(recs) && recs[n].ApproximateArrivalTimestamp.Before(cutoff) {
				n++
			}
			if n > 0 {
				p.discard(ctx, sh.ShardID, recs[:n], "RecordAgeExceeded", attempts, nil)
				cp.Seq = recs[n-1].SequenceNumber
				p.saveCheckpoint(sh.ShardID, cp)
				attempts, limit = 0, p.batch
				continue
			}
		}
		// Filtered-out records are skipped; the checkpoint moves past them.
		batch := p.filter(recs)
		if len(batch) == 0 {
			cp.Seq = recs[len(recs)-1].SequenceNumber
			p.saveCheckpoint(sh.ShardID, cp)
			continue
		}
		last := recs[len(recs)-1].SequenceNumber
		outcome, res, failedAt := p.invoke(ctx, sh.ShardID, batch, attempts+1)
		switch outcome {
		case outcomeOK:
			cp.Seq = last
			p.saveCheckpoint(sh.ShardID, cp)
			attempts, limit = 0, p.batch
			continue
		case outcomeNotInvoked:
			// Throttles and service errors do not count as retries.
			if p.s.cfg.Clock.Sleep(ctx, KinesisPollInterval) != nil {
				return
			}
			continue
		case outcomePartial:
			// Records before the lowest failed one are done; retry from it.
			if before, err := kinesis.CheckpointBefore(failedAt); err == nil && before != cp.Seq {
				cp.Seq = before
				p.saveCheckpoint(sh.ShardID, cp)
			}
		}
		attempts++
		if p.bisect && len(recs) > 1 {
			// Halve the failed batch; the halves do not count as retries.
			limit = (len(recs) + 1) / 2
			attempts--
			if attempts < 0 {
				attempts = 0
			}
			if limit < len(recs) {
				continue
			}
		}
		if p.retries >= 0 && attempts > p.retries {
			p.discard(ctx, sh.ShardID, recs, "RetryAttemptsExhausted", attempts, &res)
			cp.Seq = last
			p.saveCheckpoint(sh.ShardID, cp)
			attempts, limit = 0, p.batch
			continue
		}
		if p.s.cfg.Clock.Sleep(ctx, KinesisPollInterval) != nil {
			return
		}
	}
}

// closed re-reads whether the shard is closed (it may have been split since the worker started).
func (p *kinesisPoller) closed(shardID string) bool {
	shards, err := p.src.ListShardsInternal(p.stream)
	if err != nil {
		return false
	}
	for _, sh := range shards {
		if sh.ShardID == shardID {
			return sh.Closed
		}
	}
	return false
}

func (p *kinesisPoller) filter(recs []kinesis.StreamRecord) []kinesis.StreamRecord {
	if len(p.filters) == 0 {
		return recs
	}
	var out []kinesis.StreamRecord
	for _, r := range recs {
		var data any = string(r.Data)
		if v, err := decodeJSON(r.Data); err == nil {
			data = v
		}
		if matchAny(p.filters, map[string]any{"partitionKey": r.PartitionKey, "sequenceNumber": r.SequenceNumber, "data": data}) {
			out = append(out, r)
		}
	}
	return out
}

type outcome int

const (
	outcomeOK outcome = iota
	outcomeFailed
	outcomePartial
	outcomeNotInvoked
)

// kinesisRecord is one record of Lambda's Kinesis event (aws-lambda-go events.KinesisEventRecord).
type kinesisRecord struct {
	Kinesis struct {
		KinesisSchemaVersion        string  `json:"kinesisSchemaVersion"`
		PartitionKey                string  `json:"partitionKey"`
		SequenceNumber              string  `json:"sequenceNumber"`
		Data                        []byte  `json:"data"`
		ApproximateArrivalTimestamp float64 `json:"approximateArrivalTimestamp"`
	} `json:"kinesis"`
	EventSource       string `json:"eventSource"`
	EventVersion      string `json:"eventVersion"`
	EventID           string `json:"eventID"`
	EventName         string `json:"eventName"`
	InvokeIdentityArn string `json:"invokeIdentityArn"`
	AWSRegion         string `json:"awsRegion"`
	EventSourceARN    string `json:"eventSourceARN"`
}

// invoke sends one batch; failedAt is the lowest failed sequence number of a partial failure.
func (p *kinesisPoller) invoke(ctx context.Context, shardID string, batch []kinesis.StreamRecord, attempt int) (outcome, invoke.Result, string) {
	records := make([]kinesisRecord, len(batch))
	ids := map[string]bool{}
	for i, r := range batch {
		k := &records[i]
		k.Kinesis.KinesisSchemaVersion, k.Kinesis.PartitionKey, k.Kinesis.SequenceNumber, k.Kinesis.Data = "1.0", r.PartitionKey, r.SequenceNumber, r.Data
		k.Kinesis.ApproximateArrivalTimestamp = float64(r.ApproximateArrivalTimestamp.UnixMilli()) / 1000
		k.EventSource, k.EventVersion, k.EventID, k.EventName = "aws:kinesis", "1.0", shardID+":"+r.SequenceNumber, "aws:kinesis:record"
		k.InvokeIdentityArn, k.AWSRegion, k.EventSourceARN = p.role, p.region, p.stream
		ids[r.SequenceNumber] = true
	}
	payload, err := json.Marshal(map[string]any{"Records": records})
	if err != nil {
		return outcomeNotInvoked, invoke.Result{}, ""
	}
	fn, e := p.s.cfg.Functions.ResolveFunction(p.fn, "")
	if e != nil {
		p.s.setResult(p.r.Config.UUID, ResultProblem)
		return outcomeNotInvoked, invoke.Result{}, ""
	}
	res, err := p.s.cfg.Invoker.Invoke(ctx, fn, invoke.Request{RequestID: uuid.NewString(), Payload: payload,
		InvocationType: invoke.TypeRequestResponse, Trigger: "kinesis:" + p.stream, Attempt: attempt})
	if err != nil {
		p.s.setResult(p.r.Config.UUID, ResultProblem)
		return outcomeNotInvoked, res, ""
	}
	p.s.setResult(p.r.Config.UUID, ResultOK)
	if res.FunctionError != "" {
		return outcomeFailed, res, ""
	}
	if !p.partial {
		return outcomeOK, res, ""
	}
	failed, whole := parseBatchResponse(res.Payload, ids)
	if whole {
		return outcomeFailed, res, ""
	}
	if len(failed) == 0 {
		return outcomeOK, res, ""
	}
	lowest := ""
	for _, r := range batch { // batch is in sequence order
		if failed[r.SequenceNumber] {
			lowest = r.SequenceNumber
			break
		}
	}
	return outcomePartial, res, lowest
}

// discard sends a discarded batch's metadata to the OnFailure destination (services-kinesis-errors.html).
func (p *kinesisPoller) discard(ctx context.Context, shardID string, recs []kinesis.StreamRecord, condition string, attempts int, res *invoke.Result) {
	p.s.cfg.Logger.Info("discarding a Kinesis batch", "uuid", p.r.Config.UUID, "shard", shardID, "records", len(recs), "condition", condition)
	if p.onFailure == "" || p.s.cfg.Bus == nil {
		return
	}
	resp := map[string]any{"statusCode": 200, "executedVersion": "$LATEST", "functionError": ""}
	if res != nil {
		resp["statusCode"], resp["functionError"] = res.StatusCode, res.FunctionError
		if res.ExecutedVersion != "" {
			resp["executedVersion"] = res.ExecutedVersion
		}
	}
	body, _ := json.Marshal(map[string]any{
		"requestContext":  map[string]any{"requestId": uuid.NewString(), "functionArn": p.r.Config.FunctionArn, "condition": condition, "approximateInvokeCount": attempts},
		"responseContext": resp,
		"version":         "1.0",
		"timestamp":       p.s.cfg.Clock.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		"KinesisBatchInfo": map[string]any{
			"shardId": shardID, "startSequenceNumber": recs[0].SequenceNumber, "endSequenceNumber": recs[len(recs)-1].SequenceNumber,
			"approximateArrivalOfFirstRecord": recs[0].ApproximateArrivalTimestamp.UTC().Format("2006-01-02T15:04:05.000Z"),
			"approximateArrivalOfLastRecord":  recs[len(recs)-1].ApproximateArrivalTimestamp.UTC().Format("2006-01-02T15:04:05.000Z"),
			"batchSize":                       len(recs), "streamArn": p.stream,
		},
	})
	err := p.s.cfg.Bus.Deliver(ctx, deliver.Message{TargetARN: p.onFailure, Body: body, SourceARN: p.r.Config.FunctionArn, SourceAccount: p.s.cfg.AccountID})
	if err != nil {
		p.s.cfg.Logger.Warn("delivering to the on-failure destination", "uuid", p.r.Config.UUID, "destination", p.onFailure, "error", fmt.Sprint(err))
	}
}
