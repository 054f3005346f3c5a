package kinesis

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// The store layout, all under the top-level bucket "kinesis":
//
//	kinesis/meta                      "iterator-key" -> the HMAC key of shard iterators
//	kinesis/streams                   <stream name> -> streamRec (JSON)
//	kinesis/counters                  <incarnation>/<shard index> -> counterRec (JSON)
//	kinesis/records/<inc>/<index>     store.SeqKey(counter) -> recordRec (JSON)
//
// An incarnation number (kinesis/streams' bucket sequence) tells a stream from an earlier one of
// the same name, so a deleted stream's records can never be read through a new stream.

const (
	bucketMeta     = "kinesis/meta"
	bucketStreams  = "kinesis/streams"
	bucketCounters = "kinesis/counters"
	bucketRecords  = "kinesis/records"
)

// Stream statuses (StreamStatus).
const (
	statusCreating = "CREATING"
	statusActive   = "ACTIVE"
	statusUpdating = "UPDATING"
	statusDeleting = "DELETING"
)

// Capacity modes (StreamModeDetails.StreamMode).
const (
	modeProvisioned = "PROVISIONED"
	modeOnDemand    = "ON_DEMAND"
)

// streamRec is a stream as stored.
type streamRec struct {
	Name        string `json:"name"`
	Incarnation uint64 `json:"incarnation"`
	CreatedMS   int64  `json:"createdMs"`
	Status      string `json:"status"`
	// DueMS is when the transition in progress (CREATING, UPDATING, DELETING) ends; 0 if none.
	DueMS int64 `json:"dueMs,omitempty"`
	// Pending is the reshard that UPDATING applies when it ends.
	Pending          *reshardRec       `json:"pending,omitempty"`
	Mode             string            `json:"mode"`
	RetentionHours   int               `json:"retentionHours"`
	MaxRecordSizeKiB int               `json:"maxRecordSizeKiB"`
	Tags             map[string]string `json:"tags,omitempty"`
	// InitialShards is how many shards CREATING makes when it ends.
	InitialShards  int        `json:"initialShards"`
	Shards         []shardRec `json:"shards"`
	NextShardIndex int        `json:"nextShardIndex"`
	// ScaledMS are the times of UpdateShardCount calls in the last 24 hours (AWS allows ten).
	ScaledMS []int64 `json:"scaledMs,omitempty"`
}

// shardRec is a shard as stored; closed shards keep their place until their records expire.
type shardRec struct {
	Index          int    `json:"index"`
	Parent         string `json:"parent,omitempty"`
	AdjacentParent string `json:"adjacentParent,omitempty"`
	StartHash      string `json:"startHash"`
	EndHash        string `json:"endHash"`
	CreatedMS      int64  `json:"createdMs"`
	ClosedMS       int64  `json:"closedMs,omitempty"`
	EndSeq         string `json:"endSeq,omitempty"`
}

// reshardRec is a SplitShard, MergeShards or UpdateShardCount waiting for UPDATING to end.
type reshardRec struct {
	Kind        string `json:"kind"` // "split", "merge", "scale"
	Shard       string `json:"shard,omitempty"`
	Adjacent    string `json:"adjacent,omitempty"`
	NewStartKey string `json:"newStartKey,omitempty"`
	Target      int    `json:"target,omitempty"`
}

// counterRec is the last counter given out in a shard; stored with the records it numbers.
type counterRec struct {
	Last   uint64 `json:"last"`
	LastMS int64  `json:"lastMs"`
}

// recordRec is one record as stored.
type recordRec struct {
	PartitionKey string `json:"k"`
	Data         []byte `json:"d"`
	ArrivalMS    int64  `json:"t"`
	Seq          string `json:"s"`
}

// stream is the in-memory view of a stream: its stored form plus what the hot paths need parsed.
// Only the committer goroutine changes it, under Service.mu.
type stream struct {
	rec    streamRec
	shards []*shard // parallel to rec.Shards
}

