package esm

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/pattern"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// The stream poller (Kinesis and DynamoDB Streams) follows
// https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html, with-ddb.html and
// services-kinesis-errors.html (SEMANTICS.md C3): each shard is read in order from its durable
// checkpoint, once per second (Kinesis) or four times per second (DynamoDB); a parent shard is finished before its children start; a failed
// batch is retried whole (blocking its shard) until it succeeds, MaximumRetryAttempts is
// exhausted or its records pass MaximumRecordAgeInSeconds; BisectBatchOnFunctionError halves a
// failed batch without counting a retry; ReportBatchItemFailures checkpoints just before the
// lowest failed sequence number; a discarded batch's metadata goes to the OnFailure destination.

// CheckpointBucket holds stream checkpoints, keyed "<uuid>/<shardId>".
const CheckpointBucket = "esm/checkpoints"

// checkpoint is a shard's durable progress: records after Seq are still to be processed.
type checkpoint struct {
	Seq      string `json:"seq"`
	Finished bool   `json:"finished"` // a closed shard read to its end
	// WindowStart and State are the open tumbling window and the state the function returned
	// for it, durable with the checkpoint they belong to.
	WindowStart time.Time       `json:"windowStart,omitzero"`
	State       json.RawMessage `json:"state,omitempty"`
}

type streamPoller struct {
	s         *Service
	src       streamSource
	r         *record
	stream    string
	fn        string
	batch     int
	window    time.Duration
	retries   int // -1 infinite
	maxAge    time.Duration
	bisect    bool
	tumble    time.Duration
	parallel  int
	partial   bool
	filters   []*pattern.Pattern
	onFailure string
	region    string
	role      string
}

