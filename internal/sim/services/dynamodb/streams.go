package dynamodb

import (
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// The write side of DynamoDB Streams: streams are created and closed by CreateTable, UpdateTable
// and DeleteTable, and every item write that changes an item appends its record in the same
// transaction (write.go), so a record exists exactly when the write was acknowledged.
//
// A stream has one open shard at a time. When a write finds the open shard older than
// Config.ShardRollInterval (and holding records), it closes that shard and opens a child whose
// ParentShardId names it, the lineage AWS gives shards it rolls about every four hours; readers
// must finish a parent before its child.

// enableStream creates a new stream for t (a new label, hence a new ARN, every time), ENABLING
// until due.
func (s *Service) enableStream(tx *store.Tx, t *tableRec, viewType string, now, due int64) error {
	// The label is the creation time to the millisecond; two streams of one table created in the
	// same millisecond (a manual clock) get successive milliseconds.
	labelMS := now
	var arn, label string
	for {
		label = time.UnixMilli(labelMS).UTC().Format("2006-01-02T15:04:05.000")
		arn = s.tableARN(t.Name) + "/stream/" + label
		if !tx.Has(bucketStreams, arn) && label != t.LatestStreamLabel {
			break
		}
		labelMS++
	}
	seq, err := currentSeq(tx)
	if err != nil {
		return err
	}
	st := &streamRec{
		ARN: arn, Label: label, ID: randomHex(8), TableName: t.Name, TableID: t.ID, ViewType: viewType,
		KeySchema: t.KeySchema, Status: streamEnabling, DueMS: due, CreatedMS: now,
		Shards: []shardRec{{ID: newShardID(now), Start: seq + 1, CreatedMS: now}},
	}
	if due <= now {
		st.Status, st.DueMS = streamEnabled, 0
	}
	t.StreamEnabled, t.StreamViewType = true, viewType
	t.LatestStreamARN, t.LatestStreamLabel = arn, label
	return tx.Put(bucketStreams, arn, st)
}

// disableStream stops t's stream from capturing writes: its open shard closes now, and the stream
// is DISABLING until due, then DISABLED, and gone 24 hours after now.
func (s *Service) disableStream(tx *store.Tx, t *tableRec, now, due int64) error {
	t.StreamEnabled, t.StreamViewType = false, ""
	st, err := getStream(tx, t.LatestStreamARN)
	if err != nil || st == nil {
		return err
	}
	for i := range st.Shards {
		closeShard(&st.Shards[i], now)
	}
	st.Status, st.DueMS, st.DisabledMS = streamDisabling, due, now
	if due <= now {
		st.Status, st.DueMS = streamDisabled, 0
	}
	return tx.Put(bucketStreams, st.ARN, st)
}

func closeShard(sh *shardRec, now int64) {
	if !sh.open() {
		return
	}
	sh.End, sh.ClosedMS = sh.Last, now
	if sh.Last == 0 {
		// An empty shard ends where it starts; no record has that counter in this stream.
		sh.End = sh.Start
	}
}

// appendRecord writes the stream record of one item change, if t's stream captures writes.
// before and after are nil for an insert and a removal respectively.
func (s *Service) appendRecord(tx *store.Tx, t *tableRec, sc schema, before, after Item, now int64) error {
	if !t.StreamEnabled || t.LatestStreamARN == "" {
		return nil
	}
	st, err := getStream(tx, t.LatestStreamARN)
	if err != nil || st == nil || !st.capturing(now) {
		return err
	}
	seq, err := nextSeq(tx)
	if err != nil {
		return err
	}
	sh := &st.Shards[len(st.Shards)-1]
	if roll := s.cfg.ShardRollInterval; roll > 0 && sh.open() && sh.Last != 0 && now-sh.CreatedMS >= roll.Milliseconds() {
		closeShard(sh, now)
		st.Shards = append(st.Shards, shardRec{ID: newShardID(now), Parent: sh.ID, Start: seq, CreatedMS: now})
		sh = &st.Shards[len(st.Shards)-1]
	}
	rec := recordRec{EventID: randomHex(16), CreatedMS: now}
	image := after
	switch {
	case before == nil:
		rec.EventName = "INSERT"
	case after == nil:
		rec.EventName, image = "REMOVE", before
	default:
		rec.EventName = "MODIFY"
	}
	rec.Keys = sc.keyOf(image)
	switch st.ViewType {
	case "NEW_IMAGE":
		rec.NewImage = after
	case "OLD_IMAGE":
		rec.OldImage = before
	case "NEW_AND_OLD_IMAGES":
		rec.NewImage, rec.OldImage = after, before
	}
	rec.SizeBytes = int64(itemSize(rec.Keys) + itemSize(rec.NewImage) + itemSize(rec.OldImage))
	data, _ := rec.MarshalJSON()
	if err := tx.PutRaw(recordsBucket(st.ID), seqString(seq), data); err != nil {
		return err
	}
	sh.Last = seq
	return tx.Put(bucketStreams, st.ARN, st)
}