type shard struct {
	rec        *shardRec
	id         string
	start, end *big.Int
	last       uint64 // last counter given out (0: none)
	lastMS     int64  // arrival of that record; arrivals never go backwards within a shard
}

func shardID(index int) string { return fmt.Sprintf("shardId-%012d", index) }

// parseShardID accepts "shardId-000000000001" and, as AWS does, the bare "1".
func parseShardID(id string) (int, bool) {
	num := id
	if rest, ok := strings.CutPrefix(id, "shardId-"); ok {
		num = rest
	}
	if num == "" || len(num) > 12 {
		return 0, false
	}
	for _, c := range num {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(num)
	return n, err == nil
}

func (sh *shard) open() bool { return sh.rec.ClosedMS == 0 }

func (sh *shard) startSeq() string {
	secs := sh.rec.CreatedMS / 1000
	return seqParts{shardCreated: secs, shardIndex: sh.rec.Index, recordTime: secs}.String()
}

func (sh *shard) seq(counter uint64, arrivalMS int64) string {
	return seqParts{shardCreated: sh.rec.CreatedMS / 1000, shardIndex: sh.rec.Index, counter: counter, recordTime: arrivalMS / 1000}.String()
}

func (sh *shard) recordsBucket(incarnation uint64) string {
	return fmt.Sprintf("%s/%d/%d", bucketRecords, incarnation, sh.rec.Index)
}

func counterKey(incarnation uint64, index int) string {
	return fmt.Sprintf("%d/%d", incarnation, index)
}

func newShard(rec *shardRec) *shard {
	return &shard{rec: rec, id: shardID(rec.Index), start: mustBig(rec.StartHash), end: mustBig(rec.EndHash)}
}

// rebuild makes the in-memory shards from rec.Shards, keeping the counters of shards it knew.
func (st *stream) rebuild() {
	known := map[int]*shard{}
	for _, sh := range st.shards {
		known[sh.rec.Index] = sh
	}
	st.shards = make([]*shard, len(st.rec.Shards))
	for i := range st.rec.Shards {
		sh := newShard(&st.rec.Shards[i])
		if old := known[sh.rec.Index]; old != nil {
			sh.last, sh.lastMS = old.last, old.lastMS
		}
		st.shards[i] = sh
	}
}

func (st *stream) shardByID(id string) *shard {
	index, ok := parseShardID(id)
	if !ok {
		return nil
	}
	for _, sh := range st.shards {
		if sh.rec.Index == index {
			return sh
		}
	}
	return nil
}

func (st *stream) shardByIndex(index int) *shard {
	for _, sh := range st.shards {
		if sh.rec.Index == index {
			return sh
		}
	}
	return nil
}

// shardFor is the open shard whose hash key range holds key.
func (st *stream) shardFor(key *big.Int) *shard {
	for _, sh := range st.shards {
		if sh.open() && sh.start.Cmp(key) <= 0 && key.Cmp(sh.end) <= 0 {
			return sh
		}
	}
	return nil
}

func (st *stream) openShards() int {
	n := 0
	for _, sh := range st.shards {
		if sh.open() {
			n++
		}
	}
	return n
}

func (st *stream) retention() time.Duration {
	return time.Duration(st.rec.RetentionHours) * time.Hour
}

// expired reports whether a closed shard has outlived the retention period: its records are
// gone and AWS no longer lists it (ListShards reference).
func (st *stream) expired(sh *shard, nowMS int64) bool {
	return !sh.open() && sh.rec.ClosedMS+st.retention().Milliseconds() < nowMS
}

// children are the shards made from sh by a split or a merge.
func (st *stream) children(sh *shard) []*shard {
	var out []*shard
	for _, c := range st.shards {
		if c.rec.Parent == sh.id || c.rec.AdjacentParent == sh.id {
			out = append(out, c)
		}
	}
	return out
}
