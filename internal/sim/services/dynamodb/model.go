package dynamodb

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Store layout, all under the top-level bucket "dynamodb":
//
//	dynamodb/meta               "seq" (last stream sequence counter), "iterator-key"
//	dynamodb/tables             table name -> tableRec
//	dynamodb/counts             table ID -> countRec (ItemCount, TableSizeBytes)
//	dynamodb/items/<table ID>   store key (keys.go) -> item JSON
//	dynamodb/streams            stream ARN -> streamRec (with its shards)
//	dynamodb/records/<stream ID> sequence number (21 digits) -> recordRec
//
// Items live in a bucket per table incarnation, so a deleted table's items go with one bucket
// delete and a table re-created under the same name never sees them.
const (
	bucketMeta    = "dynamodb/meta"
	bucketTables  = "dynamodb/tables"
	bucketCounts  = "dynamodb/counts"
	bucketStreams = "dynamodb/streams"
	bucketItems   = "dynamodb/items"
	bucketRecords = "dynamodb/records"
)

func itemsBucket(tableID string) string    { return bucketItems + "/" + tableID }
func recordsBucket(streamID string) string { return bucketRecords + "/" + streamID }

// Table statuses (TableDescription.TableStatus).
const (
	statusCreating = "CREATING"
	statusActive   = "ACTIVE"
	statusUpdating = "UPDATING"
	statusDeleting = "DELETING"
)

// Stream statuses (StreamDescription.StreamStatus).
const (
	streamEnabling  = "ENABLING"
	streamEnabled   = "ENABLED"
	streamDisabling = "DISABLING"
	streamDisabled  = "DISABLED"
)

// tableRec is a table as stored. Status transitions are lazy: a CREATING or UPDATING table whose
// DueMS has passed is ACTIVE, a DELETING one is gone, whether or not the janitor has written the
// change yet; so every reader sees the same state at the same simulated time.
type tableRec struct {
	Name                 string
	ID                   string
	KeySchema            []KeySchemaElement
	AttributeDefinitions []AttributeDefinition
	BillingMode          string
	RCU, WCU             int64
	LastIncreaseMS       int64 `json:",omitempty"`
	LastDecreaseMS       int64 `json:",omitempty"`
	PayPerRequestMS      int64 `json:",omitempty"`
	Status               string
	DueMS                int64 `json:",omitempty"`
	CreatedMS            int64
	DeletionProtection   bool   `json:",omitempty"`
	TableClass           string `json:",omitempty"`
	Tags                 []Tag  `json:",omitempty"`

	// The stream: StreamEnabled and StreamViewType as DescribeTable shows them, and the latest
	// stream's ARN and label (kept after the stream is disabled, as AWS does).
	StreamEnabled     bool   `json:",omitempty"`
	StreamViewType    string `json:",omitempty"`
	LatestStreamARN   string `json:",omitempty"`
	LatestStreamLabel string `json:",omitempty"`
}

// statusAt is the table's status at nowMS; "" once a deletion has completed.
func (t *tableRec) statusAt(nowMS int64) string {
	if t.DueMS != 0 && nowMS >= t.DueMS {
		switch t.Status {
		case statusCreating, statusUpdating:
			return statusActive
		case statusDeleting:
			return ""
		}
	}
	return t.Status
}

// countRec is a table's ItemCount and TableSizeBytes, kept apart from the table so an item write
// does not rewrite the whole table record.
type countRec struct {
	Items int64 `json:"n"`
	Bytes int64 `json:"b"`
}

// streamRec is a stream as stored, with its shards (oldest first). Its status transitions are
// lazy like a table's; a DISABLED stream is gone 24 hours after it was disabled.
type streamRec struct {
	ARN        string
	Label      string
	ID         string // names its records bucket
	TableName  string
	TableID    string
	ViewType   string
	KeySchema  []KeySchemaElement
	Status     string
	DueMS      int64 `json:",omitempty"`
	CreatedMS  int64
	DisabledMS int64 `json:",omitempty"`
	Shards     []shardRec
}

// shardRec is one shard. Its records are those of the stream with a sequence counter from Start
// to End (End is 0 while the shard is open). Records up to Trimmed have been removed.
type shardRec struct {
	ID        string
	Parent    string `json:",omitempty"`
	Start     uint64
	End       uint64 `json:",omitempty"`
	Last      uint64 `json:",omitempty"` // the newest record's counter, 0 if none
	CreatedMS int64
	ClosedMS  int64  `json:",omitempty"`
	Trimmed   uint64 `json:",omitempty"`
}

func (sh *shardRec) open() bool { return sh.End == 0 }

