package dynamodb

import (
	"encoding/json"
	"errors"
	"math"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// maxItemBytes is DynamoDB's item size limit, 400 KB (ServiceQuotas.html, "Item size").
const maxItemBytes = 400 * 1024

// readItem reads an item by store key; nil if there is none.
func readItem(tx *store.Tx, tableID, sk string) (Item, error) {
	data, err := tx.GetRaw(itemsBucket(tableID), sk)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var it Item
	if err := json.Unmarshal(data, &it); err != nil {
		return nil, err
	}
	return it, nil
}

// writeItem replaces before with after (nil: delete) under store key sk, keeps the table's counts,
// and appends the stream record, all in tx. A write that changes nothing writes nothing and
// leaves no stream record: "If you perform a PutItem or UpdateItem operation that does not
// change any data in an item, DynamoDB Streams does not write a stream record for that
// operation" (Streams.html).
func (s *Service) writeItem(tx *store.Tx, t *tableRec, sc schema, sk string, before, after Item, now int64) error {
	if before == nil && after == nil {
		return nil
	}
	if before != nil && after != nil && equalItems(before, after) {
		return nil
	}
	c, err := getCounts(tx, t.ID)
	if err != nil {
		return err
	}
	if before != nil {
		c.Items--
		c.Bytes -= int64(itemSize(before))
	}
	if after != nil {
		if err := tx.PutRaw(itemsBucket(t.ID), sk, appendItemJSON(nil, after)); err != nil {
			return err
		}
		c.Items++
		c.Bytes += int64(itemSize(after))
	} else if err := tx.Delete(itemsBucket(t.ID), sk); err != nil {
		return err
	}
	if err := tx.Put(bucketCounts, t.ID, c); err != nil {
		return err
	}
	return s.appendRecord(tx, t, sc, before, after, now)
}

// activeTable finds the table a data-plane request names. A table that is CREATING or DELETING
// answers ResourceNotFoundException, as the API reference describes ("its status might not be
// ACTIVE").
func (s *Service) activeTable(tx *store.Tx, name string, now int64) (*tableRec, *awswire.Error) {
	t, err := getTable(tx, s.resolveTableName(name), now)
	if err != nil {
		return nil, errInternal(err)
	}
	if t == nil {
		return nil, errTableNotFound()
	}
	switch t.statusAt(now) {
	case statusCreating, statusDeleting:
		return nil, errTableNotFound()
	}
	return t, nil
}

// writeUnits and readUnits are the capacity units of an item operation
// (CapacityUnitCalculations.html): a write unit per 1 KB, a read unit per 4 KB, half for an
// eventually consistent read; at least one unit.
func writeUnits(items ...Item) float64 {
	size := 0
	for _, it := range items {
		size = max(size, itemSize(it))
	}
	return math.Max(1, math.Ceil(float64(size)/1024))
}

func readUnits(size int, consistent bool) float64 {
	u := math.Max(1, math.Ceil(float64(size)/4096))
	if !consistent {
		u /= 2
	}
	return u
}

// consumed is the ConsumedCapacity member for ReturnConsumedCapacity (TOTAL or INDEXES).
func consumed(mode *string, table string, units float64) *ConsumedCapacity {
	switch deref(mode) {
	case "TOTAL":
		return &ConsumedCapacity{TableName: table, CapacityUnits: units}
	case "INDEXES":
		return &ConsumedCapacity{TableName: table, CapacityUnits: units, Table: &Capacity{CapacityUnits: units}}
	}
	return nil
}

// checkCommon validates the members every item operation shares.
func checkCommon(v *validation, returnConsumed, returnMetrics *string) {
	v.enum(returnConsumed, "returnConsumedCapacity", "INDEXES", "TOTAL", "NONE")
	v.enum(returnMetrics, "returnItemCollectionMetrics", "SIZE", "NONE")
}