func newStreamPoller(s *Service, src streamSource, r *record) *streamPoller {
	c := &r.Config
	p := &streamPoller{s: s, src: src, r: r, stream: c.EventSourceArn, fn: r.FunctionName, batch: int(*c.BatchSize),
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
	p.parallel = 1
	if c.ParallelizationFactor != nil && *c.ParallelizationFactor > 1 {
		p.parallel = int(*c.ParallelizationFactor)
	}
	if c.TumblingWindowInSeconds != nil {
		p.tumble = time.Duration(*c.TumblingWindowInSeconds) * time.Second
	}
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
func (p *streamPoller) run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	started := map[string]bool{}
	for ctx.Err() == nil {
		shards, err := p.src.shards()
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
		if p.s.cfg.Clock.Sleep(ctx, p.src.interval()) != nil {
			return
		}
	}
}

// parentsDone reports whether the shard's parents (those still listed) are finished.
func (p *streamPoller) parentsDone(sh shardInfo, known map[string]bool) bool {
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

func (p *streamPoller) key(shardID string) string { return p.r.Config.UUID + "/" + shardID }

func (p *streamPoller) loadCheckpoint(shardID string) (checkpoint, bool) {
	var cp checkpoint
	err := p.s.cfg.Store.View(func(tx *store.Tx) error { return tx.Get(CheckpointBucket, p.key(shardID), &cp) })
	return cp, err == nil
}

func (p *streamPoller) saveCheckpoint(shardID string, cp checkpoint) {
	if err := p.s.cfg.Store.Update(func(tx *store.Tx) error { return tx.Put(CheckpointBucket, p.key(shardID), cp) }); err != nil {
		p.s.cfg.Logger.Error("saving a stream checkpoint", "uuid", p.r.Config.UUID, "shard", shardID, "error", err)
	}
}

// shard processes one shard from its checkpoint until it is finished or ctx ends.
func (p *streamPoller) shard(ctx context.Context, sh shardInfo, child bool) {
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
		seq, err := p.src.position(sh.ShardID, pos, at)
		if err != nil {
			p.s.cfg.Logger.Warn("positioning a shard", "uuid", p.r.Config.UUID, "shard", sh.ShardID, "error", err)
			return
		}
		cp = checkpoint{Seq: seq}
		p.saveCheckpoint(sh.ShardID, cp)
	}
	attempts := 0                 // invocations of the current batch that failed
	limit := p.batch * p.parallel // with a ParallelizationFactor, enough for every lane
	var firstSeen time.Time
	for ctx.Err() == nil && !cp.Finished {
		recs, err := p.src.read(sh.ShardID, cp.Seq, limit)
		if p.src.shardGone(err) {
			return
		}
		if err != nil {
			p.s.cfg.Logger.Warn("reading a shard", "uuid", p.r.Config.UUID, "shard", sh.ShardID, "error", err)
			if p.s.cfg.Clock.Sleep(ctx, p.src.interval()) != nil {
				return
			}
			continue
		}
		if p.tumble > 0 && !cp.WindowStart.IsZero() {
			// A window ends when a record of a later window arrives or its time is up: the final
			// invocation carries its state and no records.
			end := cp.WindowStart.Add(p.tumble)
			if (len(recs) > 0 && !recs[0].arrival.Before(end)) || (len(recs) == 0 && !p.s.cfg.Clock.Now().Before(end)) {
				if !p.finalInvoke(ctx, sh.ShardID, &cp) {
					if p.s.cfg.Clock.Sleep(ctx, p.src.interval()) != nil {
						return
					}
				}
				continue
			}
			n := 0
			for n < len(recs) && recs[n].arrival.Before(end) {
				n++
			}
			recs = recs[:n]
		}
		if len(recs) == 0 {
			if sh.Closed || p.closed(sh.ShardID) {
				cp.Finished = true
				p.saveCheckpoint(sh.ShardID, cp)
				return
			}
			if p.idle(ctx, p.src.interval()) != nil {
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
				if p.s.cfg.Clock.Sleep(ctx, min(wait, p.src.interval())) != nil {
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
			for n < len(recs) && recs[n].arrival.Before(cutoff) {
				n++
			}
			if n > 0 {
				p.discard(ctx, sh.ShardID, recs[:n], "RecordAgeExceeded", attempts, nil)
				cp.Seq = recs[n-1].seq
				p.saveCheckpoint(sh.ShardID, cp)
				attempts, limit = 0, p.batch*p.parallel
				continue
			}
		}
		// Filtered-out records are skipped; the checkpoint moves past them.
		batch := p.filter(recs)
		if len(batch) == 0 {
			cp.Seq = recs[len(recs)-1].seq
			p.saveCheckpoint(sh.ShardID, cp)
			continue
		}
		last := recs[len(recs)-1].seq
		var extra map[string]any
		if p.tumble > 0 {
			if cp.WindowStart.IsZero() {
				cp.WindowStart = batch[0].arrival.Truncate(p.tumble)
			}
			extra = p.windowFields(sh.ShardID, &cp, false)
		}
		var outcome outcome
		var res invoke.Result
		var failedAt string
		if p.parallel > 1 && p.tumble == 0 {
			var cut int
			outcome, res, cut = p.invokeLanes(ctx, sh.ShardID, recs, batch, attempts+1)
			recs = recs[:cut]
			last = recs[cut-1].seq
		} else {
			outcome, res, failedAt = p.invoke(ctx, sh.ShardID, batch, attempts+1, extra)
		}
		if p.tumble > 0 && outcome == outcomeOK {
			cp.State = stateOf(res.Payload)
		}
		switch outcome {
		case outcomeOK:
			cp.Seq = last
			p.saveCheckpoint(sh.ShardID, cp)
			attempts, limit = 0, p.batch*p.parallel
			continue
		case outcomeNotInvoked:
			// Throttles and service errors do not count as retries.
			if p.s.cfg.Clock.Sleep(ctx, p.src.interval()) != nil {
				return
			}
			continue
		case outcomePartial:
			// Records before the lowest failed one are done; retry from it: the checkpoint becomes
			// the record read just before it.
			prev := cp.Seq
			for _, r := range recs {
				if r.seq == failedAt {
					break
				}
				prev = r.seq
			}
			if prev != cp.Seq {
				cp.Seq = prev
				p.saveCheckpoint(sh.ShardID, cp)
			}
		}
		attempts++
		if p.bisect && len(recs) > 1 {
			// Halve the failed batch; the halves do not count as retries.
			limit = len(recs) / 2
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
			attempts, limit = 0, p.batch*p.parallel
			continue
		}
		if p.s.cfg.Clock.Sleep(ctx, p.src.interval()) != nil {
			return
		}
	}
}

// closed re-reads whether the shard is closed (it may have been split since the worker started).
func (p *streamPoller) closed(shardID string) bool {
	shards, err := p.src.shards()
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

func (p *streamPoller) filter(recs []streamRecord) []streamRecord {
	if len(p.filters) == 0 {
		return recs
	}
	var out []streamRecord
	for _, r := range recs {
		if matchAny(p.filters, r.filterView) {
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

// invoke sends one batch; failedAt is the lowest failed sequence number of a partial failure.
func (p *streamPoller) invoke(ctx context.Context, shardID string, batch []streamRecord, attempt int, extra map[string]any) (outcome, invoke.Result, string) {
	records := make([]any, len(batch))
	ids := map[string]bool{}
	for i, r := range batch {
		records[i] = r.event
		ids[r.seq] = true
	}
	event := map[string]any{"Records": records}
	for k, v := range extra {
		event[k] = v
	}
	payload, err := json.Marshal(event)
	if err != nil {
		return outcomeNotInvoked, invoke.Result{}, ""
	}
	fn, e := p.s.cfg.Functions.ResolveFunction(p.fn, "")
	if e != nil {
		p.s.setResult(p.r.Config.UUID, ResultProblem)
		return outcomeNotInvoked, invoke.Result{}, ""
	}
	res, err := p.s.cfg.Invoker.Invoke(ctx, fn, invoke.Request{RequestID: uuid.NewString(), Payload: payload,
		InvocationType: invoke.TypeRequestResponse, Trigger: p.src.trigger(), Attempt: attempt})
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
		if failed[r.seq] {
			lowest = r.seq
			break
		}
	}
	return outcomePartial, res, lowest
}

// discard sends a discarded batch's metadata to the OnFailure destination (services-kinesis-errors.html).
func (p *streamPoller) discard(ctx context.Context, shardID string, recs []streamRecord, condition string, attempts int, res *invoke.Result) {
	p.s.cfg.Logger.Info("discarding a stream batch", "uuid", p.r.Config.UUID, "shard", shardID, "records", len(recs), "condition", condition)
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
	record := map[string]any{
		"requestContext":  map[string]any{"requestId": uuid.NewString(), "functionArn": p.r.Config.FunctionArn, "condition": condition, "approximateInvokeCount": attempts},
		"responseContext": resp,
		"version":         "1.0",
		"timestamp":       p.s.cfg.Clock.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		p.src.batchInfoKey(): map[string]any{
			"shardId": shardID, "startSequenceNumber": recs[0].seq, "endSequenceNumber": recs[len(recs)-1].seq,
			"approximateArrivalOfFirstRecord": recs[0].arrival.UTC().Format("2006-01-02T15:04:05.000Z"),
			"approximateArrivalOfLastRecord":  recs[len(recs)-1].arrival.UTC().Format("2006-01-02T15:04:05.000Z"),
			"batchSize":                       len(recs), "streamArn": p.stream,
		},
	}
	m := deliver.Message{TargetARN: p.onFailure, SourceARN: p.r.Config.FunctionArn, SourceAccount: p.s.cfg.AccountID}
	if strings.HasPrefix(p.onFailure, "arn:aws:s3:::") {
		// An S3 destination also gets the batch itself, as an object under
		// aws/lambda/<mapping UUID>/<shard id>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid> (services-dynamodb-errors).
		events := make([]any, len(recs))
		for i, r := range recs {
			events[i] = r.event
		}
		record["payload"] = map[string]any{"Records": events}
		now := p.s.cfg.Clock.Now().UTC()
		m.ObjectKey = "aws/lambda/" + p.r.Config.UUID + "/" + shardID + "/" + now.Format("2006/01/02") + "/" + now.Format("2006-01-02T15.04.05") + "-" + uuid.NewString()
	}
	m.Body, _ = json.Marshal(record)
	err := p.s.cfg.Bus.Deliver(ctx, m)
	if err != nil {
		p.s.cfg.Logger.Warn("delivering to the on-failure destination", "uuid", p.r.Config.UUID, "destination", p.onFailure, "error", fmt.Sprint(err))
	}
}

// windowFields are the members a tumbling-window invocation adds to the event
// (https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html).
func (p *streamPoller) windowFields(shardID string, cp *checkpoint, final bool) map[string]any {
	state := cp.State
	if len(state) == 0 {
		state = json.RawMessage("{}")
	}
	return map[string]any{
		"window": map[string]string{
			"start": cp.WindowStart.UTC().Format(time.RFC3339),
			"end":   cp.WindowStart.Add(p.tumble).UTC().Format(time.RFC3339),
		},
		"state":                   state,
		"shardId":                 shardID,
		"eventSourceARN":          p.stream,
		"isFinalInvokeForWindow":  final,
		"isWindowTerminatedEarly": false,
	}
}

// finalInvoke ends the open window with an invocation carrying its state and no records; it
// reports whether the function took it (otherwise it is tried again).
func (p *streamPoller) finalInvoke(ctx context.Context, shardID string, cp *checkpoint) bool {
	out, _, _ := p.invoke(ctx, shardID, nil, 1, p.windowFields(shardID, cp, true))
	if out != outcomeOK && out != outcomePartial {
		return false
	}
	cp.WindowStart, cp.State = time.Time{}, nil
	p.saveCheckpoint(shardID, *cp)
	return true
}

// stateOf is the "state" member of a tumbling-window response (nil when absent).
func stateOf(payload []byte) json.RawMessage {
	var resp struct {
		State json.RawMessage `json:"state"`
	}
	if err := json.Unmarshal(payload, &resp); err != nil || string(resp.State) == "null" {
		return nil
	}
	return resp.State
}

// invokeLanes sends a shard's records as up to p.parallel concurrent batches, each record going
// to the lane of its partition key (or item key), so records of one key stay in order
// (ParallelizationFactor, with-kinesis.html). Only a prefix of recs is sent, cut where a lane is
// full, so the checkpoint can move to its end; cut is the prefix's length. If any lane fails the
// whole prefix is retried (records of lanes that succeeded are delivered again: at-least-once),
// and a partial batch response counts as a failure of its lane.
func (p *streamPoller) invokeLanes(ctx context.Context, shardID string, recs, kept []streamRecord, attempt int) (outcome, invoke.Result, int) {
	keep := make(map[string]bool, len(kept))
	for _, r := range kept {
		keep[r.seq] = true
	}
	lanes := make([][]streamRecord, p.parallel)
	cut := len(recs)
	for i, r := range recs {
		if !keep[r.seq] {
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(r.key))
		lane := int(h.Sum32() % uint32(p.parallel))
		if len(lanes[lane]) == p.batch {
			cut = i
			break
		}
		lanes[lane] = append(lanes[lane], r)
	}
	type result struct {
		out outcome
		res invoke.Result
	}
	results := make([]result, len(lanes))
	var wg sync.WaitGroup
	for i, lane := range lanes {
		if len(lane) == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, res, _ := p.invoke(ctx, shardID, lane, attempt, nil)
			results[i] = result{out, res}
		}()
	}
	wg.Wait()
	final := result{out: outcomeOK}
	for i, r := range results {
		if len(lanes[i]) == 0 {
			continue
		}
		switch {
		case r.out == outcomeNotInvoked:
			return outcomeNotInvoked, r.res, cut
		case r.out != outcomeOK:
			final = result{outcomeFailed, r.res}
		}
	}
	return final.out, final.res, cut
}