// statusAt is the stream's status at nowMS; "" once it is gone.
func (st *streamRec) statusAt(nowMS int64) string {
	status := st.Status
	if st.DueMS != 0 && nowMS >= st.DueMS {
		switch status {
		case streamEnabling:
			status = streamEnabled
		case streamDisabling:
			status = streamDisabled
		}
	}
	if status == streamDisabled && st.DisabledMS != 0 && nowMS >= st.DisabledMS+retention.Milliseconds() {
		return ""
	}
	return status
}

// capturing reports whether writes to the table are recorded in this stream.
func (st *streamRec) capturing(nowMS int64) bool {
	s := st.statusAt(nowMS)
	return s == streamEnabling || s == streamEnabled
}

func (st *streamRec) shard(id string) *shardRec {
	for i := range st.Shards {
		if st.Shards[i].ID == id {
			return &st.Shards[i]
		}
	}
	return nil
}

// shardExpired reports whether a shard is past retention: closed more than 24 hours ago, so all
// its records are trimmed and DescribeStream no longer lists it.
func shardExpired(sh *shardRec, nowMS int64) bool {
	return !sh.open() && nowMS >= sh.ClosedMS+retention.Milliseconds()
}

// recordRec is one stream record as stored; the images present are those of the stream's view type.
type recordRec struct {
	EventID   string
	EventName string
	CreatedMS int64
	Keys      Item
	NewImage  Item `json:",omitempty"`
	OldImage  Item `json:",omitempty"`
	SizeBytes int64
}

// MarshalJSON writes the record without reflection: it is written on every item change.
func (r recordRec) MarshalJSON() ([]byte, error) {
	buf := make([]byte, 0, 256)
	buf = append(buf, `{"EventID":`...)
	buf = appendJSONString(buf, r.EventID)
	buf = append(buf, `,"EventName":`...)
	buf = appendJSONString(buf, r.EventName)
	buf = append(buf, `,"CreatedMS":`...)
	buf = strconv.AppendInt(buf, r.CreatedMS, 10)
	buf = append(buf, `,"Keys":`...)
	buf = appendItemJSON(buf, r.Keys)
	if r.NewImage != nil {
		buf = append(buf, `,"NewImage":`...)
		buf = appendItemJSON(buf, r.NewImage)
	}
	if r.OldImage != nil {
		buf = append(buf, `,"OldImage":`...)
		buf = appendItemJSON(buf, r.OldImage)
	}
	buf = append(buf, `,"SizeBytes":`...)
	buf = strconv.AppendInt(buf, r.SizeBytes, 10)
	return append(buf, '}'), nil
}

// retention is DynamoDB Streams' fixed 24-hour retention (Streams.html, "Data retention limit").
const retention = 24 * time.Hour

// Sequence numbers: one counter for the whole service, stored in dynamodb/meta, so they increase
// across streams, shards and restarts. A counter n is shown as a 21-digit number "1" followed by n
// in 20 digits, the length of AWS's own (e.g. "300000000000000499659" in the Streams docs), and
// sorts as a string in numeric order.

func seqString(n uint64) string { return fmt.Sprintf("1%020d", n) }

func parseSeq(s string) (uint64, bool) {
	if len(s) != 21 || s[0] != '1' {
		return 0, false
	}
	n, err := strconv.ParseUint(s[1:], 10, 64)
	return n, err == nil
}

func currentSeq(tx *store.Tx) (uint64, error) {
	raw, err := tx.GetRaw(bucketMeta, "seq")
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(string(raw), 10, 64)
}

func nextSeq(tx *store.Tx) (uint64, error) {
	n, err := currentSeq(tx)
	if err != nil {
		return 0, err
	}
	n++
	return n, tx.PutRaw(bucketMeta, "seq", []byte(strconv.FormatUint(n, 10)))
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// newShardID has the form of AWS's shard IDs: "shardId-00000001414576573621-f55eea83".
func newShardID(nowMS int64) string {
	return fmt.Sprintf("shardId-%020d-%s", nowMS, randomHex(4))
}

// getTable reads a table that exists at nowMS (nil if there is none, or its deletion is done).
func getTable(tx *store.Tx, name string, nowMS int64) (*tableRec, error) {
	t := &tableRec{}
	err := tx.Get(bucketTables, name, t)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if t.statusAt(nowMS) == "" {
		return nil, nil
	}
	return t, nil
}

func getStream(tx *store.Tx, arn string) (*streamRec, error) {
	st := &streamRec{}
	err := tx.Get(bucketStreams, arn, st)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return st, nil
}

func getCounts(tx *store.Tx, tableID string) (countRec, error) {
	var c countRec
	err := tx.Get(bucketCounts, tableID, &c)
	if errors.Is(err, store.ErrNotFound) {
		err = nil
	}
	return c, err
}
